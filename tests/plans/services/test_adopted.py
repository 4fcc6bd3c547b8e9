"""The adopted edition: a plan's PDF frozen as it was adopted."""

import base64
import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from pypdf import PdfReader

from plans.models import AdoptedEdition, Plan
from plans.services import adopted, rollover
from tests import factories
from tests.admin_posts import admin_form_data
from tests.pdfs import get_rendered

pytestmark = pytest.mark.django_db

VP = "verksamhetsplan-2009-2011"


def cover_text(content):
    """The cover's text with its line breaks as spaces."""
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def get_adopted(client, slug):
    """The adopted PDF of ``slug``; a 202 is rendered here and asked again."""
    url = reverse("plans:plan-adopted-pdf", kwargs={"slug": slug})
    response = client.get(url)
    if response.status_code == 202:
        for edition in AdoptedEdition.objects.filter(queued_at__isnull=False):
            adopted.render_edition(edition.pk)
        response = client.get(url)
    return response


def test_the_adopted_pdf_stays_the_same_after_edits_and_lists_only_bilaga_1(
    client, bundled_plans
):
    vp = Plan.objects.get(slug=VP)
    first = get_adopted(client, VP)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    content = first.content
    edition = AdoptedEdition.objects.get(plan=vp)
    assert edition.sha256 == hashlib.sha256(content).hexdigest()
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    assert first["Repr-Digest"] == f"sha-256=:{digest}:"
    cover = cover_text(content)
    assert "Bilaga 1: Handlingsplan 2009" in cover
    assert "Bilaga 2" not in cover
    assert "Som antagen 2009-10-22" in cover

    # Edits: a chapter of the plan, and Handlingsplan 2010 adopted as its
    # second appendix.
    section = vp.sections.get(order=1)
    section.heading = "Bakgrund (reviderad)"
    section.save()
    hp2009 = Plan.objects.get(slug="handlingsplan-2009")
    hp2010 = rollover.roll_over(hp2009, rollover.suggest_next(hp2009))
    hp2010.status = Plan.Status.ADOPTED
    hp2010.adopted_on = datetime.date(2010, 10, 21)
    hp2010.save()

    again = get_adopted(client, VP)
    assert again.status_code == 200
    assert again.content == content
    assert again["ETag"] == first["ETag"]
    AdoptedEdition.objects.get(plan=vp, sha256=hashlib.sha256(content).hexdigest())

    # The live PDF shows today's plan: both appendices, the later one marked.
    live = get_rendered(client, reverse("plans:plan-pdf", kwargs={"slug": VP}))
    live_cover = cover_text(live.content)
    assert "Bilaga 2: Handlingsplan 2010" in live_cover
    assert "tillkommen efter antagandet" in live_cover
    assert "Läget per" in live_cover


def test_the_plan_page_links_the_adopted_edition(client, bundled_plans):
    response = client.get(reverse("plans:plan-detail", kwargs={"slug": VP}))
    content = response.content.decode()
    assert reverse("plans:plan-adopted-pdf", kwargs={"slug": VP}) in content
    assert "Planen som antagen 2009-10-22 (PDF)" in content
    assert "Sidan och dess PDF visar läget i dag." in content


def test_a_plan_that_is_not_adopted_has_no_adopted_edition(client, bundled_plans):
    url = reverse("plans:plan-adopted-pdf", kwargs={"slug": "soderort-2030"})
    assert client.get(url).status_code == 404
    page = client.get(reverse("plans:plan-detail", kwargs={"slug": "soderort-2030"}))
    assert url not in page.content.decode()


def test_adopting_a_plan_freezes_its_html_once(db):
    plan = factories.PlanFactory(
        status=Plan.Status.ADOPTED, adopted_on=datetime.date(2026, 1, 15)
    )
    factories.SectionFactory(plan=plan, heading="Före")
    edition = adopted.freeze_adopted_edition(plan)
    assert "Före" in edition.html
    assert "Som antagen 2026-01-15" in edition.html

    plan.sections.update(heading="Efter")
    assert adopted.freeze_adopted_edition(plan).pk == edition.pk
    assert AdoptedEdition.objects.get(pk=edition.pk).html == edition.html


def test_a_members_only_edition_is_not_served_to_the_public(client, reader):
    plan = factories.PlanFactory(
        status=Plan.Status.ADOPTED,
        adopted_on=datetime.date(2026, 1, 15),
        is_public=False,
    )
    edition = adopted.freeze_adopted_edition(plan)
    assert edition.visibility == "internal"
    assert adopted.edition_for(plan, AnonymousUser()) is None
    assert adopted.edition_for(plan, reader) == edition


def test_saving_a_plan_as_adopted_in_the_admin_freezes_its_edition(client, editor):
    client.force_login(editor)
    body = factories.GoverningBodyFactory(name="Politisk styrgrupp")
    plan = factories.PlanFactory(status=Plan.Status.DRAFT, title="Handlingsplan 2012")
    factories.SectionFactory(plan=plan, heading="Prioriterade aktiviteter 2012")
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = admin_form_data(client.get(url))
    data.update(status="adopted", adopted_on="2012-02-01", adopted_by=str(body.pk))

    response = client.post(url, data)

    assert response.status_code == 302
    edition = AdoptedEdition.objects.get(plan=plan)
    assert edition.adopted_on == datetime.date(2012, 2, 1)
    assert edition.adopted_by == "Politisk styrgrupp"
    assert "Prioriterade aktiviteter 2012" in edition.html
    # Saved again, the plan keeps the edition it was adopted with.
    client.post(url, admin_form_data(client.get(url)))
    assert AdoptedEdition.objects.get(plan=plan).html == edition.html


def test_with_pdf_files_url_nginx_sends_the_adopted_edition(
    client, bundled_plans, settings
):
    settings.PDF_FILES_URL = "/_pdf-files/"
    response = get_adopted(client, VP)
    assert response.status_code == 200
    assert response.content == b""
    edition = AdoptedEdition.objects.get(plan__slug=VP)
    assert response["X-Accel-Redirect"] == f"/_pdf-files/{edition.sha256}.pdf"
    assert response["ETag"] == f'"{edition.sha256}"'
    assert response["Content-Type"] == "application/pdf"
    path = Path(settings.PDF_FILES_DIR) / f"{edition.sha256}.pdf"
    assert path.read_bytes() == bytes(edition.content)
