"""The back office of the development director.

The weekly work happens on the action items: the changelist edits status and
progress in place (with the row's version, so nobody's save is lost), filters
find what is late or has its progress update overdue (by the plan's
update interval, see plans/admin_meetings.py), actions set a status for
many items, and an item's page adds a progress update. Plans, indicators and
funding have their own pages; every change is kept in the history.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from plans.forms import (
    ActionItemAdminForm,
    ActionItemChangeListForm,
    ActionItemImportForm,
    NewActionUpdateForm,
    check_import_file,
)
from plans.models import (
    ActionItem,
    ActionUpdate,
    ConcurrentEditError,
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
from plans.resources import FORMATS, ActionItemResource, import_report
from stakeholders.admin import HistoryAdmin, SafeChoicesMixin, has_nul_byte

admin.site.site_header = _("Flemingsberg – administration")
admin.site.site_title = _("Flemingsberg – administration")
admin.site.index_title = _("Plans, action items and stakeholders")
# The action item list needs the width more than a second copy of the index.
admin.site.enable_nav_sidebar = False

ADMIN_CSS = {"all": ["css/admin.css"]}


# ---------------------------------------------------------------------------
# Plans and their document structure
# ---------------------------------------------------------------------------


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
    show_change_link = True


def _reverse_or_none(name, **kwargs):
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
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
    search_fields = ["title", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "owner",
        "adopted_by",
        "parent",
        "governing_bodies",
        "stakeholder_groups",
    ]
    readonly_fields = ["document_links"]
    inlines = [SectionInline, StrategyInline, FocusAreaInline]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "kind", "owner", "parent"]}),
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
        """Offer the plan's action items as a file to those who may export."""
        extra_context = extra_context or {}
        plan = self.get_object(request, object_id)
        action_admin = self.admin_site._registry.get(ActionItem)
        if plan is not None and action_admin.has_export_permission(request):
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
class VisionStatementAdmin(SafeChoicesMixin, admin.ModelAdmin):
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
class StrategyAdmin(SafeChoicesMixin, admin.ModelAdmin):
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
class StrategyMeasureAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["text", "strategy", "order"]
    list_filter = ["strategy__plan"]
    list_select_related = ["strategy"]
    search_fields = ["text", "strategy__title"]
    autocomplete_fields = ["strategy"]
    fieldsets = [(None, {"fields": ["strategy", "order", "text"]})]


@admin.register(TargetStatement)
class TargetStatementAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["text", "theme", "plan", "order"]
    list_filter = ["plan", "theme"]
    list_select_related = ["plan"]
    search_fields = ["text", "theme"]
    autocomplete_fields = ["plan"]
    fieldsets = [(None, {"fields": ["plan", "order", "theme", "text"]})]


@admin.register(FocusArea)
class FocusAreaAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["code", "title", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "description", "plan__title"]
    autocomplete_fields = ["plan"]
    fieldsets = [
        (None, {"fields": ["plan", "code", "order", "title"]}),
        (_("Description"), {"fields": ["description"]}),
    ]


# ---------------------------------------------------------------------------
# Action items: filters
# ---------------------------------------------------------------------------


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
    title = _("late")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Late (past due, not done)")),
            ("no", _("Not late")),
        ]

    def queryset(self, request, queryset):
        late = ActionItem.objects.late().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=late)
        if self.value() == "no":
            return queryset.exclude(pk__in=late)
        return queryset


# ---------------------------------------------------------------------------
# Action items: inlines, actions, admin
# ---------------------------------------------------------------------------


