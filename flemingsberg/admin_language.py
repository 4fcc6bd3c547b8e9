"""Swedish everywhere in the back office, including the labels Django builds
from data stored in English: permission names (written in English by
``create_permissions``) and the automatic many-to-many rows listed on a
delete confirmation ("Group-permission relation: … object (7)")."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.forms.utils import pretty_name
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

DEFAULT_ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def permission_label(permission):
    """“App | model | what it allows” in the active language."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    if action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        name = DEFAULT_ACTIONS[action] % {"thing": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {name}"


def _is_link_row(entry, link_names):
    return isinstance(entry, str) and any(entry.startswith(name) for name in link_names)


def _without_link_rows(entries, link_names):
    kept = []
    for entry in entries:
        if isinstance(entry, list):
            nested = _without_link_rows(entry, link_names)
            if nested:
                kept.append(nested)
        elif not _is_link_row(entry, link_names):
            kept.append(entry)
    return kept


def _labelled_column(name, value):
    """A column whose heading Django would build from ``name`` in English
    ("task_name" → "Task name"): the same heading, translated; ``value``
    gives the cell of a row."""

    def column(obj):
        return value(obj)

    column.__name__ = name
    column.short_description = gettext_lazy(pretty_name(name))
    return column


def _undescribed(admin, name):
    """How to get a column's value if Django would head it with its bare
    name (an admin method or a model property without a description)."""
    if not isinstance(name, str) or name.startswith("_"):
        return None
    method = getattr(admin, name, None)
    if callable(method) and not hasattr(method, "short_description"):
        return method
    prop = getattr(admin.model, name, None)
    if isinstance(prop, property) and not hasattr(prop.fget, "short_description"):
        return prop.fget
    return None


class SwedishLabelsMixin:
    """Admin whose permission choices are labelled in the active language,
    whose columns without a description get their heading translated, and
    whose delete confirmation leaves out the automatic link rows of
    many-to-many fields (they go with the object and have no name of their
    own in any language)."""

    def get_list_display(self, request):
        columns = []
        for name in super().get_list_display(request):
            value = _undescribed(self, name)
            columns.append(name if value is None else _labelled_column(name, value))
        return columns

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        links = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        ]
        names = [f"{capfirst(model._meta.verbose_name)}:" for model in links]
        plural = {str(model._meta.verbose_name_plural) for model in links}
        deleted = _without_link_rows(deleted, names)
        counts = {name: n for name, n in counts.items() if str(name) not in plural}
        return deleted, counts, perms_needed, protected
