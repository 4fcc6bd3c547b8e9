"""The SVG line chart of an indicator: axes, points and accessible name."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from plans.charts.indicators import (
    chart_description,
    indicator_chart,
    nice_axis,
    year_ticks,
)
from plans.services.indicators import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\N{NO-BREAK SPACE}"


def chart_of(indicator, chart_id="diagram"):
    return str(indicator_chart(FollowUp.of(indicator), chart_id=chart_id))


def parsed(svg):
    return ET.fromstring(svg)


def texts(svg):
    return [element.text for element in parsed(svg).iter(f"{SVG}text")]


def by_class(svg, name):
    return [
        element
        for element in parsed(svg).iter()
        if name in (element.get("class") or "").split()
    ]


@pytest.fixture
def employment():
    """Baseline 78 % 2010; targets 82 % 2015 (delmål), 85 % 2020, 90 % 2030."""
    indicator = factories.IndicatorFactory(
        name="Andel förvärvsarbetande", unit="%", baseline_year=2010, baseline_value=78
    )
    factories.IndicatorTargetFactory(
        indicator=indicator, year=2015, value=82, label="delmål"
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2020, value=85)
    factories.IndicatorTargetFactory(indicator=indicator, year=2030, value=90)
    for date, value in [("2012-12-31", "79.5"), ("2014-12-31", "80.25")]:
        factories.IndicatorValueFactory(
            indicator=indicator,
            date=datetime.date.fromisoformat(date),
            value=Decimal(value),
        )
    return indicator


class TestAccessibility:
    def test_is_an_image_named_by_its_title_and_description(self, employment):
        svg = chart_of(employment, "fig-1")
        root = parsed(svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "fig-1-title fig-1-desc"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title.get("id") == "fig-1-title"
        assert desc.get("id") == "fig-1-desc"
        assert "Andel förvärvsarbetande" in title.text

    def test_the_description_says_what_the_chart_shows(self, employment):
        with translation.override("en"):
            description = chart_description(FollowUp.of(employment))
        assert "Baseline 78" in description
        assert "Targets: 82" in description and "2030" in description
        assert "2 measured values, the latest 80.25" in description
        assert "table next to the chart" in description

    def test_sets_its_own_font(self, employment):
        assert "Portal Sans" in parsed(chart_of(employment)).get("font-family")

    def test_has_no_scripts_or_inline_styles(self, employment):
        svg = chart_of(employment)
        assert "<script" not in svg
        assert "style=" not in svg

    def test_every_mark_has_a_tooltip(self, employment):
        svg = chart_of(employment)
        marks = by_class(svg, "indicator-chart__target") + by_class(
            svg, "indicator-chart__point"
        )
        assert marks
        for mark in marks:
            assert mark.find(f"{SVG}title") is not None


class TestMarks:
    def test_one_point_per_measured_value(self, employment):
        svg = chart_of(employment)
        assert len(by_class(svg, "indicator-chart__point")) == 2
        assert len(by_class(svg, "indicator-chart__values")) == 1

    def test_a_diamond_per_target_and_a_square_baseline(self, employment):
        svg = chart_of(employment)
        assert len(by_class(svg, "indicator-chart__target")) == 3
        assert len(by_class(svg, "indicator-chart__baseline")) == 1

    def test_the_trajectory_joins_baseline_and_targets(self, employment):
        (line,) = by_class(chart_of(employment), "indicator-chart__trajectory")
        assert len(line.get("points").split()) == 4

    def test_a_step_target_draws_a_square_corner(self, employment):
        target = employment.targets.get(year=2020)
        target.is_step = True
        target.save()
        (line,) = by_class(chart_of(employment), "indicator-chart__trajectory")
        points = line.get("points").split()
        assert len(points) == 5
        # The corner: same x as the step, the previous target's height.
        assert points[2].split(",")[0] == points[3].split(",")[0]
        assert points[1].split(",")[1] == points[2].split(",")[1]

    def test_higher_values_are_drawn_higher(self, employment):
        svg = chart_of(employment)
        first, second = by_class(svg, "indicator-chart__point")
        assert float(second.get("cy")) < float(first.get("cy"))
        assert float(second.get("cx")) > float(first.get("cx"))

    def test_a_range_is_a_bar_from_low_to_high(self):
        indicator = factories.IndicatorFactory(unit="kr/år")
        factories.IndicatorValueFactory(
            indicator=indicator, value=8_000_000_000, value_high=9_000_000_000
        )
        (bar,) = by_class(chart_of(indicator), "indicator-chart__point--range")
        assert bar.tag == f"{SVG}rect"
        assert float(bar.get("height")) > 20

    def test_a_target_without_a_year_is_a_level_line(self):
        indicator = factories.IndicatorFactory(unit="arbetsplatser")
        factories.IndicatorTargetFactory(indicator=indicator, year=None, value=2500)
        svg = chart_of(indicator)
        (level,) = by_class(svg, "indicator-chart__undated")
        assert f"2{NBSP}500{NBSP}arbetsplatser" in "".join(level.itertext())
        assert not by_class(svg, "indicator-chart__trajectory")

    def test_nothing_to_draw_gives_no_chart(self):
        assert chart_of(factories.IndicatorFactory()) == ""

    def test_the_svg_is_well_formed_with_awkward_names(self):
        indicator = factories.IndicatorFactory(name="R&D <tillväxt> \"på\" 'riktigt'")
        factories.IndicatorTargetFactory(indicator=indicator)
        root = parsed(chart_of(indicator))
        assert "R&D <tillväxt>" in root.find(f"{SVG}title").text


class TestAxes:
    def test_value_axis_labels_are_in_swedish_number_format(self):
        indicator = factories.IndicatorFactory(unit="studenter")
        factories.IndicatorValueFactory(indicator=indicator, value=15000)
        labels = texts(chart_of(indicator))
        assert f"15{NBSP}000" in labels
        assert f"20{NBSP}000" in labels
        assert "0" in labels

    def test_decimal_steps_use_a_decimal_comma(self):
        indicator = factories.IndicatorFactory(unit="%")
        factories.IndicatorTargetFactory(indicator=indicator, year=2020, value="2.5")
        factories.IndicatorTargetFactory(indicator=indicator, year=2025, value="3.5")
        labels = texts(chart_of(indicator))
        assert any(re.fullmatch(r"\d,\d", label or "") for label in labels), labels

    def test_billions_are_shortened(self):
        indicator = factories.IndicatorFactory(unit="kr/år")
        factories.IndicatorValueFactory(
            indicator=indicator, value=8_000_000_000, value_high=9_000_000_000
        )
        with translation.override("en"):
            labels = texts(chart_of(indicator))
        assert "8 bn" in labels and "9 bn" in labels

    def test_years_label_the_time_axis(self, employment):
        labels = texts(chart_of(employment))
        for year in ("2010", "2015", "2020", "2025", "2030"):
            assert year in labels

    def test_the_unit_labels_the_value_axis(self, employment):
        (unit,) = by_class(chart_of(employment), "indicator-chart__unit")
        assert unit.text == "%"

    def test_nice_axis(self):
        assert nice_axis(82, 90) == (80, 92, 2)
        assert nice_axis(10, 10) == (0, 12, 2)
        assert nice_axis(0, 15000) == (0, 20000, 5000)
        start, end, _step = nice_axis(8e9, 9e9)
        assert start <= 8e9 and end >= 9e9 and start > 0

    def test_year_ticks(self):
        assert year_ticks(2009, 2011) == [2009, 2010, 2011]
        assert year_ticks(2015, 2030) == [2015, 2020, 2025, 2030]
