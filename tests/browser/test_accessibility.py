"""Every page type in a real Chromium: WCAG 2.1 A/AA by axe-core, no CSP errors,
in Swedish and English, anonymous and signed in; the Söderort table on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from plans.models import ActionItem, Indicator
from stakeholders.models import GoverningBody, Organisation
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    }
}


def page_paths():
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    factories.ActionUpdateFactory(item=item, text="Första lägesrapporten.")
    factories.ActionUpdateFactory(item=item, text="Intern notering.", is_public=False)
    soderort_row = ActionItem.objects.get(plan__slug="soderort-2030", code="6")
    organisation = Organisation.objects.get(name="Huddinge kommun")
    body = GoverningBody.objects.get(name="Politisk styrgrupp")
    indicator = Indicator.objects.order_by("name").first()
    meeting = factories.MeetingFactory(body=body, title="Styrgruppsmöte")
    return [
        reverse("plans:home"),
        reverse("plans:plan-list"),
        reverse("plans:plan-detail", args=["verksamhetsplan-2009-2011"]),
        reverse("plans:plan-detail", args=["handlingsplan-2009"]),
        reverse("plans:plan-detail", args=["soderort-2030"]),
        reverse("plans:plan-report", args=["handlingsplan-2009"]) + "?since=2009-01-01",
        reverse("plans:actionitem-list"),
        reverse("plans:actionitem-list") + "?status=bogus&due_year=x",
        reverse("plans:actionitem-detail", args=[item.pk]),
        reverse("plans:actionitem-detail", args=[soderort_row.pk]),
        reverse("plans:dashboard"),
        reverse("plans:organisation-list"),
        reverse("plans:organisation-detail", args=[organisation.slug]),
        reverse("plans:governingbody-list"),
        reverse("plans:governingbody-detail", args=[body.slug]),
        reverse("plans:indicator-list"),
        reverse("plans:indicator-detail", args=[indicator.pk]),
        reverse("plans:open-data"),
        reverse("plans:meeting-list"),
        reverse("plans:meeting-detail", args=[meeting.pk]),
        reverse("plans:search"),
        reverse("plans:search") + "?q=S%C3%B6dert%C3%B6rns+h%C3%B6gskola",
        reverse("plans:search") + "?q=arbetsplatser&kind=items",
        reverse("plans:search") + "?q=a",
        reverse("accessibility"),
        reverse("login"),
        "/finns-inte/",
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_every_page_passes_axe(
    new_page, live_server, bundled_plans, reader, language, role
):
    page = new_page(user=reader if role == "member" else None)
    axe = Axe()
    failures = []
    for path in page_paths():
        url = live_server.url + (f"/en{path}" if language == "en" else path)
        response = page.goto(url)
        expected = 404 if path == "/finns-inte/" else 200
        assert response.status == expected, (url, response.status)
        assert page.locator("html").get_attribute("lang") == language, url
        assert page.locator("h1").count() == 1, url
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures.append(f"{url}\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
    assert not page.csp_errors, page.csp_errors


def test_soderort_table_reads_as_cards_on_a_phone(new_page, live_server, bundled_plans):
    page = new_page(width=360, height=740)
    page.goto(live_server.url + reverse("plans:plan-detail", args=["soderort-2030"]))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    row = page.locator("tr", has_text="Telefonplan, kreativa näringar").first
    cell = row.locator("td").first
    assert cell.evaluate("el => getComputedStyle(el).display") == "block"
    # Each cell is as wide as the card, and its column name is shown with it.
    box = cell.bounding_box()
    assert box["width"] > 250, box
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert "Uppdrag" in label, label
    assert page.get_by_text("Utveckling av Telefonplan som centrum").is_visible()


def test_keyboard_user_reaches_content_with_the_skip_link(new_page, live_server, db):
    page = new_page()
    page.goto(live_server.url + reverse("plans:home"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
