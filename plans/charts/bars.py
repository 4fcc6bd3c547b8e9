"""Status bars and strips, and grouped columns (the funding of a plan)."""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from plans.charts.base import (
    FRAMES,
    PALETTE,
    STATUS_COLOURS,
    Bar,
    Chart,
    Column,
    Drawing,
    Layout,
    LegendEntry,
    Segment,
    Text,
    bar_share,
    coord,
    label_width,
)
from plans.formatting import (
    format_sek,
)
from plans.models import ActionItem

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
        x, width = bar_share(offset), bar_share(share)
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


@dataclass
class BarLayout(Layout):
    columns: list = field(default_factory=list)


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
        every = math.ceil(label_width(groups) / max(group_w - 4, 1)) or 1
        for g, group in enumerate(groups):
            start_x = left + g * group_w + (group_w - bar_w * len(series)) / 2
            if g % every == 0:
                layout.x_labels.append(
                    Text(coord(left + (g + 0.5) * group_w), coord(bottom + 24), group)
                )
            for s, name in enumerate(series):
                value = values[s][g]
                if value is None:
                    continue
                y = layout.y_of(value)
                layout.columns.append(
                    Column(
                        x=coord(start_x + s * bar_w + 1),
                        y=coord(y),
                        width=coord(bar_w - 2),
                        height=coord(bottom - y),
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
