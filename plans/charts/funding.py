"""Server-side SVG charts for the plan documents.

Hand-written SVG works in the browser and in WeasyPrint alike and passes a strict
CSP: no scripts, no inline styles, only presentation attributes. Each chart is an
image with a title and a description; the table next to it holds the data.
"""

import math
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from plans.formatting import format_number, format_sek

# Fills with at least 3:1 contrast against white (WCAG 1.4.11), distinguishable
# side by side; the legend names every colour.
PALETTE = ["#0b4f6c", "#b8412b", "#7a5c00", "#3f6f2a", "#5b4a8b", "#46535f"]
INK = "#1b2733"
INK_SOFT = "#46535f"
GRID = "#d5dde3"
FONT_FAMILY = "'Portal Sans', sans-serif"

WIDTH = 520
HEIGHT = 300
MARGIN_LEFT = 84
MARGIN_RIGHT = 12
MARGIN_BOTTOM = 36
LEGEND_ROW = 24
FONT_SIZE = 15


def nice_ceiling(value, max_ticks=5):
    """A round axis maximum and its step (1, 2, 2.5 or 5 × 10ⁿ) for ``value``.

    The axis has at most ``max_ticks`` steps and ends at the first step at or
    above the value.
    """
    value = float(value)
    if value <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(value / max_ticks))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * max_ticks >= value:
            break
    ticks = max(1, math.ceil(value / step - 1e-9))
    return step * ticks, step


def _legend(series, width):
    """Legend items laid out left to right, wrapping into rows; returns (svg, rows)."""
    items, x, row = [], MARGIN_LEFT, 0
    for index, label in enumerate(series):
        item_width = 22 + len(label) * 8.5 + 18
        if x + item_width > width - MARGIN_RIGHT and x > MARGIN_LEFT:
            x, row = MARGIN_LEFT, row + 1
        y = 8 + row * LEGEND_ROW
        items.append(
            format_html(
                '<g class="plan-chart__legend-item">'
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text></g>',
                x,
                y,
                PALETTE[index % len(PALETTE)],
                x + 20,
                y + 12,
                INK,
                label,
            )
        )
        x += item_width
    return mark_safe("".join(items)), row + 1


def grouped_bar_chart(
    *, chart_id, title, description, groups, series, values, unit_label=""
):
    """A grouped column chart as an SVG string.

    ``groups`` label the x axis (e.g. years), ``series`` name the bars in each
    group (e.g. organisations), ``values[s][g]`` is the value of series ``s`` in
    group ``g`` (``None`` for no bar). One ``rect.plan-chart__bar`` per value.
    """
    legend, legend_rows = _legend(series, WIDTH)
    top = 8 + legend_rows * LEGEND_ROW + 30
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - top - MARGIN_BOTTOM
    bottom = top + plot_h

    maximum = max(
        (v for row in values for v in row if v is not None), default=Decimal(0)
    )
    axis_max, step = nice_ceiling(maximum)

    grid = []
    tick = 0.0
    while tick <= axis_max + step / 2:
        y = bottom - plot_h * tick / axis_max
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                MARGIN_LEFT,
                WIDTH - MARGIN_RIGHT,
                f"{y:.1f}",
                f"{y:.1f}",
                GRID,
                MARGIN_LEFT - 8,
                f"{y + 5:.1f}",
                INK_SOFT,
                format_number(Decimal(str(tick))),
            )
        )
        tick += step

    bars, labels = [], []
    group_w = plot_w / max(len(groups), 1)
    inner_w = group_w * 0.72
    bar_w = min(inner_w / max(len(series), 1), 56)
    for g, group in enumerate(groups):
        used_w = bar_w * len(series)
        start = MARGIN_LEFT + g * group_w + (group_w - used_w) / 2
        labels.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                f"{MARGIN_LEFT + g * group_w + group_w / 2:.1f}",
                bottom + 24,
                INK,
                group,
            )
        )
        for s, name in enumerate(series):
            value = values[s][g]
            if value is None:
                continue
            height = plot_h * float(value) / axis_max
            bars.append(
                format_html(
                    '<rect class="plan-chart__bar" x="{}" y="{}" width="{}" '
                    'height="{}" fill="{}"><title>{} {}: {}</title></rect>',
                    f"{start + s * bar_w + 1:.1f}",
                    f"{bottom - height:.1f}",
                    f"{bar_w - 2:.1f}",
                    f"{height:.1f}",
                    PALETTE[s % len(PALETTE)],
                    name,
                    group,
                    format_sek(value),
                )
            )

    unit = (
        format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
            MARGIN_LEFT - 8,
            top - 12,
            INK_SOFT,
            unit_label,
        )
        if unit_label
        else ""
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="plan-chart" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" '
        'font-size="{size}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="plan-chart__legend">{legend}</g>{unit}'
        '<g class="plan-chart__grid">{grid}</g>'
        '<g class="plan-chart__bars">{bars}</g>'
        '<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{axis}" '
        'stroke-width="1.5"/>'
        '<g class="plan-chart__labels">{labels}</g></svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        title=title,
        desc=description,
        legend=legend,
        unit=unit,
        grid=mark_safe("".join(grid)),
        bars=mark_safe("".join(bars)),
        left=MARGIN_LEFT,
        right=WIDTH - MARGIN_RIGHT,
        bottom=f"{bottom:.1f}",
        axis=INK_SOFT,
        labels=mark_safe("".join(labels)),
    )


def funding_chart(funding, *, chart_id, title, description, unit_label=""):
    """The funding of a plan per organisation and year (see ``FundingTable``)."""
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        groups=[str(year) for year in funding.years],
        series=[row.organisation.label for row in funding.rows],
        values=[row.amounts for row in funding.rows],
        unit_label=unit_label,
    )
