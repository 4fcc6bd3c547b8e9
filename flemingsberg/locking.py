"""No lost update: optimistic locking, one mechanism for every model edited
in the back office.

- ``VersionedModel`` (abstract) has a ``version`` that every save of a stored
  row moves on by one, and only if the row still has the version this copy was
  loaded with; otherwise ``ConcurrentEditError`` is raised and nothing is
  written (a database condition, so two saves at the same moment cannot both
  win).
- ``VersionedFormMixin`` carries the version a form was opened with
  (``loaded_version``, hidden). A save based on an older version is refused:
  the form says who saved, when, and for each field they changed their value
  and yours; the input stays, and the form takes on the new version so that
  saving again is a deliberate choice.
- The portal's admin site puts both to work in every admin, change form, list
  editing and inline rows alike (``flemingsberg.admin.VersionedAdminMixin``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

EMPTY = "–"


class ConcurrentEditError(Exception):
    """A row was saved by someone else since this copy was loaded."""


class VersionedModel(models.Model):
    """A row that is saved only from the version it was loaded with."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        loaded = self.version
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        with transaction.atomic(using=using):
            stored = type(self)._base_manager.using(using).filter(pk=self.pk)
            if not stored.filter(version=loaded).update(version=loaded + 1):
                raise ConcurrentEditError(
                    f"{self._meta.label} {self.pk} is no longer at version {loaded}."
                )
            self.version = loaded + 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version = loaded
                raise
        return None


def display_value(field, value, related=None):
    """A field's value as a person reads it: labels for choices, names for
    related objects, Yes/No, localised dates and numbers, “–” when empty."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(v) for v in value) or EMPTY
    if field.is_relation:
        if related is not None and value in related:
            return str(related[value])
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    return str(formats.localize(value))


class VersionInput(forms.HiddenInput):
    """A hidden input that no label points at: the admin writes a label for
    every field of a fieldset, and a label for a hidden control is invalid
    HTML."""

    def id_for_label(self, id_):
        return None


class VersionField(forms.IntegerField):
    """The version a row had when the form was loaded. Never counts as a
    change of its own."""

    widget = VersionInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)

    def has_changed(self, initial, data):
        return False


def _same(field, yours, theirs):
    if field.is_relation:
        return getattr(yours, "pk", yours) == getattr(theirs, "pk", theirs)
    return yours == theirs


class VersionedFormMixin(forms.BaseForm):
    """A model form of a ``VersionedModel`` that refuses a stale save."""

    # Collected by the form metaclass of the class this is mixed into.
    declared_fields = {"loaded_version": VersionField()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and getattr(instance, "_history", None):
            # A version from the history (the admin's revert page): check
            # against the row as it is now, not as it was then.
            current = (
                type(instance)
                ._base_manager.filter(pk=instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            instance.version = current or instance.version
        if instance.pk is not None:
            self.initial["loaded_version"] = instance.version
            self.fields["loaded_version"].initial = instance.version

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding or not self.has_changed():
            return cleaned_data
        loaded = cleaned_data.get("loaded_version")
        if loaded is None:
            raise ValidationError(
                _(
                    "This form does not say which version of the item it was "
                    "opened with. Reload the page and make your change again."
                ),
                code="no_version",
            )
        if loaded != instance.version:
            self._refuse_stale(loaded)
        return cleaned_data

    def _refuse_stale(self, loaded):
        instance = self.instance
        history = getattr(instance, "history", None)
        latest = then = None
        if history is not None:
            history = history.order_by("-history_date", "-history_id")
            latest = history.select_related("history_user").first()
            then = history.filter(version=loaded).first()
        who = ""
        if latest is not None and latest.history_user is not None:
            who = latest.history_user.get_full_name() or (
                latest.history_user.get_username()
            )
        when = ""
        if latest is not None:
            when = formats.localize(timezone.localtime(latest.history_date))
        errors = [
            ValidationError(
                _(
                    "%(who)s saved this %(thing)s (%(when)s) while you were "
                    "editing it. Your changes were not saved. What they changed, "
                    "with their value and yours:"
                ),
                code="stale",
                params={
                    "who": who or _("Someone else"),
                    "thing": instance._meta.verbose_name,
                    "when": when or EMPTY,
                },
            )
        ]
        errors.extend(self._conflicts(then))
        errors.append(
            ValidationError(
                _(
                    "Your input is kept below. Check it against theirs, then save "
                    "again to replace their values with yours, or reload the "
                    "page to start from their version."
                ),
                code="stale_help",
            )
        )
        # The next save is made knowing about their version.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = instance.version
        raise ValidationError(errors)

    def _conflicts(self, then):
        """One message per shown field they changed: theirs and yours."""
        instance = self.instance
        model_fields = {field.name for field in instance._meta.concrete_fields}
        for name in self.fields:
            if name not in model_fields or name not in self.cleaned_data:
                continue
            field = instance._meta.get_field(name)
            if then is not None and getattr(then, field.attname) == getattr(
                instance, field.attname
            ):
                continue  # they did not change this field
            theirs = getattr(instance, name)
            yours = self.cleaned_data[name]
            if then is None and _same(field, yours, theirs):
                continue
            yield ValidationError(
                _("%(field)s – theirs: “%(theirs)s”, yours: “%(yours)s”."),
                code="stale_field",
                params={
                    "field": self.fields[name].label,
                    "theirs": display_value(field, theirs),
                    "yours": display_value(field, yours),
                },
            )


def versioned_form(form_class):
    """``form_class`` with optimistic locking (itself if it has it already)."""
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    return type(form_class.__name__, (VersionedFormMixin, form_class), {})
