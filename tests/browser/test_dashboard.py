"""The dashboard with more plans than it shows charts for, in a real Chromium:
axe-clean with the plan form in error, and readable on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories
from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_plans(db):
    for number in range(5):
        plan = factories.PlanFactory(
            title=f"Handlingsplan {2020 + number} för ett långt namngivet område",
            slug=f"plan-{number}",
            start_year=2020 + number,
        )
        area = factories.FocusAreaFactory(plan=plan)
        strategy = factories.StrategyFactory(plan=plan)
        for status in ("done", "ongoing", "delayed"):
            factories.ActionItemFactory(
                plan=plan, focus_area=area, strategy=strategy, status=status
            )


@pytest.mark.parametrize("width", [1280, 360])
def test_many_plans_with_a_wrong_choice_pass_axe(
    new_page, live_server, many_plans, width
):
    page = new_page(width=width)
    response = page.goto(
        live_server.url + reverse("plans:dashboard") + "?plan=finns-inte"
    )
    assert response.status == 200
    assert page.locator("#dashboard-plan-error").is_visible()
    assert page.locator("table.plan-overview tbody tr").count() == 5
    assert page.locator("svg[role=img]").count() == 2  # one plan's charts
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, results.generate_report()
    assert not page.csp_errors, page.csp_errors
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def test_choosing_a_plan_without_javascript_shows_its_charts(
    new_page, live_server, many_plans
):
    page = new_page()
    page.goto(live_server.url + reverse("plans:dashboard"))
    page.select_option("#dashboard-plan", "plan-1")
    page.locator(".plan-choice button[type=submit]").click()
    assert "plan=plan-1" in page.url
    titles = page.locator("svg[role=img] title").all_text_contents()
    assert len(titles) == 2 and all("2021" in title for title in titles), titles
