"""The line chart of an indicator: its target trajectory against measured values.

Hand-written SVG, like the funding chart in ``plans/charts.py``: it works in the
browser and in WeasyPrint, passes the strict CSP (presentation attributes only)
and sets its font itself, since SVG text in WeasyPrint does not inherit it. The
chart is an image with a title and a description; the table next to it
(``FollowUp.chart_rows``) holds the same figures.

The x axis is time: each year is a band, labelled in its middle, and a year's
target or baseline sits at the band's end (31 December). The y axis starts at
zero when the values are small against their spread, and otherwise hugs them.
"""

import calendar
import datetime
import math
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from plans.charts.funding import FONT_FAMILY, GRID, INK, INK_SOFT, PALETTE
from plans.formatting import format_amount, format_number, format_range, trimmed

WIDTH = 560
HEIGHT = 310
MARGIN_RIGHT = 16
MARGIN_BOTTOM = 40
LEGEND_TOP = 8
LEGEND_ROW = 24
FONT_SIZE = 14
CHAR_WIDTH = 7.6  # an average glyph of the font at FONT_SIZE, for layout
INSET = 14  # space between the plot's edge and the first or last year's point

TRAJECTORY = PALETTE[0]
MEASURED = PALETTE[1]
UNDATED = PALETTE[2]


# -- scales -----------------------------------------------------------------


def year_position(date):
    """A date as a fractional year: 1 January 2009 is 2009.0, 31 December ≈ 2009.997."""
    days = 366 if calendar.isleap(date.year) else 365
    return date.year + (date.timetuple().tm_yday - 1) / days


def nice_axis(low, high, max_ticks=6):
    """A round (start, end, step) of the value axis that holds ``low`` to ``high``."""
    low, high = float(low), float(high)
    if low >= 0 and (low == high or low <= 0.4 * high):
        low = 0.0
    if low == high:
        low, high = low - abs(low) * 0.1 - 1, high + abs(high) * 0.1 + 1
    pad = (high - low) * 0.05
    high += pad
    if low != 0:
        low -= pad
        if low < 0 <= float(min(low + pad, high)):
            low = 0.0
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span / max_ticks))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if span / step <= max_ticks:
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    if end <= start:
        end = start + step
    return start, end, step


def axis_number(value, largest):
    """A tick label in the active language; billions and millions shortened."""
    number = Decimal(str(round(value, 6)))
    if largest >= 10**9:
        return pgettext("billions on a chart axis", "%(number)s bn") % {
            "number": format_number(trimmed(number / 10**9))
        }
    if largest >= 10**7:
        return pgettext("millions on a chart axis", "%(number)s m") % {
            "number": format_number(trimmed(number / 10**6))
        }
    return format_number(trimmed(number))


def year_ticks(first, last, max_labels=6):
    """The years to label between ``first`` and ``last``: every 1, 2, 5 or 10."""
    span = last - first + 1
    for step in (1, 2, 5, 10, 20, 50):
        if span / step <= max_labels:
            break
    return [year for year in range(first, last + 1) if year % step == 0] or [first]


# -- the chart --------------------------------------------------------------


def _legend(entries):
    """Legend items (kind, label) left to right, wrapping; returns (svg, rows)."""
    items, x, row = [], 12, 0
    for kind, label in entries:
        item_width = 34 + len(str(label)) * CHAR_WIDTH + 20
        if x + item_width > WIDTH - MARGIN_RIGHT and x > 12:
            x, row = 12, row + 1
        y = LEGEND_TOP + row * LEGEND_ROW + 8
        if kind == "trajectory":
            swatch = format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5" '
                'stroke-dasharray="7 4"/>'
                '<path d="M{} {}l5 -5l5 5l-5 5z" fill="#fff" stroke="{}" '
                'stroke-width="2"/>',
                x,
                x + 26,
                y,
                y,
                TRAJECTORY,
                x + 8,
                y,
                TRAJECTORY,
            )
        elif kind == "measured":
            swatch = format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>'
                '<circle cx="{}" cy="{}" r="5" fill="{}"/>',
                x,
                x + 26,
                y,
                y,
                MEASURED,
                x + 13,
                y,
                MEASURED,
            )
        else:
            swatch = format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="3 3"/>',
                x,
                x + 26,
                y,
                y,
                UNDATED,
            )
        items.append(
            format_html(
                '<g class="indicator-chart__legend-item">{}'
                '<text x="{}" y="{}" fill="{}">{}</text></g>',
                swatch,
                x + 34,
                y + 5,
                INK,
                label,
            )
        )
        x += item_width
    return mark_safe("".join(items)), row + 1


