"""The numbers of the home page and the dashboard (Lägesbild): action items
counted per plan, focus area, strategy and status, in a few grouped queries
whatever the number of plans and items."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum, Value
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, pgettext

from flemingsberg.permissions import sees_internal
from plans import charts
from plans.models import ActionItem, ActionUpdate, FundingContribution, Plan
from plans.services.followup import StatusCounts, count_rows


@functools.lru_cache(maxsize=32)
def _action_list_path(urlconf, script_prefix, language):
    """The action browser's path; reverse() depends on exactly these three."""
    return reverse("plans:actionitem-list", urlconf=urlconf)


@functools.lru_cache(maxsize=64)
def _query_part(key, value):
    """``key=value`` for a query string (a handful of statuses and flags)."""
    return urlencode({key: value})


def action_list_url(**params):
    """The action browser filtered by ``params`` (empty values are left out)."""
    url = _action_list_path(get_urlconf(), get_script_prefix(), get_language())
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def count_items(items, user, today):
    """Counts per plan and status (``followup.count_rows``)."""
    return count_rows(items, user, today, "plan")


def count_breakdowns(items, plans, today, user=None):
    """One grouped query: counts of the given plans' items per focus area,
    strategy and status, with the titles and order of the focus areas and
    strategies (so the breakdowns need no query of their own)."""
    return list(
        items.filter(plan__in=[plan.pk for plan in plans])
        .counted(user)
        .values(
            "plan",
            "status",
            "focus_area",
            "focus_area__order",
            "focus_area__code",
            "focus_area__title",
            "strategy",
            "strategy__order",
            "strategy__code",
            "strategy__title",
        )
        .annotate(
            n=Count("id"),
            late=Count("id", filter=ActionItem.late_condition(today)),
            overdue=Value(0),
        )
        .order_by()
    )


@dataclass
class Group:
    """A row of a dashboard table: all items, a focus area or a strategy."""

    label: str
    counts: StatusCounts
    # Filters of the action browser that select this group's items; None when
    # the browser cannot select them (items without a focus area).
    filters: dict | None

    @property
    def linked(self):
        return self.filters is not None

    @functools.cached_property
    def _all_url(self):
        return "" if self.filters is None else action_list_url(**self.filters)

    def url(self, **extra):
        """The action browser with the group's filters and ``extra`` ones."""
        if self.filters is None or not extra:
            return self._all_url
        separator = "&" if "?" in self._all_url else "?"
        query = "&".join(_query_part(key, value) for key, value in extra.items())
        return f"{self._all_url}{separator}{query}"

    @functools.cached_property
    def cells(self):
        """(status label, count, url) per status in chart order."""
        return [
            (
                status.label,
                self.counts.by_status[status.value],
                self.url(status=status.value),
            )
            for status in ActionItem.Status
        ]

    @property
    def all_url(self):
        return self._all_url

    @property
    def late_url(self):
        return self.url(late="true")

    @property
    def overdue_url(self):
        return self.url(overdue="true")

    @property
    def done_url(self):
        return self.url(status=ActionItem.Status.DONE)

    @property
    def ongoing_url(self):
        return self.url(status=ActionItem.Status.ONGOING)

    def bar(self):
        return charts.StatusBar(self.label, self.counts.by_status)


@dataclass
class Breakdown:
    """A chart and its data table: one plan's items by focus area or strategy."""

    chart_id: str
    title: str
    caption: str
    groups: list

    @property
    def chart(self):
        return charts.stacked_bar_chart(
            [group.bar() for group in self.groups],
            chart_id=self.chart_id,
            title=self.title,
        )


# ---------------------------------------------------------------------------
# The pages' numbers
# ---------------------------------------------------------------------------

# With at most this many plans the dashboard shows every plan's charts and
# tables by focus area and strategy; with more, those of one chosen plan.
ALL_BREAKDOWNS_UP_TO = 3
RECENT_UPDATES_SHOWN = 10
# How many of the newest updates "Recently updated" reads to find its items.
RECENT_UPDATES_READ = 100
OVERDUE_UPDATES_SHOWN = 25
HOME_UPDATES_SHOWN = 5
# What the dashboard's lists of action items read (with the plan's title).
LISTED_ITEM_FIELDS = ("code", "title", "order", "status", "due_date", "plan__title")


