"""Multi-record writes of the plans app: loading a plan data file.

The format is described in ``docs/plan-data-format.md``. Loading is idempotent:
records are found by their natural keys and saved only when a value differs, so a
second run writes nothing (and records no history). Follow-up fields of action
items (status, progress, dates, public flag) are the back office's: the file sets
them when an item is created and never overwrites them afterwards.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from plans.models import (
    ActionItem,
    FocusArea,
    FundingContribution,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FOLLOW_UP_FIELDS = ("status", "progress", "start_date", "due_date", "is_public")


class PlanFileError(Exception):
    """A plan data file that cannot be loaded, with where the problem is."""

    def __init__(self, path, where, message):
        self.path, self.where, self.message = path, where, message
        super().__init__(f"{path}: {where}: {message}")


@dataclass
class LoadResult:
    """What one load wrote: counts of created and changed records per model."""

    created: dict = field(default_factory=dict)
    changed: dict = field(default_factory=dict)

    def count(self, bucket, model):
        name = model._meta.model_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def wrote_anything(self):
        return bool(self.created or self.changed)


def bundled_plan_files():
    return sorted(DATA_DIR.glob("*.yaml"))


def load_plan_files(paths):
    """Load several files in one transaction, in dependency order (parents first)."""
    documents = [(Path(p), read_plan_file(p)) for p in paths]
    slugs = {doc["plan"]["slug"] for _, doc in documents}
    pending, ordered = list(documents), []
    while pending:
        ready = [
            (p, d)
            for p, d in pending
            if not d["plan"].get("parent")
            or d["plan"]["parent"] not in slugs
            or any(o["plan"]["slug"] == d["plan"]["parent"] for _, o in ordered)
        ]
        if not ready:
            raise PlanFileError(pending[0][0], "plan.parent", "circular parent plans")
        ordered += ready
        pending = [x for x in pending if x not in ready]
    result = LoadResult()
    with transaction.atomic():
        for path, document in ordered:
            PlanLoader(path, document, result).load()
    return result


def read_plan_file(path):
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PlanFileError(path, "file", f"not UTF-8 ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise PlanFileError(path, where, f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        raise PlanFileError(path, "plan", "the file has no `plan:` mapping")
    return document


class PlanLoader:
    """Loads one parsed plan document into the database."""

    def __init__(self, path, document, result):
        self.path, self.doc, self.result = Path(path), document, result

    # -- helpers ------------------------------------------------------------

    def fail(self, where, message):
        raise PlanFileError(self.path, where, message)

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
            self.fail(where, "; ".join(_flatten(exc)))
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
                f"no strategy “{code}” of this plan or the plans it builds on"
                if not found
                else f"strategy “{code}” is ambiguous",
            )
        return found[0]

    def organisation(self, where, name):
        if not name:
            return None
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            self.fail(where, f"unknown organisation “{name}”")
        return org

    def person(self, where, name):
        person = Person.objects.filter(name=name).first()
        if person is None:
            self.fail(where, f"unknown person “{name}”")
        return person

    def body(self, where, name):
        if not name:
            return None
        body = GoverningBody.objects.filter(name=name).first()
        if body is None:
            self.fail(where, f"unknown governing body “{name}”")
        return body

    # -- registers ----------------------------------------------------------

    def load(self):
        for i, row in enumerate(self.doc.get("organisations") or []):
            where = f"organisations[{i}]"
            name = _required(self, where, row, "name")
            self.upsert(
                where,
                Organisation,
                {"name": name},
                {
                    "short_name": row.get("short_name") or "",
                    "kind": row.get("kind") or Organisation.Kind.OTHER,
                    "website": row.get("website") or "",
                    "address": row.get("address") or "",
                    "description": _text(row.get("description")),
                },
                create_only={"slug": self.free_slug(Organisation, name)},
            )
        for i, row in enumerate(self.doc.get("people") or []):
            where = f"people[{i}]"
            self.upsert(
                where,
                Person,
                {"name": _required(self, where, row, "name")},
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
                {"name": _required(self, where, row, "name")},
                {"order": i + 1, "description": _text(row.get("description"))},
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
            name = _required(self, where, row, "name")
            bodies.append(
                self.upsert(
                    where,
                    GoverningBody,
                    {"name": name},
                    {
                        "slug": row.get("slug") or slugify(name),
                        "kind": row.get("kind") or GoverningBody.Kind.OTHER,
                        "order": i + 1,
                        "mandate": _text(row.get("mandate")),
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
                            _required(self, mwhere, member, "person"),
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
        slug = _required(self, "plan", row, "slug")
        parent = None
        if row.get("parent"):
            parent = Plan.objects.filter(slug=row["parent"]).first()
            if parent is None:
                self.fail("plan.parent", f"unknown parent plan “{row['parent']}”")
        plan = self.upsert(
            "plan",
            Plan,
            {"slug": slug},
            {
                "title": _required(self, "plan", row, "title"),
                "subtitle": row.get("subtitle") or "",
                "kind": _required(self, "plan", row, "kind"),
                "owner": self.organisation(
                    "plan.owner", _required(self, "plan", row, "owner")
                ),
                "start_year": _required(self, "plan", row, "start_year"),
                "end_year": _required(self, "plan", row, "end_year"),
                "adopted_on": _date(self, "plan.adopted_on", row.get("adopted_on")),
                "adopted_by": self.body("plan.adopted_by", row.get("adopted_by")),
                "parent": parent,
                "status": row.get("status") or Plan.Status.DRAFT,
                "is_public": bool(row.get("is_public", False)),
                "is_partner_plan": bool(row.get("partner", False)),
                "version_note": row.get("version_note") or "",
                "contact": _text(row.get("contact")),
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
                self.fail(f"plan.contributes_to[{i}]", f"unknown plan “{other}”")
            contributes_to.append(target)
        self.set_m2m(plan, "contributes_to", contributes_to)
        self.set_m2m(
            plan,
            "stakeholder_groups",
            [
                _lookup(self, StakeholderGroup, f"plan.stakeholder_groups[{i}]", name)
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
                    "heading": _required(self, where, section, "heading"),
                    "kind": section.get("kind") or Section.Kind.TEXT,
                    "body": _text(section.get("body")),
                },
            )
        for i, statement in enumerate(row.get("vision_statements") or []):
            where = f"plan.vision_statements[{i}]"
            self.upsert(
                where,
                VisionStatement,
                {"plan": plan, "order": i + 1},
                {
                    "text": _required(self, where, statement, "text"),
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
                    "code": str(_required(self, where, strategy_row, "code")),
                },
                {
                    "order": i + 1,
                    "title": _required(self, where, strategy_row, "title"),
                    "description": _text(strategy_row.get("description")),
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
                    "text": _required(self, where, statement, "text"),
                },
            )
        for i, area in enumerate(row.get("focus_areas") or []):
            where = f"plan.focus_areas[{i}]"
            self.upsert(
                where,
                FocusArea,
                {"plan": plan, "code": str(_required(self, where, area, "code"))},
                {
                    "order": i + 1,
                    "title": _required(self, where, area, "title"),
                    "description": _text(area.get("description")),
                    "strategy": self.strategy(
                        f"{where}.strategy", plan, area.get("strategy")
                    ),
                },
            )

    def load_action_items(self, plan):
        rows = self.doc["plan"].get("action_items") or []
        items = {}
        row = self.doc["plan"]
        dated = _date(self, "plan.document_date", row.get("document_date"))
        dated = dated or plan.adopted_on
        if dated is not None:
            dated = timezone.make_aware(
                datetime.datetime.combine(dated, datetime.time(12))
            )
        for i, row in enumerate(rows):
            where = f"plan.action_items[{i}]"
            code = str(_required(self, where, row, "code"))
            values = {
                "order": i + 1,
                "focus_area": _lookup(
                    self,
                    FocusArea,
                    f"{where}.focus_area",
                    row.get("focus_area"),
                    key="code",
                    plan=plan,
                ),
                "strategy": self.strategy(
                    f"{where}.strategy", plan, row.get("strategy")
                ),
                "title": _required(self, where, row, "title"),
                "responsible_organisation": self.organisation(
                    f"{where}.responsible_organisation",
                    row.get("responsible_organisation"),
                ),
                "see_above": None,
            }
            for name in (
                "assignment",
                "commissioned_by",
                "expected_result",
                "schedule",
                "responsible_body",
                "responsible_officer",
                "coordinator",
                "area",
            ):
                values[name] = _text(row.get(name))
            if row.get("see_above"):
                target = items.get(str(row["see_above"]))
                if target is None:
                    self.fail(
                        f"{where}.see_above",
                        f"refers to “{row['see_above']}”, which is not an earlier item",
                    )
                values["see_above"] = target
            create_only = {
                "status": row.get("status") or ActionItem.Status.NOT_STARTED,
                "progress": row.get("progress") or 0,
                "start_date": _date(self, f"{where}.start_date", row.get("start_date")),
                "due_date": _date(self, f"{where}.due_date", row.get("due_date")),
                "is_public": bool(row.get("is_public", True)),
            }
            created = not ActionItem.objects.filter(plan=plan, code=code).exists()
            items[code] = self.upsert(
                where,
                ActionItem,
                {"plan": plan, "code": code},
                values,
                create_only=create_only,
            )
            if created and dated is not None:
                # The item is as old as the document it was written in, so that
                # "changes since" a date starts there, not on the day of loading.
                ActionItem.objects.filter(pk=items[code].pk).update(created_at=dated)

    def load_funding(self, plan):
        for i, row in enumerate(self.doc["plan"].get("funding") or []):
            where = f"plan.funding[{i}]"
            organisation = self.organisation(
                f"{where}.organisation", _required(self, where, row, "organisation")
            )
            amount = _decimal(
                self, f"{where}.amount_per_year", row.get("amount_per_year")
            )
            for year in row.get("years") or []:
                self.upsert(
                    f"{where}.years",
                    FundingContribution,
                    {"plan": plan, "organisation": organisation, "year": year},
                    {"amount": amount, "note": row.get("note") or ""},
                )

    def load_indicators(self, plan):
        for i, row in enumerate(self.doc["plan"].get("indicators") or []):
            where = f"plan.indicators[{i}]"
            name = _required(self, where, row, "name")
            indicator = self.upsert(
                where,
                Indicator,
                {"name": name},
                {
                    "unit": row.get("unit") or "",
                    "direction": row.get("direction") or Indicator.Direction.HIGHER,
                    "description": _text(row.get("description")),
                    "baseline_year": row.get("baseline_year"),
                    "baseline_value": _decimal(
                        self, f"{where}.baseline_value", row.get("baseline_value")
                    ),
                },
                create_only={"slug": self.free_slug(Indicator, name)},
            )
            if not indicator.plans.filter(pk=plan.pk).exists():
                indicator.plans.add(plan)
                self.result.count(self.result.changed, Indicator)
            # The goals it measures, in this plan; links are only ever added,
            # so links made in the back office survive a reload.
            for key, model, natural_key in (
                ("strategies", Strategy, "code"),
                ("target_statements", TargetStatement, "order"),
                ("action_items", ActionItem, "code"),
            ):
                wanted = [
                    _lookup(
                        self,
                        model,
                        f"{where}.{key}[{j}]",
                        ref,
                        key=natural_key,
                        plan=plan,
                    )
                    for j, ref in enumerate(row.get(key) or [])
                ]
                manager = getattr(indicator, key)
                linked = set(manager.values_list("pk", flat=True))
                missing = [obj for obj in wanted if obj.pk not in linked]
                if missing:
                    manager.add(*missing)
                    self.result.count(self.result.changed, Indicator)
            for j, target in enumerate(row.get("targets") or []):
                twhere = f"{where}.targets[{j}]"
                self.upsert(
                    twhere,
                    IndicatorTarget,
                    {"indicator": indicator, "year": target.get("year")},
                    {
                        "value": _decimal(self, f"{twhere}.value", target.get("value")),
                        "label": target.get("label") or "",
                        "is_step": bool(target.get("is_step", False)),
                    },
                )
            for j, value in enumerate(row.get("values") or []):
                vwhere = f"{where}.values[{j}]"
                self.upsert(
                    vwhere,
                    IndicatorValue,
                    {
                        "indicator": indicator,
                        "date": _date(self, f"{vwhere}.date", value.get("date")),
                    },
                    {
                        "value": _decimal(self, f"{vwhere}.value", value.get("value")),
                        "value_high": _decimal(
                            self, f"{vwhere}.value_high", value.get("value_high")
                        ),
                        "source": value.get("source") or "",
                        "note": value.get("note") or "",
                    },
                )

    def free_slug(self, model, name):
        base = slugify(name)[:180] or model._meta.model_name
        slug, n = base, 2
        while model.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


# -- value parsing ------------------------------------------------------------


def _required(loader, where, row, key):
    if not isinstance(row, dict):
        loader.fail(where, "expected a mapping")
    value = row.get(key)
    if value in (None, ""):
        loader.fail(f"{where}.{key}", "is required")
    return value.strip() if isinstance(value, str) else value


def _text(value):
    return "" if value is None else str(value).strip()


def _date(loader, where, value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        loader.fail(where, f"“{value}” is not a date (YYYY-MM-DD)")


def _decimal(loader, where, value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        loader.fail(where, f"“{value}” is not a number")


def _lookup(loader, model, where, value, key="name", **filters):
    if value in (None, ""):
        return None
    obj = model.objects.filter(**{key: str(value)}, **filters).first()
    if obj is None:
        loader.fail(where, f"unknown {model._meta.verbose_name} “{value}”")
    return obj


def _flatten(exc):
    if hasattr(exc, "message_dict"):
        return [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)
