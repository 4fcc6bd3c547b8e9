"""Charts in templates: ``{% chart some_chart %}``, ``{% status_strip counts %}``,
``{% status_legend %}`` and ``{% key_figures follow_up %}``.

The geometry comes from ``plans.charts``; each tag renders the chart's own
template from ``templates/plans/charts/``.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from plans import charts

register = template.Library()


@register.simple_tag
def chart(drawing):
    """A chart of ``plans.charts`` (``None`` draws nothing)."""
    if drawing is None:
        return ""
    return render_to_string(drawing.template, {"chart": drawing})


@register.simple_tag
def status_strip(counts):
    """The strip of a group's items by status (``counts``: status -> number)."""
    return chart(charts.status_strip(counts))


@register.simple_tag
def status_legend():
    """The colours of the status charts, in the order of the statuses."""
    return render_to_string(
        "plans/charts/_legend.html",
        {
            "legend": charts.status_legend(),
            "legend_label": _("Colours of the charts"),
        },
    )


@register.simple_tag
def key_figures(follow_up):
    """An indicator's latest value, targets and status, for fewer than two values."""
    return chart(follow_up.key_figures())
