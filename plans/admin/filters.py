"""List filters of the action items' back office."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem, FocusArea, Strategy


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FocusAreaFilter(admin.SimpleListFilter):
    """Focus areas, of the chosen plan only once a plan is chosen."""

    title = _("focus area")
    parameter_name = "focus_area"
    model = FocusArea

    def lookups(self, request, model_admin):
        choices = self.model.objects.select_related("plan").order_by(
            "plan__slug", "order", "code"
        )
        plan = _int_or_none(request.GET.get("plan__id__exact"))
        if plan is not None:
            choices = choices.filter(plan_id=plan)
        return [
            (c.pk, Truncator(f"{c.plan.slug} · {c.code} {c.title}").chars(50))
            for c in choices
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(
            **{f"{self.parameter_name}_id": _int_or_none(self.value())}
        )


class StrategyFilter(FocusAreaFilter):
    title = _("strategy")
    parameter_name = "strategy"
    model = Strategy


class ResponsibleBodyFilter(admin.SimpleListFilter):
    title = _("responsible committee")
    parameter_name = "responsible_body"

    def lookups(self, request, model_admin):
        values = (
            ActionItem.objects.exclude(responsible_body="")
            .order_by("responsible_body")
            .values_list("responsible_body", flat=True)
            .distinct()
        )
        return [(v, Truncator(v).chars(40)) for v in values]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if "\x00" in self.value():  # no text has one; PostgreSQL refuses it
            return queryset.none()
        return queryset.filter(responsible_body=self.value())


class LateFilter(admin.SimpleListFilter):
    title = _("past end date")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Past end date (not done)")),
            ("no", _("Not past end date")),
        ]

    def queryset(self, request, queryset):
        late = ActionItem.objects.late().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=late)
        if self.value() == "no":
            return queryset.exclude(pk__in=late)
        return queryset


class UpdateOverdueFilter(admin.SimpleListFilter):
    """Open items whose progress update is overdue (every update counts)."""

    title = _("progress update due")
    parameter_name = "update_overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Update overdue")),
            ("soon", _("Update due within two weeks")),
            ("no", _("Update not overdue")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no", "soon"):
            return queryset
        if self.value() == "soon":
            # Overdue, or due by the end of the two weeks (the work queue's
            # "due soon").
            within = timezone.localdate() + datetime.timedelta(days=15)
            due = ActionItem.objects.update_overdue(internal=True, today=within)
            return queryset.filter(pk__in=due.values("pk"))
        overdue = ActionItem.objects.update_overdue(internal=True).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        return queryset.exclude(pk__in=overdue)
