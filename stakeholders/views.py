"""Public pages of organisations and governing bodies."""

import re
from itertools import groupby

from django.apps import apps
from django.db.models import Prefetch, Q, Sum
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView

from stakeholders.models import (
    GoverningBody,
    Meeting,
    Membership,
    Organisation,
    StakeholderGroup,
)

MEETINGS_SHOWN = 20
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def render_mandate(text):
    """Plain text with **bold** as HTML paragraphs, everything else escaped.

    A stand-in for the plans app's Markdown filter: the mandates of the bundled
    plans only use paragraphs and bold, and this keeps them safe without it.
    """
    return mark_safe(_BOLD.sub(r"<strong>\1</strong>", linebreaks(escape(text))))


def plans_model(name):
    """A model of the plans app, looked up lazily.

    ``plans`` imports ``stakeholders``, never the reverse; the pages of an
    organisation still show the plans' items and funding it is responsible for.
    """
    return apps.get_model("plans", name)


class OrganisationListView(ListView):
    """Organisations grouped by their kind and by stakeholder group."""

    model = Organisation

    def get_queryset(self):
        return Organisation.objects.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind_order = {kind: index for index, kind in enumerate(Organisation.Kind)}
        organisations = sorted(
            context["object_list"],
            key=lambda org: (kind_order.get(org.kind, len(kind_order)), org.name),
        )
        context["by_kind"] = [
            (organisations_of_kind[0].get_kind_display(), organisations_of_kind)
            for organisations_of_kind in (
                list(group)
                for _kind, group in groupby(organisations, key=lambda o: o.kind)
            )
        ]
        context["stakeholder_groups"] = StakeholderGroup.objects.prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name"))
        )
        return context


class OrganisationDetailView(DetailView):
    """One organisation: people, seats, items it answers for, funding, groups."""

    model = Organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        visible_plans = plans_model("Plan").objects.visible_to(user)
        context.update(
            people=organisation.people.all(),
            memberships=Membership.objects.filter(
                Q(representing=organisation) | Q(person__organisation=organisation)
            )
            .select_related("body", "person", "representing")
            .order_by("body__order", "body__name", "order", "person__name"),
            items=self.item_rows(
                organisation.responsible_for_items.visible_to(user)
                .select_related("plan")
                .order_by("plan__title", "order", "code")
            ),
            funding=organisation.funding_contributions.filter(plan__in=visible_plans)
            .select_related("plan")
            .order_by("plan__title", "year"),
            owned_plans=organisation.owned_plans.visible_to(user),
            groups=organisation.stakeholder_groups.all(),
        )
        context.update(self.funding_summary(list(context["funding"])))
        return context

    @staticmethod
    def item_rows(items):
        """The items with what their row shows that costs per row otherwise.

        An organisation answers for hundreds of items in a few plans: each
        plan's address is reversed once (``plan_url``), and the due date is
        written once (``due_iso``, as ``date:"Y-m-d"``).
        """
        items = list(items)
        plan_urls = {}
        for item in items:
            if item.plan_id not in plan_urls:
                plan_urls[item.plan_id] = item.plan.get_absolute_url()
            item.plan_url = plan_urls[item.plan_id]
            item.due_iso = item.due_date.isoformat() if item.due_date else ""
        return items

    @staticmethod
    def funding_summary(contributions):
        """Totals of an organisation's contributions, and its share of each plan.

        One query for the plans' totals, whatever the number of contributions.
        """
        funding_model = plans_model("FundingContribution")
        plan_totals = dict(
            funding_model.objects.filter(plan__in={c.plan_id for c in contributions})
            .values("plan")
            .annotate(total=Sum("amount"))
            .values_list("plan", "total")
        )
        per_plan = {}
        for contribution in contributions:
            line = per_plan.setdefault(
                contribution.plan_id,
                {
                    "plan": contribution.plan,
                    "planned": 0,
                    "decided": None,
                    "paid": None,
                },
            )
            line["planned"] += contribution.amount
            for name in ("decided", "paid"):
                amount = getattr(contribution, f"{name}_amount")
                if amount is not None:
                    line[name] = (line[name] or 0) + amount
        for line in per_plan.values():
            total = plan_totals.get(line["plan"].pk)
            line["plan_total"] = total
            line["share"] = round(100 * line["planned"] / total, 1) if total else None
        decided = [
            c.decided_amount for c in contributions if c.decided_amount is not None
        ]
        paid = [c.paid_amount for c in contributions if c.paid_amount is not None]
        return {
            "funding_total": sum(c.amount for c in contributions),
            "funding_decided_total": sum(decided) if decided else None,
            "funding_paid_total": sum(paid) if paid else None,
            "funding_per_plan": list(per_plan.values()),
        }


class GoverningBodyListView(ListView):
    """The governing bodies in order: members, mandate, cadence, reporting."""

    def get_queryset(self):
        return GoverningBody.objects.with_members().select_related("reports_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = list(context["object_list"])
        for body in bodies:
            body.mandate_html = render_mandate(body.mandate)
        context["object_list"] = context["governingbody_list"] = bodies
        context["reporting_lines"] = [body for body in bodies if body.reports_to]
        context["meetings"] = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("body")
            .order_by("-date", "body__order")[:MEETINGS_SHOWN]
        )
        return context


class GoverningBodyDetailView(DetailView):
    """One governing body with its members and meetings."""

    def get_queryset(self):
        return (
            GoverningBody.objects.with_members()
            .select_related("reports_to")
            .prefetch_related("reporting_bodies")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.object
        context["mandate_html"] = render_mandate(body.mandate)
        context["meetings"] = Meeting.objects.visible_to(self.request.user).filter(
            body=body
        )
        context["adopted_plans"] = body.adopted_plans.visible_to(self.request.user)
        return context
