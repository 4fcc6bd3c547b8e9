"""Project-level pages: home, dashboard, accessibility statement, health check."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from flemingsberg import charts
from flemingsberg.permissions import sees_internal
from plans.boardpacks import most_overdue_first, update_due_on, update_overdue
from plans.models import (
    ActionItem,
    ActionUpdate,
    FocusArea,
    FundingContribution,
    Plan,
    Strategy,
)

# An open item with no progress update for this long needs attention.
STALE_AFTER_DAYS = 90
RECENT_UPDATES_SHOWN = 10
STALE_ITEMS_SHOWN = 25
HOME_UPDATES_SHOWN = 5


@never_cache
def healthz(request):
    """Liveness and readiness: answers 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": exc.__class__.__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


# ---------------------------------------------------------------------------
# Counting action items
# ---------------------------------------------------------------------------


def action_list_url(**params):
    """The action browser filtered by ``params`` (empty values are left out)."""
    url = reverse("plans:actionitem-list")
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def late_condition(today):
    """Past the due date and neither done nor cancelled (as ``late()``)."""
    return Q(due_date__lt=today) & ~Q(
        status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED]
    )


def stale_condition(user, today):
    """Open, older than the stale period, and no visible update within it."""
    cutoff = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    recent_updates = ActionUpdate.objects.filter(item=OuterRef("pk"), date__gte=cutoff)
    if not sees_internal(user):
        recent_updates = recent_updates.filter(is_public=True)
    cutoff_moment = timezone.make_aware(
        datetime.datetime.combine(cutoff, datetime.time.min)
    )
    return (
        ~Q(status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED])
        & Q(created_at__lt=cutoff_moment)
        & ~Exists(recent_updates)
    )


@dataclass
class StatusCounts:
    """How many items of a group have each status, and how many are late/stale."""

    by_status: dict = field(default_factory=lambda: defaultdict(int))
    late: int = 0
    stale: int = 0

    def add(self, row):
        self.by_status[row["status"]] += row["n"]
        self.late += row["late"]
        self.stale += row["stale"]

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
    def share_done(self):
        """Done items as a whole percentage of all items (0 when there are none)."""
        return round(100 * self.done / self.total) if self.total else 0


def count_items(items, user, today):
    """One grouped query: counts per plan, focus area, strategy and status."""
    return list(
        items.values("plan", "focus_area", "strategy", "status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=late_condition(today)),
            stale=Count("id", filter=stale_condition(user, today)),
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

    def url(self, **extra):
        if self.filters is None:
            return ""
        return action_list_url(**self.filters, **extra)

    @property
    def cells(self):
        """(status label, count, url) per status in chart order."""
        return [
            (
                status.label,
                self.counts.by_status[status.value],
                self.url(status=status.value),
            )
            for status in charts.STATUS_ORDER
        ]

    @property
    def all_url(self):
        return self.url()

    @property
    def late_url(self):
        return self.url(late="true")

    @property
    def done_url(self):
        return self.url(status=ActionItem.Status.DONE)

    @property
    def ongoing_url(self):
        return self.url(status=ActionItem.Status.ONGOING)

    def bar(self):
        return charts.Bar(self.label, charts.status_segments(self.counts.by_status))


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
# Pages
# ---------------------------------------------------------------------------


class HomeView(TemplateView):
    """Vision 2030, the strategies, key figures, the plans and latest progress."""

    template_name = "flemingsberg/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        plans = list(Plan.objects.visible_to(user).select_related("owner", "parent"))
        business_plan = next(
            (plan for plan in plans if plan.kind == Plan.Kind.BUSINESS_PLAN), None
        )
        if business_plan is not None:
            context["vision_statements"] = business_plan.vision_statements.all()
            context["strategies"] = business_plan.strategies.all()
        figures = ActionItem.objects.visible_to(user).aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
            ongoing=Count("id", filter=Q(status=ActionItem.Status.ONGOING)),
            late=Count("id", filter=late_condition(today)),
        )
        context.update(
            plans=plans,
            business_plan=business_plan,
            key_figures=[
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
            ],
            funding=self.funding_per_year(),
            updates=ActionUpdate.objects.visible_to(user)
            .select_related("item", "item__plan")
            .order_by("-date", "-pk")[:HOME_UPDATES_SHOWN],
        )
        return context

    def funding_per_year(self):
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
                    "url": reverse(
                        "plans:plan-detail", kwargs={"slug": row["plan__slug"]}
                    ),
                    "years": [],
                    "total": 0,
                },
            )
            plan["years"].append((row["year"], row["total"]))
            plan["total"] += row["total"]
        return list(plans.values())


