"""Every chart of the portal as plain data: positions, ticks, labels, colours.

The markup is in ``templates/plans/charts/`` (drawn by the ``plan_charts``
template tags): SVG with presentation attributes only, so a chart works in the
browser and in WeasyPrint alike and passes the strict CSP (no ``style``
attribute, no script). A chart is an image named by its ``<title>`` and
``<desc>``; the page shows the same figures in a table or a key-figure box.

Text in an SVG with a ``viewBox`` scales with the box. A chart with a viewBox
is therefore laid out twice: for a wide box (``WIDE``: screens from 600 px and
print) and a narrow one (``NARROW``: phones); the CSS shows one of them. Both
keep ``FONT_SIZE`` text at 12 px or more (see ``Frame.min_px``). The status
bars have no viewBox: their widths are percentages and their text keeps its
size at any width.

Numbers are written by ``plans.formatting``; the status colours are keyed by
``ActionItem.Status`` and drawn in the order of its choices.
"""

import calendar
import datetime
import math
from collections import namedtuple
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from plans.formatting import (
    format_amount,
    format_compact,
    format_compact_range,
    format_sek,
)
from plans.models import ActionItem

FONT_FAMILY = "Portal Sans, Lato, sans-serif"
FONT_SIZE = 15
# An average glyph of the font at FONT_SIZE, to lay out text SVG cannot wrap.
CHAR_WIDTH = 8.2

INK = "#1b2733"
INK_SOFT = "#46535f"
GRID = "#d5dde3"
WHITE = "#ffffff"
# Fills with at least 3:1 contrast against white (WCAG 1.4.11), told apart
# side by side; the legend names every colour.
PALETTE = ("#0b4f6c", "#b8412b", "#7a5c00", "#3f6f2a", "#5b4a8b", "#46535f")
# Fill and text colour per status: white text on dark fills (contrast ≥ 4.5:1),
# dark text on the one light fill.
STATUS_COLOURS = {
    ActionItem.Status.NOT_STARTED: ("#5b6670", WHITE),
    ActionItem.Status.ONGOING: ("#1f5f99", WHITE),
    ActionItem.Status.DONE: ("#1d6b3a", WHITE),
    ActionItem.Status.DELAYED: ("#a3261c", WHITE),
    ActionItem.Status.PAUSED: ("#8a5a00", WHITE),
    ActionItem.Status.CANCELLED: ("#ccd4da", INK),
    ActionItem.Status.CARRIED_OVER: ("#5b4a8b", WHITE),
}


@dataclass(frozen=True)
class Frame:
    """A drawing size of the charts with a viewBox.

    ``min_px`` is the narrowest the CSS lets the drawing become (``pages.css``,
    ``.chart--wide`` and ``.chart--narrow``); at that width text of FONT_SIZE
    units is still ``FONT_SIZE * min_px / width`` ≥ 12 px high.
    """

    name: str
    width: int
    height: int
    max_ticks: int
    min_px: int


WIDE = Frame("wide", 560, 300, 6, min_px=480)
NARROW = Frame("narrow", 320, 260, 5, min_px=280)
FRAMES = (WIDE, NARROW)


class Drawing:
    """What every drawing's template reads besides its own geometry."""

    font_family = FONT_FAMILY
    font_size = FONT_SIZE
    ink = INK
    ink_soft = INK_SOFT
    grid = GRID


# The pieces of a drawing, in the user units of its SVG (a status bar's x and
# width are percentages of the bar).
Text = namedtuple("Text", "x y text anchor", defaults=["middle"])
Mark = namedtuple("Mark", "x y title")  # a target, a baseline, a measured value
Tick = namedtuple("Tick", "y label text_y")  # a line and label of the value axis
Column = namedtuple("Column", "x y width height fill title")
Level = namedtuple("Level", "y label")  # a target without a year, across the plot
# A measured range: a capped bar from low to high over a pale band, labelled.
Range = namedtuple("Range", "x y_low y_high band_x band_height title label")
Segment = namedtuple("Segment", "status x width middle fill ink count")
Bar = namedtuple("Bar", "lines y text_y segments empty_text")
# A swatch and its label; shape: box, line, trajectory, level or range.
LegendEntry = namedtuple(
    "LegendEntry", "label colour shape edge", defaults=["box", INK_SOFT]
)


