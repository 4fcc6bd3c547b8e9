"""Next year's plan: a new draft made from the last plan of a series.

The new plan follows the old one (``Plan.predecessor``) and gets a copy of its
document: sections, vision, strategies with their measures, target
statements, focus areas with their strategy links, the governing bodies and
stakeholder groups it shows, the plans it contributes to and the indicators
it follows. Funding is not copied: each contribution belongs to a year of the
old plan's period.

Each open action item the editor keeps is copied with its owner, dates,
internal note and links; the copy continues the original
(``ActionItem.carried_from``) and the original is closed as "Carried over",
with an entry in both logs. Done and cancelled items stay where they are.

``preview_rollover`` only reads; ``roll_over`` writes everything in one
transaction, and a plan has at most one successor.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plans.models import (
    ActionItem,
    FocusArea,
    Indicator,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)


class RolloverError(Exception):
    """The next plan cannot be made; the message says why."""


@dataclass(frozen=True)
class NextPlan:
    """What the editor chooses for the new plan."""

    title: str
    subtitle: str
    slug: str
    start_year: int
    end_year: int

    @property
    def period(self):
        return _period(self.start_year, self.end_year)


def _period(start, end):
    return str(start) if start == end else f"{start}–{end}"


def shift_period(text, plan, start_year, end_year):
    """``text`` with ``plan``'s own period (as a whole: "2009", "2009–2011")
    replaced by the new one; a year inside another period is left alone."""
    old = [_period(plan.start_year, plan.end_year)]
    if plan.start_year != plan.end_year:
        old.append(f"{plan.start_year}-{plan.end_year}")
    new = _period(start_year, end_year)
    for period in old:
        text = re.sub(rf"(?<![\d–-]){re.escape(period)}(?![\d–-])", new, text)
    return text


def suggest_next(plan):
    """The next plan of ``plan``'s series as a first guess: the same length,
    right after it, titled and named after its period."""
    length = plan.end_year - plan.start_year + 1
    start, end = plan.start_year + length, plan.end_year + length
    title = shift_period(plan.title, plan, start, end)
    if title == plan.title:
        title = f"{plan.title} {_period(start, end)}"
    return NextPlan(
        title=title,
        subtitle=plan.subtitle,
        slug=slugify(title)[:100],
        start_year=start,
        end_year=end,
    )


@dataclass
class RolloverPreview:
    """What ``roll_over`` would do, read without writing anything."""

    source: Plan
    next_plan: NextPlan
    sections: list = field(default_factory=list)  # (section, new heading)
    strategies: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)
    carried: list = field(default_factory=list)  # open items copied
    left_open: list = field(default_factory=list)  # open items not ticked
    not_copied: list = field(default_factory=list)  # done, cancelled, carried
    indicators: list = field(default_factory=list)
    governing_bodies: list = field(default_factory=list)
    stakeholder_groups: list = field(default_factory=list)
    funding_rows: int = 0
    problems: list = field(default_factory=list)

    @property
    def can_create(self):
        return not self.problems


def open_items(plan):
    """The items of ``plan`` that can be carried over: the open ones."""
    return (
        plan.action_items.open()
        .select_related("focus_area", "responsible_person", "responsible_organisation")
        .order_by("order", "code")
    )


def problems_with(plan, next_plan):
    """Why ``next_plan`` cannot be made from ``plan`` (an empty list if it can)."""
    problems = []
    successor = Plan.objects.filter(predecessor=plan).first()
    if successor is not None:
        problems.append(
            _("“%(plan)s” already has a next plan: “%(next)s”.")
            % {"plan": plan.title, "next": successor.title}
        )
    if Plan.objects.filter(slug=next_plan.slug).exists():
        problems.append(
            _("The slug “%(slug)s” is taken by another plan.")
            % {"slug": next_plan.slug}
        )
    if next_plan.end_year < next_plan.start_year:
        problems.append(_("The last year cannot be before the first year."))
    if next_plan.start_year <= plan.start_year:
        problems.append(
            _("The next plan must start after %(year)s.") % {"year": plan.start_year}
        )
    return problems


def preview_rollover(plan, next_plan, item_ids=None):
    """What ``roll_over(plan, next_plan, item_ids)`` would create, carry over
    and close. ``item_ids`` None: every open item is carried over."""
    items = list(open_items(plan))
    chosen = _chosen(items, item_ids)
    return RolloverPreview(
        source=plan,
        next_plan=next_plan,
        sections=[
            (section, shift_period(section.heading, plan, *_years(next_plan)))
            for section in plan.sections.order_by("order")
        ],
        strategies=list(plan.strategies.order_by("order", "code")),
        focus_areas=list(
            plan.focus_areas.select_related("strategy").order_by("order", "code")
        ),
        carried=[item for item in items if item.pk in chosen],
        left_open=[item for item in items if item.pk not in chosen],
        not_copied=list(
            plan.action_items.exclude(pk__in=[item.pk for item in items]).order_by(
                "order", "code"
            )
        ),
        indicators=list(Indicator.objects.filter(plans=plan).order_by("name")),
        governing_bodies=list(plan.governing_bodies.order_by("order", "name")),
        stakeholder_groups=list(plan.stakeholder_groups.order_by("order", "name")),
        funding_rows=plan.funding.count(),
        problems=problems_with(plan, next_plan),
    )


def _years(next_plan):
    return next_plan.start_year, next_plan.end_year


def _chosen(items, item_ids):
    if item_ids is None:
        return {item.pk for item in items}
    return {int(pk) for pk in item_ids}


def roll_over(plan, next_plan, item_ids=None, user=None):
    """Make ``next_plan`` from ``plan`` and carry the chosen open items over.

    Atomic: either the new plan, every copy and every closed original are
    stored, or nothing is. Raises ``RolloverError`` when the plan already has
    a next plan, the slug is taken or the period does not follow.
    """
    try:
        with transaction.atomic():
            source = Plan.objects.select_for_update().get(pk=plan.pk)
            problems = problems_with(source, next_plan)
            if problems:
                raise RolloverError(" ".join(problems))
            # The log entries are written in the portal's main language.
            with translation.override(settings.LANGUAGE_CODE):
                return _Copier(source, next_plan, user).run(item_ids)
    except IntegrityError as exc:
        # Another editor made the next plan (or took the slug) at this moment.
        raise RolloverError(
            _("“%(plan)s” already has a next plan.") % {"plan": plan.title}
        ) from exc


class _Copier:
    """Copies one plan into its successor; used by ``roll_over`` only."""

    def __init__(self, source, next_plan, user):
        self.source, self.next_plan, self.user = source, next_plan, user
        self.strategies = {}  # old pk -> copy
        self.target_statements = {}
        self.focus_areas = {}
        self.items = {}

    def run(self, item_ids):
        source, chosen = self.source, self.next_plan
        plan = Plan.objects.create(
            title=chosen.title,
            subtitle=chosen.subtitle,
            slug=chosen.slug,
            kind=source.kind,
            owner=source.owner,
            start_year=chosen.start_year,
            end_year=chosen.end_year,
            parent=source.parent,
            predecessor=source,
            status=Plan.Status.DRAFT,
            is_public=source.is_public,
            is_partner_plan=source.is_partner_plan,
            contact=source.contact,
            update_interval_days=source.update_interval_days,
        )
        plan.contributes_to.set(source.contributes_to.all())
        plan.governing_bodies.set(source.governing_bodies.all())
        plan.stakeholder_groups.set(source.stakeholder_groups.all())
        self.copy_document(plan)
        self.copy_items(plan, item_ids)
        self.copy_indicator_links(plan)
        return plan

    def copy_document(self, plan):
        source, years = self.source, _years(self.next_plan)
        for section in source.sections.order_by("order"):
            Section.objects.create(
                plan=plan,
                order=section.order,
                heading=shift_period(section.heading, source, *years),
                kind=section.kind,
                body=section.body,
            )
        VisionStatement.objects.bulk_create(
            VisionStatement(plan=plan, order=s.order, text=s.text, source=s.source)
            for s in source.vision_statements.all()
        )
        for strategy in source.strategies.prefetch_related("measures"):
            copy = Strategy.objects.create(
                plan=plan,
                code=strategy.code,
                order=strategy.order,
                title=strategy.title,
                description=strategy.description,
            )
            StrategyMeasure.objects.bulk_create(
                StrategyMeasure(strategy=copy, order=m.order, text=m.text)
                for m in strategy.measures.all()
            )
            self.strategies[strategy.pk] = copy
        for statement in source.target_statements.all():
            self.target_statements[statement.pk] = TargetStatement.objects.create(
                plan=plan,
                order=statement.order,
                theme=statement.theme,
                text=statement.text,
            )
        for area in source.focus_areas.all():
            self.focus_areas[area.pk] = FocusArea.objects.create(
                plan=plan,
                code=area.code,
                order=area.order,
                title=area.title,
                description=area.description,
                strategy=self.strategy(area.strategy_id),
            )

    def strategy(self, pk):
        """The copy of an own strategy; a parent's strategy stays as it is."""
        if pk is None:
            return None
        return self.strategies.get(pk) or Strategy.objects.get(pk=pk)

    def copy_items(self, plan, item_ids):
        items = list(open_items(self.source).select_for_update(of=("self",)))
        chosen = _chosen(items, item_ids)
        for item in items:
            if item.pk not in chosen:
                continue
            copy = ActionItem(
                plan=plan,
                carried_from=item,
                focus_area=self.focus_areas.get(item.focus_area_id),
                strategy=self.strategy(item.strategy_id),
                responsible_organisation_id=item.responsible_organisation_id,
                responsible_person_id=item.responsible_person_id,
                **{name: getattr(item, name) for name in COPIED_FIELDS},
            )
            copy.note_update(
                _("Continuation of %(code)s in %(plan)s.")
                % {"code": item.code, "plan": self.source.title},
                author=self.user,
            )
            copy.save()
            self.items[item.pk] = copy
        for item in items:
            copy = self.items.get(item.pk)
            if copy is None:
                continue
            if item.see_above_id in self.items:
                ActionItem.objects.filter(pk=copy.pk).update(
                    see_above=self.items[item.see_above_id]
                )
            item.status = ActionItem.Status.CARRIED_OVER
            item.note_update(
                _("Carried over to %(plan)s as %(code)s.")
                % {"plan": plan.title, "code": copy.code},
                author=self.user,
            )
            item.save()

    def copy_indicator_links(self, plan):
        """The new plan follows the same indicators, measuring the copies of
        the goals they measured."""
        links = (
            ("strategies", self.strategies),
            ("target_statements", self.target_statements),
            ("action_items", self.items),
        )
        for indicator in Indicator.objects.filter(plans=self.source):
            indicator.plans.add(plan)
            for name, copies in links:
                linked = getattr(indicator, name).values_list("pk", flat=True)
                new = [copies[pk] for pk in linked if pk in copies]
                if new:
                    getattr(indicator, name).add(*new)


#: The fields an item's copy takes over as they are.
COPIED_FIELDS = (
    "code",
    "order",
    "title",
    *ActionItem.TABLE_FIELDS,
    "area",
    "status",
    "progress",
    "progress_note",
    "start_date",
    "due_date",
    "is_public",
    "internal_note",
)