def home_figures(user, today):
    """[(number, label, url)]: all items, done, ongoing and late ones."""
    figures = (
        ActionItem.objects.visible_to(user)
        .counted(user)
        .aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
            ongoing=Count("id", filter=Q(status=ActionItem.Status.ONGOING)),
            late=Count("id", filter=ActionItem.late_condition(today)),
        )
    )
    return [
        (
            figures["total"],
            pgettext("count", "action items in all"),
            action_list_url(),
        ),
        (
            figures["done"],
            pgettext("count", "done"),
            action_list_url(status=ActionItem.Status.DONE),
        ),
        (
            figures["ongoing"],
            pgettext("count", "ongoing"),
            action_list_url(status=ActionItem.Status.ONGOING),
        ),
        (
            figures["late"],
            pgettext("count", "past their due date"),
            action_list_url(late="true"),
        ),
    ]


def funding_per_year():
    """Total funding per plan and year, of published plans only."""
    rows = (
        FundingContribution.objects.filter(plan__in=Plan.objects.published())
        .values("plan__title", "plan__slug", "year")
        .annotate(total=Sum("amount"))
        .order_by("plan__title", "year")
    )
    plans = {}
    for row in rows:
        plan = plans.setdefault(
            row["plan__slug"],
            {
                "title": row["plan__title"],
                "url": reverse("plans:plan-detail", kwargs={"slug": row["plan__slug"]}),
                "years": [],
                "total": 0,
            },
        )
        plan["years"].append((row["year"], row["total"]))
        plan["total"] += row["total"]
    return list(plans.values())


def latest_updates(user, count=HOME_UPDATES_SHOWN):
    return (
        ActionUpdate.objects.visible_to(user)
        .select_related("item", "item__plan")
        .order_by("-date", "-pk")[:count]
    )


@dataclass
class PlanRow:
    """One plan in the dashboard's overview table."""

    plan: Plan
    group: Group
    breakdown_url: str
    report_url: str = ""


@dataclass
class PlanChoice:
    plans: list
    selected: Plan | None
    error: str
    all_shown: bool


@dataclass
class Dashboard:
    """Everything the dashboard shows, as ``user`` may see it."""

    today: object
    overall: Group
    plan_rows: list
    sections: list
    plan_choice: PlanChoice
    recently_updated: list
    overdue_updates: list

    @property
    def overdue_update_count(self):
        return self.overall.counts.overdue


def build_dashboard(user, today, plan_slug=""):
    """The dashboard of ``user``; ``plan_slug`` chooses the plan whose charts
    and tables are shown when there are too many plans to show all.

    Every plan gets one row of the overview; the page costs the same few
    queries however many plans and items there are."""
    items = ActionItem.objects.visible_to(user)
    overall = StatusCounts()
    per_plan = defaultdict(StatusCounts)
    for row in count_items(items, user, today):
        overall.add(row)
        per_plan[row["plan"]].add(row)

    plans = list(Plan.objects.visible_to(user).filter(pk__in=per_plan.keys()))
    chosen, plan_error = _chosen_plan(plans, plan_slug)
    all_shown = len(plans) <= ALL_BREAKDOWNS_UP_TO
    if chosen is not None:
        shown = [chosen]
    elif all_shown:
        shown = plans
    else:
        # The newest plan first (the plans' order), until another is chosen.
        shown = plans[:1]

    per_focus_area = defaultdict(StatusCounts)
    per_strategy = defaultdict(StatusCounts)
    # (plan, pk) -> (order, code, title) of the focus areas and strategies.
    focus_areas, strategies = {}, {}
    for row in count_breakdowns(items, shown, today, user):
        plan_id = row["plan"]
        per_focus_area[plan_id, row["focus_area"]].add(row)
        per_strategy[plan_id, row["strategy"]].add(row)
        if row["focus_area"] is not None:
            focus_areas[plan_id, row["focus_area"]] = (
                row["focus_area__order"],
                row["focus_area__code"],
                row["focus_area__title"],
            )
        if row["strategy"] is not None:
            strategies[plan_id, row["strategy"]] = (
                row["strategy__order"],
                row["strategy__code"],
                row["strategy__title"],
            )

    plan_rows = []
    for plan in plans:
        anchor = f"#plan-{plan.slug}"
        if plan not in shown:
            anchor = f"?{urlencode({'plan': plan.slug})}{anchor}"
        plan_rows.append(
            PlanRow(
                plan=plan,
                group=Group(plan.title, per_plan[plan.pk], {"plan": plan.slug}),
                breakdown_url=anchor,
                report_url=reverse("plans:plan-report", kwargs={"slug": plan.slug}),
            )
        )
    sections = [
        _plan_section(
            plan,
            per_plan[plan.pk],
            _sorted_titles(focus_areas, plan.pk),
            per_focus_area,
            _sorted_titles(strategies, plan.pk),
            per_strategy,
        )
        for plan in shown
    ]
    return Dashboard(
        today=today,
        overall=Group(gettext("All plans"), overall, {}),
        plan_rows=plan_rows,
        sections=sections,
        plan_choice=PlanChoice(
            plans=plans,
            selected=None if chosen is None and all_shown else shown[0],
            error=plan_error,
            all_shown=all_shown,
        ),
        recently_updated=list(_recently_updated(items, user)),
        overdue_updates=_overdue_updates(items, user, today),
    )


