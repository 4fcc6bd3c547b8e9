"""The stakeholders' pages: organisations by kind and group, and one
organisation with its people, seats, the items it answers for and its funding."""

from itertools import groupby

from django.db.models import Prefetch, Q, Sum
from django.views.generic import DetailView, ListView

from plans.models import FundingContribution, Plan
from plans.services import search
from stakeholders.models import Membership, Organisation, StakeholderGroup


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
    """One organisation: people, seats, items it answers for and items that
    name it, funding, groups."""

    model = Organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        visible_plans = Plan.objects.visible_to(user)
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
            # Items whose text names it ("SH" for Södertörns högskola), besides
            # the ones it answers for.
            named_items=self.item_rows(
                search.items_naming(organisation, user)
                .exclude(responsible_organisation=organisation)
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
        plan_totals = dict(
            FundingContribution.objects.filter(
                plan__in={c.plan_id for c in contributions}
            )
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
