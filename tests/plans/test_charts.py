"""The charts: geometry from plans.charts drawn by the plan_charts templates.

Each chart with a viewBox comes as a wide and a narrow drawing; the tests read
one drawing at a time (``drawings``)."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from plans import charts
from plans.formatting import format_compact, format_compact_range
from plans.models import ActionItem
from plans.services.documents import FundingTable
from plans.services.indicators import FollowUp
from plans.templatetags.plan_charts import chart, key_figures, status_strip
from tests import factories

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\N{NO-BREAK SPACE}"
Status = ActionItem.Status


def drawings(html):
    """The chart images of ``html`` (not the legend's swatches), in order."""
    return [
        svg for svg in re.findall(r"<svg\b.*?</svg>", str(html), re.S) if "role=" in svg
    ]


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


def legend_labels(html):
    legend = re.search(r'<ul class="chart-legend".*?</ul>', str(html), re.S).group()
    return [label.strip() for label in re.findall(r"</svg>([^<]*)</li>", legend)]


# ---------------------------------------------------------------------------
# Sizes, colours, axes
# ---------------------------------------------------------------------------


class TestSizes:
    @pytest.mark.parametrize("frame", charts.FRAMES, ids=lambda f: f.name)
    def test_text_stays_at_least_12_px_in_the_narrowest_box_of_each_frame(self, frame):
        assert charts.FONT_SIZE * frame.min_px / frame.width >= 12

    def test_the_narrow_frame_fits_a_320_px_screen(self):
        # 320 px less the page's padding (1rem of 18 px on each side).
        assert charts.NARROW.min_px <= 320 - 2 * 18


class TestColours:
    def test_every_status_has_one_colour_and_the_legend_follows_the_status_order(
        self,
    ):
        assert set(charts.STATUS_COLOURS) == set(Status)
        legend = charts.status_legend()
        assert [entry.label for entry in legend] == list(Status.labels)
        assert [entry.colour for entry in legend] == [
            charts.STATUS_COLOURS[status][0] for status in Status
        ]


class TestAxis:
    @pytest.mark.parametrize(
        ("value", "maximum"),
        [(1000000, 1000000), (2500000, 2500000), (7, 8), (0, 1), (130, 150)],
    )
    def test_a_bar_axis_ends_at_a_round_number_at_or_above_the_data(
        self, value, maximum
    ):
        start, top, step = charts.nice_axis(0, value, max_ticks=5)
        assert start == 0
        assert top == pytest.approx(maximum)
        assert top >= value
        assert top / step == pytest.approx(round(top / step))
        assert top / step <= 5
        assert value == 0 or top - step < value

    def test_a_line_axis_hugs_the_values_with_some_room(self):
        assert charts.nice_axis(82, 90, pad=0.05) == (80, 92, 2)
        assert charts.nice_axis(10, 10, pad=0.05) == (0, 12, 2)
        assert charts.nice_axis(0, 15000, pad=0.05) == (0, 20000, 5000)
        start, end, _step = charts.nice_axis(8e9, 9e9, pad=0.05)
        assert start <= 8e9 and end >= 9e9 and start > 0

    def test_negative_values_get_an_axis_too(self):
        assert charts.nice_axis(0, -5) == (-5, 0, 1)
        start, end, _step = charts.nice_axis(-10, -5, pad=0.05)
        assert start <= -10 and end >= -5

    def test_axis_values_run_from_start_to_end(self):
        assert charts.axis_values(0, 1, 0.2)[-1] == pytest.approx(1)
        assert len(charts.axis_values(80, 92, 2)) == 7

    def test_year_ticks(self):
        assert charts.year_ticks(2009, 2011) == [2009, 2010, 2011]
        assert charts.year_ticks(2015, 2030) == [2015, 2020, 2025, 2030]
        assert charts.year_ticks(2015, 2030, max_labels=4) == [2015, 2020, 2025, 2030]
        assert charts.year_ticks(2008, 2012, max_labels=4) == [2008, 2010, 2012]

    def test_big_numbers_are_shortened_for_the_whole_axis(self):
        assert format_compact(15000) == f"15{NBSP}000"
        assert format_compact(7.8e9, 9e9) == "7,8 mdr"
        assert format_compact(0, 9e9) == "0 mdr"
        assert format_compact(0.30000000000000004) == "0,3"
        with translation.override("en"):
            assert format_compact(2.5e7) == "25 m"
        assert format_compact_range(8e9, 9e9, "kr/år") == f"8–9 mdr{NBSP}kr/år"
        assert format_compact_range(80, None, "%") == f"80{NBSP}%"


# ---------------------------------------------------------------------------
# Status: stacked bars, the strip, the legend
# ---------------------------------------------------------------------------


class TestStackedBars:
    def chart(self, counts, label="Plan <A>"):
        bar = charts.StatusBar(label, counts)
        return str(chart(charts.stacked_bar_chart([bar], chart_id="c1", title="T & T")))

    def rects(self, svg):
        return [
            (rect.get("data-status"), rect.get("x"), rect.get("width"))
            for rect in parsed(svg).iter(f"{SVG}rect")
        ]

    def test_one_rect_per_non_zero_status_in_the_status_order(self):
        svg = self.chart({"done": 2, "ongoing": 3, "paused": 0, "delayed": 1})
        assert [status for status, _x, _w in self.rects(svg)] == [
            "ongoing",
            "done",
            "delayed",
        ]

    def test_widths_are_shares_of_the_bar(self):
        svg = self.chart({"done": 1, "ongoing": 3})
        assert self.rects(svg) == [
            ("ongoing", "0.0%", "75.0%"),
            ("done", "75.0%", "25.0%"),
        ]

    def test_the_count_is_written_inside_a_wide_enough_segment(self):
        svg = self.chart({"done": 1, "ongoing": 30})
        assert "30" in texts(svg)
        assert "1" not in texts(svg)  # 1 of 31 is too narrow for its number

    def test_is_an_image_titled_and_described(self):
        svg = self.chart({"done": 2})
        assert svg.startswith("<svg")
        root = parsed(svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        assert '<title id="c1-title">T &amp; T</title>' in svg
        assert "Plan &lt;A&gt;: " in svg  # labels are escaped
        assert "Portal Sans" in root.get("font-family")

    def test_a_bar_without_items_says_so_and_draws_nothing(self):
        svg = self.chart({})
        assert "<rect" not in svg
        assert "Inga åtgärder" in texts(svg)

    def test_long_labels_wrap_onto_two_lines_and_are_shortened(self):
        lines = charts.wrap_label("ord " * 40)
        assert len(lines) == 2
        assert all(len(line) <= charts.LABEL_LINE_CHARS for line in lines)
        assert lines[-1].endswith("…")

    def test_a_long_label_fits_a_phone(self):
        svg = self.chart({"done": 1}, label="Långt fokusområde " * 10)
        lines = [text for text in texts(svg) if text != "1"]
        assert len(lines) == 2
        width = max(len(line) for line in lines) * charts.CHAR_WIDTH
        assert width <= charts.NARROW.min_px


class TestStatusStrip:
    def test_is_decoration_with_a_rect_per_status_in_order(self):
        svg = str(status_strip({"delayed": 1, "done": 1, "not_started": 2}))
        root = parsed(svg)
        assert root.get("aria-hidden") == "true"
        assert root.get("role") is None
        assert [(rect.get("data-status"), rect.get("width")) for rect in root.iter()][
            1:
        ] == [("not_started", "50.0%"), ("done", "25.0%"), ("delayed", "25.0%")]
        assert (
            next(rect.get("fill") for rect in root.iter(f"{SVG}rect"))
            == (charts.STATUS_COLOURS[Status.NOT_STARTED][0])
        )

    def test_no_items_draw_an_empty_strip(self):
        assert "<rect" not in str(status_strip({}))


class TestLegend:
    def test_the_status_legend_names_every_status_with_a_swatch(self):
        from plans.templatetags.plan_charts import status_legend

        html = str(status_legend())
        assert legend_labels(html) == list(Status.labels)
        fills = re.findall(r'<rect [^>]*fill="([^"]+)"', html)
        assert fills == [charts.STATUS_COLOURS[status][0] for status in Status]
        assert 'aria-label="Diagrammens färger"' in html
        # Swatches are pictures of colour, hidden from assistive technology.
        assert html.count('aria-hidden="true"') == len(Status)


# ---------------------------------------------------------------------------
# Funding: grouped columns
# ---------------------------------------------------------------------------


def funding(values, series=("SLL", "Huddinge", "Botkyrka")):
    return str(
        chart(
            charts.grouped_bar_chart(
                chart_id="kapitel-6-diagram",
                title="Finansiering per organisation och år",
                description="Stapeldiagram.",
                groups=["2009", "2010", "2011"],
                series=list(series),
                values=values,
                unit_label="kr",
            )
        )
    )


class TestFundingChart:
    def test_is_an_image_with_a_title_and_description_in_each_drawing(self):
        html = funding([[1, 1, 1], [1, 1, 1], [Decimal("0.5")] * 3])
        wide, narrow = drawings(html)
        assert wide.startswith("<svg ")
        assert 'role="img"' in wide and 'role="img"' in narrow
        assert 'aria-labelledby="kapitel-6-diagram-title kapitel-6-diagram-desc"' in (
            wide
        )
        title = "Finansiering per organisation och år"
        assert f'<title id="kapitel-6-diagram-title">{title}</title>' in wide
        assert '<desc id="kapitel-6-diagram-desc">Stapeldiagram.</desc>' in wide
        # The narrow drawing has ids of its own: ids are unique on a page.
        assert f'<title id="kapitel-6-diagram-narrow-title">{title}</title>' in narrow
        ids = re.findall(r'id="([^"]+)"', html)
        assert len(ids) == len(set(ids))

    def test_each_drawing_is_sized_by_its_frame(self):
        wide, narrow = drawings(funding([[1, 1, 1]], series=["SLL"]))
        assert parsed(wide).get("viewBox") == "0 0 560 300"
        assert parsed(narrow).get("viewBox") == "0 0 320 260"
        assert "chart--wide" in parsed(wide).get("class")
        assert "chart--narrow" in parsed(narrow).get("class")

    def test_sets_its_font(self):
        for svg in drawings(funding([[1, 1, 1]], series=["SLL"])):
            root = parsed(svg)
            assert "Portal Sans" in root.get("font-family")
            assert root.get("font-size") == str(charts.FONT_SIZE)

    def test_has_one_bar_per_organisation_and_year_value(self):
        html = funding([[1000000] * 3, [1000000, None, 1000000], [500000] * 3])
        for svg in drawings(html):
            assert svg.count('<rect class="plan-chart__bar"') == 8
            assert "<title>Huddinge 2011: " in svg
            assert "Huddinge 2010:" not in svg

    def test_bar_heights_follow_the_values(self):
        for svg in drawings(funding([[1000000, 500000, 250000]], series=["SLL"])):
            heights = [
                float(bar.get("height")) for bar in by_class(svg, "plan-chart__bar")
            ]
            assert heights[0] == pytest.approx(2 * heights[1])
            assert heights[1] == pytest.approx(2 * heights[2])

    def test_the_axis_is_in_swedish_numbers_with_the_unit(self):
        wide, _narrow = drawings(funding([[1000000] * 3], series=["SLL"]))
        labels = texts(wide)
        assert f"1{NBSP}000{NBSP}000" in labels
        assert "0" in labels
        assert by_class(wide, "chart__unit")[0].text == "kr"

    def test_the_legend_names_each_series_in_its_colour(self):
        html = funding([[1] * 3, [1] * 3], series=["SLL", "Huddinge"])
        assert legend_labels(html) == ["SLL", "Huddinge"]
        wide, _narrow = drawings(html)
        legend = html.split("</ul>")[0]
        swatches = re.findall(r'<rect [^>]*fill="([^"]+)"', legend)
        bars = [bar.get("fill") for bar in by_class(wide, "plan-chart__bar")]
        assert swatches == [bars[0], bars[1]]

    def test_escapes_its_labels(self):
        html = funding([[1, 1, 1]], series=["<script>x</script>"])
        assert "<script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html

    def test_without_values_still_renders(self):
        for svg in drawings(funding([[None, None, None]], series=["SLL"])):
            assert 'role="img"' in svg
            assert "plan-chart__bars" in svg  # the group exists, with no bars
            assert not by_class(svg, "plan-chart__bar")

    @pytest.mark.django_db
    def test_uses_the_short_names(self):
        plan = factories.PlanFactory()
        org = factories.OrganisationFactory(
            name="Huddinge kommun", short_name="Huddinge"
        )
        factories.FundingContributionFactory(plan=plan, organisation=org, year=2010)
        table = FundingTable.from_contributions(plan.funding.all())
        html = str(
            chart(
                charts.funding_chart(
                    table, chart_id="c", title="Finansiering", description="d"
                )
            )
        )
        assert legend_labels(html) == ["Huddinge"]
        for svg in drawings(html):
            assert len(by_class(svg, "plan-chart__bar")) == 1
            assert "Huddinge 2010:" in svg


# ---------------------------------------------------------------------------
# Indicators: the line chart, the key-figure box, the table beside the chart
# ---------------------------------------------------------------------------


def measured(indicator, *values):
    """Measured values on the last days of 2012, 2014, … (a tuple is a range)."""
    for year, value in zip(range(2012, 2100, 2), values, strict=False):
        low, high = value if isinstance(value, tuple) else (value, None)
        factories.IndicatorValueFactory(
            indicator=indicator,
            date=datetime.date(year, 12, 31),
            value=Decimal(str(low)),
            value_high=None if high is None else Decimal(str(high)),
        )
    return indicator


def indicator_html(indicator, chart_id="diagram"):
    follow_up = FollowUp.of(indicator)
    return str(chart(charts.indicator_chart(follow_up, chart_id=chart_id)))


def chart_of(indicator, chart_id="diagram"):
    """The wide drawing of the indicator's chart."""
    return drawings(indicator_html(indicator, chart_id))[0]


@pytest.fixture
def employment(db):
    """Baseline 78 % 2010; targets 82 % 2015 (delmål), 85 % 2020, 90 % 2030."""
    indicator = factories.IndicatorFactory(
        name="Andel förvärvsarbetande", unit="%", baseline_year=2010, baseline_value=78
    )
    factories.IndicatorTargetFactory(
        indicator=indicator, year=2015, value=82, label="delmål"
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2020, value=85)
    factories.IndicatorTargetFactory(
        indicator=indicator, year=2030, value=90, label="mål"
    )
    return measured(indicator, "79.5", "80.25")


@pytest.mark.django_db
class TestIndicatorChartAccessibility:
    def test_is_an_image_named_by_its_title_and_description(self, employment):
        root = parsed(chart_of(employment, "fig-1"))
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "fig-1-title fig-1-desc"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title.get("id") == "fig-1-title"
        assert desc.get("id") == "fig-1-desc"
        assert "Andel förvärvsarbetande" in title.text

    def test_the_description_says_what_the_chart_shows(self, employment):
        with translation.override("en"):
            description = FollowUp.of(employment).describe()
        assert "Baseline 78" in description
        assert "Targets: 82" in description and "2030" in description
        assert "2 measured values, the latest 80.25" in description
        assert "table next to the chart" in description

    def test_sets_its_own_font(self, employment):
        assert "Portal Sans" in parsed(chart_of(employment)).get("font-family")

    def test_has_no_scripts_or_inline_styles(self, employment):
        html = indicator_html(employment)
        assert "<script" not in html
        assert "style=" not in html

    def test_every_mark_has_a_tooltip(self, employment):
        svg = chart_of(employment)
        marks = by_class(svg, "indicator-chart__target") + by_class(
            svg, "indicator-chart__point"
        )
        assert marks
        for mark in marks:
            assert mark.find(f"{SVG}title") is not None

    def test_the_legend_names_what_is_drawn(self, employment):
        with translation.override("en"):
            labels = legend_labels(indicator_html(employment))
        assert labels == ["Target trajectory", "Measured value"]

    def test_the_svg_is_well_formed_with_awkward_names(self):
        indicator = factories.IndicatorFactory(name="R&D <tillväxt> \"på\" 'riktigt'")
        factories.IndicatorTargetFactory(indicator=indicator)
        measured(indicator, 1, 2)
        root = parsed(chart_of(indicator))
        assert "R&D <tillväxt>" in root.find(f"{SVG}title").text


@pytest.mark.django_db
class TestIndicatorChartMarks:
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
        first, second = by_class(chart_of(employment), "indicator-chart__point")
        assert float(second.get("cy")) < float(first.get("cy"))
        assert float(second.get("cx")) > float(first.get("cx"))

    def test_a_range_is_a_labelled_band_from_low_to_high(self):
        indicator = factories.IndicatorFactory(unit="kr/år")
        measured(indicator, (8e9, 9e9), 10e9)
        html = indicator_html(indicator)
        assert "Mätt intervall" in legend_labels(html)
        for svg in drawings(html):
            (band,) = by_class(svg, "indicator-chart__band")
            (bar,) = by_class(svg, "indicator-chart__point--range")
            (label,) = by_class(svg, "indicator-chart__range-label")
            assert band.tag == f"{SVG}rect"
            assert float(band.get("height")) > 20
            # A thin capped bar over a pale band, not a fat bar or dot.
            assert float(band.get("width")) <= 14
            assert band.get("fill-opacity")
            assert bar.get("fill") == "none"
            assert label.text == "8–9 mdr"
            assert bar.find(f"{SVG}title").text.startswith(
                f"Uppmätt 2012-12-31: 8–9 mdr{NBSP}kr/år"
            )
            # The band runs from the low value to the high one.
            top, height = float(band.get("y")), float(band.get("height"))
            assert f"V{top + height:.1f}" in bar.get("d")
            # The label is inside the plot.
            left, right = self.plot_edges(svg)
            half = len(label.text) * charts.CHAR_WIDTH / 2
            assert left <= float(label.get("x")) - half
            assert float(label.get("x")) + half <= right

    def plot_edges(self, svg):
        axis = next(
            line
            for line in parsed(svg).iter(f"{SVG}line")
            if line.get("stroke-width") == "1.5"
        )
        return float(axis.get("x1")), float(axis.get("x2"))

    def test_a_range_at_the_right_edge_keeps_its_label_inside(self):
        indicator = factories.IndicatorFactory(unit="kr/år")
        measured(indicator, 7e9, (8_500_000_000, 9_500_000_000))
        for svg in drawings(indicator_html(indicator)):
            (label,) = by_class(svg, "indicator-chart__range-label")
            assert label.text == "8,5–9,5 mdr"
            _left, right = self.plot_edges(svg)
            half = len(label.text) * charts.CHAR_WIDTH / 2
            assert float(label.get("x")) + half <= right

    def test_a_target_without_a_year_is_a_level_line(self):
        indicator = factories.IndicatorFactory(unit="arbetsplatser")
        factories.IndicatorTargetFactory(indicator=indicator, year=None, value=2500)
        svg = chart_of(measured(indicator, 1200, 1500))
        (level,) = by_class(svg, "indicator-chart__undated")
        assert f"2{NBSP}500{NBSP}arbetsplatser" in "".join(level.itertext())
        assert not by_class(svg, "indicator-chart__trajectory")


@pytest.mark.django_db
class TestIndicatorChartAxes:
    def test_value_axis_labels_are_in_swedish_number_format(self):
        indicator = factories.IndicatorFactory(unit="studenter")
        labels = texts(chart_of(measured(indicator, 5000, 15000)))
        assert f"15{NBSP}000" in labels
        assert f"20{NBSP}000" in labels
        assert "0" in labels

    def test_decimal_steps_use_a_decimal_comma(self):
        indicator = factories.IndicatorFactory(unit="%")
        factories.IndicatorTargetFactory(indicator=indicator, year=2020, value="2.5")
        factories.IndicatorTargetFactory(indicator=indicator, year=2025, value="3.5")
        labels = texts(chart_of(measured(indicator, "2.6", "2.8")))
        assert any(re.fullmatch(r"\d,\d", label or "") for label in labels), labels

    def test_billions_are_shortened(self):
        indicator = measured(factories.IndicatorFactory(unit="kr/år"), 8e9, 9e9)
        with translation.override("en"):
            labels = texts(chart_of(indicator))
        assert "8 bn" in labels and "9 bn" in labels

    def test_years_label_the_time_axis(self, employment):
        wide, narrow = drawings(indicator_html(employment))
        years = ["2010", "2015", "2020", "2025", "2030"]
        assert [text for text in texts(wide) if text in years] == years
        # A phone gets as many labels as fit side by side.
        for svg in (wide, narrow):
            xs = [
                float(text.get("x"))
                for text in parsed(svg).iter(f"{SVG}text")
                if re.fullmatch(r"20\d\d", text.text)
            ]
            gaps = [after - before for before, after in itertools.pairwise(xs)]
            assert min(gaps) >= 4 * charts.CHAR_WIDTH + 8, gaps

    def test_a_short_span_on_a_phone_labels_every_other_year(self):
        indicator = factories.IndicatorFactory(unit="kr/år")
        measured(indicator, 8e9, 9e9, 10e9)  # 2012, 2014, 2016
        wide, narrow = drawings(indicator_html(indicator))
        years = [str(year) for year in range(2012, 2017)]
        assert [text for text in texts(wide) if text in years] == years
        assert [text for text in texts(narrow) if text in years] == [
            "2012",
            "2014",
            "2016",
        ]

    def test_the_unit_labels_the_value_axis(self, employment):
        (unit,) = by_class(chart_of(employment), "chart__unit")
        assert unit.text == "%"

    def test_svg_numbers_are_never_written_with_a_decimal_comma(self, employment):
        for svg in drawings(indicator_html(employment)):
            for element in parsed(svg).iter():
                for name in ("x", "y", "cx", "cy", "width", "height"):
                    if element.get(name) is not None:
                        float(element.get(name))
                for pair in (element.get("points") or "").split():
                    x, y = pair.split(",")
                    float(x), float(y)
                assert "," not in (element.get("d") or "")


@pytest.mark.django_db
class TestKeyFigures:
    def test_fewer_than_two_measured_values_draw_no_chart(self):
        indicator = factories.IndicatorFactory()
        factories.IndicatorTargetFactory(indicator=indicator)
        assert charts.indicator_chart(FollowUp.of(indicator), chart_id="c") is None
        measured(indicator, 80)
        assert charts.indicator_chart(FollowUp.of(indicator), chart_id="c") is None
        measured(factories.IndicatorFactory(), 80, 81)  # another indicator
        assert charts.indicator_chart(FollowUp.of(indicator), chart_id="c") is None

    def test_the_box_has_the_latest_value_its_date_targets_and_status(self):
        indicator = factories.IndicatorFactory(
            unit="%", baseline_year=2010, baseline_value=78
        )
        factories.IndicatorTargetFactory(indicator=indicator, year=2015, value=82)
        factories.IndicatorTargetFactory(indicator=indicator, year=2030, value=90)
        measured(indicator, "80.5")
        html = str(key_figures(FollowUp.of(indicator)))
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ")
        assert "Senaste värde 80,5 % 31 december 2012" in text
        assert '<time datetime="2012-12-31">' in html
        assert "Utgångsvärde 78 % år 2010" in text
        assert "Mål 82 % till 2015 90 % till 2030" in text
        assert "badge--indicator-on_track" in html
        assert "Enligt plan målbanan förväntar 79,6 %" in text
        assert "<svg" not in html

    def test_a_range_is_shortened_in_the_box(self):
        indicator = measured(factories.IndicatorFactory(unit="kr/år"), (8e9, 9e9))
        html = str(key_figures(FollowUp.of(indicator)))
        assert f"8–9 mdr{NBSP}kr/år" in html
        assert "Inget mål" in html

    def test_an_indicator_without_values_says_so(self):
        indicator = factories.IndicatorFactory(unit="arbetsplatser")
        factories.IndicatorTargetFactory(indicator=indicator, year=None, value=2500)
        with translation.override("en"):
            html = str(key_figures(FollowUp.of(indicator)))
        assert "not measured yet" in html
        assert f"2,500{NBSP}arbetsplatser (no year)" in html
        assert "No values yet" in html


@pytest.mark.django_db
class TestChartTable:
    def test_a_target_labelled_target_is_not_named_twice(self, employment):
        rows = FollowUp.of(employment).chart_rows()
        names = [str(row.what) for row in rows]
        assert "Mål (mål)" not in names
        assert names.count("Mål") == 2  # 2020 (no label) and 2030 ("mål")
        assert "Mål (delmål)" in names
        with translation.override("en"):
            names = [str(row.what) for row in FollowUp.of(employment).chart_rows()]
        assert "Target (mål)" not in names
