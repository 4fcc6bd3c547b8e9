"""Loading one parsed plan data file into the database (``PlanLoader``):
the registers (organisations, people, stakeholder groups, governing bodies),
the plan and its document. Action items, funding and indicators are loaded by
``FollowUpLoading`` (``plan_data.follow_up``); reading files and the
transaction around a load are in ``plan_data.files``.

The format is described in ``docs/plan-data-format.md``. Loading is idempotent:
records are found by their natural keys and saved only when a value differs, so a
second run writes nothing (and records no history). Follow-up fields of action
items (status, progress, dates, public flag) are the back office's: the file sets
them when an item is created and never overwrites them afterwards.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plans.models import (
    FocusArea,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from plans.services.plan_data.follow_up import FollowUpLoading
from plans.services.plan_data.values import (
    PlanFileError,
    date,
    flatten,
    lookup,
    present,
    required,
    text,
)
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)


class PlanLoader(FollowUpLoading):
    """Loads one parsed plan document into the database."""

    def __init__(self, path, document, result, lines=None):
        self.path, self.doc, self.result = Path(path), document, result
        self.lines = lines or {}

    # -- helpers ------------------------------------------------------------

    def fail(self, where, message):
        raise PlanFileError(self.path, where, message, line=self.line_of(where))

    def line_of(self, where):
        """The line of the value at key path ``where``, or of the nearest
        enclosing value that the file has (a missing key: its mapping)."""
        while where:
            if where in self.lines:
                return self.lines[where]
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        return None

    def upsert(self, where, model, lookup, values, create_only=None):
        """Find by ``lookup``; create, or save only the values that differ."""
        obj = model.objects.filter(**lookup).first()
        creating = obj is None
        if creating:
            obj = model(**lookup)
            values = {**values, **(create_only or {})}
        if creating:
            dirty = list(values)
        else:
            dirty = [
                name for name, value in values.items() if getattr(obj, name) != value
            ]
        if not creating and not dirty:
            return obj
        for name in dirty:
            setattr(obj, name, values[name])
        try:
            obj.full_clean()
        except ValidationError as exc:
            self.fail(where, "; ".join(flatten(exc)))
        obj.save()
        self.result.count(
            self.result.created if creating else self.result.changed, model
        )
        return obj

    def set_m2m(self, obj, name, targets):
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            self.result.count(self.result.changed, type(obj))

    def strategy(self, where, plan, code):
        """The strategy ``code`` of the plan or of a plan it may serve (its
        parents, the plans it contributes to)."""
        if not code:
            return None
        found = list(
            Strategy.objects.filter(
                plan_id__in=plan.strategy_plan_ids(), code=str(code)
            )[:2]
        )
        if len(found) != 1:
            self.fail(
                where,
                _("no strategy “%(code)s” of this plan or the plans it builds on")
                % {"code": code}
                if not found
                else _("strategy “%(code)s” is ambiguous") % {"code": code},
            )
        return found[0]

    def organisation(self, where, name):
        if not name:
            return None
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            self.fail(where, _("unknown organisation “%(name)s”") % {"name": name})
        return org

    def person(self, where, name):
        person = Person.objects.filter(name=name).first()
        if person is None:
            self.fail(where, _("unknown person “%(name)s”") % {"name": name})
        return person

    def plan_by_slug(self, where, slug):
        if not slug:
            return None
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            self.fail(where, _("unknown plan “%(slug)s”") % {"slug": slug})
        return plan

    def body(self, where, name):
        if not name:
            return None
        body = GoverningBody.objects.filter(name=name).first()
        if body is None:
            self.fail(where, _("unknown governing body “%(name)s”") % {"name": name})
        return body

    # -- registers ----------------------------------------------------------

    def load(self):
        for i, row in enumerate(self.doc.get("organisations") or []):
            where = f"organisations[{i}]"
            name = required(self, where, row, "name")
            self.upsert(
                where,
                Organisation,
                {"name": name},
                {
                    "short_name": row.get("short_name") or "",
                    "kind": row.get("kind") or Organisation.Kind.OTHER,
                    "website": row.get("website") or "",
                    "address": row.get("address") or "",
                    "description": text(row.get("description")),
                },
                create_only={"slug": self.free_slug(Organisation, name)},
            )
        for i, row in enumerate(self.doc.get("people") or []):
            where = f"people[{i}]"
            self.upsert(
                where,
                Person,
                {"name": required(self, where, row, "name")},
                {
                    "title": row.get("title") or "",
                    "organisation": self.organisation(
                        f"{where}.organisation", row.get("organisation")
                    ),
                    "email": row.get("email") or "",
                    "phone": row.get("phone") or "",
                },
            )
        for i, row in enumerate(self.doc.get("stakeholder_groups") or []):
            where = f"stakeholder_groups[{i}]"
            group = self.upsert(
                where,
                StakeholderGroup,
                {"name": required(self, where, row, "name")},
                {"order": i + 1, "description": text(row.get("description"))},
            )
            self.set_m2m(
                group,
                "organisations",
                [
                    self.organisation(f"{where}.organisations[{j}]", name)
                    for j, name in enumerate(row.get("organisations") or [])
                ],
            )
        self.load_bodies()
        plan = self.load_plan()
        self.load_plan_content(plan)
        self.load_action_items(plan)
        self.load_funding(plan)
        self.load_indicators(plan)
        return plan

    def load_bodies(self):
        rows = self.doc.get("governing_bodies") or []
        bodies = []
        for i, row in enumerate(rows):
            where = f"governing_bodies[{i}]"
            name = required(self, where, row, "name")
            bodies.append(
                self.upsert(
                    where,
                    GoverningBody,
                    {"name": name},
                    {
                        "slug": row.get("slug") or slugify(name),
                        "kind": row.get("kind") or GoverningBody.Kind.OTHER,
                        "order": i + 1,
                        "mandate": text(row.get("mandate")),
                        "meetings_per_year": row.get("meetings_per_year"),
                        "cadence": row.get("cadence") or "",
                    },
                )
            )
        for i, (row, body) in enumerate(zip(rows, bodies, strict=True)):
            where = f"governing_bodies[{i}]"
            self.upsert(
                where,
                GoverningBody,
                {"pk": body.pk},
                {"reports_to": self.body(f"{where}.reports_to", row.get("reports_to"))},
            )
            for j, member in enumerate(row.get("members") or []):
                mwhere = f"{where}.members[{j}]"
                self.upsert(
                    mwhere,
                    Membership,
                    {
                        "body": body,
                        "person": self.person(
                            f"{mwhere}.person",
                            required(self, mwhere, member, "person"),
                        ),
                    },
                    {
                        "role": member.get("role") or Membership.Role.MEMBER,
                        "title": member.get("title") or "",
                        "representing": self.organisation(
                            f"{mwhere}.representing", member.get("representing")
                        ),
                        "party": member.get("party") or "",
                        "order": j + 1,
                    },
                )

    # -- the plan -----------------------------------------------------------

    def load_plan(self):
        row = self.doc["plan"]
        slug = required(self, "plan", row, "slug")
        parent = None
        if row.get("parent"):
            parent = Plan.objects.filter(slug=row["parent"]).first()
            if parent is None:
                self.fail(
                    "plan.parent",
                    _("unknown parent plan “%(slug)s”") % {"slug": row["parent"]},
                )
        plan = self.upsert(
            "plan",
            Plan,
            {"slug": slug},
            {
                "title": required(self, "plan", row, "title"),
                "subtitle": row.get("subtitle") or "",
                "kind": required(self, "plan", row, "kind"),
                "owner": self.organisation(
                    "plan.owner", required(self, "plan", row, "owner")
                ),
                "start_year": required(self, "plan", row, "start_year"),
                "end_year": required(self, "plan", row, "end_year"),
                "adopted_on": date(self, "plan.adopted_on", row.get("adopted_on")),
                "adopted_by": self.body("plan.adopted_by", row.get("adopted_by")),
                "parent": parent,
                "status": row.get("status") or Plan.Status.DRAFT,
                "is_public": bool(row.get("is_public", False)),
                "is_partner_plan": bool(row.get("partner", False)),
                "version_note": row.get("version_note") or "",
                "contact": text(row.get("contact")),
                # Keys added with the export: a file without them leaves
                # what the back office set.
                **present(
                    row,
                    update_interval_days=lambda v: v or 60,
                    predecessor=lambda v: self.plan_by_slug("plan.predecessor", v),
                ),
            },
        )
        self.set_m2m(
            plan,
            "governing_bodies",
            [
                self.body(f"plan.governing_bodies[{i}]", name)
                for i, name in enumerate(row.get("governing_bodies") or [])
            ],
        )
        contributes_to = []
        for i, other in enumerate(row.get("contributes_to") or []):
            target = Plan.objects.filter(slug=other).first()
            if target is None:
                self.fail(
                    f"plan.contributes_to[{i}]",
                    _("unknown plan “%(slug)s”") % {"slug": other},
                )
            contributes_to.append(target)
        self.set_m2m(plan, "contributes_to", contributes_to)
        self.set_m2m(
            plan,
            "stakeholder_groups",
            [
                lookup(self, StakeholderGroup, f"plan.stakeholder_groups[{i}]", name)
                for i, name in enumerate(row.get("stakeholder_groups") or [])
            ],
        )
        return plan

    def load_plan_content(self, plan):
        row = self.doc["plan"]
        for i, section in enumerate(row.get("sections") or []):
            where = f"plan.sections[{i}]"
            self.upsert(
                where,
                Section,
                {"plan": plan, "order": i + 1},
                {
                    "heading": required(self, where, section, "heading"),
                    "kind": section.get("kind") or Section.Kind.TEXT,
                    "body": text(section.get("body")),
                },
            )
        for i, statement in enumerate(row.get("vision_statements") or []):
            where = f"plan.vision_statements[{i}]"
            self.upsert(
                where,
                VisionStatement,
                {"plan": plan, "order": i + 1},
                {
                    "text": required(self, where, statement, "text"),
                    "source": statement.get("source") or "",
                },
            )
        for i, strategy_row in enumerate(row.get("strategies") or []):
            where = f"plan.strategies[{i}]"
            strategy = self.upsert(
                where,
                Strategy,
                {
                    "plan": plan,
                    "code": str(required(self, where, strategy_row, "code")),
                },
                {
                    "order": i + 1,
                    "title": required(self, where, strategy_row, "title"),
                    "description": text(strategy_row.get("description")),
                },
            )
            for j, measure in enumerate(strategy_row.get("measures") or []):
                self.upsert(
                    f"{where}.measures[{j}]",
                    StrategyMeasure,
                    {"strategy": strategy, "order": j + 1},
                    {"text": str(measure).strip()},
                )
        for i, statement in enumerate(row.get("target_statements") or []):
            where = f"plan.target_statements[{i}]"
            self.upsert(
                where,
                TargetStatement,
                {"plan": plan, "order": i + 1},
                {
                    "theme": statement.get("theme") or "",
                    "text": required(self, where, statement, "text"),
                },
            )
        for i, area in enumerate(row.get("focus_areas") or []):
            where = f"plan.focus_areas[{i}]"
            self.upsert(
                where,
                FocusArea,
                {"plan": plan, "code": str(required(self, where, area, "code"))},
                {
                    "order": i + 1,
                    "title": required(self, where, area, "title"),
                    "description": text(area.get("description")),
                    "strategy": self.strategy(
                        f"{where}.strategy", plan, area.get("strategy")
                    ),
                },
            )

    def free_slug(self, model, name):
        base = slugify(name)[:180] or model._meta.model_name
        slug, n = base, 2
        while model.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug
