"""Board packs: the meeting's document, frozen once.

A pack holds the cover (body, meeting, date, place), the agenda, the decisions
of this meeting and of the body's previous meeting with the items they
commissioned and how those stand, a summary per strategy, the items past their
due date and those with an overdue update, what moved since the body's previous
pack, the indicators and every action item of the pack's plans.

Closing a pack (``close_board_pack``) freezes, in one transaction: every action
item of its plans with its latest update and its follow-up flags, each
indicator's latest value, and the HTML of its two editions — the public one
(public items of published plans, public updates) and the members' one
(internal rows too, marked). The PDFs are rendered from that frozen HTML by a
task (``render_board_pack``) and stored with their SHA-256; a stored PDF is
never written again. A pack that holds an unpublished plan is not closed: the
public record would name it.

A preview (``preview_board_pack``) renders the same document from today's data
and stores nothing.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from plans.models import (
    ActionItem,
    ActionUpdate,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    Indicator,
    IndicatorValue,
    Meeting,
    MeetingDecision,
    Plan,
)
from plans.services import queue
from plans.services.boardpack_rows import (
    compare_packs,
    compare_rows,
    frozen_indicators,
    frozen_items,
    group_rows,
    late_rows,
    overdue_rows,
    past_due_count,
    status_summary,
    strategy_summary,
    with_numbers,
)
from plans.services.followup import HEALTH_RULE
from plans.services.pdf import PDFRenderError, render_pdf
from plans.services.pdf_serving import Member

logger = logging.getLogger(__name__)

ORGANISATION_NAME = "Flemingsberg – From Brains to Business"
Edition = BoardPack.Edition

__all__ = [
    "BoardPackError",
    "close_board_pack",
    "compare_packs",
    "frozen_indicators",
    "frozen_items",
    "group_rows",
    "past_due_count",
    "preview_board_pack",
    "previous_pack",
    "render_pack_editions",
    "status_summary",
    "with_numbers",
]


class BoardPackError(Exception):
    """A board pack cannot be closed (already closed, nothing to freeze, an
    unpublished plan, a correction that does not say what it corrects)."""


# ---------------------------------------------------------------------------
# Which packs, which meetings
# ---------------------------------------------------------------------------


def previous_pack(pack, visible_to=None):
    """The current closed pack of an earlier meeting of the same body, or None.

    With ``visible_to`` (a user), only packs that user may see are considered.
    """
    packs = BoardPack.objects.current()
    if visible_to is not None:
        packs = packs.visible_to(visible_to)
    return (
        packs.filter(
            meeting__body_id=pack.meeting.body_id,
            meeting__date__lt=pack.meeting.date,
        )
        .select_related("meeting__body")
        .without_documents()
        .order_by("-meeting__date", "-closed_at", "-pk")
        .first()
    )


def previous_meeting(meeting, public):
    """The body's meeting before ``meeting`` (a public one for ``public``)."""
    meetings = Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date)
    if public:
        meetings = meetings.public()
    return meetings.order_by("-date", "-pk").first()


def unpublished_plans(pack):
    """The pack's plans that the public may not read (drafts, non-public)."""
    published = pack.plans.published().values("pk")
    return list(pack.plans.exclude(pk__in=published).order_by("title"))


def preselected_plans(meeting):
    """The plans a new pack for ``meeting`` starts with: the published plans
    in follow-up that the body adopted or that show the body."""
    return (
        Plan.objects.published()
        .live()
        .filter(Q(governing_bodies=meeting.body_id) | Q(adopted_by=meeting.body_id))
        .distinct()
        .order_by("title")
    )


# ---------------------------------------------------------------------------
# The rows: built from today's data, saved when the pack is closed
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


def _strategy(item):
    """(label, order) of the strategy the item serves; ("", 0) for none."""
    strategy = item.served_strategy
    if strategy is None:
        return "", 0
    label = f"{strategy.code} {strategy.title}".strip() if strategy.code else ""
    return (label or strategy.title)[:330], strategy.order


def build_item_rows(pack, plan_ids, today):
    """Unsaved ``BoardPackItem`` rows: every action item of the plans as it
    stands, with its follow-up flags on ``today`` by the items' own rules."""
    scope = ActionItem.objects.filter(plan_id__in=plan_ids)
    items = scope.select_related(
        "plan",
        "focus_area__strategy",
        "strategy",
        "responsible_organisation",
        "responsible_person",
    ).order_by(
        "plan__title",
        "plan_id",
        F("focus_area__order").asc(nulls_last=True),
        "focus_area__code",
        "order",
        "code",
    )
    overdue = set(
        scope.update_overdue(internal=True, today=today).values_list("pk", flat=True)
    )
    public_overdue = set(
        scope.update_overdue(internal=False, today=today).values_list("pk", flat=True)
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
        # A public row keeps its latest public update, so the public edition
        # shows it even when an internal note came later; without a public
        # one, the latest internal update is kept, marked internal.
        update = latest.get(item.pk)
        if is_public:
            update = latest_public.get(item.pk, update)
        strategy, strategy_order = _strategy(item)
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
                strategy=strategy,
                strategy_order=strategy_order,
                is_late=item.is_late_on(today),
                update_overdue=item.pk in overdue,
                public_update_overdue=item.pk in public_overdue,
            )
        )
    return rows


