"""An indicator: its trajectory against measured values, or its key figures."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plans.charts.base import (
    CHAR_WIDTH,
    FONT_SIZE,
    FRAMES,
    PALETTE,
    Chart,
    Layout,
    LegendEntry,
    Level,
    Mark,
    Range,
    Text,
    coord,
    year_position,
    year_ticks,
)
from plans.formatting import (
    format_amount,
    format_compact_range,
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
    return " ".join(f"{coord(x)},{coord(y)}" for x, y in pairs)


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
            coord(x_of(datetime.date(year, 1, 1)))
            for year in range(first_year, last_year + 2)
        ]
        room = min(6, (right - left) // YEAR_LABEL_ROOM)
        layout.x_labels = [
            Text(coord(x_of(datetime.date(year, 7, 2))), coord(bottom + 22), str(year))
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
                coord(x_of(point.date)),
                coord(y_of(point.value)),
                name % {"year": point.year, "value": format_amount(point.value, unit)},
            )
            (layout.baselines if point.is_baseline else layout.targets).append(mark)
        for target in undated:
            text = _("Target: %(value)s (no year)") % {
                "value": format_amount(target.value, unit)
            }
            y = coord(y_of(target.value))
            layout.levels.append(Level(y, Text(right - 4, coord(y - 7), text, "end")))
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
            layout.points.append(Mark(coord(x), coord(y_of(value.value)), title))
            continue
        y_low, y_high = y_of(value.value), y_of(high)
        text = format_compact_range(value.value, high)
        # The label sits above the bar (below it near the top), inside the plot.
        half = len(text) * CHAR_WIDTH / 2
        centre = min(max(x, layout.left + half), layout.right - half)
        above = y_high - 8 - FONT_SIZE >= layout.top
        label = Text(coord(centre), coord(y_high - 8 if above else y_low + 18), text)
        layout.ranges.append(
            Range(
                coord(x),
                coord(y_low),
                coord(y_high),
                coord(x - RANGE_BAND / 2),
                coord(y_low - y_high),
                title,
                label,
            )
        )
