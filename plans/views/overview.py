"""The home page and the dashboard (Lägesbild) of the steering group."""

from django.utils import timezone
from django.views.generic import TemplateView

from plans.caching import cached_fragment
from plans.forms import RollupScopeForm
from plans.models import Plan
from plans.services.dashboard import (
    OVERDUE_UPDATES_SHOWN,
    build_dashboard,
    funding_per_year,
    home_figures,
    latest_updates,
)
from plans.services.rollup import dashboard_rollup


class HomeView(TemplateView):
    """Vision 2030, the strategies, key figures, the plans and latest progress
    (below the header, a fragment kept under the data generation)."""

    template_name = "plans/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main"] = cached_fragment(
            self.request, "home", "plans/includes/home_main.html", self.overview
        )
        return context

    def overview(self):
        user = self.request.user
        context = {}
        plans = list(Plan.objects.visible_to(user).select_related("owner", "parent"))
        business_plan = next(
            (plan for plan in plans if plan.kind == Plan.Kind.BUSINESS_PLAN), None
        )
        if business_plan is not None:
            context["vision_statements"] = business_plan.vision_statements.all()
            context["strategies"] = business_plan.strategies.all()
        context.update(
            plans=plans,
            business_plan=business_plan,
            key_figures=home_figures(user, timezone.localdate()),
            funding=funding_per_year(),
            updates=latest_updates(user),
        )
        return context


class DashboardView(TemplateView):
    """Lägesbild: status of the action items per plan, focus area and strategy.

    The figures below the header are a fragment kept under the data
    generation (``plans.caching.cached_fragment``)."""

    template_name = "plans/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main"] = cached_fragment(
            self.request,
            "dashboard",
            "plans/includes/dashboard_main.html",
            self.figures,
        )
        return context

    def figures(self):
        user = self.request.user
        dashboard = build_dashboard(
            user,
            timezone.localdate(),
            plan_slug=self.request.GET.get("plan", ""),
        )
        scope_form = RollupScopeForm(self.request.GET)
        return {
            "today": dashboard.today,
            "overall": dashboard.overall,
            "plan_rows": dashboard.plan_rows,
            "sections": dashboard.sections,
            "plan_choice": dashboard.plan_choice,
            "recently_updated": dashboard.recently_updated,
            "overdue_updates": dashboard.overdue_updates,
            "overdue_update_count": dashboard.overdue_update_count,
            "overdue_updates_shown": OVERDUE_UPDATES_SHOWN,
            "overdue_updates_url": dashboard.overall.overdue_url,
            "scope_form": scope_form,
            "rollup": dashboard_rollup(user, dashboard.today, scope_form.chosen),
            "can_edit_items": user.has_perm("plans.change_actionitem"),
        }