class ProgressLogInline(admin.TabularInline):
    """The item's progress log, newest first; an entry is edited on its own page."""

    model = ActionUpdate
    extra = 0
    fields = ["date", "status", "progress", "text", "is_public", "author"]
    readonly_fields = fields
    show_change_link = True
    verbose_name = _("progress update")
    verbose_name_plural = _("progress log")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class NewProgressUpdateInline(admin.StackedInline):
    """Write a new progress update: the date is today, the author is the user,
    status and progress are the item's as saved with it."""

    model = ActionUpdate
    form = NewActionUpdateForm
    extra = 1
    can_delete = False
    verbose_name = _("new progress update")
    verbose_name_plural = _("new progress update")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


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
class ActionItemAdmin(ImportExportMixin, HistoryAdmin):
    form = ActionItemAdminForm
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
    ]
    search_help_text = _("Search code, heading, assignment, result or responsible.")
    autocomplete_fields = [
        "plan",
        "focus_area",
        "strategy",
        "responsible_organisation",
        "responsible_person",
        "see_above",
    ]
    save_on_top = True
    inlines = [ProgressLogInline, NewProgressUpdateInline]
    actions = [_set_status_action(status) for status in ActionItem.Status]
    fieldsets = [
        (
            _("Follow-up"),
            {
                "fields": [
                    "status",
                    "progress",
                    "progress_note",
                    ("start_date", "due_date"),
                    "loaded_version",
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

    # import and export
    resource_classes = [ActionItemResource]
    formats = FORMATS
    import_form_class = ActionItemImportForm
    import_template_name = "admin/plans/actionitem/import.html"
    to_encoding = "utf-8-sig"

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            return self._concurrent_save(request)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ConcurrentEditError:
            return self._concurrent_save(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(
                request, object_id, version_id, extra_context=extra_context
            )
        except ConcurrentEditError:
            return self._concurrent_save(request)

    def _concurrent_save(self, request):
        self.message_user(
            request,
            gettext(
                "Someone else saved the same action item at the same moment. "
                "Nothing was saved: please make your change again."
            ),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.form, NewActionUpdateForm):
            return super().save_formset(request, form, formset, change)
        item = form.instance
        for update in formset.save(commit=False):
            update.author = request.user
            update.status = item.status
            update.progress = item.progress
            update.save()
        return None

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

    # -- import and export ---------------------------------------------------

    def export_action(self, request):
        """The export page takes the list's filters; a wrong one (or one with
        a NUL byte) gives the page without filters, as the list does, instead
        of the error django-import-export let through."""
        unfiltered = HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        if has_nul_byte(request.GET):
            return unfiltered
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return unfiltered

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "export-plan/<slug:slug>/<str:extension>/",
                self.admin_site.admin_view(self.export_plan_view),
                name=f"{prefix}_export_plan",
            ),
            path(
                "import-template/<str:extension>/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{prefix}_import_template",
            ),
            *super().get_urls(),
        ]

    def _file_format(self, extension):
        for format_class in FORMATS:
            file_format = format_class(encoding=self.to_encoding)
            if file_format.get_extension() == extension:
                return file_format
        raise Http404

    def _file_response(self, content, file_format, filename):
        if not file_format.is_binary():
            content = content.encode(self.to_encoding)
        response = HttpResponse(content, content_type=file_format.get_content_type())
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def export_plan_view(self, request, slug, extension):
        """A plan's action items as a file, in the import format."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise Http404
        file_format = self._file_format(extension)
        resource = ActionItemResource()
        content = resource.export_for_plan(plan, file_format)
        today = timezone.localdate().isoformat()
        return self._file_response(
            content, file_format, f"{plan.slug}-{today}.{extension}"
        )

    def import_template_view(self, request, extension):
        """An empty file with the heading row to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = self._file_format(extension)
        content = ActionItemResource().template(file_format)
        name = gettext("action-items-template")
        return self._file_response(content, file_format, f"{name}.{extension}")

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["template_links"] = [
            (
                file_format().get_extension(),
                reverse(
                    "admin:plans_actionitem_import_template",
                    args=[file_format().get_extension()],
                ),
            )
            for file_format in FORMATS
        ]
        return context

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context and context.get("result") is not None:
            context.update(import_report(context["result"]))
        return response

    def process_import(self, request, **kwargs):
        """The confirmation step; a confirmation whose file is gone (kept open
        longer than the preview's file is stored), cannot be read, or names a
        format or resource that is not ours imports nothing and says so."""
        if request.method == "POST" and self.has_import_permission(request):
            confirm_form = self.create_confirm_form(request)
            if confirm_form.is_valid() and not self._confirmed_file_is_readable(
                request, confirm_form.cleaned_data
            ):
                self.message_user(
                    request,
                    gettext(
                        "Nothing was imported: the previewed file is no longer "
                        "available or cannot be read. Upload it again."
                    ),
                    messages.ERROR,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:plans_actionitem_import",
                        current_app=self.admin_site.name,
                    )
                )
        return super().process_import(request, **kwargs)

    def _confirmed_file_is_readable(self, request, data):
        formats = self.get_import_formats()
        resources = self.get_import_resource_classes(request)
        try:
            format_index = int(data["format"])
            resource_index = int(data.get("resource") or 0)
        except ValueError:
            return False
        if not (
            0 <= format_index < len(formats) and 0 <= resource_index < len(resources)
        ):
            return False
        format_class = formats[format_index]
        storage = self.get_tmp_storage_class()(
            name=data["import_file_name"],
            encoding=None if format_class().is_binary() else self.from_encoding,
            read_mode=format_class().get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            content = storage.read()
        except (OSError, ValueError):  # ValueError: also UnicodeDecodeError
            return False
        if content is None:
            return False
        if isinstance(content, str):
            content = content.encode("utf-8")
        try:
            check_import_file(format_class, resources[resource_index], content)
        except ValidationError:
            return False
        return True

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: the data changed since the preview. "
                    "Upload the file again to see what is wrong."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:plans_actionitem_import", current_app=self.admin_site.name
                )
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            gettext(
                "Import finished: %(new)d new, %(update)d changed and "
                "%(skip)d unchanged action items."
            )
            % {
                "new": totals["new"],
                "update": totals["update"],
                "skip": totals["skip"],
            },
            messages.SUCCESS,
        )


@admin.register(ActionUpdate)
class ActionUpdateAdmin(HistoryAdmin):
    list_display = ["item", "date", "status", "progress", "author", "is_public"]
    list_filter = ["status", "is_public", "item__plan"]
    list_select_related = ["item", "author"]
    search_fields = ["text", "item__title", "item__code"]
    autocomplete_fields = ["item"]
    readonly_fields = ["author"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["item", "date", "author"]}),
        (_("Progress"), {"fields": ["status", "progress", "text", "is_public"]}),
    ]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


