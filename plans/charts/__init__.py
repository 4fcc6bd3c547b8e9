"""Every chart of the portal as plain data: positions, ticks, labels, colours.

``base`` has what all charts share (frames, colours, axes, legends), ``bars``
the status bars and grouped columns, ``lines`` an indicator's trajectory; the
markup of each is in ``templates/plans/charts/``. Callers use this package's
names.
"""

from plans.charts.bars import (
    LABEL_LINE_CHARS,
    StatusBar,
    funding_chart,
    grouped_bar_chart,
    stacked_bar_chart,
    status_strip,
    wrap_label,
)
from plans.charts.base import (
    CHAR_WIDTH,
    FONT_SIZE,
    FRAMES,
    NARROW,
    STATUS_COLOURS,
    WIDE,
    axis_values,
    nice_axis,
    status_legend,
    year_ticks,
)
from plans.charts.lines import MIN_POINTS, indicator_chart

__all__ = [
    "CHAR_WIDTH",
    "FONT_SIZE",
    "FRAMES",
    "LABEL_LINE_CHARS",
    "MIN_POINTS",
    "NARROW",
    "STATUS_COLOURS",
    "WIDE",
    "StatusBar",
    "axis_values",
    "funding_chart",
    "grouped_bar_chart",
    "indicator_chart",
    "nice_axis",
    "stacked_bar_chart",
    "status_legend",
    "status_strip",
    "wrap_label",
    "year_ticks",
]
