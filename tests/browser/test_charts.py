"""Charts in a real Chromium from a phone to a desktop: text never below 12 px,
one drawing of each chart shown, nothing drawn outside the chart, axe-clean."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from plans.models import ActionItem, Indicator
from tests import factories
from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible text of every chart: its size on screen in CSS pixels (the
# computed font size times the drawing's scale) and whether it lies inside
# the drawing.
TEXT_SIZES = """() => Array.from(document.querySelectorAll('svg[role=img]'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const box = svg.getBoundingClientRect();
    const viewBox = svg.viewBox.baseVal;
    const scale = viewBox && viewBox.width ? box.width / viewBox.width : 1;
    return Array.from(svg.querySelectorAll('text')).map(text => {
      const own = text.getBoundingClientRect();
      return {
        text: text.textContent,
        px: parseFloat(getComputedStyle(text).fontSize) * scale,
        inside: own.left >= box.left - 1 && own.right <= box.right + 1,
      };
    });
  })"""
SHOWN_DRAWINGS = """() => Array.from(document.querySelectorAll('svg[role=img]'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => svg.id || svg.getAttribute('aria-labelledby'))"""


@pytest.fixture
def chart_pages(bundled_plans):
    """A page of each kind of chart: the dashboard's status bars, the funding
    columns of the verksamhetsplan, an indicator's line with a measured range."""
    statuses = list(ActionItem.Status)
    for index, item in enumerate(ActionItem.objects.order_by("pk")):
        item.status = statuses[index % len(statuses)]
        item.save()
    turnover = Indicator.objects.get(name__startswith="Omsättning")
    for year, low, high in [(2010, "8.5e9", "9.5e9"), (2012, "10e9", None)]:
        factories.IndicatorValueFactory(
            indicator=turnover,
            date=datetime.date(year, 12, 31),
            value=Decimal(low),
            value_high=Decimal(high) if high else None,
        )
    return [
        reverse("plans:dashboard"),
        reverse("plans:plan-detail", args=["verksamhetsplan-2009-2011"]),
        reverse("plans:indicator-detail", args=[turnover.pk]),
    ]


@pytest.mark.parametrize("width", [320, 360, 600, 601, 768, 1280])
def test_chart_text_is_at_least_12_px_and_inside_its_chart(
    new_page, live_server, chart_pages, width
):
    page = new_page(width=width)
    for path in chart_pages:
        page.goto(live_server.url + path)
        texts = page.evaluate(TEXT_SIZES)
        assert texts, path
        small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 12]
        assert not small, (path, width, small)
        outside = [t["text"] for t in texts if not t["inside"]]
        assert not outside, (path, width, outside)
        # One drawing of each chart: the wide or the narrow one.
        shown = page.evaluate(SHOWN_DRAWINGS)
        assert len(shown) == len(set(shown)), shown
        assert not any("-narrow-" in name for name in shown) or width <= 600, shown
        # No chart or legend is wider than the screen.
        right = page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll("
            "'svg[role=img], .chart-legend')).map(e => e.getBoundingClientRect()"
            ".right))"
        )
        assert right <= width, (path, width, right)


# The charts, their legends and tables and the key-figure boxes: what this
# suite's chart parts put on a page (the whole pages are in test_accessibility).
CHART_PARTS = [
    ".chart-figure",
    ".chart-legend",
    ".doc-chart",
    ".indicator-figure",
    ".key-figure-box",
    ".plan-overview__status",
]


@pytest.mark.parametrize("width", [360, 1280])
def test_charts_pass_axe(new_page, live_server, chart_pages, width):
    page = new_page(width=width)
    for path in chart_pages:
        page.goto(live_server.url + path)
        parts = [[part] for part in CHART_PARTS if page.locator(part).count()]
        assert parts, path
        results = Axe().run(page, context={"include": parts}, options=AXE_OPTIONS)
        assert not results.violations_count, results.generate_report()
    assert not page.csp_errors, page.csp_errors


def test_the_legend_prints_its_colours(new_page, live_server, chart_pages):
    """Swatches are SVG fills, which print; CSS backgrounds do not by default."""
    page = new_page()
    page.goto(live_server.url + chart_pages[0])
    page.emulate_media(media="print")
    fills = page.locator(".chart-legend__swatch rect").evaluate_all(
        "rects => rects.map(r => getComputedStyle(r).fill)"
    )
    assert len(fills) == len(ActionItem.Status)
    assert all(fill.startswith("rgb(") for fill in fills), fills