def build_indicator_rows(pack, plan_ids):
    """Unsaved ``BoardPackIndicator`` rows: each indicator of the plans with
    its latest value (a public indicator with its latest *public* value, so
    the public edition can show it)."""
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
    for value in values.select_related("indicator"):
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
    return rows


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def _decisions(meeting, public, today):
    """The meeting's decisions, each with ``listed_items``: the items it
    commissioned that the edition may show, with ``late`` set for ``today``."""
    if meeting is None:
        return []
    items = ActionItem.objects.public() if public else ActionItem.objects.all()
    decisions = list(
        MeetingDecision.objects.filter(meeting=meeting).prefetch_related(
            Prefetch(
                "action_items",
                queryset=items.select_related("plan").order_by(
                    "plan__title", "order", "code"
                ),
                to_attr="listed_items",
            )
        )
    )
    for decision in decisions:
        for item in decision.listed_items:
            item.late = item.is_late_on(today)
    return decisions


def pack_context(pack, edition, item_rows, indicator_rows, closed_at, plans):
    """What the pack's template shows for one edition. ``item_rows`` and
    ``indicator_rows`` are every row of the pack (saved or not); the public
    edition keeps the public ones."""
    public = edition == Edition.PUBLIC
    viewer = AnonymousUser() if public else Member()
    today = timezone.localdate(closed_at)
    meeting = pack.meeting
    rows = [row for row in item_rows if row.is_public or not public]
    indicators = [row for row in indicator_rows if row.is_public or not public]
    previous = previous_pack(pack, visible_to=viewer)
    earlier = previous_meeting(meeting, public)
    if public:
        # The public record names published plans only.
        plans = [plan for plan in plans if plan.is_published]
    return {
        # The base template's document metadata reads ``plan``.
        "plan": {
            "owner": {"name": ORGANISATION_NAME},
            "get_kind_display": _("Board pack"),
            "period": meeting.date.year,
        },
        "pack": pack,
        "edition": edition,
        "public": public,
        "members": not public,
        "meeting": meeting,
        "closed_on": today,
        "plans": plans,
        "agenda": meeting.agenda_items,
        "decisions": _decisions(meeting, public, today),
        "previous_meeting": earlier,
        "previous_decisions": _decisions(earlier, public, today),
        "strategies": strategy_summary(rows, public),
        "health_rule": HEALTH_RULE,
        "late_rows": late_rows(rows),
        "overdue_rows": overdue_rows(rows, public),
        "groups": group_rows(rows),
        "summary": status_summary(rows),
        "past_due_count": past_due_count(rows),
        "item_count": len(rows),
        "internal_row_count": sum(1 for row in rows if not row.is_public),
        "indicators": with_numbers(indicators),
        "previous": previous,
        "changes": (
            compare_rows(previous, pack, rows, indicators, public=public)
            if previous
            else None
        ),
        "supersedes": pack.supersedes if pack.supersedes_id else None,
        "pdf": True,
    }


