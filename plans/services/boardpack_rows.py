"""Frozen rows of board packs: reading them, grouping them, summing them per
status and per strategy, and the difference between two packs.

Every function here works on rows, saved or not: a closed pack's frozen rows,
or the rows a preview builds from today's data without storing them.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.formatting import trimmed
from plans.models import ActionItem, BoardPack, BoardPackIndicator, BoardPackItem
from plans.services.followup import StatusCounts


def frozen_items(pack, public):
    """The pack's frozen action items in the order they were frozen."""
    rows = pack.items.order_by("pk")
    return rows.filter(is_public=True) if public else rows


def frozen_indicators(pack, public):
    rows = pack.indicators.order_by("name", "pk")
    return rows.filter(is_public=True) if public else rows


def with_numbers(indicator_rows):
    """Frozen indicator rows with ``number`` and ``number_high`` for display."""
    rows = list(indicator_rows)
    for row in rows:
        row.number = trimmed(row.value)
        row.number_high = trimmed(row.value_high)
    return rows


# ---------------------------------------------------------------------------
# Reading frozen rows
# ---------------------------------------------------------------------------


@dataclass
class RowGroup:
    """Frozen items of one plan and focus area, in their frozen order."""

    plan_title: str
    focus_area: str
    rows: list = field(default_factory=list)


def group_rows(rows):
    groups, by_key = [], {}
    for row in rows:
        key = (row.plan_title, row.focus_area)
        if key not in by_key:
            by_key[key] = RowGroup(row.plan_title, row.focus_area)
            groups.append(by_key[key])
        by_key[key].rows.append(row)
    return groups


def past_due_count(rows):
    """How many rows were open and past their due date when frozen."""
    return sum(1 for row in rows if row.is_late)


def late_rows(rows):
    """The rows that were open and past their due date when frozen."""
    return [row for row in rows if row.is_late]


def overdue_rows(rows, public):
    """The rows whose progress update was overdue when frozen: by the public
    updates for the public edition, by every update for members."""
    return [
        row
        for row in rows
        if (row.public_update_overdue if public else row.update_overdue)
    ]


