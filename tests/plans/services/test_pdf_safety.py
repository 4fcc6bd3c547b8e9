"""The security findings of issue 18 about PDFs and reports (3, 5, 7, 9, 10,
12): each test failed before its fix."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age
from django.utils.translation import override

from plans.models import BoardPack
from plans.services.boardpacks import close_board_pack
from plans.templatetags.plan_documents import render_markdown
from tests import factories

pytestmark = pytest.mark.django_db


def cache_directives(response):
    """The Cache-Control directives as a list of lower-case strings."""
    return [
        part.strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    ]


# ---------------------------------------------------------------------------
# Finding 5: an extreme ?since= gave a 500 (OverflowError in the time zone)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plans:plan-report", "plans:plan-report-pdf"])
@pytest.mark.parametrize("since", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_report_since_out_of_range_is_a_form_error_not_a_500(
    client, settings, name, since
):
    # Stockholm is ahead of UTC: midnight of year 1 has no UTC time.
    settings.TIME_ZONE = "Europe/Stockholm"
    plan = factories.PlanFactory()
    factories.ActionItemFactory(plan=plan, title="En åtgärd")
    response = client.get(reverse(name, args=[plan.slug]), {"since": since})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "1900-01-01" in page  # the message names the accepted range
    assert 'aria-invalid="true"' in page  # on the report page's own form


# ---------------------------------------------------------------------------
# Finding 7: unbounded table spans in sanitised Markdown
# ---------------------------------------------------------------------------


def test_markdown_clamps_table_spans():
    html = render_markdown(
        '<table><tr><td colspan="200000" rowspan="99999">a</td>'
        '<th colspan="0" rowspan="-3">b</th><td colspan="x">c</td></tr></table>'
    )
    assert 'colspan="20"' in html
    assert 'rowspan="100"' in html
    assert "200000" not in html and "99999" not in html
    assert 'colspan="0"' not in html and "-3" not in html
    assert 'colspan="x"' not in html


def test_markdown_keeps_ordinary_spans():
    html = render_markdown('<table><tr><td colspan="3" rowspan="2">a</td></tr></table>')
    assert 'colspan="3"' in html
    assert 'rowspan="2"' in html


# ---------------------------------------------------------------------------
# Finding 12: a hidden meeting's board pack stayed in shared caches for an hour
# ---------------------------------------------------------------------------


def test_board_pack_pdf_is_revalidated_so_hiding_the_meeting_takes_effect(client):
    meeting = factories.MeetingFactory(date=datetime.date(2026, 3, 1))
    pack = BoardPack.objects.create(meeting=meeting)
    pack.plans.set([factories.PlanFactory()])
    close_board_pack(pack, None)
    url = reverse("plans:meeting-pack-pdf", args=[meeting.pk])

    response = client.get(url)
    assert response.status_code == 200
    directives = cache_directives(response)
    assert "no-cache" in directives
    assert "public" in directives
    assert not get_max_age(response)
    assert response["ETag"]

    meeting.is_public = False
    meeting.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 404


# ---------------------------------------------------------------------------
# Finding 9: a malformed Cache-Control ("private=False, public")
# ---------------------------------------------------------------------------


def test_public_pdf_cache_control_is_plainly_public(client, run_pdf_tasks):
    plan = factories.PlanFactory()
    url = reverse("plans:plan-pdf", args=[plan.slug])
    client.get(url)
    run_pdf_tasks()
    response = client.get(url)
    assert response.status_code == 200
    directives = cache_directives(response)
    assert "public" in directives
    assert not any("=false" in d or "=true" in d for d in directives), directives
    assert "private" not in " ".join(directives)


def test_members_pdf_cache_control_is_plainly_private(client, reader, run_pdf_tasks):
    plan = factories.PlanFactory()
    client.force_login(reader)
    url = reverse("plans:plan-report-pdf", args=[plan.slug])
    client.get(url)
    run_pdf_tasks()
    response = client.get(url)
    assert response.status_code == 200
    directives = cache_directives(response)
    assert "private" in directives
    assert not any("=false" in d or "=true" in d for d in directives), directives
    assert "public" not in directives


# ---------------------------------------------------------------------------
# Finding 10: hidden edits changed the public PDF's validators
# ---------------------------------------------------------------------------


def test_a_hidden_edit_leaves_the_public_pdf_and_its_validators_alone(
    client, run_pdf_tasks
):
    plan = factories.PlanFactory()
    factories.SectionFactory(plan=plan, kind="action_items", heading="Åtgärder")
    factories.ActionItemFactory(plan=plan, title="Offentlig åtgärd")
    hidden = factories.ActionItemFactory(
        plan=plan, title="Hemlig åtgärd", is_public=False
    )
    url = reverse("plans:plan-pdf", args=[plan.slug])
    client.get(url)
    run_pdf_tasks()
    before = client.get(url)
    assert before.status_code == 200
    assert before["Content-Type"] == "application/pdf"

    time.sleep(1.1)  # Last-Modified has whole seconds
    hidden.title = "Ändrad hemlig åtgärd"
    hidden.save()
    run_pdf_tasks()
    after = client.get(url)
    assert after.status_code == 200
    assert after["ETag"] == before["ETag"]
    assert after["Last-Modified"] == before["Last-Modified"]
    assert after.content == before.content


def test_a_public_edit_gives_the_public_pdf_new_validators(client, run_pdf_tasks):
    plan = factories.PlanFactory()
    factories.SectionFactory(plan=plan, kind="action_items", heading="Åtgärder")
    item = factories.ActionItemFactory(plan=plan, title="Offentlig åtgärd")
    url = reverse("plans:plan-pdf", args=[plan.slug])
    client.get(url)
    run_pdf_tasks()
    before = client.get(url)
    item.title = "Ny offentlig rubrik"
    item.save()
    run_pdf_tasks()
    after = client.get(url)
    assert after["ETag"] != before["ETag"]


# ---------------------------------------------------------------------------
# Finding 3: a render for the asking
# ---------------------------------------------------------------------------


def test_english_report_since_error_is_translated(client):
    plan = factories.PlanFactory()
    with override("en"):
        url = reverse("plans:plan-report", args=[plan.slug])
    response = client.get(url, {"since": "0001-01-01"})
    assert response.status_code == 400
    assert "between" in response.content.decode()
