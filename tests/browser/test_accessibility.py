"""Every page type in a real Chromium: WCAG 2.1 A/AA by axe-core at 320, 768 and
1 280 px, nothing wider than the window, no CSP errors, in Swedish and English,
anonymous and signed in; the Söderort table on a phone; the menu on a phone."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.page_types import NOT_FOUND, page_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    },
    "resultTypes": ["violations"],
}


# A phone, a tablet and a desktop. Each page is loaded once per language and
# role and audited at every width: the window is resized in place, so the
# media queries and js/scroll-regions.js answer as on a real device.
WIDTHS = [320, 768, 1280]
SETTLE = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def audit(page, axe_script, width):
    """axe's violations and the page's sideways overflow at ``width`` px."""
    page.set_viewport_size({"width": width, "height": 800})
    page.evaluate(SETTLE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script)
    results = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return results["violations"], overflow


def describe(violations):
    return "\n".join(
        f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}" for node in violation["nodes"][:5])
        for violation in violations
    )


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_every_page_passes_axe_at_every_width(
    new_page, live_server, bundled_plans, reader, language, role
):
    page = new_page(width=WIDTHS[0], user=reader if role == "member" else None)
    axe_script = Axe().axe_script
    failures, checked = [], 0
    for path in page_paths():
        url = live_server.url + (f"/en{path}" if language == "en" else path)
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(url)
        expected = 404 if path == NOT_FOUND else 200
        assert response.status == expected, (url, response.status)
        assert page.locator("html").get_attribute("lang") == language, url
        assert page.locator("h1").count() == 1, url
        for width in WIDTHS:
            violations, overflow = audit(page, axe_script, width)
            checked += 1
            if violations:
                failures.append(f"{url} at {width} px:\n{describe(violations)}")
            if overflow > 0:
                failures.append(f"{url} at {width} px is {overflow} px too wide")
    print(f"axe: {checked} page audits ({language}, {role}), {len(failures)} failures")
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


def test_the_menu_folds_on_a_phone_and_stays_open_on_a_desktop(
    new_page, live_server, db
):
    page = new_page(width=360, height=740)
    page.goto(live_server.url + reverse("plans:dashboard"))
    plans_link = page.locator(".site-nav__list a", has_text="Planer")
    assert not plans_link.is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 130, f"header and menu take {header['height']} px"
    # Skip link, brand, language, sign in, then the menu.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert plans_link.is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("plans:dashboard"))
    assert plans_link.is_visible()
    assert not page.locator("summary.site-menu__toggle").is_visible()