def _chosen_plan(plans, slug):
    """The plan chosen with ``?plan=<slug>`` and an error message, if any."""
    if not slug:
        return None, ""
    for plan in plans:
        if plan.slug == slug:
            return plan, ""
    return None, gettext(
        "That plan does not exist or has no action items you may see. "
        "Choose one from the list."
    )


def _recently_updated(items, user):
    """The items whose latest visible update is newest, with its date.

    Only the items of the newest ``RECENT_UPDATES_READ`` visible updates (read
    newest first from the index on date) are looked at, not every item: the
    newest items are among them as long as those updates belong to at least
    ``RECENT_UPDATES_SHOWN`` items (with fewer, fewer are shown)."""
    updates = ActionUpdate.objects.filter(item__in=items.values("pk"))
    if not sees_internal(user):
        updates = updates.filter(is_public=True)
    read = updates.order_by("-date", "-pk").values("item")[:RECENT_UPDATES_READ]
    return (
        items.filter(pk__in=read)
        .with_latest_update(user)
        .select_related("plan")
        .only(*LISTED_ITEM_FIELDS)
        .order_by("-latest_update_on", "plan__title", "order", "code")[
            :RECENT_UPDATES_SHOWN
        ]
    )


def _overdue_updates(items, user, today):
    """The open items whose progress update is longest overdue (the count is
    in the grouped counts)."""
    overdue = (
        items.update_overdue(user, today=today)
        .select_related("plan")
        .only(*LISTED_ITEM_FIELDS)
        .most_overdue_first()
    )
    return list(overdue[:OVERDUE_UPDATES_SHOWN])


def _plan_section(plan, counts, areas, per_focus_area, strategies, per_strategy):
    plan_filter = {"plan": plan.slug}
    summary = Group(gettext("All items of the plan"), counts, plan_filter)
    by_focus_area = [summary]
    for pk, title in areas:
        by_focus_area.append(
            Group(
                title,
                per_focus_area[plan.pk, pk],
                {**plan_filter, "focus_area": pk},
            )
        )
    if len(by_focus_area) == 2 and by_focus_area[1].counts.total == counts.total:
        # One focus area holds every item: its row would repeat the summary.
        del by_focus_area[1]
    without_area = per_focus_area.get((plan.pk, None))
    if without_area and len(by_focus_area) > 1:
        by_focus_area.append(Group(gettext("No focus area"), without_area, None))
    by_strategy = [
        Group(title, per_strategy[plan.pk, pk], {**plan_filter, "strategy": pk})
        for pk, title in strategies
    ]
    breakdowns = [
        Breakdown(
            chart_id=f"chart-{plan.slug}-focus",
            title=gettext("Action items of %(plan)s by status and focus area")
            % {"plan": plan.title},
            caption=gettext("%(plan)s: action items by status and focus area")
            % {"plan": plan.title},
            groups=by_focus_area,
        )
    ]
    if by_strategy:
        breakdowns.append(
            Breakdown(
                chart_id=f"chart-{plan.slug}-strategy",
                title=gettext("Action items of %(plan)s by status and strategy")
                % {"plan": plan.title},
                caption=gettext("%(plan)s: action items by status and strategy")
                % {"plan": plan.title},
                groups=by_strategy,
            )
        )
    return {"plan": plan, "summary": summary, "breakdowns": breakdowns}


def _sorted_titles(titles, plan_id):
    """[(pk, title)] of one plan's focus areas or strategies, in their order."""
    found = [
        (order, code, pk, title)
        for (plan, pk), (order, code, title) in titles.items()
        if plan == plan_id
    ]
    return [(pk, title) for _order, _code, pk, title in sorted(found)]