def indicator_chart(follow_up, *, chart_id, title=None, description=None):
    """The chart of a ``FollowUp`` (plans.services.indicators) as SVG ("" if empty)."""
    indicator = follow_up.indicator
    unit = indicator.unit
    trajectory = follow_up.trajectory
    values = follow_up.values
    undated = trajectory.undated
    if not trajectory.points and not values and not undated:
        return ""

    # -- the value axis
    numbers = [point.value for point in trajectory.points]
    numbers += [target.value for target in undated]
    for value in values:
        numbers.append(value.value)
        if value.value_high is not None:
            numbers.append(value.value_high)
    y_start, y_end, y_step = nice_axis(min(numbers), max(numbers))
    largest = max(abs(y_start), abs(y_end))
    ticks = []
    tick = y_start
    while tick <= y_end + y_step / 2:
        ticks.append(tick)
        tick += y_step
    labels = [axis_number(tick, largest) for tick in ticks]
    margin_left = max(48, int(max(len(label) for label in labels) * CHAR_WIDTH) + 18)

    # -- the legend and the plot area
    entries = []
    if trajectory.points:
        entries.append(("trajectory", _("Target trajectory")))
    if values:
        entries.append(("measured", _("Measured value")))
    if undated:
        entries.append(("undated", _("Target without a year")))
    legend, legend_rows = _legend(entries)
    top = LEGEND_TOP + legend_rows * LEGEND_ROW + 28
    bottom = HEIGHT - MARGIN_BOTTOM
    left, right = margin_left, WIDTH - MARGIN_RIGHT
    plot_h = bottom - top

    def y_of(number):
        share = (float(number) - y_start) / (y_end - y_start)
        return bottom - plot_h * share

    # -- the time axis
    dates = [point.date for point in trajectory.points] + [v.date for v in values]
    if dates:
        first_year = min(dates).year
        last_year = max(dates).year
        if last_year - first_year < 2:  # a year either side, for context
            first_year, last_year = first_year - 1, last_year + 1
        x_start, x_end = first_year, last_year + 1

        def x_of(date):
            share = (year_position(date) - x_start) / (x_end - x_start)
            return left + INSET + (right - left - 2 * INSET) * share

    grid = []
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                right,
                GRID,
                left - 8,
                f"{y + 5:.1f}",
                INK_SOFT,
                label,
                y=f"{y:.1f}",
            )
        )

    years = []
    if dates:
        for year in range(x_start, x_end + 1):
            x = x_of(datetime.date(year, 1, 1))
            years.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="{}" '
                    'stroke-width="1"/>',
                    f"{bottom:.1f}",
                    f"{bottom + 5:.1f}",
                    INK_SOFT,
                    x=f"{x:.1f}",
                )
            )
        for year in year_ticks(first_year, last_year):
            middle = x_of(datetime.date(year, 7, 2))
            years.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    f"{middle:.1f}",
                    f"{bottom + 22:.1f}",
                    INK,
                    year,
                )
            )

    # -- the trajectory: a dashed line, a diamond per target, a square baseline
    marks = []
    path = trajectory.path()
    if len(path) > 1:
        marks.append(
            format_html(
                '<polyline class="indicator-chart__trajectory" points="{}" fill="none" '
                'stroke="{}" stroke-width="2.5" stroke-dasharray="7 4"/>',
                " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in path),
                TRAJECTORY,
            )
        )
    for point in trajectory.points:
        x, y = x_of(point.date), y_of(point.value)
        if point.is_baseline:
            name = _("Baseline %(year)s: %(value)s")
            shape = format_html(
                '<rect class="indicator-chart__baseline" x="{}" y="{}" width="10" '
                'height="10" fill="#fff" stroke="{}" stroke-width="2">',
                f"{x - 5:.1f}",
                f"{y - 5:.1f}",
                TRAJECTORY,
            )
            closing = mark_safe("</rect>")
        else:
            name = _("Target %(year)s: %(value)s")
            shape = format_html(
                '<path class="indicator-chart__target" d="M{} {}l6 -6l6 6l-6 6z" '
                'fill="#fff" stroke="{}" stroke-width="2">',
                f"{x - 6:.1f}",
                f"{y:.1f}",
                TRAJECTORY,
            )
            closing = mark_safe("</path>")
        marks.append(
            format_html(
                "{}<title>{}</title>{}",
                shape,
                name % {"year": point.year, "value": format_amount(point.value, unit)},
                closing,
            )
        )

    # -- targets without a year: a dotted level across the plot
    for target in undated:
        y = y_of(target.value)
        marks.append(
            format_html(
                '<g class="indicator-chart__undated"><line x1="{}" x2="{}" y1="{y}" '
                'y2="{y}" stroke="{}" stroke-width="2" stroke-dasharray="3 3"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text></g>',
                left,
                right,
                UNDATED,
                right - 4,
                f"{y - 7:.1f}",
                INK,
                _("Target: %(value)s (no year)")
                % {"value": format_amount(target.value, unit)},
                y=f"{y:.1f}",
            )
        )

    # -- measured values: dots on a line; a range is a capsule from low to high
    if len(values) > 1:
        centre = [
            (
                v.date,
                (v.value + v.value_high) / 2 if v.value_high is not None else v.value,
            )
            for v in values
        ]
        marks.append(
            format_html(
                '<polyline class="indicator-chart__values" points="{}" fill="none" '
                'stroke="{}" stroke-width="2"/>',
                " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in centre),
                MEASURED,
            )
        )
    for value in values:
        x = x_of(value.date)
        tooltip = _("Measured %(date)s: %(value)s") % {
            "date": value.date.isoformat(),
            "value": format_range(value.value, value.value_high, unit),
        }
        if value.value_high is not None and value.value_high != value.value:
            y_low, y_high = y_of(value.value), y_of(value.value_high)
            height = max(y_low - y_high, 10)
            marks.append(
                format_html(
                    '<rect class="indicator-chart__point '
                    'indicator-chart__point--range" x="{}" y="{}" width="10" '
                    'height="{}" rx="5" fill="{}">'
                    "<title>{}</title></rect>",
                    f"{x - 5:.1f}",
                    f"{(y_low + y_high) / 2 - height / 2:.1f}",
                    f"{height:.1f}",
                    MEASURED,
                    tooltip,
                )
            )
        else:
            marks.append(
                format_html(
                    '<circle class="indicator-chart__point" cx="{}" cy="{}" r="5.5" '
                    'fill="{}" stroke="#fff" stroke-width="1.5"><title>{}</title>'
                    "</circle>",
                    f"{x:.1f}",
                    f"{y_of(value.value):.1f}",
                    MEASURED,
                    tooltip,
                )
            )

    if title is None:
        title = _("%(name)s: target trajectory and measured values") % {
            "name": indicator.name
        }
    if description is None:
        description = chart_description(follow_up)
    unit_label = (
        format_html(
            '<text class="indicator-chart__unit" x="{}" y="{}" text-anchor="start" '
            'fill="{}">{}</text>',
            12,
            top - 12,
            INK_SOFT,
            unit,
        )
        if unit
        else ""
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" '
        'font-size="{size}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="indicator-chart__legend">{legend}</g>{unit}'
        '<g class="indicator-chart__grid">{grid}</g>'
        '<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{axis}" '
        'stroke-width="1.5"/>'
        '<g class="indicator-chart__years">{years}</g>'
        '<g class="indicator-chart__marks">{marks}</g></svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        title=title,
        desc=description,
        legend=legend,
        unit=unit_label,
        grid=mark_safe("".join(grid)),
        left=left,
        right=right,
        bottom=f"{bottom:.1f}",
        axis=INK_SOFT,
        years=mark_safe("".join(years)),
        marks=mark_safe("".join(marks)),
    )


