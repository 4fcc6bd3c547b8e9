"""The progress report of a plan: every item with its latest update, grouped by
focus area, a summary per status, the late items and, optionally, what changed
since a date. Shared by the HTML page and the PDF."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from flemingsberg.permissions import sees_internal
from plans.models import ActionItem, ActionUpdate, Meeting, Plan
from plans.services.followup import plan_scope
from plans.services.rollup import StrategyRollup, plan_rollup

CLOSED = set(ActionItem.CLOSED_STATUSES)


@dataclass
class StatusMove:
    item: ActionItem
    old_status: str
    new_status: str
    old_progress: int
    new_progress: int

    @property
    def old_status_label(self):
        return ActionItem.Status(self.old_status).label

    @property
    def new_status_label(self):
        return ActionItem.Status(self.new_status).label


@dataclass
class Changes:
    since: datetime.date
    added: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    status_moves: list = field(default_factory=list)
    progress_changes: list = field(default_factory=list)
    updates: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (
            self.added
            or self.closed
            or self.status_moves
            or self.progress_changes
            or self.updates
        )


@dataclass
class ReportGroup:
    title: str
    items: list

    @property
    def empty_columns(self):
        """The columns of the group's table (5: due date, 6: responsible,
        7: latest update) with nothing in any row: the print leaves them out."""
        columns = {
            5: lambda item: item.due_date,
            6: lambda item: item.responsible_body or item.responsible_organisation_id,
            7: lambda item: item.latest_update,
        }
        return [
            number
            for number, value in columns.items()
            if not any(value(item) for item in self.items)
        ]


@dataclass
class ProgressReport:
    plan: object
    generated_on: datetime.date
    groups: list
    summary: list
    total: int
    done_share: int
    late: list
    strategies: StrategyRollup | None = None
    changes: Changes | None = None


#: The earliest "changes since" date a report accepts; the latest is today.
EARLIEST_SINCE = datetime.date(1900, 1, 1)
#: Months back for which the first of the month is offered as a "since" date.
OFFERED_MONTHS = 12


def parse_since(value, today=None):
    """A ``YYYY-MM-DD`` date from 1900-01-01 to today, or None when absent;
    ValueError with a message for the visitor otherwise."""
    if value in (None, ""):
        return None
    try:
        since = datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-01-31.")
            % {"value": value}
        ) from exc
    today = today or timezone.localdate()
    if not EARLIEST_SINCE <= since <= today:
        raise ValueError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_SINCE.isoformat(), "last": today.isoformat()}
        )
    return since


@dataclass(frozen=True)
class SinceOption:
    """A "changes since" date the report page offers, with what it is."""

    date: datetime.date
    label: str


def offered_since_dates(plan, user, today=None):
    """The "changes since" dates the report page offers, newest first: the
    past meetings of the plan's governing bodies (the ones it shows and the
    one that adopted it) that the visitor may see, and the first of each of
    the last twelve months. Only these are rendered as PDFs for anyone."""
    today = today or timezone.localdate()
    bodies = set(plan.governing_bodies.values_list("pk", flat=True))
    if plan.adopted_by_id:
        bodies.add(plan.adopted_by_id)
    options = {}
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(body__in=bodies, date__lt=today, date__gte=EARLIEST_SINCE)
        .select_related("body")
        .order_by("-date", "body__order", "title")
    )
    for meeting in meetings:
        options.setdefault(
            meeting.date,
            SinceOption(
                meeting.date,
                _("Meeting of %(body)s, %(date)s")
                % {
                    "body": meeting.body.name,
                    "date": date_format(meeting.date, "j F Y"),
                },
            ),
        )
    month = today.replace(day=1)
    for _step in range(OFFERED_MONTHS):
        if month < today:
            options.setdefault(
                month,
                SinceOption(
                    month, _("Since %(date)s") % {"date": date_format(month, "j F Y")}
                ),
            )
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return sorted(options.values(), key=lambda option: option.date, reverse=True)


def build_progress_report(plan, user, since=None, today=None):
    today = today or timezone.localdate()
    internal = sees_internal(user)
    updates = ActionUpdate.objects.written().order_by("-date", "-pk")
    if not internal:
        updates = updates.filter(is_public=True)
    if since is None:
        # Without a date only each item's latest update is shown: read that
        # one (the first in the order above per item), not the whole log.
        updates = updates.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("item_id"),
                order_by=[F("date").desc(), F("pk").desc()],
            )
        ).filter(rank=1)
    items = list(
        # A business plan's report counts its appendices' items (plan_scope):
        # its own first, then each appendix's.
        ActionItem.objects.visible_to(user)
        .filter(plan__in=plan_scope(plan))
        .select_related("focus_area", "responsible_organisation", "see_above")
        .prefetch_related(
            Prefetch("updates", queryset=updates, to_attr="visible_updates")
        )
        .order_by(
            F("plan__parent").asc(nulls_first=True),
            "plan__start_year",
            "plan_id",
            "focus_area__order",
            "order",
            "code",
        )
    )
    for item in items:
        item.latest_update = item.visible_updates[0] if item.visible_updates else None

    groups, by_area = [], {}
    for item in items:
        key = item.focus_area_id
        if key not in by_area:
            title = item.focus_area.title if item.focus_area else _("Other actions")
            by_area[key] = ReportGroup(title=title, items=[])
            groups.append(by_area[key])
        by_area[key].items.append(item)

    counts = dict.fromkeys(ActionItem.Status.values, 0)
    for item in items:
        counts[item.status] += 1
    # "Carried over" appears once a plan has been rolled over, not as a
    # zero in every report.
    summary = [
        {"status": status, "label": ActionItem.Status(status).label, "count": n}
        for status, n in counts.items()
        if n or status != ActionItem.Status.CARRIED_OVER
    ]
    total = len(items)
    done_share = round(100 * counts[ActionItem.Status.DONE] / total) if total else 0
    late = [item for item in items if item.is_late_on(today)]
    report = ProgressReport(
        plan=plan,
        generated_on=today,
        groups=groups,
        summary=summary,
        total=total,
        done_share=done_share,
        late=late,
        strategies=plan_rollup(plan, user, today),
    )
    if since is not None:
        report.changes = changes_since(items, since)
    return report


def changes_since(items, since):
    """What moved between the start of ``since`` and now, for the given items."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    by_pk = {item.pk: item for item in items}
    before = {}
    history = (
        ActionItem.history.filter(id__in=by_pk, history_date__lt=start)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "status", "progress", "history_type")
    )
    for row in history:
        before.setdefault(row["id"], row)

    changes = Changes(since=since)
    for item in items:
        changes.updates.extend(u for u in item.visible_updates if u.date >= since)
        old = before.get(item.pk)
        if old is None or old["history_type"] == "-" or item.created_at >= start:
            changes.added.append(item)
            if item.status in CLOSED:
                changes.closed.append(item)
            continue
        if item.status != old["status"]:
            move = StatusMove(
                item, old["status"], item.status, old["progress"], item.progress
            )
            changes.status_moves.append(move)
            if item.status in CLOSED and old["status"] not in CLOSED:
                changes.closed.append(item)
        elif item.progress != old["progress"]:
            changes.progress_changes.append(
                StatusMove(
                    item, old["status"], item.status, old["progress"], item.progress
                )
            )
    changes.updates.sort(key=lambda u: (u.date, u.pk), reverse=True)
    return changes


@dataclass(frozen=True)
class ReportLink:
    plan: object
    url: str
    since: datetime.date | None


def report_links_for_meeting(meeting, user, today=None):
    """The progress reports a meeting's page links to: those of the live
    plans its governing body follows or adopted, with the changes since the
    meeting once it is past (a date the report offers). One query."""
    today = today or timezone.localdate()
    plans = (
        Plan.objects.visible_to(user)
        .live()
        .filter(Q(governing_bodies=meeting.body_id) | Q(adopted_by=meeting.body_id))
        .distinct()
        .order_by("-start_year", "title")
    )
    since = meeting.date if meeting.date < today else None
    query = f"?{urlencode({'since': since.isoformat()})}" if since else ""
    return [
        ReportLink(
            plan,
            reverse("plans:plan-report", kwargs={"slug": plan.slug}) + query,
            since,
        )
        for plan in plans
    ]
