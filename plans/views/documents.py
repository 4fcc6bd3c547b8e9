"""The plan documents: the list of plans and one plan as an HTML document."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from flemingsberg.permissions import sees_internal
from plans.caching import cached_fragment
from plans.models import ActionItem, Plan
from plans.services.adopted import edition_for
from plans.services.documents import (
    KIND_ORDER,
    build_plan_document,
    pdf_url_for,
    plan_document_queryset,
    plan_status_text,
)
from plans.services.rollup import plan_rollup

# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


class PlanListView(ListView):
    """All plans the visitor may see, each business plan with its appendices."""

    def get_queryset(self):
        user = self.request.user
        visible_items = None if sees_internal(user) else Q(action_items__is_public=True)
        done = Q(action_items__status=ActionItem.Status.DONE)
        return (
            plan_document_queryset(user)
            .annotate(
                item_count=Count("action_items", filter=visible_items),
                done_count=Count(
                    "action_items",
                    filter=done & visible_items if visible_items else done,
                ),
            )
            .order_by("start_year", "title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(context["object_list"])
        by_pk = {plan.pk: plan for plan in plans}
        for plan in plans:
            plan.visible_appendices = []
            plan.status_text = plan_status_text(plan)
        families = []
        for plan in plans:
            if plan.parent_id in by_pk:
                by_pk[plan.parent_id].visible_appendices.append(plan)
            else:
                families.append(plan)
        families.sort(key=lambda p: (KIND_ORDER.get(p.kind, 9), -p.start_year, p.title))
        context["families"] = families
        return context


class PlanDetailView(DetailView):
    """One plan as a document: every section in order, with live data.

    The document and its follow-up are a fragment kept under the data
    generation (``plans.caching.cached_fragment``)."""

    def get_queryset(self):
        return plan_document_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main"] = cached_fragment(
            self.request, "plan", "plans/includes/plan_main.html", self.document
        )
        return context

    def document(self):
        plan, user = self.object, self.request.user
        visible = Plan.objects.visible_to(user)
        return {
            "plan": plan,
            "document": build_plan_document(plan, user),
            "pdf_url": pdf_url_for(plan),
            "report_url": reverse("plans:plan-report", kwargs={"slug": plan.slug}),
            "rollup": plan_rollup(plan, user, timezone.localdate()),
            "adopted_edition": edition_for(plan, user),
            "previous_plan": visible.filter(successor=plan).first(),
            "next_plan": visible.filter(predecessor=plan).first(),
        }