def status_summary(rows):
    """[(status, label, count)] for every status, in the workflow's order."""
    counts = dict.fromkeys(ActionItem.Status.values, 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return [
        (status, ActionItem.Status(status).label, count)
        for status, count in counts.items()
    ]


@dataclass
class StrategySummary:
    """The frozen items serving one strategy (``title`` empty: none of them),
    counted and judged by the follow-up's own ``StatusCounts``."""

    title: str
    counts: StatusCounts

    @property
    def health(self):
        return self.counts.health

    @property
    def statuses(self):
        """[(status, label, count)] in the workflow's order."""
        return [
            (status, label, self.counts.by_status[status])
            for status, label in ActionItem.Status.choices
        ]


def strategy_summary(rows, public):
    """One ``StrategySummary`` per strategy the rows serve, in the strategies'
    order, and last the rows that serve none. The late and overdue flags were
    set by the follow-up rules when the rows were frozen."""
    by_title = {}
    ordered = sorted(
        rows, key=lambda row: (not row.strategy, row.strategy_order, row.strategy)
    )
    for row in ordered:
        summary = by_title.get(row.strategy)
        if summary is None:
            summary = by_title[row.strategy] = StrategySummary(
                row.strategy, StatusCounts()
            )
        overdue = row.public_update_overdue if public else row.update_overdue
        summary.counts.add(
            {
                "status": row.status,
                "n": 1,
                "late": int(row.is_late),
                "overdue": int(overdue),
            }
        )
    return list(by_title.values())


# ---------------------------------------------------------------------------
# Since last meeting: the difference between two closed packs
# ---------------------------------------------------------------------------


def _row_key(row):
    """A frozen row's identity across packs: its item, or (plan, code) once the
    item is deleted (the link is then empty in every pack alike)."""
    return ("item", row.item_id) if row.item_id else ("code", row.plan_title, row.code)


@dataclass
class ItemChange:
    """One frozen item as it stood in the older and in the newer pack."""

    before: BoardPackItem | None
    after: BoardPackItem | None

    @property
    def row(self):
        return self.after or self.before

    @property
    def before_status_label(self):
        return self.before.get_status_display() if self.before else ""

    @property
    def after_status_label(self):
        return self.after.get_status_display() if self.after else ""

    @property
    def progress_delta(self):
        if self.before is None or self.after is None:
            return None
        return self.after.progress - self.before.progress

    @property
    def due_days_moved(self):
        if self.before is None or self.after is None:
            return None
        if self.before.due_date and self.after.due_date:
            return (self.after.due_date - self.before.due_date).days
        return None


@dataclass
class IndicatorChange:
    before: BoardPackIndicator | None
    after: BoardPackIndicator | None

    @property
    def row(self):
        return self.after or self.before

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        if self.before.value is None or self.after.value is None:
            return None
        return trimmed(self.after.value - self.before.value)

    @property
    def before_number(self):
        return trimmed(self.before.value) if self.before else None

    @property
    def before_number_high(self):
        return trimmed(self.before.value_high) if self.before else None

    @property
    def after_number(self):
        return trimmed(self.after.value) if self.after else None

    @property
    def after_number_high(self):
        return trimmed(self.after.value_high) if self.after else None


@dataclass
class PackChanges:
    """What moved between an older and a newer closed pack."""

    old: BoardPack
    new: BoardPack
    public: bool
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    status_moves: list = field(default_factory=list)
    progress_changes: list = field(default_factory=list)
    new_updates: list = field(default_factory=list)
    due_date_moves: list = field(default_factory=list)
    indicator_moves: list = field(default_factory=list)

    KINDS = (
        ("added", _("Added action items")),
        ("closed", _("Closed action items")),
        ("status_moves", _("Status changes")),
        ("progress_changes", _("Progress changes")),
        ("new_updates", _("New progress updates")),
        ("due_date_moves", _("Due dates moved")),
        ("indicator_moves", _("Indicators moved")),
        ("removed", _("No longer in the board pack")),
    )

    @property
    def is_empty(self):
        return not any(getattr(self, kind) for kind, _label in self.KINDS)

    @property
    def summary(self):
        """[(kind, label, count)] of every kind of change, in reading order."""
        return [(kind, label, len(getattr(self, kind))) for kind, label in self.KINDS]


def _is_newer(row, before):
    """Whether ``row``'s latest update came after ``before``'s: by the moment it
    was written where both packs know it (an update written on the day of the
    earlier meeting is new), else by its date."""
    if before.latest_update_on is None:
        return True
    if row.latest_update_created_at and before.latest_update_created_at:
        return row.latest_update_created_at > before.latest_update_created_at
    return row.latest_update_on > before.latest_update_on


def compare_packs(old, new, *, public=False):
    """The changes from the closed pack ``old`` to the closed pack ``new``.

    ``public`` compares the public rows only (the public pages and the public
    edition): an item that became public counts as added, one that became
    internal as no longer in the pack, and only public updates count as new.
    """
    return compare_rows(
        old,
        new,
        frozen_items(new, public),
        frozen_indicators(new, public),
        public=public,
    )


def compare_rows(old, new, new_rows, new_indicators, *, public=False):
    """``compare_packs`` with the newer pack's rows given (saved or not):
    ``new_rows`` and ``new_indicators`` hold the rows ``public`` allows."""
    changes = PackChanges(old=old, new=new, public=public)
    old_rows = {_row_key(row): row for row in frozen_items(old, public)}
    new_rows = list(new_rows)
    since = timezone.localdate(old.closed_at) if old.closed_at else old.meeting.date
    seen = set()
    for row in new_rows:
        key = _row_key(row)
        seen.add(key)
        before = old_rows.get(key)
        change = ItemChange(before, row)
        update_is_new = row.latest_update_on is not None and (
            not public or row.latest_update_is_public
        )
        if before is None:
            changes.added.append(change)
            if update_is_new and row.latest_update_on >= since:
                changes.new_updates.append(change)
            continue
        if row.status != before.status:
            closed = ActionItem.CLOSED_STATUSES
            if row.status in closed and before.status not in closed:
                changes.closed.append(change)
            else:
                changes.status_moves.append(change)
        elif row.progress != before.progress:
            changes.progress_changes.append(change)
        if update_is_new and _is_newer(row, before):
            changes.new_updates.append(change)
        if row.due_date != before.due_date:
            changes.due_date_moves.append(change)
    changes.removed = [
        ItemChange(row, None) for key, row in old_rows.items() if key not in seen
    ]

    old_indicators = {
        (row.indicator_id or row.name): row for row in frozen_indicators(old, public)
    }
    for row in new_indicators:
        before = old_indicators.get(row.indicator_id or row.name)
        if before is None:
            if row.value is not None:
                changes.indicator_moves.append(IndicatorChange(None, row))
        elif (row.value, row.value_high, row.measured_on) != (
            before.value,
            before.value_high,
            before.measured_on,
        ):
            changes.indicator_moves.append(IndicatorChange(before, row))
    return changes
