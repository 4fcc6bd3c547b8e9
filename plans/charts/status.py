"""Hand-written server-side SVG charts: readable in HTML and PDF, CSP-safe.

A chart is an image (``role="img"``) with a ``<title>`` and a ``<desc>`` that
``aria-labelledby`` points to; the page shows the same numbers in a data table
right below it, so nobody depends on the picture. Widths are percentages of the
chart's width, so the chart scales from 360 px to desktop without shrinking its
text.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plans.models import ActionItem

# Fill and text colour per status: white text on dark fills (contrast ≥ 4.5:1),
# dark text on the one light fill. The same colours are used by the legend
# swatches in static/css/pages.css.
STATUS_COLOURS = {
    ActionItem.Status.DONE: ("#1d6b3a", "#ffffff"),
    ActionItem.Status.ONGOING: ("#1f5f99", "#ffffff"),
    ActionItem.Status.NOT_STARTED: ("#5b6670", "#ffffff"),
    ActionItem.Status.DELAYED: ("#a3261c", "#ffffff"),
    ActionItem.Status.PAUSED: ("#8a5a00", "#ffffff"),
    ActionItem.Status.CANCELLED: ("#ccd4da", "#1b2733"),
}
STATUS_ORDER = [
    ActionItem.Status.DONE,
    ActionItem.Status.ONGOING,
    ActionItem.Status.NOT_STARTED,
    ActionItem.Status.DELAYED,
    ActionItem.Status.PAUSED,
    ActionItem.Status.CANCELLED,
]

FONT_FAMILY = "Portal Sans, Source Sans 3, Segoe UI, sans-serif"
BAR_HEIGHT = 26
LINE_HEIGHT = 19
# SVG text does not wrap: labels are broken into lines short enough for a
# 360 px wide screen; the full label is in the chart's <desc> and the table.
LABEL_LINE_CHARS = 42
LABEL_MAX_LINES = 2
ROW_GAP = 14
# A segment narrower than this share of the bar gets no number inside it.
MIN_LABELLED_SHARE = 0.07


@dataclass
class Segment:
    """One coloured part of a bar: a status and how many items have it."""

    key: str
    label: str
    value: int


@dataclass
class Bar:
    """One horizontal bar made of segments, with a label shown above it."""

    label: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self):
        return sum(segment.value for segment in self.segments)

    def describe(self):
        """The bar's numbers as a sentence for the chart's <desc>."""
        parts = [
            f"{segment.label} {number_format(segment.value)}"
            for segment in self.segments
            if segment.value
        ]
        return _("%(label)s: %(parts)s.") % {
            "label": self.label,
            "parts": ", ".join(parts) if parts else _("no items"),
        }


def status_segments(counts):
    """Segments in the fixed status order from a mapping status -> count."""
    return [
        Segment(status.value, status.label, counts.get(status.value, 0))
        for status in STATUS_ORDER
    ]


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


def _percent(value):
    """A percentage with at most three decimals, always with a decimal point."""
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def stacked_bar_chart(bars, *, chart_id, title) -> SafeString:
    """An SVG with one horizontal stacked bar per entry of ``bars``.

    Each bar is scaled to its own total (the bars show shares); the counts are
    written inside segments wide enough to hold them, and in the <desc>. Only
    segments with a value produce a <rect>.
    """
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    rows = []
    top = 0
    for bar in bars:
        for line in wrap_label(bar.label):
            top += LINE_HEIGHT
            rows.append(
                format_html(
                    '<text x="0" y="{}" font-size="15" fill="#1b2733">{}</text>',
                    top - 5,
                    line,
                )
            )
        bar_top = top + 2
        top = bar_top + BAR_HEIGHT + ROW_GAP
        total = bar.total
        if not total:
            rows.append(
                format_html(
                    '<text x="0" y="{}" font-size="14" fill="#46535f">{}</text>',
                    bar_top + BAR_HEIGHT - 8,
                    _("No items"),
                )
            )
            continue
        offset = 0.0
        for segment in bar.segments:
            if not segment.value:
                continue
            share = segment.value / total
            fill, ink = STATUS_COLOURS.get(segment.key, ("#5b6670", "#ffffff"))
            rows.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'stroke="#ffffff" stroke-width="1" data-status="{}"></rect>',
                    _percent(offset * 100),
                    bar_top,
                    _percent(share * 100),
                    BAR_HEIGHT,
                    fill,
                    segment.key,
                )
            )
            if share >= MIN_LABELLED_SHARE:
                rows.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="14" font-weight="700" '
                        'fill="{}" text-anchor="middle">{}</text>',
                        _percent((offset + share / 2) * 100),
                        bar_top + BAR_HEIGHT - 8,
                        ink,
                        number_format(segment.value),
                    )
                )
            offset += share
    height = max(top - ROW_GAP, BAR_HEIGHT)
    description = " ".join(bar.describe() for bar in bars)
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'width="100%" height="{}" aria-labelledby="{} {}" font-family="{}">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        height,
        title_id,
        desc_id,
        FONT_FAMILY,
        title_id,
        title,
        desc_id,
        description,
        mark_safe("".join(rows)),  # every row comes from format_html
    )


def legend_entries():
    """(key, label) of every status in chart order, for an HTML legend."""
    return [(status.value, status.label) for status in STATUS_ORDER]


STRIP_HEIGHT = 12


def status_strip(counts) -> SafeString:
    """A thin bar of a group's items by status, for a row of a table.

    Decoration beside the same numbers in words: hidden from assistive
    technology, no text of its own. ``counts`` maps status -> count.
    """
    total = sum(counts.get(status.value, 0) for status in STATUS_ORDER)
    rects = []
    offset = 0.0
    for status in STATUS_ORDER:
        value = counts.get(status.value, 0)
        if not value or not total:
            continue
        share = value / total
        rects.append(
            f'<rect x="{_percent(offset * 100)}" y="0" '
            f'width="{_percent(share * 100)}" height="{STRIP_HEIGHT}" '
            f'fill="{STATUS_COLOURS[status][0]}" data-status="{status.value}"></rect>'
        )
        offset += share
    # Only numbers and fixed colours go into the markup.
    return mark_safe(
        f'<svg class="status-strip" xmlns="http://www.w3.org/2000/svg" '
        f'width="100%" height="{STRIP_HEIGHT}" aria-hidden="true" '
        f'focusable="false">{"".join(rects)}</svg>'
    )
