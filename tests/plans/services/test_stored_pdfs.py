"""PDFs that are always ready: rendered by the task worker, served at once.

The tasks run for real: enqueued when a transaction commits, run by the
package's ``db_worker`` command (``run_pdf_tasks``)."""

import datetime
import hashlib
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from plans.models import RenderedDocument
from plans.services import stored_pdfs
from plans.services.pdf import RenderTimeout, render_pdf
from tests import factories
from tests.pdfs import flat, pdftotext

pytestmark = pytest.mark.django_db(transaction=True)


def outcomes(document=None):
    """The outcomes of the render tasks that ran, in order."""
    results = DBTaskResult.objects.filter(
        task_path="plans.services.stored_pdfs.render_document", status="SUCCESSFUL"
    ).order_by("finished_at")
    return [
        result.return_value["outcome"]
        for result in results
        if document is None or result.return_value["document"] == document.pk
    ]


@pytest.fixture
def plan():
    plan = factories.PlanFactory(title="Handlingsplan Prov")
    factories.SectionFactory(plan=plan, kind="action_items", heading="Åtgärder")
    factories.ActionItemFactory(plan=plan, title="Första åtgärden")
    return plan


def plan_url(plan):
    return reverse("plans:plan-pdf", args=[plan.slug])


def stored_document(plan, kind, visibility):
    return RenderedDocument.objects.get(
        plan=plan, kind=kind, language="sv", visibility=visibility, since=None
    )


def public_document(plan, kind="plan"):
    return stored_document(plan, kind, "public")


def internal_document(plan, kind="plan"):
    return stored_document(plan, kind, "internal")


@pytest.fixture
def member(reader):
    """A browser signed in as a member of the steering group."""
    member = Client()
    member.force_login(reader)
    return member


def test_no_request_renders_the_worker_does(client, plan, run_pdf_tasks):
    response = client.get(plan_url(plan))
    assert response.status_code == 202
    assert outcomes() == []  # the request rendered nothing
    document = public_document(plan)
    assert document.status == "queued"
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_pdf_tasks()
    document.refresh_from_db()
    assert document.status == "ready"
    assert document.sha256 and bytes(document.content).startswith(b"%PDF")
    assert document.render_seconds > 0
    assert document.data_as_of is not None
    assert outcomes(document) == ["rendered"]
    response = client.get(plan_url(plan))
    assert response.status_code == 200
    assert "Första åtgärden" in flat(pdftotext(response.content))


def test_an_edit_rerenders_every_kept_version_of_the_plan(
    client, member, plan, run_pdf_tasks
):
    urls = [
        plan_url(plan),
        reverse("plans:plan-report-pdf", args=[plan.slug]),
        "/en" + plan_url(plan),
    ]
    for visitor in (client, member):
        for url in urls:
            with translation.override("sv"):
                visitor.get(url)
    run_pdf_tasks()
    assert RenderedDocument.objects.filter(status="ready").count() == 6

    item = plan.action_items.get()
    item.title = "Omdöpt åtgärd"
    item.save()
    assert RenderedDocument.objects.filter(status="queued").count() == 6
    run_pdf_tasks()
    for document in RenderedDocument.objects.all():
        assert document.status == "ready"
        text = flat(pdftotext(bytes(document.content)))
        assert "Omdöpt åtgärd" in text, document


def test_three_concurrent_requests_after_an_edit_cause_one_render(
    client, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    document = public_document(plan)
    first = client.get(plan_url(plan))
    assert first.status_code == 200

    item = plan.action_items.get()
    item.title = "Ändrad efter mötet"
    item.save()

    results = []

    def download():
        try:
            results.append(Client().get(plan_url(plan)))
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # All three were served at once, the PDF from before the edit.
    assert [r.status_code for r in results] == [200, 200, 200]
    assert {r["ETag"] for r in results} == {first["ETag"]}

    run_pdf_tasks()
    assert outcomes(document) == ["rendered", "rendered"]  # first one, then one
    fresh = client.get(plan_url(plan))
    assert fresh["ETag"] != first["ETag"]
    assert "Ändrad efter mötet" in flat(pdftotext(fresh.content))


def test_one_render_per_document_at_a_time(client, plan, run_pdf_tasks):
    client.get(plan_url(plan))
    document = public_document(plan)
    # Another worker holds the document (its lease is fresh).
    RenderedDocument.objects.filter(pk=document.pk).update(
        started_at=datetime.datetime.now(datetime.UTC)
    )
    run_pdf_tasks()
    assert outcomes(document) == ["deferred"]
    document.refresh_from_db()
    assert not document.sha256
    # The task waits and asks again; the other render ended without result.
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > retry.enqueued_at
    RenderedDocument.objects.filter(pk=document.pk).update(started_at=None)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry.enqueued_at)
    run_pdf_tasks()
    assert outcomes(document) == ["deferred", "rendered"]


