"""A plan written out as a plan data file (``docs/plan-data-format.md``).

The file holds the plan and every register entry it names (organisations,
people, stakeholder groups, governing bodies), so that loading it into an
empty database gives the same plan pages: ``export_plan_file`` and the loader
are a round trip. Texts are written as YAML block scalars where they span
lines, amounts as plain numbers.
"""

from collections import OrderedDict
from decimal import Decimal

import yaml
from django.utils import timezone

from plans.models import ActionItem, FundingContribution, Indicator, Plan
from stakeholders.models import GoverningBody, Membership


class _Dumper(yaml.SafeDumper):
    """Block scalars for texts with line breaks; amounts as numbers."""


def _str(dumper, value):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _decimal(dumper, value):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)


def export_plan_file(plan):
    """The text of ``plan``'s data file."""
    document = PlanExport(plan).document()
    return yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88
    )


def _name(obj):
    return obj.name if obj is not None else None


class PlanExport:
    """Collects one plan and the register entries it names."""

    def __init__(self, plan):
        self.plan = (
            Plan.objects.select_related("owner", "adopted_by", "parent", "predecessor")
            .prefetch_related(
                "contributes_to", "governing_bodies", "stakeholder_groups"
            )
            .get(pk=plan.pk)
        )
        self.organisations = OrderedDict()
        self.people = OrderedDict()

    def organisation(self, organisation):
        if organisation is not None:
            self.organisations.setdefault(organisation.pk, organisation)
        return _name(organisation)

    def person(self, person):
        if person is not None:
            self.organisation(person.organisation)
            self.people.setdefault(person.pk, person)
        return _name(person)

    def document(self):
        plan = self.plan
        self.organisation(plan.owner)
        body_rows = self.bodies()
        group_rows = self.stakeholder_groups()
        plan_row = self.plan_row()
        document = {}
        document["organisations"] = [
            {
                "name": o.name,
                "short_name": o.short_name,
                "kind": o.kind,
                "website": o.website,
                "address": o.address,
                "description": o.description,
            }
            for o in sorted(self.organisations.values(), key=lambda o: o.pk)
        ]
        document["people"] = [
            {
                "name": p.name,
                "title": p.title,
                "organisation": _name(p.organisation),
                "email": p.email,
                "phone": p.phone,
            }
            for p in sorted(self.people.values(), key=lambda p: p.pk)
        ]
        document["stakeholder_groups"] = group_rows
        document["governing_bodies"] = body_rows
        document["plan"] = plan_row
        return document

    # -- registers --------------------------------------------------------------

    def stakeholder_groups(self):
        return [
            {
                "name": group.name,
                "description": group.description,
                "organisations": [
                    self.organisation(o) for o in group.organisations.order_by("pk")
                ],
            }
            for group in self.plan.stakeholder_groups.order_by("order", "name")
        ]

    def bodies(self):
        """The bodies the plan shows, the body that adopted it and the bodies
        they report to, in their order."""
        wanted = {body.pk: body for body in self.plan.governing_bodies.all()}
        if self.plan.adopted_by is not None:
            wanted[self.plan.adopted_by_id] = self.plan.adopted_by
        pending = list(wanted.values())
        while pending:
            body = pending.pop()
            if body.reports_to_id and body.reports_to_id not in wanted:
                wanted[body.reports_to_id] = body.reports_to
                pending.append(body.reports_to)
        bodies = GoverningBody.objects.filter(pk__in=wanted).select_related(
            "reports_to"
        )
        return [
            {
                "name": body.name,
                "slug": body.slug,
                "kind": body.kind,
                "mandate": body.mandate,
                "meetings_per_year": body.meetings_per_year,
                "cadence": body.cadence,
                "reports_to": _name(body.reports_to),
                "members": [
                    {
                        "person": self.person(m.person),
                        "role": m.role,
                        "representing": self.organisation(m.representing),
                        "party": m.party,
                        "title": m.title,
                    }
                    for m in Membership.objects.filter(body=body)
                    .select_related("person__organisation", "representing")
                    .order_by("order", "person__name")
                ],
            }
            for body in bodies.order_by("order", "name")
        ]

    # -- the plan ---------------------------------------------------------------

    def plan_row(self):
        plan = self.plan
        row = {
            "slug": plan.slug,
            "title": plan.title,
            "subtitle": plan.subtitle,
            "kind": plan.kind,
            "owner": plan.owner.name,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "adopted_on": plan.adopted_on,
            "adopted_by": _name(plan.adopted_by),
            "parent": plan.parent.slug if plan.parent else None,
            "predecessor": plan.predecessor.slug if plan.predecessor else None,
            "status": plan.status,
            "is_public": plan.is_public,
            "version_note": plan.version_note,
            "document_date": self.document_date(),
            "partner": plan.is_partner_plan,
            "contributes_to": [p.slug for p in plan.contributes_to.all()],
            "update_interval_days": plan.update_interval_days,
            "contact": plan.contact,
            "governing_bodies": [
                b.name for b in plan.governing_bodies.order_by("order", "name")
            ],
            "stakeholder_groups": [
                g.name for g in plan.stakeholder_groups.order_by("order", "name")
            ],
            "sections": [
                {"heading": s.heading, "kind": s.kind, "body": s.body}
                for s in plan.sections.order_by("order")
            ],
            "vision_statements": [
                {"text": v.text, "source": v.source}
                for v in plan.vision_statements.order_by("order")
            ],
            "strategies": [
                {
                    "code": s.code,
                    "title": s.title,
                    "description": s.description,
                    "measures": [m.text for m in s.measures.order_by("order")],
                }
                for s in plan.strategies.order_by("order", "code")
            ],
            "target_statements": [
                {"theme": t.theme, "text": t.text}
                for t in plan.target_statements.order_by("order")
            ],
            "focus_areas": [
                {
                    "code": f.code,
                    "title": f.title,
                    "description": f.description,
                    "strategy": f.strategy.code if f.strategy else None,
                }
                for f in plan.focus_areas.select_related("strategy").order_by(
                    "order", "code"
                )
            ],
            "action_items": self.action_items(),
            "funding": self.funding(),
            "indicators": self.indicators(),
        }
        return row

    def document_date(self):
        """The day the items are dated from, for a plan that is not adopted
        (the loader dates new items from the adoption otherwise)."""
        if self.plan.adopted_on is not None:
            return None
        first = self.plan.action_items.order_by("created_at").first()
        return timezone.localdate(first.created_at) if first else None

    def action_items(self):
        items = (
            ActionItem.objects.filter(plan=self.plan)
            .select_related(
                "focus_area",
                "strategy",
                "see_above",
                "responsible_organisation",
                "responsible_person__organisation",
            )
            .order_by("order", "code")
        )
        rows = []
        for item in items:
            row = {"code": item.code}
            row["focus_area"] = item.focus_area.code if item.focus_area else None
            row["strategy"] = item.strategy.code if item.strategy else None
            for name in TEXT_FIELDS:
                row[name] = getattr(item, name)
            row["responsible_organisation"] = self.organisation(
                item.responsible_organisation
            )
            row["responsible_person"] = self.person(item.responsible_person)
            row.update(
                area=item.area,
                status=item.status,
                progress=item.progress,
                progress_note=item.progress_note,
                start_date=item.start_date,
                due_date=item.due_date,
                see_above=item.see_above.code if item.see_above else None,
                is_public=item.is_public,
                internal_note=item.internal_note,
            )
            rows.append(row)
        return rows

    def funding(self):
        """One row per organisation and amount, with the years it is given,
        in the order the contributions were entered."""
        rows = OrderedDict()
        for c in (
            FundingContribution.objects.filter(plan=self.plan)
            .select_related("organisation")
            .order_by("pk")
        ):
            key = (c.organisation_id, c.amount, c.decided_amount, c.paid_amount, c.note)
            row = rows.setdefault(
                key,
                {
                    "organisation": self.organisation(c.organisation),
                    "amount_per_year": c.amount,
                    "years": [],
                    "note": c.note,
                    "decided_amount": c.decided_amount,
                    "paid_amount": c.paid_amount,
                },
            )
            row["years"].append(c.year)
        return list(rows.values())

    def indicators(self):
        plan = self.plan
        rows = []
        for indicator in Indicator.objects.filter(plans=plan).order_by("name"):
            rows.append(
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "direction": indicator.direction,
                    "description": indicator.description,
                    "baseline_year": indicator.baseline_year,
                    "baseline_value": indicator.baseline_value,
                    "is_public": indicator.is_public,
                    "strategies": [
                        s.code
                        for s in indicator.strategies.filter(plan=plan).order_by(
                            "order"
                        )
                    ],
                    "target_statements": [
                        t.order
                        for t in indicator.target_statements.filter(plan=plan).order_by(
                            "order"
                        )
                    ],
                    "action_items": [
                        i.code
                        for i in indicator.action_items.filter(plan=plan).order_by(
                            "order", "code"
                        )
                    ],
                    "targets": [
                        {
                            "year": t.year,
                            "value": t.value,
                            "label": t.label,
                            "is_step": t.is_step,
                        }
                        for t in indicator.targets.order_by("year")
                    ],
                    "values": [
                        {
                            "date": v.date,
                            "value": v.value,
                            "value_high": v.value_high,
                            "source": v.source,
                            "note": v.note,
                            "is_public": v.is_public,
                        }
                        for v in indicator.values.order_by("date")
                    ],
                }
            )
        return rows


#: The texts of an item as written in the plan (the Söderort columns).
TEXT_FIELDS = ("title", *ActionItem.TABLE_FIELDS)