class DashboardView(TemplateView):
    """Lägesbild: status of the action items per plan, focus area and strategy."""

    template_name = "flemingsberg/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        items = ActionItem.objects.visible_to(user)
        rows = count_items(items, user, today)

        overall = StatusCounts()
        per_plan = defaultdict(StatusCounts)
        per_focus_area = defaultdict(StatusCounts)
        per_strategy = defaultdict(StatusCounts)
        for row in rows:
            overall.add(row)
            per_plan[row["plan"]].add(row)
            per_focus_area[row["plan"], row["focus_area"]].add(row)
            per_strategy[row["plan"], row["strategy"]].add(row)

        plans = list(Plan.objects.visible_to(user).filter(pk__in=per_plan.keys()))
        focus_areas = defaultdict(list)
        for area in FocusArea.objects.filter(plan__in=plans):
            focus_areas[area.plan_id].append(area)
        strategies = defaultdict(list)
        for strategy in Strategy.objects.filter(plan__in=plans):
            strategies[strategy.plan_id].append(strategy)

        sections = []
        for plan in plans:
            sections.append(
                self.plan_section(
                    plan,
                    per_plan[plan.pk],
                    focus_areas[plan.pk],
                    per_focus_area,
                    strategies[plan.pk],
                    per_strategy,
                )
            )

        stale_items = (
            items.filter(stale_condition(user, today))
            .with_latest_update(user)
            .select_related("plan")
            .order_by("plan__title", "order", "code")
        )
        # Progress updates overdue by each plan's own interval (60 days unless
        # the plan says otherwise), from the updates the visitor sees.
        overdue = most_overdue_first(
            update_overdue(items, user, today=today).select_related("plan")
        )
        overdue_updates = list(overdue[:STALE_ITEMS_SHOWN])
        for item in overdue_updates:
            item.update_due_on = update_due_on(item, item.last_update_on)
        context.update(
            overdue_updates=overdue_updates,
            overdue_update_count=overdue.count(),
        )
        context.update(
            today=today,
            stale_after_days=STALE_AFTER_DAYS,
            overall=Group(_("All plans"), overall, {}),
            sections=sections,
            recently_updated=items.with_latest_update(user)
            .filter(latest_update_on__isnull=False)
            .select_related("plan")
            .order_by("-latest_update_on", "plan__title", "order")[
                :RECENT_UPDATES_SHOWN
            ],
            stale_items=stale_items[:STALE_ITEMS_SHOWN],
            stale_items_shown=STALE_ITEMS_SHOWN,
            legend=charts.legend_entries(),
        )
        return context

    def plan_section(
        self, plan, counts, areas, per_focus_area, strategies, per_strategy
    ):
        plan_filter = {"plan": plan.slug}
        summary = Group(_("All items of the plan"), counts, plan_filter)
        by_focus_area = [summary]
        for area in areas:
            area_counts = per_focus_area.get((plan.pk, area.pk))
            if area_counts:
                by_focus_area.append(
                    Group(
                        area.title, area_counts, {**plan_filter, "focus_area": area.pk}
                    )
                )
        if len(by_focus_area) == 2 and by_focus_area[1].counts.total == counts.total:
            # One focus area holds every item: its row would repeat the summary.
            del by_focus_area[1]
        without_area = per_focus_area.get((plan.pk, None))
        if without_area and len(by_focus_area) > 1:
            by_focus_area.append(Group(_("No focus area"), without_area, None))
        by_strategy = [
            Group(
                strategy.title,
                per_strategy[plan.pk, strategy.pk],
                {**plan_filter, "strategy": strategy.pk},
            )
            for strategy in strategies
            if per_strategy.get((plan.pk, strategy.pk))
        ]
        breakdowns = [
            Breakdown(
                chart_id=f"chart-{plan.slug}-focus",
                title=_("Action items of %(plan)s by status and focus area")
                % {"plan": plan.title},
                caption=_("%(plan)s: action items by status and focus area")
                % {"plan": plan.title},
                groups=by_focus_area,
            )
        ]
        if by_strategy:
            breakdowns.append(
                Breakdown(
                    chart_id=f"chart-{plan.slug}-strategy",
                    title=_("Action items of %(plan)s by status and strategy")
                    % {"plan": plan.title},
                    caption=_("%(plan)s: action items by status and strategy")
                    % {"plan": plan.title},
                    groups=by_strategy,
                )
            )
        return {"plan": plan, "summary": summary, "breakdowns": breakdowns}


class AccessibilityView(TemplateView):
    """The accessibility statement (tillgänglighetsredogörelse)."""

    template_name = "flemingsberg/accessibility.html"
