from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    ActionItem,
    ActionUpdate,
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

admin.site.site_header = _("Flemingsberg – administration")
admin.site.site_title = _("Flemingsberg – administration")
admin.site.index_title = _("Plans, action items and stakeholders")


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "kind"]
    show_change_link = True


class StrategyInline(admin.TabularInline):
    model = Strategy
    extra = 0
    fields = ["order", "code", "title"]
    show_change_link = True


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["order", "code", "title"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "slug",
        "kind",
        "owner",
        "period_display",
        "status",
        "is_public",
    ]
    list_filter = ["kind", "status", "is_public", "owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "owner",
        "adopted_by",
        "parent",
        "governing_bodies",
        "stakeholder_groups",
    ]
    inlines = [SectionInline, StrategyInline, FocusAreaInline]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "kind", "owner", "parent"]}),
        (
            _("Period and adoption"),
            {
                "fields": [
                    "start_year",
                    "end_year",
                    "adopted_on",
                    "adopted_by",
                    "version_note",
                ]
            },
        ),
        (_("Publication"), {"fields": ["status", "is_public"]}),
        (
            _("Shown in the document"),
            {"fields": ["governing_bodies", "stakeholder_groups", "contact"]},
        ),
    ]

    @admin.display(description=_("period"), ordering="start_year")
    def period_display(self, obj):
        return obj.period


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "plan", "order", "kind"]
    list_filter = ["plan", "kind"]
    list_select_related = ["plan"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["plan"]


@admin.register(VisionStatement)
class VisionStatementAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "order", "source"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["text", "source"]
    autocomplete_fields = ["plan"]


class StrategyMeasureInline(admin.TabularInline):
    model = StrategyMeasure
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["plan"]
    inlines = [StrategyMeasureInline]


@admin.register(StrategyMeasure)
class StrategyMeasureAdmin(admin.ModelAdmin):
    list_display = ["text", "strategy", "order"]
    list_filter = ["strategy__plan"]
    list_select_related = ["strategy"]
    search_fields = ["text", "strategy__title"]
    autocomplete_fields = ["strategy"]


@admin.register(TargetStatement)
class TargetStatementAdmin(admin.ModelAdmin):
    list_display = ["text", "theme", "plan", "order"]
    list_filter = ["plan", "theme"]
    list_select_related = ["plan"]
    search_fields = ["text", "theme"]
    autocomplete_fields = ["plan"]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["plan"]


class ActionUpdateInline(admin.StackedInline):
    model = ActionUpdate
    extra = 0
    fields = ["date", "status", "progress", "text", "is_public", "author"]
    readonly_fields = ["author"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "plan",
        "focus_area",
        "status",
        "progress",
        "due_date",
        "is_public",
    ]
    list_filter = ["plan", "status", "is_public", "focus_area"]
    list_select_related = ["plan", "focus_area"]
    search_fields = [
        "code",
        "title",
        "assignment",
        "expected_result",
        "responsible_body",
    ]
    autocomplete_fields = [
        "plan",
        "focus_area",
        "strategy",
        "responsible_organisation",
        "responsible_person",
        "see_above",
    ]
    inlines = [ActionUpdateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    "focus_area",
                    "strategy",
                    "code",
                    "order",
                    "title",
                    "see_above",
                ]
            },
        ),
        (
            _("Action table columns"),
            {
                "fields": [
                    "assignment",
                    "commissioned_by",
                    "expected_result",
                    "schedule",
                    "responsible_body",
                    "responsible_officer",
                    "coordinator",
                ]
            },
        ),
        (
            _("Follow-up"),
            {
                "fields": [
                    "status",
                    "progress",
                    "start_date",
                    "due_date",
                    "responsible_organisation",
                    "responsible_person",
                    "area",
                ]
            },
        ),
        (_("Publication"), {"fields": ["is_public", "internal_note"]}),
    ]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ActionUpdate) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["item", "date", "status", "progress", "author", "is_public"]
    list_filter = ["status", "is_public", "item__plan"]
    list_select_related = ["item", "author"]
    search_fields = ["text", "item__title", "item__code"]
    autocomplete_fields = ["item"]
    readonly_fields = ["author"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "direction", "is_public"]
    list_filter = ["direction", "is_public", "plans"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["plans", "strategies", "target_statements", "action_items"]
    inlines = [IndicatorTargetInline, IndicatorValueInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "label"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "label"]
    autocomplete_fields = ["indicator"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "date", "value", "value_high", "source", "is_public"]
    list_filter = ["is_public"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source", "note"]
    autocomplete_fields = ["indicator"]


@admin.register(FundingContribution)
class FundingContributionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "organisation", "year", "amount"]
    list_filter = ["plan", "year", "organisation"]
    list_select_related = ["plan", "organisation"]
    search_fields = ["organisation__name", "plan__title", "note"]
    autocomplete_fields = ["plan", "organisation"]
