"""The director's work queue on the admin start page: what needs doing now,
most urgent first. The rules are the action items' own (``update_overdue``,
``most_overdue_first``, ``late``); this only groups and counts them."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem, Plan

#: "Due soon": the update falls due within this many days.
SOON_DAYS = 14
#: Items listed per group; the rest are behind the group's links.
SHOWN = 8


@dataclass
class QueueGroup:
    """One kind of work: its items (the first ``SHOWN``), how many there are,
    and the list and bulk update page that hold all of them."""

    key: str
    title: str
    count: int
    items: list = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    bulk: bool = True

    @property
    def list_url(self):
        return _with_query(reverse("admin:plans_actionitem_changelist"), self.filters)

    @property
    def bulk_url(self):
        return _with_query(reverse("admin:plans_actionitem_bulk_update"), self.filters)


def _with_query(url, filters):
    return f"{url}?{urlencode(filters)}" if filters else url


def work_queue(today=None):
    """The groups of the queue, in the order the director works through them:
    updates overdue (longest first), updates due soon, past due date, and open
    items without a responsible person or a due date."""
    today = today or timezone.localdate()
    followed = ActionItem.objects.open().exclude(plan__status=Plan.Status.ARCHIVED)
    overdue = (
        followed.update_overdue(internal=True, today=today)
        .select_related("plan")
        .most_overdue_first()
    )
    soon = (
        followed.update_overdue(
            internal=True, today=today + datetime.timedelta(days=SOON_DAYS + 1)
        )
        .filter(next_update_due__gte=today)
        .select_related("plan")
        .most_overdue_first()
    )
    late = followed.late(today).select_related("plan").order_by("due_date", "code")
    unplanned = followed.filter(
        Q(responsible_person__isnull=True) | Q(due_date__isnull=True)
    )
    groups = [
        QueueGroup(
            "overdue",
            _("Progress update overdue"),
            overdue.count(),
            [_row(item, today) for item in overdue[:SHOWN]],
            {"update_overdue": "yes"},
        ),
        QueueGroup(
            "soon",
            _("Progress update due within two weeks"),
            soon.count(),
            [_row(item, today) for item in soon[:SHOWN]],
            {"update_overdue": "soon"},
        ),
        QueueGroup(
            "late",
            _("Past due date"),
            late.count(),
            [_row(item, today) for item in late[:SHOWN]],
            {"late": "yes"},
        ),
        QueueGroup(
            "unplanned",
            _("Open items without a responsible person"),
            unplanned.filter(responsible_person__isnull=True).count(),
            filters={"responsible_person__isnull": "True", "status__in": _open()},
            bulk=False,
        ),
        QueueGroup(
            "undated",
            _("Open items without a due date"),
            unplanned.filter(due_date__isnull=True).count(),
            filters={"due_date__isnull": "True", "status__in": _open()},
        ),
    ]
    return [group for group in groups if group.count]


def _open():
    return ",".join(
        status
        for status in ActionItem.Status
        if status not in ActionItem.CLOSED_STATUSES
    )


def _row(item, today):
    state = item.update_state(getattr(item, "latest_update_on", None), today)
    return {
        "item": item,
        "state": state,
        "url": reverse("admin:plans_actionitem_change", args=[item.pk]),
    }