def _r(number):
    """A coordinate as the SVG gets it: one decimal is finer than a pixel."""
    return round(float(number), 1)


def _share(part):
    """A share of a bar as a percentage with at most three decimals."""
    return round(part * 100, 3)


# ---------------------------------------------------------------------------
# Legends
# ---------------------------------------------------------------------------


def status_legend():
    """Every status in the order of ``ActionItem.Status``, with its colour."""
    return [
        LegendEntry(status.label, STATUS_COLOURS[status][0])
        for status in ActionItem.Status
    ]


# ---------------------------------------------------------------------------
# Axes
# ---------------------------------------------------------------------------


def nice_axis(low, high, max_ticks=6, pad=0.0):
    """A round (start, end, step) of a value axis that holds ``low`` to ``high``.

    The step is 1, 2, 2.5 or 5 × 10ⁿ with at most ``max_ticks`` steps. The axis
    starts at zero when the values are small against their spread; otherwise
    it hugs them, ``pad`` (a share of the spread) away from the data.
    """
    low, high = sorted((float(low), float(high)))
    if low >= 0 and (low == high or low <= 0.4 * high):
        low = 0.0
    if low == high:
        if low == 0:
            high = 1.0
        else:
            low, high = low - abs(low) * 0.1 - 1, high + abs(high) * 0.1 + 1
    margin = (high - low) * pad
    high += margin
    if low != 0:
        low = low - margin if low - margin >= 0 or low < 0 else 0.0
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span / max_ticks))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if span / step <= max_ticks + 1e-9:
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return start, max(end, start + step), step


def axis_values(start, end, step):
    """The tick values from ``start`` to ``end``."""
    count = round((end - start) / step)
    return [start + index * step for index in range(count + 1)]


def _label_width(texts):
    return max((len(text) for text in texts), default=0) * CHAR_WIDTH


def year_position(date):
    """A date as a fractional year: 1 January 2009 is 2009.0."""
    days = 366 if calendar.isleap(date.year) else 365
    return date.year + (date.timetuple().tm_yday - 1) / days


def year_ticks(first, last, max_labels=6):
    """The years to label between ``first`` and ``last``: every 1, 2, 5 or 10."""
    span = last - first + 1
    for step in (1, 2, 5, 10, 20, 50):
        if span / step <= max_labels:
            break
    return [year for year in range(first, last + 1) if year % step == 0] or [first]


# ---------------------------------------------------------------------------
# Status: stacked bars per group, the strip of a table row
# ---------------------------------------------------------------------------

BAR_HEIGHT = 26
LINE_HEIGHT = 19
ROW_GAP = 14
# SVG text does not wrap: labels are broken into lines short enough for a
# 320 px wide screen; the full label is in the chart's <desc> and the table.
LABEL_LINE_CHARS = 34
LABEL_MAX_LINES = 2
# A segment narrower than this share of the bar gets no number inside it.
MIN_LABELLED_SHARE = 0.07
STRIP_HEIGHT = 12


@dataclass
class StatusBar:
    """A group's items by status (``counts``: status -> number), as one bar."""

    label: str
    counts: dict

    def describe(self):
        """The bar's numbers as a sentence for the chart's <desc>."""
        parts = [
            f"{status.label} {number_format(self.counts[status.value])}"
            for status in ActionItem.Status
            if self.counts.get(status.value)
        ]
        return _("%(label)s: %(parts)s.") % {
            "label": self.label,
            "parts": ", ".join(parts) if parts else _("no items"),
        }


def wrap_label(label, width=LABEL_LINE_CHARS, max_lines=LABEL_MAX_LINES):
    """Break a label into at most ``max_lines`` lines, shortening the last."""
    lines = []
    words = label.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words or (lines and len(lines[-1]) > width):
        last = lines[-1] + " " + " ".join(words) if words else lines[-1]
        lines[-1] = last[: width - 1].rstrip() + "…"
    return lines or [""]


