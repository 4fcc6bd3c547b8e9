"""The back office of action items, where the development director works every
week: the changelist edits status and progress in place (with the row's
version, so nobody's save is lost), filters find what is late or has its
progress update overdue, actions set a status for many items, and an item's
page adds a progress update. Every change is kept in the history.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from flemingsberg.admin import HistoryAdmin
from plans.admin.bulk import BulkUpdateMixin
from plans.admin.filters import (
    FocusAreaFilter,
    LateFilter,
    ResponsibleBodyFilter,
    StrategyFilter,
    UpdateOverdueFilter,
)
from plans.admin.importexport import ActionItemImportExportMixin
from plans.admin.plans import ADMIN_CSS
from plans.admin.targets import TargetSuggestionMixin
from plans.forms import ActionItemChangeForm, ActionItemChangeListForm
from plans.models import ActionItem, ActionUpdate, ConcurrentEditError


class ProgressLogInline(admin.TabularInline):
    """The item's progress log, newest first; an entry is edited on its own page."""

    model = ActionUpdate
    extra = 0
    fields = [
        "date",
        "previous_status",
        "status",
        "previous_progress",
        "progress",
        "text",
        "is_public",
        "author",
    ]
    readonly_fields = fields
    show_change_link = True
    verbose_name = _("update")
    verbose_name_plural = _("update log")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


def _short_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _set_status_action(status):
    def set_status(modeladmin, request, queryset):
        modeladmin.set_status(request, queryset, status)

    set_status.__name__ = f"set_status_{status.value}"
    set_status.allowed_permissions = ("change",)
    set_status.short_description = lazy(
        lambda: gettext("Set status: %(status)s") % {"status": status.label}, str
    )()
    return set_status


@admin.register(ActionItem)
class ActionItemAdmin(
    BulkUpdateMixin,
    TargetSuggestionMixin,
    ActionItemImportExportMixin,
    ImportExportMixin,
    HistoryAdmin,
):
    form = ActionItemChangeForm
    list_display = [
        "code",
        "title_display",
        "plan_display",
        "focus_area_display",
        "responsible_body_display",
        "status",
        "progress",
        "due_date_display",
        "last_update",
    ]
    list_display_links = ["code", "title_display"]
    list_editable = ["status", "progress"]
    list_filter = [
        "plan",
        FocusAreaFilter,
        StrategyFilter,
        "status",
        ResponsibleBodyFilter,
        LateFilter,
        UpdateOverdueFilter,
    ]
    list_select_related = ["plan", "focus_area"]
    list_per_page = 50
    search_fields = [
        "code",
        "title",
        "assignment",
        "expected_result",
        "responsible_body",
        "responsible_officer",
        "plan__slug",
        "plan__short_name",
    ]
    search_help_text = _("Search code, heading, assignment, result or responsible.")
    # The strategy is a select grouped by plan (ActionItemChangeForm): a few
    # strategies, of this plan and the plans it builds on.
    autocomplete_fields = [
        "plan",
        "focus_area",
        "responsible_organisation",
        "responsible_person",
        "see_above",
    ]
    save_on_top = True
    inlines = [ProgressLogInline]
    # "Carried over" is set by the rollover only (plans.services.rollover).
    actions = [
        "update_in_bulk",
        *(
            _set_status_action(status)
            for status in ActionItem.Status
            if status != ActionItem.Status.CARRIED_OVER
        ),
    ]
    fieldsets = [
        (
            _("This week's update"),
            {
                "fields": [
                    "status",
                    "progress",
                    "progress_note",
                    "update_text",
                    ("update_date", "update_is_public"),
                    ("start_date", "due_date"),
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "plan",
                    "focus_area",
                    "strategy",
                    ("code", "order"),
                    "title",
                    "see_above",
                ]
            },
        ),
        (
            _("Action table columns"),
            {
                "classes": ["collapse"],
                "fields": [
                    "assignment",
                    "commissioned_by",
                    "expected_result",
                    "schedule",
                    "responsible_body",
                    "responsible_officer",
                    "coordinator",
                ],
            },
        ),
        (
            _("Responsibility"),
            {"fields": ["responsible_organisation", "responsible_person", "area"]},
        ),
        (_("Publication"), {"fields": ["is_public", "internal_note"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_latest_update(request.user)
            .select_related("plan", "focus_area")
        )

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ActionItemChangeListForm)
        return super().get_changelist_form(request, **kwargs)

    # -- columns -------------------------------------------------------------

    @admin.display(description=_("heading"), ordering="title")
    def title_display(self, obj):
        return format_html(
            '<span class="cell-text">{}</span>', Truncator(obj.title).chars(60)
        )

    @admin.display(description=_("plan"), ordering="plan__slug")
    def plan_display(self, obj):
        return obj.plan.slug

    @admin.display(description=_("focus area"), ordering="focus_area__code")
    def focus_area_display(self, obj):
        if obj.focus_area is None:
            return "–"
        return obj.focus_area.code

    @admin.display(description=_("responsible committee"), ordering="responsible_body")
    def responsible_body_display(self, obj):
        return format_html(
            '<span class="cell-text cell-text--narrow">{}</span>',
            Truncator(obj.responsible_body).chars(28) or "–",
        )

    @admin.display(description=_("due date"), ordering="due_date")
    def due_date_display(self, obj):
        return _short_date(obj.due_date)

    @admin.display(description=_("last update"), ordering="latest_update_on")
    def last_update(self, obj):
        return _short_date(obj.latest_update_on)

    # -- saving --------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if hasattr(form, "note_update"):
            form.note_update(request.user)
        super().save_model(request, obj, form, change)

    def set_status(self, request, queryset, status):
        changed = 0
        try:
            with transaction.atomic():
                for item in ActionItem.objects.filter(pk__in=queryset.values("pk")):
                    before = (item.status, item.progress)
                    item.status = status
                    if (
                        status == ActionItem.Status.DONE
                        and item.progress < 100
                        and not item.progress_note.strip()
                    ):
                        item.progress = 100
                    elif status == ActionItem.Status.NOT_STARTED:
                        item.progress = 0
                    if (item.status, item.progress) == before:
                        continue
                    item.save()
                    self.log_change(
                        request,
                        item,
                        [{"changed": {"fields": ["status", "progress"]}}],
                    )
                    changed += 1
        except ConcurrentEditError:
            self.message_user(
                request,
                gettext(
                    "Someone else saved one of the items at the same moment. "
                    "Nothing was changed: please try again."
                ),
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d action item now has the status “%(status)s”.",
                "%(count)d action items now have the status “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": status.label},
            messages.SUCCESS,
        )

    # -- target suggestions ----------------------------------------------------

    target_text_fields = ["assignment", "expected_result", "schedule"]

    def link_indicator(self, indicator, obj):
        indicator.action_items.add(obj)

    def indicator_name(self, obj):
        return Truncator(obj.title).chars(120)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(HistoryAdmin):
    """Entries of the update log. Status and progress are the item's: they
    change on the item's page (which logs the change), never here."""

    list_display = ["item", "date", "status", "progress", "author", "is_public"]
    list_filter = ["status", "is_public", "item__plan"]
    list_select_related = ["item", "author"]
    search_fields = ["text", "item__title", "item__code"]
    autocomplete_fields = ["item"]
    readonly_fields = [
        "author",
        "previous_status",
        "status",
        "previous_progress",
        "progress",
    ]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["item", "date", "author"]}),
        (
            _("Update"),
            {
                "fields": [
                    ("previous_status", "status"),
                    ("previous_progress", "progress"),
                    "text",
                    "is_public",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        if not change:
            obj.status, obj.progress = obj.item.status, obj.item.progress
        super().save_model(request, obj, form, change)
