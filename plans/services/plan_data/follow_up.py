"""Loading the follow-up data of a plan data file: action items, funding
and indicators (a part of ``PlanLoader``)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import (
    ActionItem,
    FocusArea,
    FundingContribution,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Strategy,
    TargetStatement,
)
from plans.services.plan_data.values import (
    date,
    decimal,
    lookup,
    present,
    required,
    text,
)


class FollowUpLoading:
    """The steps of ``PlanLoader`` that load action items, funding and
    indicators; they use its helpers (``upsert``, ``fail``, ``strategy`` ...)."""

    def load_action_items(self, plan):
        rows = self.doc["plan"].get("action_items") or []
        items = {}
        row = self.doc["plan"]
        dated = date(self, "plan.document_date", row.get("document_date"))
        dated = dated or plan.adopted_on
        if dated is not None:
            dated = timezone.make_aware(
                datetime.datetime.combine(dated, datetime.time(12))
            )
        for i, row in enumerate(rows):
            where = f"plan.action_items[{i}]"
            code = str(required(self, where, row, "code"))
            values = {
                "order": i + 1,
                "focus_area": lookup(
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
                "title": required(self, where, row, "title"),
                "responsible_organisation": self.organisation(
                    f"{where}.responsible_organisation",
                    row.get("responsible_organisation"),
                ),
                **present(
                    row,
                    responsible_person=lambda v, where=where: (
                        self.person(f"{where}.responsible_person", v) if v else None
                    ),
                ),
                "see_above": None,
            }
            for name in (*ActionItem.TABLE_FIELDS, "area"):
                values[name] = text(row.get(name))
            if row.get("see_above"):
                target = items.get(str(row["see_above"]))
                if target is None:
                    self.fail(
                        f"{where}.see_above",
                        _("refers to “%(code)s”, which is not an earlier item")
                        % {"code": row["see_above"]},
                    )
                values["see_above"] = target
            create_only = {
                "status": row.get("status") or ActionItem.Status.NOT_STARTED,
                "progress": row.get("progress") or 0,
                "start_date": date(self, f"{where}.start_date", row.get("start_date")),
                "due_date": date(self, f"{where}.due_date", row.get("due_date")),
                "is_public": bool(row.get("is_public", True)),
                "progress_note": text(row.get("progress_note")),
                "internal_note": text(row.get("internal_note")),
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
                f"{where}.organisation", required(self, where, row, "organisation")
            )
            amount = decimal(
                self, f"{where}.amount_per_year", row.get("amount_per_year")
            )
            for year in row.get("years") or []:
                self.upsert(
                    f"{where}.years",
                    FundingContribution,
                    {"plan": plan, "organisation": organisation, "year": year},
                    {
                        "amount": amount,
                        "note": row.get("note") or "",
                        **present(
                            row,
                            decided_amount=lambda v, where=where: decimal(
                                self, f"{where}.decided_amount", v
                            ),
                            paid_amount=lambda v, where=where: decimal(
                                self, f"{where}.paid_amount", v
                            ),
                        ),
                    },
                )

    def load_indicators(self, plan):
        for i, row in enumerate(self.doc["plan"].get("indicators") or []):
            where = f"plan.indicators[{i}]"
            name = required(self, where, row, "name")
            indicator = self.upsert(
                where,
                Indicator,
                {"name": name},
                {
                    "unit": row.get("unit") or "",
                    "direction": row.get("direction") or Indicator.Direction.HIGHER,
                    "description": text(row.get("description")),
                    "baseline_year": row.get("baseline_year"),
                    "baseline_value": decimal(
                        self, f"{where}.baseline_value", row.get("baseline_value")
                    ),
                    **present(row, is_public=bool),
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
                    lookup(
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
                        "value": decimal(self, f"{twhere}.value", target.get("value")),
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
                        "date": date(self, f"{vwhere}.date", value.get("date")),
                    },
                    {
                        "value": decimal(self, f"{vwhere}.value", value.get("value")),
                        "value_high": decimal(
                            self, f"{vwhere}.value_high", value.get("value_high")
                        ),
                        "source": value.get("source") or "",
                        "note": value.get("note") or "",
                        **present(value, is_public=bool),
                    },
                )