@dataclass
class StackedBarChart(Drawing):
    """One horizontal bar per group, each scaled to its own total (shares)."""

    chart_id: str
    title: str
    description: str
    height: int
    bars: list
    bar_height: int = BAR_HEIGHT
    template = "plans/charts/_stacked_bars.svg"


def _segments(counts):
    """The coloured parts of a bar of ``counts``, in the status order."""
    total = sum(counts.get(status.value, 0) for status in ActionItem.Status)
    segments, offset = [], 0.0
    for status in ActionItem.Status:
        value = counts.get(status.value, 0)
        if not value:
            continue
        share = value / total
        fill, ink = STATUS_COLOURS[status]
        count = number_format(value) if share >= MIN_LABELLED_SHARE else ""
        x, width = _share(offset), _share(share)
        middle = round(x + width / 2, 3)
        segments.append(Segment(status.value, x, width, middle, fill, ink, count))
        offset += share
    return segments


def stacked_bar_chart(bars, *, chart_id, title):
    """The stacked status bars of ``bars`` (``StatusBar``s), one under another."""
    drawn, top = [], 0
    for bar in bars:
        lines = []
        for line in wrap_label(bar.label):
            top += LINE_HEIGHT
            lines.append(Text(0, top - 5, line, anchor="start"))
        bar_top = top + 2
        top = bar_top + BAR_HEIGHT + ROW_GAP
        segments = _segments(bar.counts)
        empty = "" if segments else _("No items")
        drawn.append(Bar(lines, bar_top, bar_top + BAR_HEIGHT - 8, segments, empty))
    return StackedBarChart(
        chart_id=chart_id,
        title=title,
        description=" ".join(bar.describe() for bar in bars),
        height=max(top - ROW_GAP, BAR_HEIGHT),
        bars=drawn,
    )


@dataclass
class StatusStrip:
    """A thin bar of a group's items by status: decoration beside the numbers."""

    segments: list
    height: int = STRIP_HEIGHT
    template = "plans/charts/_status_strip.svg"


def status_strip(counts):
    """The strip of ``counts`` (status -> number of items)."""
    return StatusStrip(_segments(counts))


# ---------------------------------------------------------------------------
# Charts with a value axis, drawn once per frame
# ---------------------------------------------------------------------------


@dataclass
class Layout(Drawing):
    """A chart drawn in one frame: the plot's edges and its value axis."""

    frame: Frame
    id: str
    y_start: float
    y_end: float
    unit: Text | None = None
    ticks: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)
    left: float = 0
    top: float = 30  # room above the plot for the unit
    bottom_room = 36  # room below the plot for the labels of the x axis

    @classmethod
    def for_values(cls, frame, chart_id, low, high, unit="", pad=0.0):
        """A drawing in ``frame`` whose value axis holds ``low`` to ``high``."""
        start, end, step = nice_axis(low, high, frame.max_ticks, pad)
        layout = cls(
            frame=frame,
            id=chart_id if frame is WIDE else f"{chart_id}-{frame.name}",
            y_start=start,
            y_end=end,
            unit=Text(0, 16, unit, "start") if unit else None,
        )
        values = axis_values(start, end, step)
        largest = max(abs(value) for value in values)
        for value in values:
            y = _r(layout.y_of(value))
            layout.ticks.append(Tick(y, format_compact(value, largest), _r(y + 5)))
        longest = max(len(tick.label) for tick in layout.ticks)
        layout.left = _r(max(40, longest * CHAR_WIDTH + 14))
        return layout

    def y_of(self, number):
        share = (float(number) - self.y_start) / (self.y_end - self.y_start)
        return self.bottom - (self.bottom - self.top) * share

    @property
    def right(self):
        return self.frame.width - 12

    @property
    def bottom(self):
        return self.frame.height - self.bottom_room

    @property
    def width(self):
        return self.frame.width

    @property
    def tick_x(self):
        return _r(self.left - 8)

    @property
    def tick_end(self):
        return _r(self.bottom + 5)

    @property
    def height(self):
        return self.frame.height


@dataclass
class BarLayout(Layout):
    columns: list = field(default_factory=list)


