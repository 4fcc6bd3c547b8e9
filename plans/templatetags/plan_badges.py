"""The status badge of action items: ``{% status_badge item %}``.

One template (``includes/_status_badge.html``) draws every status badge: of an
action item, a progress update, a frozen board-pack row or a count per status.
"""

from django import template

from plans.models import ActionItem

register = template.Library()


@register.inclusion_tag("includes/_status_badge.html")
def status_badge(item=None, status=None):
    """The badge of ``item``'s status, with "Late" beside it when the item is
    late (``is_late``); or, without an item, the badge of ``status``."""
    if item is not None:
        status = item.status
    return {
        "status": status,
        "label": ActionItem.Status(status).label
        if status in ActionItem.Status.values
        else status,
        "late": getattr(item, "is_late", False),
    }
