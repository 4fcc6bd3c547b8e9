"""The back office of plans and the parts of their documents."""

from django.contrib import admin
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.admin import HistoryAdmin
from plans.admin.lifecycle import PlanLifecycleMixin
from plans.admin.targets import TargetSuggestionMixin
from plans.forms import FocusAreaForm
from plans.models import (
    FocusArea,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)

ADMIN_CSS = {"all": ["css/admin.css"]}


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
    form = FocusAreaForm
    extra = 0
    fields = ["order", "code", "title", "strategy"]
    show_change_link = True


def _reverse_or_none(name, **kwargs):
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


@admin.register(Plan)
class PlanAdmin(PlanLifecycleMixin, HistoryAdmin):
    list_display = [
        "title",
        "slug",
        "kind",
        "owner",
        "period_display",
        "status",
        "is_public",
        "action_item_count",
    ]
    list_filter = ["kind", "status", "is_public", "owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "short_name", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "owner",
        "adopted_by",
        "parent",
        "predecessor",
        "contributes_to",
        "governing_bodies",
        "stakeholder_groups",
    ]
    readonly_fields = ["document_links"]
    inlines = [SectionInline, StrategyInline, FocusAreaInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "short_name",
                    "subtitle",
                    "slug",
                    "kind",
                    "owner",
                    "parent",
                    "predecessor",
                    "is_partner_plan",
                    "contributes_to",
                ]
            },
        ),
        (_("Preview"), {"fields": ["document_links"]}),
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
        (_("Follow-up"), {"fields": ["update_interval_days"]}),
        (
            _("Shown in the document"),
            {"fields": ["governing_bodies", "stakeholder_groups", "contact"]},
        ),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(action_item_count=Count("action_items"))
        )

    @admin.display(description=_("period"), ordering="start_year")
    def period_display(self, obj):
        return obj.period

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Offer the plan's action items as a file to those who may export,
        the plan as a data file, and the next plan."""
        extra_context = extra_context or {}
        plan = self.get_object(request, object_id)
        if plan is not None:
            extra_context["lifecycle_links"] = self.lifecycle_links(request, plan)
        if plan is not None and request.user.has_perm("plans.export_actionitem"):
            extra_context["export_links"] = [
                (
                    label,
                    reverse(
                        "admin:plans_actionitem_export_plan",
                        args=[plan.slug, extension],
                    ),
                )
                for label, extension in (
                    (gettext("Export action items (XLSX)"), "xlsx"),
                    (gettext("Export action items (CSV)"), "csv"),
                )
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("action items"), ordering="action_item_count")
    def action_item_count(self, obj):
        return obj.action_item_count

    @admin.display(description=_("links"))
    def document_links(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the plan first.")
        links = [
            (
                gettext("Web page"),
                _reverse_or_none("plans:plan-detail", kwargs={"slug": obj.slug}),
            ),
            ("PDF", _reverse_or_none("plans:plan-pdf", kwargs={"slug": obj.slug})),
            (
                gettext("Progress report"),
                _reverse_or_none("plans:plan-report", kwargs={"slug": obj.slug}),
            ),
            (
                gettext("Action items in the admin"),
                _reverse_or_none("admin:plans_actionitem_changelist"),
            ),
        ]
        if links[-1][1]:
            links[-1] = (links[-1][0], f"{links[-1][1]}?plan__id__exact={obj.pk}")
        return format_html(
            '<ul class="plan-links">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((u, t) for t, u in links if u)
            ),
        )


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["heading", "plan", "order", "kind"]
    list_filter = ["plan", "kind"]
    list_select_related = ["plan"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["plan"]
    fieldsets = [
        (None, {"fields": ["plan", "order", "heading", "kind"]}),
        (_("Text"), {"fields": ["body"]}),
    ]


@admin.register(VisionStatement)
class VisionStatementAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "order", "source"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["text", "source"]
    autocomplete_fields = ["plan"]
    fieldsets = [(None, {"fields": ["plan", "order", "text", "source"]})]


class StrategyMeasureInline(admin.TabularInline):
    model = StrategyMeasure
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "description", "plan__title"]
    autocomplete_fields = ["plan"]
    inlines = [StrategyMeasureInline]
    fieldsets = [
        (None, {"fields": ["plan", "code", "order", "title"]}),
        (_("Description"), {"fields": ["description"]}),
    ]


@admin.register(StrategyMeasure)
class StrategyMeasureAdmin(admin.ModelAdmin):
    list_display = ["text", "strategy", "order"]
    list_filter = ["strategy__plan"]
    list_select_related = ["strategy"]
    search_fields = ["text", "strategy__title"]
    autocomplete_fields = ["strategy"]
    fieldsets = [(None, {"fields": ["strategy", "order", "text"]})]


@admin.register(TargetStatement)
class TargetStatementAdmin(TargetSuggestionMixin, admin.ModelAdmin):
    target_text_fields = ["text"]
    list_display = ["text", "theme", "plan", "order"]
    list_filter = ["plan", "theme"]
    list_select_related = ["plan"]
    search_fields = ["text", "theme"]
    autocomplete_fields = ["plan"]
    fieldsets = [(None, {"fields": ["plan", "order", "theme", "text"]})]

    def link_indicator(self, indicator, obj):
        indicator.target_statements.add(obj)

    def indicator_name(self, obj):
        return Truncator(obj.text).words(8)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    form = FocusAreaForm
    list_display = ["code", "title", "plan", "strategy", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan", "strategy"]
    search_fields = ["code", "title", "description", "plan__title"]
    autocomplete_fields = ["plan"]
    fieldsets = [
        (None, {"fields": ["plan", "code", "order", "title", "strategy"]}),
        (_("Description"), {"fields": ["description"]}),
    ]
