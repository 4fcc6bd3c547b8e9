"""The back office of indicators, their targets and measured values."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from flemingsberg.admin import HistoryAdmin
from plans.models import Indicator, IndicatorTarget, IndicatorValue


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    fields = ["year", "value", "label", "is_step"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["date", "value", "value_high", "source", "note", "is_public"]


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["name", "unit", "direction", "is_public", "value_count"]
    list_filter = ["direction", "is_public", "plans"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["plans", "strategies", "target_statements", "action_items"]
    inlines = [IndicatorTargetInline, IndicatorValueInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "unit", "direction", "is_public"]}),
        (
            _("Baseline"),
            {"fields": ["baseline_year", "baseline_value", "description"]},
        ),
        (
            _("Linked to"),
            {"fields": ["plans", "strategies", "target_statements", "action_items"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(value_count=Count("values"))

    @admin.display(description=_("measured values"), ordering="value_count")
    def value_count(self, obj):
        return obj.value_count


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(HistoryAdmin):
    list_display = ["indicator", "year", "value", "label"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "label"]
    autocomplete_fields = ["indicator"]
    fieldsets = [(None, {"fields": ["indicator", "year", "value", "label", "is_step"]})]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ["indicator", "date", "value", "value_high", "source", "is_public"]
    list_filter = ["is_public", "indicator"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source", "note"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["indicator", "date", ("value", "value_high")]}),
        (_("Source"), {"fields": ["source", "note", "is_public"]}),
    ]