@dataclass
class Chart:
    """A chart with a legend, drawn once per frame (``layouts``)."""

    chart_id: str
    title: str
    description: str
    legend: list
    layouts: list
    template: str = ""


# ---------------------------------------------------------------------------
# Grouped columns: the funding of a plan
# ---------------------------------------------------------------------------


def grouped_bar_chart(
    *, chart_id, title, description, groups, series, values, unit_label=""
):
    """Columns per group (e.g. years), one per series (e.g. organisations).

    ``values[s][g]`` is the value of series ``s`` in group ``g``; ``None``
    draws no column.
    """
    maximum = max((v for row in values for v in row if v is not None), default=0)
    layouts = []
    for frame in FRAMES:
        layout = BarLayout.for_values(frame, chart_id, 0, maximum, unit_label)
        left, right, bottom = layout.left, layout.right, layout.bottom
        group_w = (right - left) / max(len(groups), 1)
        bar_w = min(group_w * 0.72 / max(len(series), 1), 56)
        every = math.ceil(_label_width(groups) / max(group_w - 4, 1)) or 1
        for g, group in enumerate(groups):
            start_x = left + g * group_w + (group_w - bar_w * len(series)) / 2
            if g % every == 0:
                layout.x_labels.append(
                    Text(_r(left + (g + 0.5) * group_w), _r(bottom + 24), group)
                )
            for s, name in enumerate(series):
                value = values[s][g]
                if value is None:
                    continue
                y = layout.y_of(value)
                layout.columns.append(
                    Column(
                        x=_r(start_x + s * bar_w + 1),
                        y=_r(y),
                        width=_r(bar_w - 2),
                        height=_r(bottom - y),
                        fill=PALETTE[s % len(PALETTE)],
                        title=f"{name} {group}: {format_sek(value)}",
                    )
                )
        layouts.append(layout)
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        legend=[
            LegendEntry(name, PALETTE[s % len(PALETTE)])
            for s, name in enumerate(series)
        ],
        layouts=layouts,
        template="plans/charts/_bar_chart.html",
    )


def funding_chart(funding, *, chart_id, title, description, unit_label=""):
    """The funding of a plan per organisation and year (a ``FundingTable``)."""
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        groups=[str(year) for year in funding.years],
        series=[row.organisation.label for row in funding.rows],
        values=[row.amounts for row in funding.rows],
        unit_label=unit_label,
    )


# ---------------------------------------------------------------------------
# An indicator: its trajectory against measured values, or its key figures
# ---------------------------------------------------------------------------

TRAJECTORY = PALETTE[0]
MEASURED = PALETTE[1]
UNDATED = PALETTE[2]
INSET = 14  # between the plot's edge and the first or last year's point
RANGE_BAND = 14  # the width of a measured range's band
YEAR_LABEL_ROOM = 4 * CHAR_WIDTH + 16  # a year's label and the gap after it
#: With fewer measured values an indicator gets a key-figure box, not a chart.
MIN_POINTS = 2


@dataclass
class LineLayout(Layout):
    year_lines: list = field(default_factory=list)
    trajectory: str = ""  # polyline points
    targets: list = field(default_factory=list)
    baselines: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    values_line: str = ""
    points: list = field(default_factory=list)
    ranges: list = field(default_factory=list)
    trajectory_colour = TRAJECTORY
    measured_colour = MEASURED
    undated_colour = UNDATED
    range_band = RANGE_BAND


def _points(pairs):
    return " ".join(f"{_r(x)},{_r(y)}" for x, y in pairs)


