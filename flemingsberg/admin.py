"""The back office's site and what every admin on it shares.

``PortalAdminSite`` is Django's admin site (``PortalAdminConfig.default_site``)
with the portal's titles and one policy: every admin registered on it, the
portal's and third-party ones (users, groups, django-axes) alike, is built
with ``SafeChoicesMixin``, so no admin can forget the guards against input
that is not a key or holds a NUL byte. ``HistoryAdmin`` is the base of the
admins whose models keep a history.
"""

import dataclasses
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from flemingsberg.accounts import invite_reader_view
from flemingsberg.admin_language import SwedishLabelsMixin
from flemingsberg.locking import ConcurrentEditError, VersionedModel, versioned_form

VERSION_FIELD = "loaded_version"


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


class PickerAutocompleteJsonView(AutocompleteJsonView):
    """The autocomplete's answers: a model's ``picker_label`` where it has
    one (an action item names its plan), else its ``str()``."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(obj, "picker_label", None)
        if label:
            result["text"] = str(label)
        return result


def with_picker_labels(field):
    """A relation's form field that labels its choices by ``picker_label``
    (where the model has one) and reads what that label needs at once."""
    model = getattr(getattr(field, "queryset", None), "model", None)
    if field is None or model is None or not hasattr(model, "picker_label"):
        return field
    field.queryset = field.queryset.select_related(*model.PICKER_RELATED)
    field.label_from_instance = lambda obj: obj.picker_label
    return field


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
        return with_picker_labels(
            super().formfield_for_foreignkey(db_field, request, **kwargs)
        )

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
        return with_picker_labels(
            super().formfield_for_manytomany(db_field, request, **kwargs)
        )


def _with_version_field(fieldsets):
    """``fieldsets`` with the hidden version field once, in the first set."""
    fieldsets = [
        (name, {**opts, "fields": _without_version(opts["fields"])})
        for name, opts in fieldsets
    ]
    name, opts = fieldsets[0]
    fieldsets[0] = (name, {**opts, "fields": [*opts["fields"], VERSION_FIELD]})
    return fieldsets


def _without_version(fields):
    return [
        field
        for field in fields
        if field != VERSION_FIELD
        and not (isinstance(field, (list, tuple)) and VERSION_FIELD in field)
    ]


class VersionedAdminMixin:
    """No lost update in any admin of a ``VersionedModel``: its change form,
    its list editing and its inline rows of versioned models carry the
    version they were opened with, and a stale save is refused with who saved
    and what they changed (``flemingsberg.locking``). A save that loses the
    race after validation is refused by the database condition and the user
    is told. The portal's site adds this to every admin it registers."""

    def _locks(self, model, request, obj=None):
        return issubclass(model, VersionedModel) and self.has_change_permission(
            request, obj
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._locks(self.model, request, obj):
            kwargs.setdefault("form", versioned_form(self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self._locks(self.model, request, obj):
            return _with_version_field(fieldsets)
        return [
            (name, {**opts, "fields": _without_version(opts["fields"])})
            for name, opts in fieldsets
        ]

    def get_changelist_form(self, request, **kwargs):
        if issubclass(self.model, VersionedModel):
            kwargs.setdefault("form", versioned_form(forms.ModelForm))
        return super().get_changelist_form(request, **kwargs)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not issubclass(
                inline.model, VersionedModel
            ) or not inline.has_change_permission(request, obj):
                continue
            inline.form = versioned_form(inline.form)
            if inline.fieldsets:
                inline.fieldsets = _with_version_field(inline.fieldsets)
            elif inline.fields:
                inline.fields = [*_without_version(inline.fields), VERSION_FIELD]
        return inlines

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            return self.concurrent_save(request)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ConcurrentEditError:
            return self.concurrent_save(request)

    def concurrent_save(self, request):
        """The answer to a save that lost the race: nothing was written."""
        self.message_user(
            request,
            gettext(
                "Someone else saved the same %(thing)s at the same moment. "
                "Nothing was saved: please make your change again."
            )
            % {"thing": self.model._meta.verbose_name},
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())


class HistoryAdmin(VersionedAdminMixin, SafeChoicesMixin, SimpleHistoryAdmin):
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
        try:
            return super().history_form_view(
                request, object_id, version_id, extra_context=extra_context
            )
        except ConcurrentEditError:
            return self.concurrent_save(request)


class PortalAdminSite(admin.AdminSite):
    """The development director's back office."""

    site_header = _("Flemingsberg – administration")
    site_title = _("Flemingsberg – administration")
    index_title = _("Plans, action items and stakeholders")
    # The action item list needs the width more than a second copy of the index.
    enable_nav_sidebar = False
    # The start page leads with the work queue (plans' ``work_queue`` tag).
    index_template = "admin/portal_index.html"

    def get_urls(self):
        view = self.admin_view(partial(invite_reader_view, self))
        return [
            path("invite-reader/", view, name="invite_reader"),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        return PickerAutocompleteJsonView.as_view(admin_site=self)(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register ``admin_class`` built with ``SafeChoicesMixin`` (the site's
        input guards), ``VersionedAdminMixin`` (no lost update) and
        ``SwedishLabelsMixin`` (labels from English data), unless it has them
        already."""
        admin_class = admin_class or admin.ModelAdmin
        for mixin in (SafeChoicesMixin, VersionedAdminMixin, SwedishLabelsMixin):
            if not issubclass(admin_class, mixin):
                admin_class = type(admin_class.__name__, (mixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


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
    # django-axes and django-tasks-db: their models' names, in the labels of
    # the permissions a superuser gives.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    gettext_noop("Task name"),
]
