"""Forms of the plans app: the admin's optimistic locking of action items and
this week's update on an item's page; the dashboard's choice of plans."""

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from flemingsberg.locking import VersionedFormMixin
from plans.models import ActionItem, FocusArea, Strategy
from plans.services import search
from plans.services.rollup import SCOPE_CHOICES, SCOPE_OWN


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


class ActionItemAdminForm(
    ErrorsOnShownFieldsMixin, VersionedFormMixin, forms.ModelForm
):
    """An action item's admin form, with optimistic locking (the portal's one
    mechanism, ``flemingsberg.locking``)."""

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


class RollupScopeForm(forms.Form):
    """The dashboard's choice of plans for "Per strategi" (a GET form): our
    own plans by default, or the partners' plans. An unknown value is an
    error on the form, and the default is shown."""

    scope = forms.ChoiceField(
        label=_("Count the action items of"),
        choices=SCOPE_CHOICES,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "rollup-%s")
        super().__init__(*args, **kwargs)

    @property
    def chosen(self):
        """The chosen scope; our own plans when none or an unknown one."""
        if self.is_valid() and self.cleaned_data["scope"]:
            return self.cleaned_data["scope"]
        return SCOPE_OWN


class SearchForm(forms.Form):
    """The search page's query: too short, too long or unreadable text is a
    message next to the box, never an error page."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        min_length=search.MIN_LENGTH,
        max_length=search.MAX_LENGTH,
        error_messages={
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _(
                "Type at most %(limit_value)d characters (you typed %(show_value)d)."
            ),
        },
        widget=forms.TextInput(
            attrs={"type": "search", "aria-describedby": "search-q-help"}
        ),
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(kind.key, kind.label) for kind in search.KINDS],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        if "q" in self.errors:
            self.fields["q"].widget.attrs["aria-describedby"] = (
                "search-q-errors search-q-help"
            )
            self.fields["q"].widget.attrs["aria-invalid"] = "true"

    @property
    def query_text(self):
        """The query text if it is valid, else "" (a bad ``kind`` or
        ``page`` leaves the query alone: they fall back to their defaults)."""
        if not self.is_bound or (not self.is_valid() and "q" in self.errors):
            return ""
        return self.cleaned_data.get("q", "")


class BulkUpdateForm(ActionItemAdminForm):
    """One row of the bulk update page: status, progress, the next due date and
    this week's text, with the row's version. A row left as it was is neither
    validated nor saved."""

    update_text = forms.CharField(
        label=_("This week's update"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    update_is_public = forms.BooleanField(
        label=_("The update is public"), required=False, initial=True
    )

    class Meta(ActionItemAdminForm.Meta):
        fields = ["status", "progress", "progress_note", "due_date"]
        widgets = {
            "status": forms.Select(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "progress_note": forms.TextInput(attrs={"size": 16}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def full_clean(self):
        if self.is_bound and not self.has_changed():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def note_update(self, author, date):
        self.instance.note_update(
            self.cleaned_data.get("update_text") or "",
            is_public=bool(self.cleaned_data.get("update_is_public")),
            author=author,
            date=date,
        )


class BulkUpdateDateForm(forms.Form):
    """The date every update of one bulk save is written under."""

    update_date = forms.DateField(
        label=_("Date of the updates"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


BulkUpdateFormSet = forms.modelformset_factory(
    ActionItem, form=BulkUpdateForm, extra=0, can_delete=False
)
