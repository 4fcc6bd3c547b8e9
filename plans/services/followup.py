"""Follow-up roll-up: how the action items of a group stand — a strategy, a
focus area, a plan, the vision — counted in one grouped query per page, and
the group's health (läge) by one rule.

The rule (``HEALTH_RULE``, shown on the pages in one sentence): a group is
*not started* while none of its items has started; *off track* when at least a
third of its open items are delayed or past their due date; *at risk* when any
open item is, or when at least a third of its open items have an overdue
update; otherwise *on track*.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models import ActionItem, Plan, Strategy

HEALTH_RULE = _(
    "Health: not started while no item has started; off track when at least a "
    "third of the open items are delayed or past their due date; at risk when "
    "any open item is, or when at least a third of the open items have an "
    "overdue update; otherwise on track."
)


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NOT_STARTED = "not_started", pgettext_lazy("health", "Not started")


@dataclass
class StatusCounts:
    """How many items of a group have each status; how many of them are late
    (past their due date), troubled (delayed or late) and have an overdue
    update."""

    by_status: dict = field(default_factory=lambda: defaultdict(int))
    late: int = 0
    overdue: int = 0
    troubled: int = 0

    def add(self, row):
        """Add a row of ``count_rows`` (one status of the group)."""
        self.by_status[row["status"]] += row["n"]
        self.late += row["late"]
        self.overdue += row["overdue"]
        self.troubled += row["n"] if row["status"] == "delayed" else row["late"]

    def merge(self, other):
        """Add the counts of ``other`` (another group) to these."""
        for status, number in other.by_status.items():
            self.by_status[status] += number
        self.late += other.late
        self.overdue += other.overdue
        self.troubled += other.troubled
        return self

    @property
    def total(self):
        return sum(self.by_status.values())

    @property
    def done(self):
        return self.by_status[ActionItem.Status.DONE]

    @property
    def ongoing(self):
        return self.by_status[ActionItem.Status.ONGOING]

    @property
    def open(self):
        return self.total - sum(
            self.by_status[status] for status in ActionItem.CLOSED_STATUSES
        )

    @property
    def share_done(self):
        """Done items as a whole percentage of all items (0 when there are none)."""
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def has_started(self):
        return self.total > self.by_status[ActionItem.Status.NOT_STARTED]

    @property
    def health(self):
        """The group's ``Health`` by ``HEALTH_RULE``."""
        if not self.has_started:
            return Health.NOT_STARTED
        open_items = self.open
        if open_items and 3 * self.troubled >= open_items and self.troubled:
            return Health.OFF_TRACK
        if self.troubled or (open_items and 3 * self.overdue >= open_items):
            return Health.AT_RISK
        return Health.ON_TRACK


def count_rows(items, user, today, *fields):
    """One grouped query: per value of ``fields`` and per status, the number of
    items, how many are late and how many have an overdue update. Each
    activity counts once (``ActionItemQuerySet.counted``)."""
    return list(
        items.counted(user)
        .values(*fields, "status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=ActionItem.late_condition(today)),
            overdue=Count(
                "id", filter=ActionItem.update_overdue_condition(user, today=today)
            ),
        )
        .order_by()
    )


def tally(rows, *keys):
    """``{key: StatusCounts}`` of ``count_rows`` rows, keyed by ``keys``."""
    counts = defaultdict(StatusCounts)
    for row in rows:
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        counts[key].add(row)
    return counts


def with_served_strategy(items):
    """Annotate ``served_strategy_id``: the item's strategy, else its focus
    area's (``ActionItem.served_strategy`` in SQL)."""
    return items.annotate(
        served_strategy_id=Coalesce(F("strategy"), F("focus_area__strategy"))
    )


@dataclass
class StrategyRow:
    """A strategy with the items that serve it."""

    strategy: Strategy | None
    counts: StatusCounts

    @property
    def health(self):
        return self.counts.health


def strategy_rollup(items, user, today, strategies):
    """Per strategy of ``strategies`` (in their order) the counts of the
    ``items`` that serve it, and a last row (strategy None) for the items that
    serve none of them, if any. One query."""
    rows = count_rows(with_served_strategy(items), user, today, "served_strategy_id")
    counts = tally(rows, "served_strategy_id")
    result = [
        StrategyRow(strategy, counts.get(strategy.pk, StatusCounts()))
        for strategy in strategies
    ]
    shown = {strategy.pk for strategy in strategies}
    unlinked = StatusCounts()
    for key, key_counts in counts.items():
        if key not in shown:
            unlinked.merge(key_counts)
    if unlinked.total:
        result.append(StrategyRow(None, unlinked))
    return result


def plan_scope(plan):
    """The plans whose items count for ``plan``: itself and its appendices (a
    business plan's report includes its handlingsplan's items)."""
    return Plan.objects.filter(models.Q(pk=plan.pk) | models.Q(parent=plan))
