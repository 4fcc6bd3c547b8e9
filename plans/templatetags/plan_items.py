"""An action item's status badge and progress bar: ``{% status_badge item %}``
and ``{% progress_bar item.progress %}``.

One template draws each: ``includes/_status_badge.html`` every status badge (of
an action item, a progress update, a frozen board-pack row or a count per
status), ``includes/_progress.html`` every progress bar. A badge depends only
on the status, lateness, a late item's end date and the language, a bar only
on the percentage and language, so each distinct one is rendered once per
process and then reused:
pages list hundreds of items, and an include per item cost more than the rest
of their row.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from plans.models import ActionItem

register = template.Library()

# Lazy labels: each renders in the language active when the badge is drawn.
STATUS_LABELS = dict(ActionItem.Status.choices)


@register.simple_tag
def status_badge(item=None, status=None):
    """The badge of ``item``'s status, with the date flag beside it when the
    item is past its end date (``is_late``); or, without an item, the badge of
    ``status``."""
    if item is not None:
        status = item.status
    late = bool(getattr(item, "is_late", False))
    due_date = getattr(item, "due_date", None) if late else None
    return _status_badge(status, late, due_date, get_language())


@register.simple_tag
def progress_bar(value):
    """A progress bar of ``value`` per cent (0–100)."""
    return _progress_bar(max(0, min(100, int(value or 0))), get_language())


@lru_cache(maxsize=1024)
def _status_badge(status, late, due_date, language):
    # ``language`` is part of the key: the label and the flag are rendered in it.
    return render_to_string(
        "includes/_status_badge.html",
        {
            "status": status,
            "label": STATUS_LABELS.get(status, status),
            "late": late,
            "due_date": due_date,
        },
    )


@lru_cache(maxsize=512)
def _progress_bar(value, language):
    return render_to_string("includes/_progress.html", {"value": value})
