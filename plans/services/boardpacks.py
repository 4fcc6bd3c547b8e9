"""Board packs: what a meeting was shown, and what moved since.

A board pack is closed once, by the editor in the admin: every action item of
the pack's plans (members' view: internal items too, each row flagged) with its
latest update, and each indicator's latest value are copied into frozen rows,
and the public version of the pack is rendered once to PDF and stored with its
SHA-256. Nothing of a closed pack is ever written again.

Public rows keep their latest *public* update (an internal one only when there
is no public one, flagged), public indicators their latest public value: what
the public saw is never lost behind a later internal note.

The stored PDF is the *public* version (public items of published plans and
public updates only), so the document anyone can download and cite is the same
for everyone; the HTML page of the pack shows members the internal rows too.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import (
    F,
    Q,
)
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from plans.formatting import trimmed
from plans.models import (
    ActionItem,
    ActionUpdate,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    Indicator,
    IndicatorValue,
)
from plans.services.pdf import render_pdf

ORGANISATION_NAME = "Flemingsberg – From Brains to Business"


class BoardPackError(Exception):
    """A board pack cannot be closed (already closed, or nothing to freeze)."""


# ---------------------------------------------------------------------------
# Which packs
# ---------------------------------------------------------------------------


def previous_pack(pack, visible_to=None):
    """The latest closed pack of an earlier meeting of the same body, or None.

    With ``visible_to`` (a user), only packs that user may see are considered.
    """
    packs = BoardPack.objects.closed()
    if visible_to is not None:
        packs = packs.visible_to(visible_to)
    return (
        packs.filter(
            meeting__body_id=pack.meeting.body_id,
            meeting__date__lt=pack.meeting.date,
        )
        .select_related("meeting__body")
        .defer("pdf")
        .order_by("-meeting__date", "-closed_at", "-pk")
        .first()
    )


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
# Closing a pack
# ---------------------------------------------------------------------------


def _responsible(item):
    """Who answers for the item, as one line: committee or organisation; person."""
    organisation = item.responsible_organisation
    person = item.responsible_person
    parts = []
    for part in (
        item.responsible_body or (organisation.name if organisation else ""),
        person.name if person else item.responsible_officer,
    ):
        part = (part or "").strip()
        if part and part not in parts:
            parts.append(part)
    return "; ".join(parts)[:500]


def _freeze_items(pack, plan_ids):
    items = (
        ActionItem.objects.filter(plan_id__in=plan_ids)
        .select_related(
            "plan", "focus_area", "responsible_organisation", "responsible_person"
        )
        .order_by(
            "plan__title",
            "plan_id",
            F("focus_area__order").asc(nulls_last=True),
            "focus_area__code",
            "order",
            "code",
        )
    )
    latest, latest_public = {}, {}
    updates = (
        ActionUpdate.objects.written()
        .filter(item__plan_id__in=plan_ids)
        .order_by("item_id", "-date", "-pk")
        .only("item_id", "date", "text", "is_public", "created_at")
    )
    for update in updates:
        latest.setdefault(update.item_id, update)
        if update.is_public:
            latest_public.setdefault(update.item_id, update)
    rows = []
    for item in items:
        is_public = item.is_public and item.plan.is_published
        # A public row keeps its latest public update, so the public pack (and
        # the PDF) shows it even when an internal note came later; without a
        # public one, the latest internal update is kept, marked internal.
        update = latest.get(item.pk)
        if is_public:
            update = latest_public.get(item.pk, update)
        rows.append(
            BoardPackItem(
                pack=pack,
                item=item,
                plan_title=item.plan.title[:200],
                focus_area=item.focus_area.title[:300] if item.focus_area else "",
                code=item.code,
                title=item.title,
                status=item.status,
                progress=item.progress,
                due_date=item.due_date,
                responsible=_responsible(item),
                latest_update_on=update.date if update else None,
                latest_update_text=update.text if update else "",
                latest_update_is_public=update.is_public if update else True,
                latest_update_created_at=update.created_at if update else None,
                is_public=is_public,
            )
        )
    BoardPackItem.objects.bulk_create(rows)
    return len(rows)


def _freeze_indicators(pack, plan_ids):
    """Each indicator of the plans with its latest value.

    A public indicator is frozen with its latest *public* value, so the public
    pack can show it; an internal indicator with its latest value of any kind.
    """
    indicators = list(
        Indicator.objects.filter(
            Q(plans__in=plan_ids)
            | Q(action_items__plan__in=plan_ids)
            | Q(strategies__plan__in=plan_ids)
        )
        .distinct()
        .order_by("name")
    )
    values = IndicatorValue.objects.filter(indicator__in=indicators).order_by(
        "indicator_id", "-date", "-pk"
    )
    latest = {}
    for value in values:
        if value.indicator_id in latest:
            continue
        if value.is_public or not value.indicator.is_public:
            latest[value.indicator_id] = value
    rows = []
    for indicator in indicators:
        value = latest.get(indicator.pk)
        rows.append(
            BoardPackIndicator(
                pack=pack,
                indicator=indicator,
                name=indicator.name,
                unit=indicator.unit,
                value=value.value if value else None,
                value_high=value.value_high if value else None,
                measured_on=value.date if value else None,
                is_public=indicator.is_public,
            )
        )
    BoardPackIndicator.objects.bulk_create(rows)
    return len(rows)


def board_pack_pdf_html(pack, closed_at):
    """The finished HTML of the pack's stored PDF: the public version."""
    public = True
    previous = previous_pack(pack, visible_to=AnonymousUser())
    items = list(frozen_items(pack, public))
    changes = compare_packs(previous, pack, public=public) if previous else None
    return render_to_string(
        "plans/pdf/board_pack.html",
        {
            # The base template's document metadata reads ``plan``.
            "plan": {
                "owner": {"name": ORGANISATION_NAME},
                "get_kind_display": _("Board pack"),
                "period": pack.meeting.date.year,
            },
            "pack": pack,
            "meeting": pack.meeting,
            "closed_on": timezone.localdate(closed_at),
            "plans": list(pack.plans.order_by("title")),
            "groups": group_rows(items),
            "summary": status_summary(items),
            "past_due_count": past_due_count(items, timezone.localdate(closed_at)),
            "item_count": len(items),
            "indicators": with_numbers(frozen_indicators(pack, public)),
            "previous": previous,
            "changes": changes,
            "public": public,
            "pdf": True,
        },
    )


