"""Public PDFs published as files for nginx (``PDF_PUBLISHED_DIR``): the links
follow the stored PDFs and the plans' publication after every commit.

The renders run for real in the task worker (``run_pdf_tasks``); what nginx
does with the files is tested in tests/deploy/test_nginx.py."""

import hashlib
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plans.models import RenderedDocument
from plans.services import published_pdfs
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published_dir(settings, tmp_path):
    settings.PDF_PUBLISHED_DIR = str(tmp_path / "published")
    return tmp_path / "published"


@pytest.fixture
def plan():
    plan = factories.PlanFactory(title="Handlingsplan Prov", slug="prov")
    factories.SectionFactory(plan=plan, kind="action_items", heading="Åtgärder")
    factories.ActionItemFactory(plan=plan, title="Första åtgärden")
    return plan


@pytest.fixture
def rendered(client, plan, published_dir, run_pdf_tasks):
    """The plan's documents, asked for in both languages and rendered."""
    for kind in ("plan", "report"):
        for language in ("sv", "en"):
            client.get(published_pdfs.url_of(kind, plan.slug, language))
    run_pdf_tasks()
    return plan


def published(published_dir):
    """{URL path: SHA-256 of the bytes its link leads to}."""
    return {
        "/" + str(link.parent.relative_to(published_dir)) + "/": hashlib.sha256(
            link.read_bytes()
        ).hexdigest()
        for link in published_dir.rglob(published_pdfs.LINK_NAME)
    }


def public_sha256(plan, kind="plan", language="sv"):
    return RenderedDocument.objects.get(
        plan=plan, kind=kind, language=language, visibility="public", since=None
    ).sha256


def test_every_rendered_public_pdf_is_published_at_its_url(rendered, published_dir):
    assert published(published_dir) == {
        "/plans/prov/pdf/": public_sha256(rendered),
        "/en/plans/prov/pdf/": public_sha256(rendered, language="en"),
        "/plans/prov/report/pdf/": public_sha256(rendered, "report"),
        "/en/plans/prov/report/pdf/": public_sha256(rendered, "report", "en"),
    }
    link = published_dir / "plans/prov/pdf" / published_pdfs.LINK_NAME
    assert link.is_symlink()
    assert os.readlink(link).endswith(f"{public_sha256(rendered)}.pdf")


def test_a_new_render_moves_the_link_when_it_lands(
    client, rendered, published_dir, run_pdf_tasks
):
    before = published(published_dir)["/plans/prov/pdf/"]
    item = rendered.action_items.get()
    item.title = "Ändrad åtgärd"
    item.save()
    # Until the worker has rendered the change, the last PDF stays published.
    assert published(published_dir)["/plans/prov/pdf/"] == before
    run_pdf_tasks()
    after = published(published_dir)["/plans/prov/pdf/"]
    assert after != before
    assert after == public_sha256(rendered)


def test_members_versions_and_reports_since_a_date_are_not_published(
    client, rendered, published_dir, reader, run_pdf_tasks
):
    factories.ActionItemFactory(plan=rendered, title="Intern", is_public=False)
    client.force_login(reader)
    client.get(published_pdfs.url_of("plan", rendered.slug, "sv"))
    client.get(
        published_pdfs.url_of("report", rendered.slug, "sv") + "?since=2026-01-01"
    )
    run_pdf_tasks()
    internal = RenderedDocument.objects.get(
        plan=rendered, kind="plan", language="sv", visibility="internal"
    )
    assert internal.sha256 != public_sha256(rendered)
    assert internal.sha256 not in published(published_dir).values()
    assert len(published(published_dir)) == 4


@pytest.mark.parametrize(
    "change",
    [
        {"is_public": False},
        {"status": "draft"},
    ],
    ids=["made private", "back to draft"],
)
def test_a_plan_no_longer_published_loses_its_files(rendered, published_dir, change):
    for name, value in change.items():
        setattr(rendered, name, value)
    rendered.save()
    assert published(published_dir) == {}
    assert not (published_dir / "plans").exists()  # no empty folders left


