import dataclasses

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from stakeholders.models import (
    GoverningBody,
    Meeting,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """History diffs in words: choice labels, Yes/No, “–” for empty; without
    bookkeeping fields such as the locking version."""

    hidden_fields = frozenset({"version", "updated_at", "created_at"})

    def context_for_delta_changes(self, delta):
        shown = [c for c in delta.changes if c.field not in self.hidden_fields]
        return super().context_for_delta_changes(
            dataclasses.replace(delta, changes=shown)
        )

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "–"
        if field.choices and not field.many_to_many:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return str(_("Yes") if value else _("No"))
        return super().prepare_delta_change_value(change, value)


SEARCH_MAX_LENGTH = 1000


def has_nul_byte(query):
    """True if a name or value of the query holds a NUL byte."""
    return any("\x00" in key + "".join(values) for key, values in query.lists())


def is_usable_key(field, value, using):
    """True if ``value`` converts to ``field``'s type and, for an integer key,
    lies in the database's range: only such values can be looked up."""
    try:
        key = field.get_prep_value(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    if isinstance(key, int):
        ops = connections[using].ops
        low, high = ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return True


def _target_field(remote_model, to_field_name=None):
    opts = remote_model._meta
    return opts.get_field(to_field_name) if to_field_name else opts.pk


class ValidChoicesOnlyMixin:
    """Renders only the submitted values that could be keys: Django's
    autocomplete widget looks every value up, and a value such as "abc" for a
    numeric key raised ValueError (a server error) when a refused form or an
    add page with ``?plan=abc`` was shown again. The form still reports the
    value as an invalid choice."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = _target_field(remote.model, getattr(remote, "field_name", None))
        using = self.db or router.db_for_read(remote.model)
        usable = [item for item in value if is_usable_key(target, item, using)]
        return super().optgroups(name, usable, attr)


class SafeAutocompleteSelect(ValidChoicesOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidChoicesOnlyMixin, AutocompleteSelectMultiple):
    pass


class KeysInRangeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many choice whose keys beyond the database's integer range
    are invalid choices: Django looks them up with ``pk__in``, which SQLite
    refused with OverflowError (a server error)."""

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            key = _target_field(self.queryset.model, self.to_field_name)
            for item in value:
                if is_usable_key(key, item, self.queryset.db):
                    continue
                try:
                    key.to_python(item)
                except ValidationError:
                    continue  # not a key at all: Django's own check says so
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class SafeChoicesMixin:
    """Admin (or inline) whose relation fields survive values that are not
    keys: autocomplete widgets show only usable values, many-to-many fields
    refuse keys out of the integer range as invalid choices; whose search finds
    nothing for a term with a NUL byte or too long to be in any field, and whose
    list refuses a filter with a NUL byte as Django refuses any invalid filter,
    instead of failing."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        # Django's list filters on text fields (choices, all values) pass a
        # NUL byte on to PostgreSQL, which refuses it: such a filter is as
        # wrong as any other, so the admin shows the list without filters.
        if has_nul_byte(request.GET):
            raise IncorrectLookupParameters
        return super().get_changelist_instance(request)

    def get_search_results(self, request, queryset, search_term):
        # No text contains a NUL byte, and PostgreSQL refuses one in a query
        # (the autocomplete's ?term= reaches here unchecked); no field holds a
        # term this long, and SQLite refuses a LIKE pattern over 50 000 bytes.
        if "\x00" in search_term or len(search_term) > SEARCH_MAX_LENGTH:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeysInRangeMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HistoryAdmin(SafeChoicesMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin with readable diffs, whose revert page refuses a POST
    without the change permission (the library checks only the view permission
    there, and a form without fields would save the old version as it is)."""

    object_history_template = "admin/simple_history/object_history.html"
    object_history_list_template = "admin/simple_history/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def _is_history_address(self, object_id, version_id=None):
        """False if the address cannot name a version (simple-history looks
        the values up unchecked: "abc" for a numeric key was a server error)."""
        using = router.db_for_read(self.model)
        if not is_usable_key(self.model._meta.pk, unquote(object_id), using):
            return False
        history_id = self.model.history.model._meta.pk
        return version_id is None or is_usable_key(history_id, version_id, using)

    def history_view(self, request, object_id, extra_context=None):
        if not self._is_history_address(object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._is_history_address(object_id, version_id):
            raise Http404
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "title", "email", "phone"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "website", "people_count"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind"]}),
        (_("Contact"), {"fields": ["website", "address"]}),
        (_("Description"), {"fields": ["description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "order", "organisation_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organisations"]
    fieldsets = [
        (None, {"fields": ["name", "order", "description"]}),
        (_("Members of the group"), {"fields": ["organisations"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(organisation_count=Count("organisations"))
        )

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj):
        return obj.organisation_count


class MembershipInline(SafeChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body", "person", "representing"]
    fields = ["order", "person", "role", "title", "representing", "party"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("body", "person", "representing")
        )


class PersonMembershipInline(MembershipInline):
    fields = ["body", "role", "title", "representing", "party", "order"]
    verbose_name = _("seat in a governing body")
    verbose_name_plural = _("seats in governing bodies")


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [PersonMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "title", "organisation"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]


@admin.register(GoverningBody)
class GoverningBodyAdmin(HistoryAdmin):
    list_display = ["name", "kind", "cadence", "meetings_per_year", "reports_to"]
    list_filter = ["kind"]
    list_select_related = ["reports_to"]
    search_fields = ["name", "mandate"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["reports_to"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "order", "reports_to"]}),
        (
            _("Mandate and cadence"),
            {"fields": ["mandate", "meetings_per_year", "cadence"]},
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["person", "body", "role", "representing", "party"]
    list_filter = ["body", "role"]
    list_select_related = ["person", "body", "representing"]
    search_fields = ["person__name", "body__name", "title", "party"]
    autocomplete_fields = ["body", "person", "representing"]
    fieldsets = [
        (None, {"fields": ["body", "person", "role", "title"]}),
        (_("Representation"), {"fields": ["representing", "party", "order"]}),
    ]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["date", "body", "title", "is_public"]
    list_filter = ["body", "is_public"]
    list_select_related = ["body"]
    search_fields = ["title", "agenda", "decisions", "notes"]
    autocomplete_fields = ["body"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["body", "date", "title", "is_public"]}),
        (_("Agenda and minutes"), {"fields": ["agenda", "decisions", "notes"]}),
    ]