def test_renders_wait_when_every_slot_is_taken(client, plan, settings, run_pdf_tasks):
    settings.PDF_MAX_CONCURRENT_RENDERS = 1
    other = factories.PlanFactory()
    client.get(plan_url(other))
    run_pdf_tasks()
    # A render of another document is under way somewhere.
    RenderedDocument.objects.filter(plan=other).update(
        started_at=datetime.datetime.now(datetime.UTC)
    )
    client.get(plan_url(plan))
    run_pdf_tasks()
    assert outcomes(public_document(plan)) == ["deferred"]


def test_a_render_that_times_out_leaves_the_previous_pdf_served(
    client, plan, settings, run_pdf_tasks
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    before = client.get(plan_url(plan))
    assert before.status_code == 200
    document = public_document(plan)

    # Enough rows that the render cannot finish in the time allowed.
    for n in range(60):
        factories.ActionItemFactory(plan=plan, title=f"Ny åtgärd {n}")
    settings.PDF_RENDER_TIMEOUT = 0.05
    settings.PDF_RETRY_SECONDS = 60
    run_pdf_tasks()

    document.refresh_from_db()
    assert document.status == "failed"
    assert document.attempts == 1
    assert "longer than" in document.error
    assert outcomes(document)[-1] == "failed"
    # Retried later, with back-off.
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after - retry.enqueued_at >= datetime.timedelta(seconds=59)

    after = client.get(plan_url(plan))
    assert after.status_code == 200
    assert after.content == before.content
    assert after["ETag"] == before["ETag"]


def test_failures_are_retried_then_left_until_the_data_change(
    client, plan, settings, run_pdf_tasks
):
    settings.PDF_RENDER_TIMEOUT = 0.001
    settings.PDF_RETRY_SECONDS = 0
    settings.PDF_RENDER_ATTEMPTS = 3
    response = client.get(plan_url(plan))
    assert response.status_code == 202
    for _ in range(3):
        run_pdf_tasks()
    document = public_document(plan)
    document.refresh_from_db()
    assert outcomes(document) == ["failed"] * 3
    assert document.attempts == 3
    assert document.queued_at is None
    # Asking again does not render again: the failure is recorded.
    assert client.get(plan_url(plan)).status_code == 202
    run_pdf_tasks()
    assert outcomes(document) == ["failed"] * 3

    settings.PDF_RENDER_TIMEOUT = 300
    item = plan.action_items.get()
    item.save()  # a change gives it a new chance
    run_pdf_tasks()
    assert outcomes(document)[-1] == "rendered"
    assert client.get(plan_url(plan)).status_code == 200


def test_unchanged_html_is_not_rendered_again(client, plan, run_pdf_tasks):
    client.get(plan_url(plan))
    run_pdf_tasks()
    document = public_document(plan)
    before = client.get(plan_url(plan))
    hidden = factories.ActionItemFactory(plan=plan, title="Intern", is_public=False)
    hidden.save()
    run_pdf_tasks()
    assert outcomes(document) == ["rendered", "unchanged"]
    assert client.get(plan_url(plan))["ETag"] == before["ETag"]


def test_anonymous_since_report_for_an_arbitrary_date_renders_nothing(client, plan):
    url = reverse("plans:plan-report-pdf", args=[plan.slug])
    response = client.get(url, {"since": "2025-06-17"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("plans:plan-report", args=[plan.slug]) + "?since=2025-06-17"
    )
    assert not RenderedDocument.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_anonymous_since_report_for_an_offered_date_is_rendered(
    client, plan, run_pdf_tasks
):
    body = factories.GoverningBodyFactory(name="Politisk styrgrupp")
    plan.governing_bodies.add(body)
    meeting_day = datetime.date.today() - datetime.timedelta(days=40)
    factories.MeetingFactory(body=body, date=meeting_day, title="Vårmötet")
    page = client.get(reverse("plans:plan-report", args=[plan.slug]))
    assert f"?since={meeting_day.isoformat()}" in page.content.decode()

    url = reverse("plans:plan-report-pdf", args=[plan.slug])
    assert client.get(url, {"since": meeting_day.isoformat()}).status_code == 202
    run_pdf_tasks()
    response = client.get(url, {"since": meeting_day.isoformat()})
    assert response.status_code == 200
    document = RenderedDocument.objects.get(since=meeting_day)
    assert document.kind == "report"
    first_of_month = datetime.date.today().replace(day=1)
    if first_of_month < datetime.date.today():
        offered = client.get(url, {"since": first_of_month.isoformat()})
        assert offered.status_code == 202


def test_members_may_have_a_report_since_any_date(client, reader, plan):
    client.force_login(reader)
    url = reverse("plans:plan-report-pdf", args=[plan.slug])
    assert client.get(url, {"since": "2025-06-17"}).status_code == 202


def test_a_huge_colspan_renders_in_bounded_time(client, run_pdf_tasks):
    plan = factories.PlanFactory()
    factories.SectionFactory(
        plan=plan,
        heading="Tabell",
        body='<table><tr><td colspan="200000">A</td></tr>'
        '<tr><td rowspan="200000">B</td><td>C</td></tr></table>',
    )
    client.get(plan_url(plan))
    started = time.monotonic()
    run_pdf_tasks()
    assert time.monotonic() - started < 30
    assert client.get(plan_url(plan)).status_code == 200


def test_time_limit_stops_a_render():
    html = "<table>" + "<tr><td>x</td></tr>" * 3000 + "</table>"
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        render_pdf(html, timeout=0.2)
    assert time.monotonic() - started < 5


def test_a_plan_that_is_unpublished_keeps_no_public_pdf_fresh(
    client, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    plan.status = "draft"
    plan.save()
    assert not stored_pdfs.kept_documents().filter(visibility="public").exists()
    assert client.get(plan_url(plan)).status_code == 404


def test_a_version_with_the_same_html_takes_its_twins_pdf(
    client, member, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    public = public_document(plan)
    member.get(plan_url(plan))
    run_pdf_tasks()
    internal = internal_document(plan)
    # Nothing internal in the plan: the same HTML, so the same PDF, not rendered.
    assert outcomes(public) == ["rendered"]
    assert outcomes(internal) == ["shared"]
    assert internal.sha256 == public.sha256
    assert internal.data_as_of == public.data_as_of
    assert member.get(plan_url(plan))["ETag"] == client.get(plan_url(plan))["ETag"]

    factories.ActionItemFactory(plan=plan, title="Intern åtgärd", is_public=False)
    run_pdf_tasks()
    internal.refresh_from_db()
    public.refresh_from_db()
    assert outcomes(internal) == ["shared", "rendered"]
    assert outcomes(public) == ["rendered", "unchanged"]
    assert internal.sha256 != public.sha256
    assert "Intern åtgärd" in flat(pdftotext(member.get(plan_url(plan)).content))


def test_render_again_never_takes_a_twins_older_pdf(
    client, member, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    member.get(plan_url(plan))
    run_pdf_tasks()
    public = public_document(plan)

    assert stored_pdfs.render_again(RenderedDocument.objects.filter(pk=public.pk)) == 1
    run_pdf_tasks()
    assert outcomes(public)[-1] == "rendered"


def test_a_kept_download_reads_nothing_from_the_database(
    client, plan, run_pdf_tasks, django_assert_num_queries
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    first = client.get(plan_url(plan))
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(plan_url(plan))
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert "public" in again["Cache-Control"]


def test_a_new_render_is_on_the_next_download_of_a_kept_one(
    client, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    run_pdf_tasks()
    first = client.get(plan_url(plan))
    client.get(plan_url(plan))  # kept

    item = plan.action_items.get()
    item.title = "Nytt namn i arbetskön"
    item.save()
    # Until the worker has rendered it, the kept PDF is served at once ...
    assert client.get(plan_url(plan))["ETag"] == first["ETag"]
    run_pdf_tasks()
    # ... and the render is on the very next download.
    fresh = client.get(plan_url(plan))
    assert fresh["ETag"] != first["ETag"]
    assert "Nytt namn i arbetskön" in flat(pdftotext(fresh.content))


def answered_early(response):
    """True if the response came from ``KeptDownloadMiddleware``: the stack
    under it (sessions, authentication, the view) never saw the request."""
    return not hasattr(response.wsgi_request, "user")


@pytest.fixture
def kept_download(client, plan, run_pdf_tasks):
    """The public PDF of ``plan``, rendered and downloaded once."""
    client.get(plan_url(plan))
    run_pdf_tasks()
    first = client.get(plan_url(plan))
    assert first.status_code == 200 and not answered_early(first)
    return first


def test_a_repeated_anonymous_download_is_answered_before_the_stack(
    client, plan, kept_download
):
    again = client.get(plan_url(plan))
    assert answered_early(again)
    assert again.status_code == 200
    assert again.content == kept_download.content
    # Every header the stack gave the first time, security headers included.
    assert list(again.items()) == list(kept_download.items())
    assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"


def test_an_edit_and_a_render_send_the_next_download_through_the_stack(
    client, plan, kept_download, run_pdf_tasks
):
    item = plan.action_items.get()
    item.title = "Ändrad efter nedladdningen"
    item.save()
    edited = client.get(plan_url(plan))
    assert not answered_early(edited)  # the data moved on
    assert edited["ETag"] == kept_download["ETag"]  # not rendered yet
    assert answered_early(client.get(plan_url(plan)))
    run_pdf_tasks()
    fresh = client.get(plan_url(plan))
    assert not answered_early(fresh)  # the document's PDF moved on
    assert fresh["ETag"] != kept_download["ETag"]
    assert "Ändrad efter nedladdningen" in flat(pdftotext(fresh.content))
    again = client.get(plan_url(plan))
    assert answered_early(again) and again.content == fresh.content


@pytest.mark.parametrize(
    "extra",
    [
        {"QUERY_STRING": "utm=1"},
        {"HTTP_IF_NONE_MATCH": '"other"'},
        {"HTTP_COOKIE": "sessionid=x"},
        {"HTTP_COOKIE": "messages=x"},
        {"wsgi.url_scheme": "https"},
    ],
    ids=["query", "conditional", "session", "messages", "other scheme"],
)
def test_only_a_plain_anonymous_get_is_answered_early(
    client, plan, kept_download, extra
):
    response = client.get(plan_url(plan), **extra)
    assert not answered_early(response)
    client.cookies.clear()  # an invalid session's cookie, deleted by the answer
    assert answered_early(client.get(plan_url(plan)))


def test_a_conditional_download_is_answered_by_the_view(client, plan, kept_download):
    response = client.get(plan_url(plan), HTTP_IF_NONE_MATCH=kept_download["ETag"])
    assert response.status_code == 304


def test_a_refused_host_gets_no_kept_download(client, plan, kept_download):
    assert client.get(plan_url(plan), HTTP_HOST="evil.example").status_code == 400


def test_a_members_download_is_never_answered_early(
    client, member, plan, kept_download, run_pdf_tasks
):
    factories.ActionItemFactory(plan=plan, title="Bara för medlemmar", is_public=False)
    member.get(plan_url(plan))
    run_pdf_tasks()
    for _ in range(2):
        members_pdf = member.get(plan_url(plan))
        assert not answered_early(members_pdf)
        assert "Bara för medlemmar" in flat(pdftotext(members_pdf.content))
    public_pdf = client.get(plan_url(plan))
    assert "Bara för medlemmar" not in flat(pdftotext(public_pdf.content))


def test_a_kept_download_whose_file_is_gone_goes_through_the_stack(
    client, plan, kept_download, settings
):
    sha256 = kept_download["ETag"].strip('"')
    (Path(settings.PDF_FILES_DIR) / f"{sha256}.pdf").unlink()
    response = client.get(plan_url(plan))
    assert not answered_early(response)
    assert response.status_code == 200
    assert response.content == kept_download.content


def test_a_preparing_page_is_not_kept(client, plan):
    for _ in range(2):
        response = client.get(plan_url(plan))
        assert response.status_code == 202
        assert not answered_early(response)


def test_members_and_the_public_get_their_own_kept_download(
    client, member, plan, run_pdf_tasks
):
    factories.ActionItemFactory(plan=plan, title="Bara för medlemmar", is_public=False)
    client.get(plan_url(plan))
    member.get(plan_url(plan))
    run_pdf_tasks()
    for _ in range(2):  # the second time from the cache
        public_pdf = client.get(plan_url(plan))
        members_pdf = member.get(plan_url(plan))
        assert "Bara för medlemmar" not in flat(pdftotext(public_pdf.content))
        assert "Bara för medlemmar" in flat(pdftotext(members_pdf.content))
        assert "private" in members_pdf["Cache-Control"]


def test_a_version_waits_while_its_twin_is_rendered_then_takes_its_pdf(
    client, member, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    member.get(plan_url(plan))
    public = public_document(plan)
    internal = internal_document(plan)
    with translation.override("sv"):
        html = stored_pdfs.document_html(public, plan)
    rendering = stored_pdfs.rendering_key(hashlib.sha256(html.encode()).hexdigest())
    # Another worker is rendering the public version's HTML right now.
    cache.set(rendering, public.pk, 60)
    assert stored_pdfs.render_if_changed(internal.pk) == "deferred"
    internal.refresh_from_db()
    assert (internal.status, internal.sha256, internal.started_at) == (
        "queued",
        "",
        None,
    )
    retry = DBTaskResult.objects.filter(status="READY").order_by("-enqueued_at")[0]
    assert retry.run_after > retry.enqueued_at

    cache.delete(rendering)  # that render ends
    assert stored_pdfs.render_if_changed(public.pk) == "rendered"
    assert cache.get(rendering) is None
    # The waiting version took that PDF as soon as it was stored ...
    internal.refresh_from_db()
    public.refresh_from_db()
    assert internal.sha256 == public.sha256
    # ... and its own retry finds nothing left to do.
    assert stored_pdfs.render_if_changed(internal.pk) == "unchanged"


@pytest.fixture
def paced_document(client, plan, run_pdf_tasks, settings):
    """The plan's public PDF, just rendered, with 10 s between two renders."""
    settings.PDF_RENDER_INTERVAL = 10
    client.get(plan_url(plan))
    run_pdf_tasks()
    return public_document(plan)


def test_edits_soon_after_a_render_wait_for_the_interval_then_render_once(
    paced_document, plan, run_pdf_tasks
):
    document = paced_document
    item = plan.action_items.get()
    for title in ("Första ändringen", "Andra ändringen", "Tredje ändringen"):
        item.title = title
        item.save()
    # One task for the three saves, due 10 s after the last render.
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1
    document.refresh_from_db()
    due = waiting.get().run_after - document.rendered_at
    assert datetime.timedelta(seconds=9) < due < datetime.timedelta(seconds=11)
    run_pdf_tasks()
    assert outcomes(document) == ["rendered"]  # not yet

    # Once the interval has passed, one render shows all three.
    RenderedDocument.objects.filter(pk=document.pk).update(
        rendered_at=document.rendered_at - datetime.timedelta(seconds=10)
    )
    waiting.update(run_after=timezone.now())
    run_pdf_tasks()
    assert outcomes(document) == ["rendered", "rendered"]
    document.refresh_from_db()
    assert "Tredje ändringen" in flat(pdftotext(bytes(document.content)))


def test_a_change_long_after_the_last_render_is_rendered_at_once(
    paced_document, plan, run_pdf_tasks
):
    document = paced_document
    RenderedDocument.objects.filter(pk=document.pk).update(
        rendered_at=document.rendered_at - datetime.timedelta(seconds=11)
    )
    item = plan.action_items.get()
    item.title = "Ändrad i dag"
    item.save()
    assert DBTaskResult.objects.get(status="READY").run_after <= timezone.now()
    run_pdf_tasks()
    assert outcomes(document) == ["rendered", "rendered"]


@pytest.fixture
def accel_download(client, plan, run_pdf_tasks, settings):
    """With ``PDF_FILES_URL``: the public PDF of ``plan``, rendered, and the
    portal's first answer for it."""
    settings.PDF_FILES_URL = "/_pdf-files/"
    client.get(plan_url(plan))
    run_pdf_tasks()
    return client.get(plan_url(plan))


def test_with_pdf_files_url_nginx_is_told_which_file_to_send(
    client, plan, settings, accel_download
):
    response = accel_download
    assert response.status_code == 200
    assert response.content == b""
    sha256 = response["ETag"].strip('"')
    assert response["X-Accel-Redirect"] == f"/_pdf-files/{sha256}.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    # The file nginx is sent to is on this host, with the stored bytes.
    path = Path(settings.PDF_FILES_DIR) / f"{sha256}.pdf"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    assert bytes(public_document(plan).content) == path.read_bytes()
    # A conditional request is answered by the portal: no file at all.
    again = client.get(plan_url(plan), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "X-Accel-Redirect" not in again


def test_with_pdf_files_url_a_kept_answer_is_not_sent_without_its_file(
    client, plan, settings, accel_download
):
    first = accel_download
    kept = client.get(plan_url(plan))
    assert (
        answered_early(kept) and kept["X-Accel-Redirect"] == first["X-Accel-Redirect"]
    )
    sha256 = first["ETag"].strip('"')
    path = Path(settings.PDF_FILES_DIR) / f"{sha256}.pdf"
    path.unlink()  # PDF_FILES_DIR emptied: nginx would find nothing
    again = client.get(plan_url(plan))
    assert not answered_early(again)
    assert again["X-Accel-Redirect"] == first["X-Accel-Redirect"]
    assert path.is_file()  # written again from the database


@pytest.fixture
def edited_twins(client, member, plan, run_pdf_tasks):
    """The public and members' versions of a plan with nothing internal
    (twins: the same HTML), both rendered, then an edit that both show."""
    client.get(plan_url(plan))
    member.get(plan_url(plan))
    run_pdf_tasks()
    item = plan.action_items.get()
    item.title = "Ändrad för båda"
    item.save()
    return public_document(plan), internal_document(plan)


def test_a_render_gives_its_waiting_twin_the_pdf_at_once(edited_twins, run_pdf_tasks):
    public, internal = edited_twins
    run_pdf_tasks(max_tasks=1)  # one of the two renders ...
    public.refresh_from_db()
    internal.refresh_from_db()
    # ... and both hold its PDF, rendered at the same moment: they are paced
    # together from now on.
    assert public.sha256 == internal.sha256
    assert public.rendered_at == internal.rendered_at
    assert "Ändrad för båda" in flat(pdftotext(bytes(internal.content)))
    run_pdf_tasks()
    assert sorted(outcomes(public)[1:] + outcomes(internal)[1:]) == [
        "rendered",
        "unchanged",
    ]


def test_a_twin_rendered_meanwhile_keeps_its_own_newer_pdf(edited_twins, plan):
    public, internal = edited_twins
    with translation.override("sv"):
        html = stored_pdfs.document_html(public, plan)
        digest = hashlib.sha256(html.encode()).hexdigest()
        twins = stored_pdfs.waiting_twins(public, plan, digest)
    assert [twin.pk for twin in twins] == [internal.pk]
    # The members' version is rendered on its own (a newer edit) before the
    # public render ends: the public PDF must not replace it.
    RenderedDocument.objects.filter(pk=internal.pk).update(sha256="f" * 64)
    stored_pdfs.give_to_twins(twins, {"sha256": "0" * 64, "content": b"%PDF-"})
    internal.refresh_from_db()
    assert internal.sha256 == "f" * 64


def test_a_render_due_now_is_not_overtaken_by_a_later_delayed_one(
    client, plan, run_pdf_tasks
):
    client.get(plan_url(plan))
    client.get(reverse("plans:plan-report-pdf", args=[plan.slug]))
    run_pdf_tasks()
    document, report = public_document(plan), public_document(plan, "report")
    stored_pdfs.enqueue(document.pk)
    stored_pdfs.enqueue(report.pk, delay=5)
    # The report's pause is over by the time a worker looks ...
    delayed = [
        result.pk
        for result in DBTaskResult.objects.filter(status="READY")
        if result.args_kwargs["args"] == [report.pk]
    ]
    DBTaskResult.objects.filter(pk__in=delayed).update(run_after=timezone.now())
    run_pdf_tasks(max_tasks=1)
    # ... but the plan's render was due first, and goes first.
    assert len(outcomes(document)) == 2
    assert len(outcomes(report)) == 1


def test_render_again_is_not_paced(paced_document, run_pdf_tasks):
    document = paced_document
    stored_pdfs.render_again(RenderedDocument.objects.filter(pk=document.pk))
    assert DBTaskResult.objects.get(status="READY").run_after <= timezone.now()
    run_pdf_tasks()
    assert outcomes(document) == ["rendered", "rendered"]


def test_a_version_that_differed_last_time_is_not_built_as_a_twin(
    client, member, plan, run_pdf_tasks, monkeypatch
):
    factories.ActionItemFactory(plan=plan, title="Intern åtgärd", is_public=False)
    client.get(plan_url(plan))
    member.get(plan_url(plan))
    run_pdf_tasks()
    public, internal = public_document(plan), internal_document(plan)
    assert public.html_sha256 != internal.html_sha256
    item = plan.action_items.get(title="Första åtgärden")
    item.title = "Ändrad i båda"
    item.save()

    built = []
    build = stored_pdfs.document_html

    def counting(document, plan):
        built.append(document.pk)
        return build(document, plan)

    monkeypatch.setattr(stored_pdfs, "document_html", counting)
    assert stored_pdfs.render_if_changed(public.pk) == "rendered"
    # Only the public version's HTML: the members' version, which differed
    # last time, is left to its own task.
    assert built == [public.pk]
