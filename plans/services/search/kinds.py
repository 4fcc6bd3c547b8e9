"""What the search looks in: one ``Kind`` per sort of thing found, with the
text columns searched, the rows a visitor may see (the models' own
``visible_to(user)`` / ``public()`` rules) and where a result links to.

The columns of each kind are its document, in this order; on PostgreSQL each
document has a GIN index made by the migration
``plans/0018_search_swedish_full_text`` (keep the two in step: a test compares
them).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from flemingsberg.permissions import sees_internal
from plans.models import (
    ActionItem,
    ActionUpdate,
    FocusArea,
    Indicator,
    Meeting,
    MeetingDecision,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from stakeholders.models import GoverningBody, Membership, Organisation, Person

#: The action item columns every visitor may search (the eight columns of a
#: Söderort table and the rest of an item's text); members also search
#: ``internal_note``.
ITEM_FIELDS = ("code", "title", *ActionItem.TABLE_FIELDS, "area", "progress_note")
ITEM_MEMBER_FIELDS = ("internal_note",)


@dataclass(frozen=True)
class Kind:
    """One sort of thing the search finds."""

    key: str
    label: str
    fields: tuple
    #: ``queryset(user)``: the rows ``user`` may see, with what ``present`` reads.
    queryset: object
    #: ``present(obj)``: (title, url, context line) of a result.
    present: object
    #: Default order of results that rank equal.
    ordering: tuple
    #: The field whose match counts most (the result's title).
    title_field: str = ""
    member_fields: tuple = field(default=())

    def searched_fields(self, user):
        internal = self.member_fields if sees_internal(user) else ()
        return (*self.fields, *internal)


def _visible_plans(user):
    return Plan.objects.visible_to(user)


def _anchored(plan, anchor):
    """The address of a place in a plan's document (its ids: templates/plans/
    document/)."""
    return f"{plan.get_absolute_url()}#{anchor}"


def _plan_part(related="plan"):
    def queryset(model):
        return lambda user: model.objects.filter(
            **{f"{related}__in": _visible_plans(user)}
        ).select_related(related)

    return queryset


def _people(user):
    seated = Membership.objects.filter(person=OuterRef("pk"))
    return (
        Person.objects.filter(Q(organisation__isnull=False) | Exists(seated))
        .select_related("organisation")
        .order_by("name", "pk")
    )


def _person(person):
    if person.organisation_id:
        return (
            person.name,
            person.organisation.get_absolute_url(),
            person.organisation.name,
        )
    return person.name, reverse("plans:governingbody-list"), person.title


def _strategy_url(strategy):
    return _anchored(strategy.plan, f"strategi-{slugify(strategy.code)}")


KINDS = (
    Kind(
        key="plans",
        label=_("Plans"),
        fields=("title", "subtitle"),
        queryset=lambda user: _visible_plans(user).select_related("owner"),
        present=lambda plan: (plan.title, plan.get_absolute_url(), plan.period),
        ordering=("-start_year", "title"),
        title_field="title",
    ),
    Kind(
        key="sections",
        label=_("Plan chapters"),
        fields=("heading", "body"),
        queryset=_plan_part()(Section),
        present=lambda section: (
            section.heading,
            section.get_absolute_url(),
            section.plan.title,
        ),
        ordering=("plan__title", "order"),
        title_field="heading",
    ),
    Kind(
        key="vision",
        label=_("Vision statements"),
        fields=("text",),
        queryset=_plan_part()(VisionStatement),
        present=lambda statement: (
            statement.plan.title,
            statement.plan.get_absolute_url(),
            statement.source,
        ),
        ordering=("plan__title", "order"),
    ),
    Kind(
        key="strategies",
        label=_("Strategies"),
        fields=("code", "title", "description"),
        queryset=_plan_part()(Strategy),
        present=lambda strategy: (
            strategy.title,
            _strategy_url(strategy),
            strategy.plan.title,
        ),
        ordering=("plan__title", "order", "code"),
        title_field="title",
    ),
    Kind(
        key="measures",
        label=_("Measures of the strategies"),
        fields=("text",),
        queryset=lambda user: StrategyMeasure.objects.filter(
            strategy__plan__in=_visible_plans(user)
        ).select_related("strategy__plan"),
        present=lambda measure: (
            measure.strategy.title,
            _strategy_url(measure.strategy),
            measure.strategy.plan.title,
        ),
        ordering=("strategy__plan__title", "strategy__order", "order"),
    ),
    Kind(
        key="targets",
        label=_("Target statements"),
        fields=("theme", "text"),
        queryset=_plan_part()(TargetStatement),
        present=lambda target: (
            target.theme or target.plan.title,
            target.plan.get_absolute_url(),
            target.plan.title,
        ),
        ordering=("plan__title", "order"),
    ),
    Kind(
        key="focus_areas",
        label=_("Focus areas"),
        fields=("code", "title", "description"),
        queryset=_plan_part()(FocusArea),
        present=lambda area: (
            area.title,
            _anchored(area.plan, f"fokus-{slugify(area.code)}"),
            area.plan.title,
        ),
        ordering=("plan__title", "order", "code"),
        title_field="title",
    ),
    Kind(
        key="items",
        label=_("Action items"),
        fields=ITEM_FIELDS,
        member_fields=ITEM_MEMBER_FIELDS,
        queryset=lambda user: ActionItem.objects.visible_to(user).select_related(
            "plan"
        ),
        present=lambda item: (
            f"{item.code} {item.title}".strip(),
            item.get_absolute_url(),
            item.plan.title,
        ),
        ordering=("plan__title", "order", "code"),
        title_field="title",
    ),
    Kind(
        key="updates",
        label=_("Progress updates"),
        fields=("text",),
        queryset=lambda user: ActionUpdate.objects.visible_to(user).select_related(
            "item__plan"
        ),
        present=lambda update: (
            f"{update.item.code} {update.item.title}".strip(),
            update.item.get_absolute_url(),
            update.item.plan.title,
        ),
        # NULLS LAST (the date is never null) so that PostgreSQL does not
        # walk the newest-first index through every update, computing each
        # one's to_tsvector, instead of reading the search index: 1.1 s
        # against 13 ms at 20 000 updates.
        ordering=(F("date").desc(nulls_last=True), F("pk").desc()),
    ),
    Kind(
        key="organisations",
        label=_("Organisations"),
        fields=("name", "short_name", "description"),
        queryset=lambda user: Organisation.objects.all(),
        present=lambda organisation: (
            organisation.name,
            organisation.get_absolute_url(),
            organisation.short_name,
        ),
        ordering=("name",),
        title_field="name",
    ),
    Kind(
        key="people",
        label=_("People"),
        fields=("name", "title"),
        queryset=_people,
        present=_person,
        ordering=("name", "pk"),
        title_field="name",
    ),
    Kind(
        key="bodies",
        label=_("Governing bodies"),
        fields=("name", "mandate", "cadence"),
        queryset=lambda user: GoverningBody.objects.all(),
        present=lambda body: (body.name, body.get_absolute_url(), body.cadence),
        ordering=("order", "name"),
        title_field="name",
    ),
    Kind(
        key="meetings",
        label=_("Meetings"),
        fields=("title", "agenda", "notes"),
        queryset=lambda user: Meeting.objects.visible_to(user).select_related("body"),
        present=lambda meeting: (
            meeting.title,
            meeting.get_absolute_url(),
            f"{meeting.body.name}, {meeting.date:%Y-%m-%d}",
        ),
        ordering=("-date", "pk"),
        title_field="title",
    ),
    Kind(
        key="decisions",
        label=_("Decisions"),
        fields=("text",),
        queryset=lambda user: MeetingDecision.objects.filter(
            meeting__in=Meeting.objects.visible_to(user)
        ).select_related("meeting__body"),
        present=lambda decision: (
            decision.meeting.title,
            decision.meeting.get_absolute_url(),
            f"{decision.meeting.body.name}, {decision.meeting.date:%Y-%m-%d}",
        ),
        ordering=("-meeting__date", "order", "pk"),
    ),
    Kind(
        key="indicators",
        label=_("Indicators"),
        fields=("name", "unit", "description"),
        queryset=lambda user: Indicator.objects.visible_to(user),
        present=lambda indicator: (
            indicator.name,
            indicator.get_absolute_url(),
            indicator.unit,
        ),
        ordering=("name",),
        title_field="name",
    ),
)

KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
