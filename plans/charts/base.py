"""What every chart shares: frames, colours, axes, legends and the pieces a
drawing is made of, as plain data (positions, ticks, labels, colours).

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
import math
from collections import namedtuple
from dataclasses import dataclass, field

from plans.formatting import (
    format_compact,
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


def coord(number):
    """A coordinate as the SVG gets it: one decimal is finer than a pixel."""
    return round(float(number), 1)


def bar_share(part):
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


def label_width(texts):
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
            y = coord(layout.y_of(value))
            layout.ticks.append(Tick(y, format_compact(value, largest), coord(y + 5)))
        longest = max(len(tick.label) for tick in layout.ticks)
        layout.left = coord(max(40, longest * CHAR_WIDTH + 14))
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
        return coord(self.left - 8)

    @property
    def tick_end(self):
        return coord(self.bottom + 5)

    @property
    def height(self):
        return self.frame.height


@dataclass
class Chart:
    """A chart with a legend, drawn once per frame (``layouts``)."""

    chart_id: str
    title: str
    description: str
    legend: list
    layouts: list
    template: str = ""