def pack_html(pack, edition, item_rows, indicator_rows, closed_at, plans):
    """The finished HTML of one edition, in the portal's main language
    (whoever closes the pack)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "plans/pdf/board_pack.html",
            pack_context(pack, edition, item_rows, indicator_rows, closed_at, plans),
        )


# ---------------------------------------------------------------------------
# Closing
# ---------------------------------------------------------------------------


def _refuse_unless_closable(pack):
    if pack.is_closed:
        raise BoardPackError(
            _(
                "The board pack for “%(meeting)s” was closed on %(date)s. "
                "A closed board pack never changes."
            )
            % {
                "meeting": pack.meeting,
                "date": timezone.localdate(pack.closed_at).isoformat(),
            }
        )
    if not pack.plans.exists():
        raise BoardPackError(
            _("Choose at least one plan before closing the board pack.")
        )
    hidden = unpublished_plans(pack)
    if hidden:
        raise BoardPackError(
            _(
                "The board pack holds plans that are not published: %(plans)s. "
                "Remove them from the pack or publish them before closing it."
            )
            % {"plans": ", ".join(f"“{plan.title}”" for plan in hidden)}
        )
    old = pack.supersedes
    if old is not None:
        if old.meeting_id != pack.meeting_id or not old.is_closed:
            raise BoardPackError(
                _("A board pack supersedes a closed pack of the same meeting.")
            )
        if not pack.correction.strip():
            raise BoardPackError(
                _("Say what the new board pack corrects before closing it.")
            )
    elif (
        BoardPack.objects.current()
        .filter(meeting_id=pack.meeting_id)
        .exclude(pk=pack.pk)
        .exists()
    ):
        raise BoardPackError(
            _(
                "The meeting already has a closed board pack. A new one must "
                "supersede it and say what it corrects."
            )
        )


def close_board_pack(pack, user, *, background=False):
    """Freeze the pack's rows and the HTML of both editions; store the PDFs.

    Atomic: either everything is frozen or nothing is. A pack is closed once;
    closing it again raises ``BoardPackError`` and changes nothing. With
    ``background`` the PDFs are rendered by the task worker after the
    transaction commits (the admin: no request waits for WeasyPrint);
    otherwise here, and a failed render undoes the closing.
    """
    with transaction.atomic():
        locked = (
            BoardPack.objects.select_for_update(of=("self",))
            .select_related("meeting__body", "supersedes__meeting")
            .without_documents()
            .get(pk=pack.pk)
        )
        _refuse_unless_closable(locked)
        closed_at = timezone.now()
        today = timezone.localdate(closed_at)
        plan_ids = list(locked.plans.values_list("pk", flat=True))
        item_rows = build_item_rows(locked, plan_ids, today)
        indicator_rows = build_indicator_rows(locked, plan_ids)
        BoardPackItem.objects.bulk_create(item_rows)
        BoardPackIndicator.objects.bulk_create(indicator_rows)
        plans = list(locked.plans.order_by("title"))
        locked.public_html = pack_html(
            locked, Edition.PUBLIC, item_rows, indicator_rows, closed_at, plans
        )
        locked.members_html = pack_html(
            locked, Edition.MEMBERS, item_rows, indicator_rows, closed_at, plans
        )
        locked.closed_at = closed_at
        locked.closed_by = user if user and user.is_authenticated else None
        locked.save(
            update_fields=["public_html", "members_html", "closed_at", "closed_by"]
        )
        if background:
            transaction.on_commit(lambda: queue.enqueue(render_board_pack, locked.pk))
        else:
            render_pack_editions(locked.pk, raise_errors=True)
    stored = BoardPack.objects.get(pk=pack.pk)
    for name in ("closed_at", "closed_by", "pdf", "pdf_sha256"):
        setattr(pack, name, getattr(stored, name))
    pack.members_pdf = stored.members_pdf
    pack.members_pdf_sha256 = stored.members_pdf_sha256
    return pack


def render_pack_editions(pk, raise_errors=False):
    """Render and store the PDF of each edition of closed pack ``pk`` that has
    none yet; a stored PDF is never replaced. Returns the editions rendered."""
    pack = BoardPack.objects.closed().filter(pk=pk).first()
    if pack is None:
        return []
    editions = [
        (Edition.PUBLIC, "pdf", pack.public_html, pack.pdf_sha256),
        (Edition.MEMBERS, "members_pdf", pack.members_html, pack.members_pdf_sha256),
    ]
    rendered = []
    for edition, field, html, checksum in editions:
        if checksum or not html:
            continue
        try:
            content = render_pdf(html)
        except PDFRenderError as exc:
            logger.warning("Board pack %s (%s) did not render: %s", pk, edition, exc)
            BoardPack.objects.filter(pk=pk).update(render_error=str(exc)[:2000])
            if raise_errors:
                raise
            continue
        sha_field = f"{field}_sha256"
        BoardPack.objects.filter(pk=pk, **{sha_field: ""}).update(
            **{field: content, sha_field: hashlib.sha256(content).hexdigest()},
            render_error="",
        )
        rendered.append(edition)
    return rendered


@task()
def render_board_pack(pk):
    """The task worker's side of closing: store the editions' PDFs."""
    return {"pack": pk, "rendered": render_pack_editions(pk)}


def render_again(packs):
    """Ask the worker again for the missing PDFs of closed ``packs`` (after a
    failed render)."""
    pks = list(packs.closed().values_list("pk", flat=True))
    for pk in pks:
        transaction.on_commit(lambda pk=pk: queue.enqueue(render_board_pack, pk))
    return len(pks)


# ---------------------------------------------------------------------------
# Preview
# ---------------------------------------------------------------------------


def preview_html(pack, edition):
    """The HTML the pack would have if it were closed now; nothing is stored."""
    now = timezone.now()
    plan_ids = list(pack.plans.values_list("pk", flat=True))
    item_rows = build_item_rows(pack, plan_ids, timezone.localdate(now))
    indicator_rows = build_indicator_rows(pack, plan_ids)
    plans = list(pack.plans.order_by("title"))
    return pack_html(pack, edition, item_rows, indicator_rows, now, plans)


def preview_board_pack(pack, edition):
    """The PDF the pack would have if it were closed now; nothing is stored."""
    return render_pdf(preview_html(pack, edition))