def close_board_pack(pack, user):
    """Freeze the pack's items and indicators, render and store its PDF.

    Atomic: either everything is stored or nothing is. A pack is closed once;
    closing it again raises ``BoardPackError`` and changes nothing.
    """
    with transaction.atomic():
        locked = (
            BoardPack.objects.select_for_update()
            .select_related("meeting__body")
            .defer("pdf")
            .get(pk=pack.pk)
        )
        if locked.is_closed:
            raise BoardPackError(
                _(
                    "The board pack for “%(meeting)s” was closed on %(date)s. "
                    "A closed board pack never changes."
                )
                % {
                    "meeting": locked.meeting,
                    "date": timezone.localdate(locked.closed_at).isoformat(),
                }
            )
        plan_ids = list(locked.plans.values_list("pk", flat=True))
        if not plan_ids:
            raise BoardPackError(
                _("Choose at least one plan before closing the board pack.")
            )
        _freeze_items(locked, plan_ids)
        _freeze_indicators(locked, plan_ids)
        closed_at = timezone.now()
        # The stored document is in the portal's main language, whoever closes it.
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_pdf(board_pack_pdf_html(locked, closed_at))
        locked.pdf = pdf
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.closed_at = closed_at
        locked.closed_by = user if user and user.is_authenticated else None
        locked.save(update_fields=["pdf", "pdf_sha256", "closed_at", "closed_by"])
    pack.pdf, pack.pdf_sha256 = locked.pdf, locked.pdf_sha256
    pack.closed_at, pack.closed_by = locked.closed_at, locked.closed_by
    return pack


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


def past_due_count(rows, on):
    """How many frozen items were open and past their due date on ``on``."""
    return sum(
        1
        for row in rows
        if row.due_date is not None
        and row.due_date < on
        and row.status not in ActionItem.CLOSED_STATUSES
    )


def status_summary(rows):
    """[(status, label, count)] for every status, in the workflow's order."""
    counts = dict.fromkeys(ActionItem.Status.values, 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return [
        (status, ActionItem.Status(status).label, count)
        for status, count in counts.items()
    ]


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

    ``public`` compares the public rows only (the public pages and the stored
    PDF): an item that became public counts as added, one that became internal
    as no longer in the pack, and only public updates count as new.
    """
    changes = PackChanges(old=old, new=new, public=public)
    old_rows = {_row_key(row): row for row in frozen_items(old, public)}
    new_rows = list(frozen_items(new, public))
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
    for row in frozen_indicators(new, public):
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