# ---------------------------------------------------------------------------
# Indicators and funding
# ---------------------------------------------------------------------------


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


@admin.register(FundingContribution)
class FundingContributionAdmin(HistoryAdmin):
    list_display = [
        "plan",
        "organisation",
        "year",
        "amount",
        "decided_amount",
        "paid_amount",
    ]
    list_filter = ["plan", "year", "organisation"]
    list_select_related = ["plan", "organisation"]
    search_fields = ["organisation__name", "plan__title", "note"]
    autocomplete_fields = ["plan", "organisation"]
    fieldsets = [
        (None, {"fields": ["plan", "organisation", "year", "note"]}),
        (_("Amounts (SEK)"), {"fields": ["amount", "decided_amount", "paid_amount"]}),
    ]


# Strings of django-import-export, django-simple-history and django-axes that
# our admin pages show; the libraries ship no Swedish, so they live in our
# catalogue (see locale/sv).
THIRD_PARTY_STRINGS = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Confirm import"),
    gettext_noop("Preview"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Submit"),
    gettext_noop("New"),
    gettext_noop("Update"),
    gettext_noop("Skipped"),
    gettext_noop("Errors"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the "
        "results, click 'Confirm import'"
    ),
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert"),
    gettext_noop("Close"),
    gettext_noop("Date/time"),
    gettext_noop("Changed by"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop(
        "Press the 'Revert' button below to revert to this version of the object."
    ),
]
# Admins that extend the ones above (board packs, target suggestions) register
# themselves on import.
from plans import admin_meetings, admin_targets  # noqa: E402, F401