def test_a_renamed_plan_is_published_at_its_new_url(rendered, published_dir):
    sha256 = public_sha256(rendered)
    rendered.slug = "nytt-namn"
    rendered.save()
    urls = published(published_dir)
    assert urls["/plans/nytt-namn/pdf/"] == sha256
    assert "/plans/prov/pdf/" not in urls


def test_a_deleted_plan_loses_its_files(rendered, published_dir):
    rendered.delete()
    assert published(published_dir) == {}


def test_a_download_the_portal_answered_puts_a_missing_link_back(
    client, rendered, published_dir
):
    link = published_dir / "plans/prov/pdf" / published_pdfs.LINK_NAME
    link.unlink()
    assert client.get("/plans/prov/pdf/").status_code == 200
    assert published(published_dir)["/plans/prov/pdf/"] == public_sha256(rendered)


def test_render_pdfs_publishes_what_is_rendered(rendered, published_dir):
    for link in published_dir.rglob(published_pdfs.LINK_NAME):
        link.unlink()
    call_command("render_pdfs", verbosity=0)
    assert len(published(published_dir)) == 4


def test_nothing_is_published_without_the_setting(
    client, plan, settings, tmp_path, run_pdf_tasks
):
    settings.PDF_PUBLISHED_DIR = ""
    client.get(published_pdfs.url_of("plan", plan.slug, "sv"))
    run_pdf_tasks()
    assert published_pdfs.sync() == (0, 0)
    assert list(tmp_path.iterdir()) == []


def test_download_names_come_from_the_slug(client, rendered):
    """nginx names a published file the same way (nginx_published_pdfs)."""
    names = {
        url: client.get(url)["Content-Disposition"]
        for url in (
            "/plans/prov/pdf/",
            "/plans/prov/report/pdf/",
            "/en/plans/prov/report/pdf/",
        )
    }
    assert names == {
        "/plans/prov/pdf/": 'inline; filename="prov.pdf"',
        "/plans/prov/report/pdf/": 'inline; filename="prov-lagesrapport.pdf"',
        "/en/plans/prov/report/pdf/": 'inline; filename="prov-progress-report.pdf"',
    }


def test_nginx_locations_carry_the_portals_headers(client, rendered, settings):
    settings.ALLOWED_HOSTS = ["plan.example.se"]
    output = StringIO()
    call_command("nginx_published_pdfs", stdout=output)
    conf = output.getvalue()
    assert conf.count("location ~") == 4
    assert 'location ~ "^/en/plans/(?<pdf_slug>[-a-zA-Z0-9_]+)/report/pdf/$"' in conf
    assert (
        'add_header Content-Disposition "inline; '
        'filename=\\"${pdf_slug}-lagesrapport.pdf\\"";'
    ) in conf
    answer = client.get("/plans/prov/pdf/", HTTP_HOST="plan.example.se")
    for name in ("X-Frame-Options", "Referrer-Policy", "Cache-Control"):
        assert f'add_header {name} "{answer[name]}";' in conf
    assert "if ($cookie_sessionid)" in conf


def test_nginx_locations_need_the_setting(settings):
    settings.PDF_PUBLISHED_DIR = ""
    with pytest.raises(CommandError, match="PDF_PUBLISHED_DIR is not set"):
        call_command("nginx_published_pdfs", stdout=StringIO())


def test_nginx_locations_leave_what_is_not_rendered_to_the_portal(
    plan, published_dir, settings
):
    settings.ALLOWED_HOSTS = ["plan.example.se"]
    output = StringIO()
    call_command("nginx_published_pdfs", stdout=output)
    assert "location ~" not in output.getvalue()
    assert "# plan (sv): none rendered yet" in output.getvalue()
