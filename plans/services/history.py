"""Readable change history of action items, from django-simple-history records.

``history_for_display(item, user)`` is what the public detail page shows signed-in
members; ``display_value`` turns a stored value into what a person reads, and is
shared with the admin's conflict message (``plans.forms``).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from flemingsberg.locking import display_value
from flemingsberg.permissions import sees_internal
from plans.models import ActionItem

#: Bookkeeping fields that are never shown as a change.
HIDDEN_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})

KINDS = {
    "+": ("created", gettext_lazy("Created")),
    "~": ("changed", gettext_lazy("Changed")),
    "-": ("deleted", gettext_lazy("Deleted")),
}


def _related_labels(model, field_names, values_by_field):
    """Fetch the related objects named in a history, one query per relation."""
    labels = {}
    for name in field_names:
        ids = {v for v in values_by_field.get(name, ()) if v is not None}
        field = model._meta.get_field(name)
        labels[name] = field.related_model._base_manager.in_bulk(ids) if ids else {}
    return labels


def history_for_display(item, user=None):
    """The change history of an action item, newest first.

    Returns a list of dicts ``{"date", "user", "kind", "kind_label", "changes"}``:
    ``date`` is an aware datetime, ``user`` the name of who saved (or ``""``
    when unknown), ``kind`` one of ``"created"``, ``"changed"``, ``"deleted"``
    and ``kind_label`` the same in words, and ``changes`` a list of
    ``(field label, old value, new value)`` strings. Saves that
    changed nothing visible are left out. Only users who see internal data get
    a history (it contains internal notes); everyone else gets ``[]``.
    """
    if not sees_internal(user):
        return []
    records = list(
        item.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    )
    fields = {
        f.name: f
        for f in ActionItem._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS
    }
    relation_names = [name for name, f in fields.items() if f.is_relation]
    values_by_field = {
        name: {getattr(r, f"{name}_id") for r in records} for name in relation_names
    }
    related = _related_labels(ActionItem, relation_names, values_by_field)

    entries = []
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        kind, kind_label = KINDS[newer.history_type]
        changes = []
        if older is not None and kind == "changed":
            delta = newer.diff_against(
                older, excluded_fields=HIDDEN_FIELDS, foreign_keys_are_objs=False
            )
            for change in sorted(
                delta.changes, key=lambda c: list(fields).index(c.field)
            ):
                field = fields[change.field]
                rel = related.get(change.field)
                changes.append(
                    (
                        str(capfirst(field.verbose_name)),
                        display_value(field, change.old, rel),
                        display_value(field, change.new, rel),
                    )
                )
            if not changes:
                continue
        who = newer.history_user
        entries.append(
            {
                "date": newer.history_date,
                "user": (who.get_full_name() or who.get_username()) if who else "",
                "kind": kind,
                "kind_label": str(kind_label),
                "changes": changes,
            }
        )
    return entries
