"""The roll-up per strategy as the pages show it ("Per strategi"): the
dashboard for the plans in scope, a plan page and its progress report for the
plan with its appendices. Each number links to the action browser filtered to
the items it counts.

The counting is ``followup.strategy_rollup`` (one grouped query); this module
chooses the plans, the strategies and the links. Its cost does not grow with
the number of items: a few queries per page, whatever their number.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem, ActionUpdate, Plan, Strategy
from plans.services.dashboard import Group
from plans.services.followup import (
    HEALTH_RULE,
    Health,
    StatusCounts,
    plan_scope,
    strategy_rollup,
)

#: The plans the dashboard's "Per strategi" counts: the organisation's own
#: plans (the default) or the partners' plans, each of them live only.
SCOPE_OWN = "own"
SCOPE_PARTNER = "partner"
SCOPE_CHOICES = (
    (SCOPE_OWN, _("Our own plans")),
    (SCOPE_PARTNER, _("Partner plans")),
)
#: The action browser's ``strategy`` value for items that serve no strategy.
NO_STRATEGY = "none"


@dataclass
class RollupRow:
    """A strategy (or the items that serve none) with its counts and links."""

    strategy: Strategy | None
    group: Group

    @property
    def counts(self):
        return self.group.counts

    @property
    def health(self):
        return self.counts.health

    @property
    def health_label(self):
        return Health(self.health).label


@dataclass
class StrategyRollup:
    """The rows of a "Per strategi" table, their total and whether follow-up
    has started (an item started, or an update written, in scope)."""

    rows: list
    total: RollupRow
    followed_up: bool
    health_rule: str = HEALTH_RULE

    @property
    def strategy_rows(self):
        return [row for row in self.rows if row.strategy is not None]

    @property
    def shows_plan(self):
        """True when the strategies come from more than one plan."""
        return len({row.strategy.plan_id for row in self.strategy_rows}) > 1


def strategy_plan_ids(plans, all_plans):
    """The plans whose strategies ``plans`` serve (``Plan.strategy_plan_ids``
    for many plans at once): each plan, its parents and the plans it
    contributes to with theirs. ``all_plans`` is {pk: parent_id}; one query
    for the contributions."""

    def with_parents(pk):
        seen = []
        while pk is not None and pk not in seen:
            seen.append(pk)
            pk = all_plans.get(pk)
        return seen

    pks = [plan.pk for plan in plans]
    ids = []
    for pk in pks:
        ids.extend(with_parents(pk))
    contributions = Plan.contributes_to.through.objects.filter(from_plan__in=pks)
    for target in contributions.values_list("to_plan_id", flat=True):
        ids.extend(with_parents(target))
    return list(dict.fromkeys(ids))


def served_strategies(plans, user):
    """The strategies the ``plans`` may serve, that ``user`` may see, in the
    order of their plans (oldest first) and their own order."""
    parents = dict(Plan.objects.values_list("pk", "parent_id"))
    ids = strategy_plan_ids(plans, parents)
    return list(
        Strategy.objects.filter(
            plan__in=Plan.objects.visible_to(user).filter(pk__in=ids)
        )
        .select_related("plan")
        .order_by("plan__start_year", "plan__title", "order", "code")
    )


def build_rollup(items, user, today, strategies, filters):
    """The "Per strategi" of ``items``: a row per strategy of ``strategies``,
    one for the items serving none of them (if any) and the total. Each row
    links to the action browser with ``filters`` and its strategy."""
    rows = []
    for row in strategy_rollup(items, user, today, strategies):
        if row.strategy is None:
            label, value = gettext("Not linked to a strategy"), NO_STRATEGY
        else:
            label, value = row.strategy.title, row.strategy.pk
        rows.append(
            RollupRow(
                row.strategy, Group(label, row.counts, {**filters, "strategy": value})
            )
        )
    total_counts = StatusCounts()
    for row in rows:
        total_counts.merge(row.counts)
    total = RollupRow(None, Group(gettext("All action items"), total_counts, filters))
    followed_up = total_counts.has_started or (
        ActionUpdate.objects.filter(item__in=items.values("pk")).exists()
    )
    return StrategyRollup(rows=rows, total=total, followed_up=followed_up)


def scope_plans(user, scope):
    """The live plans of ``scope`` that ``user`` may see."""
    plans = Plan.objects.visible_to(user).live()
    return list(plans.filter(is_partner_plan=scope == SCOPE_PARTNER))


def dashboard_rollup(user, today, scope=SCOPE_OWN):
    """The dashboard's "Per strategi" for the plans of ``scope``."""
    plans = scope_plans(user, scope)
    return build_rollup(
        ActionItem.objects.visible_to(user).filter(plan__in=plans),
        user,
        today,
        served_strategies(plans, user),
        {"scope": scope},
    )


def plan_rollup(plan, user, today):
    """A plan's "Per strategi": its items and its appendices' items
    (``plan_scope``) by the strategies they may serve."""
    scope = list(plan_scope(plan))
    items = ActionItem.objects.visible_to(user).filter(plan__in=scope)
    filters = {"within": plan.slug} if len(scope) > 1 else {"plan": plan.slug}
    return build_rollup(items, user, today, served_strategies(scope, user), filters)


def within_plan(items, slug):
    """The items of the plan ``slug`` and its appendices."""
    return items.filter(Q(plan__slug=slug) | Q(plan__parent__slug=slug))