def indicator_chart(follow_up, *, chart_id, title=None, description=None):
    """The chart of a ``FollowUp``, or None under ``MIN_POINTS`` measured values."""
    indicator, trajectory = follow_up.indicator, follow_up.trajectory
    values, undated, unit = follow_up.values, trajectory.undated, indicator.unit
    if len(values) < MIN_POINTS:
        return None
    numbers = [point.value for point in trajectory.points]
    numbers += [target.value for target in undated]
    for value in values:
        numbers += [value.value, value.value_high or value.value]
    dates = [point.date for point in trajectory.points] + [v.date for v in values]
    first_year, last_year = min(dates).year, max(dates).year
    if last_year - first_year < 2:  # a year either side, for context
        first_year, last_year = first_year - 1, last_year + 1
    has_range = any(v.value_high not in (None, v.value) for v in values)

    legend = []
    if trajectory.points:
        legend.append(LegendEntry(_("Target trajectory"), TRAJECTORY, "trajectory"))
    legend.append(LegendEntry(_("Measured value"), MEASURED, "line"))
    if has_range:
        legend.append(LegendEntry(_("Measured range"), MEASURED, "range"))
    if undated:
        legend.append(LegendEntry(_("Target without a year"), UNDATED, "level"))

    layouts = []
    for frame in FRAMES:
        layout = LineLayout.for_values(
            frame, chart_id, min(numbers), max(numbers), unit, pad=0.05
        )
        left, right, bottom, y_of = (
            layout.left,
            layout.right,
            layout.bottom,
            layout.y_of,
        )

        def x_of(date, left=left, right=right, start=first_year, end=last_year + 1):
            share = (year_position(date) - start) / (end - start)
            return left + INSET + (right - left - 2 * INSET) * share

        layout.year_lines = [
            _r(x_of(datetime.date(year, 1, 1)))
            for year in range(first_year, last_year + 2)
        ]
        room = min(6, (right - left) // YEAR_LABEL_ROOM)
        layout.x_labels = [
            Text(_r(x_of(datetime.date(year, 7, 2))), _r(bottom + 22), str(year))
            for year in year_ticks(first_year, last_year, room)
        ]
        if len(trajectory.points) > 1:
            path = trajectory.path()
            layout.trajectory = _points((x_of(d), y_of(v)) for d, v in path)
        for point in trajectory.points:
            name = (
                _("Baseline %(year)s: %(value)s")
                if point.is_baseline
                else _("Target %(year)s: %(value)s")
            )
            mark = Mark(
                _r(x_of(point.date)),
                _r(y_of(point.value)),
                name % {"year": point.year, "value": format_amount(point.value, unit)},
            )
            (layout.baselines if point.is_baseline else layout.targets).append(mark)
        for target in undated:
            text = _("Target: %(value)s (no year)") % {
                "value": format_amount(target.value, unit)
            }
            y = _r(y_of(target.value))
            layout.levels.append(Level(y, Text(right - 4, _r(y - 7), text, "end")))
        _measured(layout, values, x_of, y_of, unit)
        layouts.append(layout)

    return Chart(
        chart_id=chart_id,
        title=title
        or _("%(name)s: target trajectory and measured values")
        % {"name": indicator.name},
        description=description or follow_up.describe(),
        legend=legend,
        layouts=layouts,
        template="plans/charts/_line_chart.html",
    )


def _measured(layout, values, x_of, y_of, unit):
    """Measured values: dots on a line; a range as a labelled band, low to high."""
    highs = [v.value_high if v.value_high is not None else v.value for v in values]
    layout.values_line = _points(
        (x_of(v.date), y_of((v.value + high) / 2))
        for v, high in zip(values, highs, strict=True)
    )
    for value, high in zip(values, highs, strict=True):
        x = x_of(value.date)
        title = _("Measured %(date)s: %(value)s") % {
            "date": value.date.isoformat(),
            "value": format_compact_range(value.value, value.value_high, unit),
        }
        if high == value.value:
            layout.points.append(Mark(_r(x), _r(y_of(value.value)), title))
            continue
        y_low, y_high = y_of(value.value), y_of(high)
        text = format_compact_range(value.value, high)
        # The label sits above the bar (below it near the top), inside the plot.
        half = len(text) * CHAR_WIDTH / 2
        centre = min(max(x, layout.left + half), layout.right - half)
        above = y_high - 8 - FONT_SIZE >= layout.top
        label = Text(_r(centre), _r(y_high - 8 if above else y_low + 18), text)
        layout.ranges.append(
            Range(
                _r(x),
                _r(y_low),
                _r(y_high),
                _r(x - RANGE_BAND / 2),
                _r(y_low - y_high),
                title,
                label,
            )
        )