def chart_description(follow_up):
    """What the chart shows, in words, for those who cannot see it."""
    trajectory = follow_up.trajectory
    parts = []
    targets = [point for point in trajectory.points if not point.is_baseline]
    if trajectory.start and trajectory.start.is_baseline:
        parts.append(
            _("Baseline %(value)s in %(year)s.")
            % {
                "value": format_amount(
                    trajectory.start.value, follow_up.indicator.unit
                ),
                "year": trajectory.start.year,
            }
        )
    if targets:
        parts.append(
            _("Targets: %(targets)s.")
            % {
                "targets": ", ".join(
                    f"{format_amount(p.value, follow_up.indicator.unit)} {p.year}"
                    for p in targets
                )
            }
        )
    for target in trajectory.undated:
        parts.append(
            _("Target without a year: %(value)s.")
            % {"value": format_amount(target.value, follow_up.indicator.unit)}
        )
    count = len(follow_up.values)
    if count:
        latest = follow_up.latest
        parts.append(
            ngettext(
                "%(count)s measured value: %(value)s on %(date)s.",
                "%(count)s measured values, the latest %(value)s on %(date)s.",
                count,
            )
            % {
                "count": count,
                "value": format_range(
                    latest.value, latest.value_high, follow_up.indicator.unit
                ),
                "date": latest.date.isoformat(),
            }
        )
    else:
        parts.append(_("No measured values yet."))
    parts.append(_("The table next to the chart holds the same figures."))
    return " ".join(str(part) for part in parts)
