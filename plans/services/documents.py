"""A plan as a document: what the document template shows, for the page and PDF.

``build_plan_document(plan, user)`` gathers everything the document template
(``plans/document/_document.html``) shows, in a fixed number of queries whatever
the number of sections, action items or organisations. The HTML page and the PDF
both use it, so the two outputs show the same content.
"""

import datetime
import re
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Prefetch,
    prefetch_related_objects,
)
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.permissions import sees_internal
from plans import charts
from plans.models import (
    ActionItem,
    FocusArea,
    FundingContribution,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from plans.services.funding import FundingLedger
from plans.services.indicators import FollowUp, rule_text, visible_indicators
from stakeholders.models import GoverningBody, Membership, StakeholderGroup

# The plans are written in Swedish; under /en/ their text is marked lang="sv".
DOCUMENT_LANGUAGE = "sv"

BLOCK_TEMPLATES = {
    kind: f"plans/document/_block_{kind}.html"
    for kind in Section.Kind.values
    if kind != Section.Kind.TEXT
}

KIND_ORDER = {
    Plan.Kind.PROGRAMME: 0,
    Plan.Kind.BUSINESS_PLAN: 1,
    Plan.Kind.ACTION_PLAN: 2,
}


# ---------------------------------------------------------------------------
# Building blocks of a document
# ---------------------------------------------------------------------------


@dataclass
class FundingRow:
    """One organisation's contributions, aligned with ``FundingTable.years``."""

    organisation: object
    amounts: list
    total: Decimal
    cells: list = field(default_factory=list)  # (year, amount or None)


@dataclass
class FundingTable:
    """A plan's funding per organisation and year, with row and column totals."""

    years: list
    rows: list
    year_totals: list
    total: Decimal
    total_cells: list = field(default_factory=list)  # (year, total of the year)

    @classmethod
    def from_contributions(cls, contributions):
        contributions = list(contributions)
        years = sorted({c.year for c in contributions})
        # Organisations in the order the plan lists them (the order of entry).
        by_org = {}
        for c in sorted(contributions, key=lambda c: c.pk):
            by_org.setdefault(c.organisation_id, (c.organisation, {}))[1][c.year] = (
                c.amount
            )
        rows = []
        for organisation, per_year in by_org.values():
            amounts = [per_year.get(year) for year in years]
            rows.append(
                FundingRow(
                    organisation=organisation,
                    amounts=amounts,
                    total=sum((a for a in amounts if a is not None), Decimal(0)),
                    cells=list(zip(years, amounts, strict=True)),
                )
            )
        year_totals = [
            sum(
                (row.amounts[i] for row in rows if row.amounts[i] is not None),
                Decimal(0),
            )
            for i in range(len(years))
        ]
        return cls(
            years=years,
            rows=rows,
            year_totals=year_totals,
            total=sum(year_totals, Decimal(0)),
            total_cells=list(zip(years, year_totals, strict=True)),
        )


@dataclass
class MemberLine:
    """A member of a governing body as the plan lists them."""

    name: str
    details: str
    role_note: str
    party: str


@dataclass
class BodyBlock:
    """A governing body with its members, ready for the document."""

    body: GoverningBody
    members: list = field(default_factory=list)

    @property
    def cadence(self):
        if self.body.cadence:
            return self.body.cadence
        if self.body.meetings_per_year:
            count = self.body.meetings_per_year
            return ngettext(
                "%(count)s time a year", "%(count)s times a year", count
            ) % {"count": count}
        return ""


@dataclass
class VisionGroup:
    """Consecutive vision statements quoted from the same source."""

    source: str
    statements: list


@dataclass
class TargetTheme:
    theme: str
    statements: list


@dataclass
class FocusGroup:
    """A focus area (or None for items without one) with its visible items."""

    focus_area: object
    items: list


@dataclass(slots=True)
class DocumentItem:
    """An action item as the document shows it.

    Read with ``values_list`` rather than as model instances: a plan lists
    hundreds of items, and building an ``ActionItem`` per row cost three times
    as much as the row itself. ``build_plan_document`` fills in the rest.
    """

    pk: int
    code: str
    title: str
    status: str
    progress: int
    due_date: datetime.date | None
    focus_area_id: int | None
    see_above_id: int | None
    assignment: str
    commissioned_by: str
    expected_result: str
    schedule: str
    responsible_body: str
    responsible_officer: str
    coordinator: str
    is_late: bool  # ``ActionItem.late_condition``, read with the row
    anchor: str = ""
    reference: "DocumentItem | None" = None  # the item a "Se ovan" row refers to


#: The columns read for a ``DocumentItem``: its fields without a default, in order.
DOCUMENT_ITEM_COLUMNS = [f.name for f in fields(DocumentItem) if f.default is MISSING]


@dataclass
class StakeholderLine:
    """A stakeholder group; ``url`` is set when it names exactly one organisation."""

    group: object
    url: str
    organisations: list


def member_line(membership, owner_id=None):
    """Name, role title and organisation; the plan's own organisation is implied."""
    person = membership.person
    title = membership.title or person.title
    organisation = ""
    if membership.representing and membership.representing_id != owner_id:
        organisation = membership.representing.label
    details = ", ".join(part for part in (title, organisation) if part)
    role_note = ""
    if membership.role == Membership.Role.CHAIR:
        role_note = pgettext("abbreviation of chair in a member list", "chair")
    return MemberLine(
        name=person.name,
        details=details,
        role_note=role_note,
        party=membership.party,
    )


def item_anchor(item, id_prefix=""):
    """The id of an action item's row or entry in the document."""
    code = re.sub(r"[^0-9A-Za-z_-]+", "-", item.code).strip("-")
    return f"{id_prefix}atgard-{code}"


def plan_status_text(plan):
    """The plan's status in one phrase; used by the list and the document header."""
    if plan.status == Plan.Status.ADOPTED:
        date = date_format(plan.adopted_on, "j F Y") if plan.adopted_on else ""
        body = plan.adopted_by.name if plan.adopted_by else ""
        if body and date:
            return _("Adopted by %(body)s on %(date)s") % {"body": body, "date": date}
        if date:
            return _("Adopted on %(date)s") % {"date": date}
        if body:
            return _("Adopted by %(body)s") % {"body": body}
    return plan.get_status_display()


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def plan_document_queryset(user):
    """The plans ``user`` may read, with what every document header shows."""
    return Plan.objects.visible_to(user).select_related("owner", "adopted_by", "parent")


def build_plan_document(plan, user, *, id_prefix=""):
    """Everything the document template needs for ``plan`` as ``user`` sees it.

    Returns a dict (the template's ``document``). Queries are fixed in number:
    each kind of block the plan uses costs one or two queries, whatever the
    number of rows. ``id_prefix`` is put before every id in the document, so
    that several documents (a plan and its appendices) fit in one HTML file.

    Each action item in ``items`` is a ``DocumentItem`` with its ``anchor`` and
    ``reference`` (the item a "Se ovan" row refers to).
    """
    internal = sees_internal(user)
    sections = list(plan.sections.order_by("order"))
    kinds = {section.kind for section in sections}
    K = Section.Kind

    lookups = [
        Prefetch(
            "appendices",
            queryset=Plan.objects.visible_to(user).order_by("start_year", "title"),
            to_attr="visible_appendices",
        )
    ]
    # The models are ordered by plan first, which joins the plan table to sort
    # by its own ordering; within one plan the rest of the ordering is enough.
    if K.VISION in kinds:
        lookups.append(
            Prefetch(
                "vision_statements", queryset=VisionStatement.objects.order_by("order")
            )
        )
    if K.STRATEGIES in kinds:
        lookups.append(
            Prefetch("strategies", queryset=Strategy.objects.order_by("order", "code"))
        )
        lookups.append(
            Prefetch(
                "strategies__measures",
                queryset=StrategyMeasure.objects.order_by("order"),
            )
        )
    if K.TARGET_STATE in kinds:
        lookups.append(
            Prefetch(
                "target_statements", queryset=TargetStatement.objects.order_by("order")
            )
        )
    if K.GOVERNING_BODIES in kinds or K.COORDINATION in kinds:
        lookups.append(
            Prefetch(
                "governing_bodies",
                queryset=GoverningBody.objects.select_related("reports_to")
                .prefetch_related(
                    Prefetch(
                        "memberships",
                        queryset=Membership.objects.select_related(
                            "person", "representing"
                        ).order_by("order", "person__name"),
                    )
                )
                .order_by("order", "name"),
            )
        )
    if K.STAKEHOLDERS in kinds:
        lookups.append(
            Prefetch(
                "stakeholder_groups",
                queryset=StakeholderGroup.objects.prefetch_related(
                    "organisations"
                ).order_by("order", "name"),
            )
        )
    if K.FUNDING in kinds:
        lookups.append(
            Prefetch(
                "funding",
                queryset=FundingContribution.objects.select_related(
                    "organisation"
                ).order_by("year", "-amount", "organisation__name"),
            )
        )
    if K.ACTION_ITEMS in kinds:
        lookups.append(
            Prefetch(
                "focus_areas", queryset=FocusArea.objects.order_by("order", "code")
            )
        )
    prefetch_related_objects([plan], *lookups)

    document = {
        "plan": plan,
        "id_prefix": id_prefix,
        "language": DOCUMENT_LANGUAGE,
        # The language of the plan's own text where the page around it is in
        # another (the templates mark that text with lang); else "".
        "text_language": DOCUMENT_LANGUAGE
        if get_language() != DOCUMENT_LANGUAGE
        else "",
        "status_text": plan_status_text(plan),
        "is_published": plan.is_published,
        "parent": plan.parent
        if plan.parent and (internal or plan.parent.is_published)
        else None,
        "appendices": plan.visible_appendices,
        "chapters": [],
        "is_wide": K.ACTION_TABLE in kinds,
    }
    if document["parent"]:
        # "Bilaga N": the position of this plan among its parent's appendices.
        siblings = list(
            Plan.objects.visible_to(user)
            .filter(parent=plan.parent)
            .order_by("start_year", "title")
            .values_list("pk", flat=True)
        )
        document["appendix_number"] = siblings.index(plan.pk) + 1

    if K.VISION in kinds:
        groups = []
        for statement in plan.vision_statements.all():
            if not groups or groups[-1].source != statement.source:
                groups.append(VisionGroup(source=statement.source, statements=[]))
            groups[-1].statements.append(statement)
        document["vision_groups"] = groups
    if K.STRATEGIES in kinds:
        document["strategies"] = list(plan.strategies.all())
    if K.TARGET_STATE in kinds:
        themes = {}
        for statement in plan.target_statements.all():
            themes.setdefault(statement.theme, []).append(statement)
        document["target_themes"] = [
            TargetTheme(theme=theme, statements=statements)
            for theme, statements in themes.items()
        ]
    if K.GOVERNING_BODIES in kinds or K.COORDINATION in kinds:
        document["bodies"] = [
            BodyBlock(
                body=body,
                members=[member_line(m, plan.owner_id) for m in body.memberships.all()],
            )
            for body in plan.governing_bodies.all()
        ]
    if K.STAKEHOLDERS in kinds:
        lines = []
        for group in plan.stakeholder_groups.all():
            organisations = list(group.organisations.all())
            if len(organisations) == 1 and organisations[0].name == group.name:
                lines.append(
                    StakeholderLine(
                        group=group,
                        url=organisations[0].get_absolute_url(),
                        organisations=[],
                    )
                )
            else:
                lines.append(
                    StakeholderLine(group=group, url="", organisations=organisations)
                )
        document["stakeholder_lines"] = lines
    if K.FUNDING in kinds:
        funding = FundingTable.from_contributions(plan.funding.all())
        document["funding"] = funding
        ledger = FundingLedger.from_contributions(plan.funding.all(), table=funding)
        document["funding_ledger"] = ledger
        entries = [entry for year in ledger.years for entry in year.entries]
        document["ledger_empty_columns"] = empty_columns(
            entries,
            {3: lambda e: e.amounts.decided, 4: lambda e: e.amounts.paid},
        )
    if K.ACTION_ITEMS in kinds or K.ACTION_TABLE in kinds:
        items = [
            DocumentItem(*row)
            for row in ActionItem.objects.visible_to(user)
            .filter(plan=plan)
            .order_by("order", "code")
            .annotate(
                is_late=ExpressionWrapper(ActionItem.late_condition(), BooleanField())
            )
            .values_list(*DOCUMENT_ITEM_COLUMNS)
        ]
        by_pk = {item.pk: item for item in items}
        for item in items:
            item.anchor = item_anchor(item, id_prefix)
            item.reference = by_pk.get(item.see_above_id)
        document["items"] = items
        # The action table's columns after the heading (column 1), in order.
        document["action_table_empty_columns"] = empty_columns(
            items,
            {
                number: (lambda item, name=name: getattr(item, name))
                for number, name in enumerate(ActionItem.TABLE_FIELDS, start=2)
                if name != "assignment"
            },
        )
        if K.ACTION_ITEMS in kinds:
            groups = {fa.pk: FocusGroup(fa, []) for fa in plan.focus_areas.all()}
            loose = FocusGroup(None, [])
            for item in items:
                groups.get(item.focus_area_id, loose).items.append(item)
            document["focus_groups"] = list(groups.values()) + (
                [loose] if loose.items else []
            )

    for section in sections:
        chapter = {
            "section": section,
            "anchor": f"{id_prefix}{section.anchor}",
            "heading": section.heading,
            "body": section.body,
            "kind": section.kind,
            "template": BLOCK_TEMPLATES.get(section.kind, ""),
        }
        if section.kind == K.FUNDING and document["funding"].rows:
            chapter["chart"] = charts.funding_chart(
                document["funding"],
                chart_id=f"{id_prefix}{section.anchor}-diagram",
                title=_("Funding per organisation and year"),
                description=_(
                    "Bar chart of each organisation's contribution per year, "
                    "%(years)s. The table below holds the same figures."
                )
                % {"years": plan.period},
                unit_label=pgettext("unit of the funding chart axis", "SEK"),
            )
        document["chapters"].append(chapter)
    return attach_indicator_blocks(document, plan, user)


def empty_columns(rows, columns):
    """The numbers of the ``columns`` ({number: value of a row}) that are
    empty in every row: the print leaves them out."""
    return [
        number
        for number, value in columns.items()
        if rows and all(value(row) in (None, "") for row in rows)
    ]


def pdf_url_for(plan):
    """The PDF download of ``plan``, once the PDF view exists; else None."""
    try:
        return reverse("plans:plan-pdf", kwargs={"slug": plan.slug})
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------------------
# Indicators inside a plan document
# ---------------------------------------------------------------------------

#: Chapters an indicator may be shown in, by what it is linked to.
CHAPTER_FOR_LINK = [
    ("target_statements", [Section.Kind.TARGET_STATE]),
    ("action_items", [Section.Kind.ACTION_TABLE, Section.Kind.ACTION_ITEMS]),
    ("strategies", [Section.Kind.STRATEGIES]),
]
#: Where an indicator linked only to the plan goes, in order of preference.
FALLBACK_KINDS = [
    Section.Kind.TARGET_STATE,
    Section.Kind.ACTION_TABLE,
    Section.Kind.ACTION_ITEMS,
    Section.Kind.STRATEGIES,
]
INDICATORS_TEMPLATE = "plans/document/_block_indicators.html"


def document_indicators(plan, user):
    """The plan's visible indicators, each knowing the goals it is linked to.

    Six queries whatever the number of indicators, targets or values.
    """
    return list(
        visible_indicators(user)
        .filter(plans=plan)
        .prefetch_related(
            Prefetch(
                "target_statements",
                queryset=plan.target_statements.only("pk", "plan_id"),
                to_attr="plan_target_statements",
            ),
            Prefetch(
                "action_items",
                queryset=plan.action_items.only("pk", "plan_id"),
                to_attr="plan_action_items",
            ),
            Prefetch(
                "strategies",
                queryset=plan.strategies.only("pk", "plan_id"),
                to_attr="plan_strategies",
            ),
        )
        .order_by("name")
    )


def chapter_for(indicator, chapters):
    """The chapter that shows the goal ``indicator`` measures (or a fallback)."""
    by_kind = {}
    for chapter in chapters:
        by_kind.setdefault(chapter["kind"], chapter)
    for link, kinds in CHAPTER_FOR_LINK:
        if getattr(indicator, f"plan_{link}"):
            for kind in kinds:
                if kind in by_kind:
                    return by_kind[kind]
    for kind in FALLBACK_KINDS:
        if kind in by_kind:
            return by_kind[kind]
    return chapters[-1] if chapters else None


def attach_indicator_blocks(document, plan, user):
    """Show each of the plan's indicators after the chapter of the goal it measures.

    A chapter that gets indicators keeps its own block (``block_template``) and
    is rendered through ``_block_indicators.html``, which adds them after it.
    """
    chapters = document["chapters"]
    if not chapters:
        return document
    for indicator in document_indicators(plan, user):
        chapter = chapter_for(indicator, chapters)
        follow_up = FollowUp.of(indicator)
        follow_up.chart = charts.indicator_chart(
            follow_up,
            chart_id=f"{chapter['anchor']}-indikator-{indicator.pk}",
        )
        follow_up.anchor = f"{document['id_prefix']}indikator-{indicator.pk}"
        if "indicators" not in chapter:
            chapter["indicators"] = []
            chapter["block_template"] = chapter["template"]
            chapter["template"] = INDICATORS_TEMPLATE
        chapter["indicators"].append(follow_up)
    document["rule_text"] = rule_text()
    return document
