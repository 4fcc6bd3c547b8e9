"""The parts every step of loading a plan data file shares: the error that
names where a problem is, the tally of what was written, and the parsing of
single values."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class PlanFileError(Exception):
    """A plan data file that cannot be loaded, with where the problem is: the
    key path of the faulty value (``plan.action_items[3].title``) and, when
    known, its line in the file."""

    def __init__(self, path, where, message, line=None):
        self.path, self.where, self.message, self.line = path, where, message, line
        # In the language active where the problem is found.
        self.location = (
            where
            if line is None
            else _("line %(line)s, %(where)s") % {"line": line, "where": where}
        )
        super().__init__(f"{path}: {self.location}: {message}")


@dataclass
class LoadResult:
    """What one load wrote: counts of created and changed records per model."""

    created: dict = field(default_factory=dict)
    changed: dict = field(default_factory=dict)
    slugs: list = field(default_factory=list)  # the plans of the files

    def count(self, bucket, model):
        name = model._meta.model_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def wrote_anything(self):
        return bool(self.created or self.changed)

    def summary(self):
        """What was written, in words: "created: 3 plan, 12 actionitem"."""
        parts = []
        for label, bucket in (
            (_("created"), self.created),
            (_("changed"), self.changed),
        ):
            if bucket:
                counts = ", ".join(f"{n} {name}" for name, n in sorted(bucket.items()))
                parts.append(f"{label}: {counts}")
        return "; ".join(parts) or _("nothing changed")


def present(row, **parsers):
    """``{key: parse(value)}`` for the keys of ``parsers`` that ``row`` has:
    optional keys that, when absent, leave the stored value as it is."""
    return {key: parse(row[key]) for key, parse in parsers.items() if key in row}


def required(loader, where, row, key):
    if not isinstance(row, dict):
        loader.fail(where, _("expected a mapping"))
    value = row.get(key)
    if value in (None, ""):
        loader.fail(f"{where}.{key}", _("is required"))
    return value.strip() if isinstance(value, str) else value


def text(value):
    return "" if value is None else str(value).strip()


def date(loader, where, value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        loader.fail(
            where, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value}
        )


def decimal(loader, where, value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        loader.fail(where, _("“%(value)s” is not a number") % {"value": value})


def lookup(loader, model, where, value, key="name", **filters):
    if value in (None, ""):
        return None
    obj = model.objects.filter(**{key: str(value)}, **filters).first()
    if obj is None:
        loader.fail(
            where,
            _("unknown %(model)s “%(value)s”")
            % {"model": model._meta.verbose_name, "value": value},
        )
    return obj


def flatten(exc):
    if hasattr(exc, "message_dict"):
        return [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)
