"""Admin forms of the plans app: optimistic locking of action items and this
week's update on an item's page."""

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem, FocusArea, Strategy
from plans.services.history import display_value


class ErrorsOnShownFieldsMixin:
    """Model validation may name a field the form does not show (the changelist
    form shows only status and progress): report such errors for the whole row
    instead of failing."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            moved = {}
            for field, messages in errors.error_dict.items():
                key = field if field in self.fields else NON_FIELD_ERRORS
                moved.setdefault(key, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


def strategy_choices(plan=None):
    """The strategies as choices grouped by plan: those ``plan`` may serve
    (its own, its parents', the plans it contributes to), or all of them."""
    strategies = Strategy.objects.select_related("plan").order_by(
        "-plan__start_year", "plan__title", "order", "code"
    )
    if plan is not None and plan.pk is not None:
        strategies = strategies.filter(plan_id__in=plan.strategy_plan_ids())
    groups = {}
    for strategy in strategies:
        groups.setdefault(strategy.plan.title, []).append(
            (strategy.pk, f"{strategy.code} {strategy.title}")
        )
    return [("", "---------"), *groups.items()]


class FocusAreaForm(forms.ModelForm):
    """A focus area, with the strategies it may serve grouped by plan."""

    class Meta:
        model = FocusArea
        fields = ["plan", "code", "order", "title", "strategy", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "strategy" in self.fields:
            plan = self.instance.plan if self.instance.plan_id else None
            self.fields["strategy"].choices = strategy_choices(plan)


class VersionInput(forms.HiddenInput):
    """A hidden input that no label points at: the admin writes a label for
    every field of a fieldset, and a label for a hidden control is invalid HTML."""

    def id_for_label(self, id_):
        return None


class VersionField(forms.IntegerField):
    """The version an item had when the form was loaded. Never counts as a
    change of its own."""

    widget = VersionInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)

    def has_changed(self, initial, data):
        return False


class ActionItemAdminForm(ErrorsOnShownFieldsMixin, forms.ModelForm):
    """An action item's admin form with optimistic locking.

    The form carries the version the item had when it was loaded. A save is
    refused if the item has been saved by someone else since: the form shows
    what they changed (field, their value, your value), keeps the user's input,
    and takes on the new version, so that saving again is a deliberate choice.
    """

    loaded_version = VersionField()

    class Meta:
        model = ActionItem
        fields = [
            "plan",
            "focus_area",
            "strategy",
            "code",
            "order",
            "title",
            "see_above",
            "assignment",
            "commissioned_by",
            "expected_result",
            "schedule",
            "responsible_body",
            "responsible_officer",
            "coordinator",
            "status",
            "progress",
            "progress_note",
            "start_date",
            "due_date",
            "responsible_organisation",
            "responsible_person",
            "area",
            "is_public",
            "internal_note",
        ]
        widgets = {"status": AdminRadioSelect(attrs={"class": "radiolist inline"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and getattr(instance, "_history", None):
            # A version from the history (the admin's revert page): check
            # against the item as it is now, not as it was then.
            current = (
                ActionItem.objects.filter(pk=instance.pk)
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
        history = instance.history.order_by("-history_date", "-history_id")
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
                    "%(who)s saved this action item (%(when)s) while you were "
                    "editing it. Your changes were not saved. What they changed, "
                    "with their value and yours:"
                ),
                code="stale",
                params={"who": who or _("Someone else"), "when": when},
            )
        ]
        model_fields = {field.name for field in ActionItem._meta.concrete_fields}
        shown = [
            name
            for name in self.fields
            if name in model_fields and name in self.cleaned_data
        ]
        for name in shown:
            field = instance._meta.get_field(name)
            if then is not None and getattr(then, field.attname) == getattr(
                instance, field.attname
            ):
                continue  # they did not change this field
            theirs = getattr(instance, name)
            yours = self.cleaned_data[name]
            if then is None and _same(field, yours, theirs):
                continue
            errors.append(
                ValidationError(
                    _("%(field)s – theirs: “%(theirs)s”, yours: “%(yours)s”."),
                    code="stale_field",
                    params={
                        "field": self.fields[name].label,
                        "theirs": display_value(field, theirs),
                        "yours": display_value(field, yours),
                    },
                )
            )
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


def _same(field, yours, theirs):
    if field.is_relation:
        return getattr(yours, "pk", yours) == getattr(theirs, "pk", theirs)
    return yours == theirs


class ActionItemChangeListForm(ActionItemAdminForm):
    """The changelist row: status and progress, with the row's version."""

    class Meta(ActionItemAdminForm.Meta):
        widgets = {"status": forms.Select()}


class ActionItemChangeForm(ActionItemAdminForm):
    """The action item's page: it leads with this week's update (status,
    progress, text, public), saved with the item in one save: the item's
    ``note_update()`` gives the log entry its text, date and visibility.

    On a fresh page the update's text has the focus, so that writing needs no
    click; after a refused save the focus stays at the top, with the errors.
    """

    update_text = forms.CharField(
        label=_("This week's update"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "autofocus": True}),
        help_text=_(
            "What happened since the last update. Saved in the update log with "
            "the status and progress above; a change of status or progress is "
            "logged even without a text."
        ),
    )
    update_date = forms.DateField(label=_("Date of the update"), required=False)
    update_is_public = forms.BooleanField(
        label=_("The update is public"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "strategy" in self.fields:
            plan = self.instance.plan if self.instance.plan_id else None
            self.fields["strategy"].choices = strategy_choices(plan)
        self.fields["update_date"].initial = timezone.localdate
        if self.is_bound:
            self.fields["update_text"].widget.attrs.pop("autofocus", None)

    def note_update(self, author):
        """Hand this week's update to the item before it is saved."""
        data = self.cleaned_data
        self.instance.note_update(
            data.get("update_text") or "",
            is_public=bool(data.get("update_is_public")),
            author=author,
            date=data.get("update_date"),
        )
