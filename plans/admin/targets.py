"""Target suggestions from text, in the back office.

When an editor saves an action item or a target statement whose text states
targets ("minst 90 %", "82 % år 2015", "ytterligare 2500 arbetsplatser"), the
admin says so in a message that links to a confirmation page. There the parsed
numbers are laid out as proposed indicators, one per unit, with their targets,
all editable; only when the editor confirms are the indicator and its targets
created and linked to the item or statement. Nothing is created without that
confirmation, and numbers already covered by a linked indicator are not
suggested again.

``TargetSuggestionMixin`` is a base of the action item and target statement
admins.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plans.formatting import format_amount
from plans.models import Indicator, IndicatorTarget, TargetStatement
from plans.services.targets import Kind, parse_targets, suggestion_groups

# ---------------------------------------------------------------------------
# Forms of the confirmation page
# ---------------------------------------------------------------------------


class IndicatorProposalForm(forms.Form):
    """One proposed indicator: the editor decides whether and how to create it."""

    create = forms.BooleanField(
        label=_("Create this indicator"), required=False, initial=True
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Indicator.Direction.choices,
        initial=Indicator.Direction.HIGHER,
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1900, max_value=2100
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline value"),
        required=False,
        max_digits=18,
        decimal_places=2,
        localize=True,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_(
            "Shown on the public pages and in open data. Ticked when the text "
            "comes from a public item of a published plan."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("create"):
            return data
        name = (data.get("name") or "").strip()
        if not name:
            self.add_error("name", _("Give the indicator a name."))
        elif Indicator.objects.filter(name__iexact=name).exists():
            self.add_error(
                "name", _("An indicator with this name exists already: choose another.")
            )
        data["name"] = name
        if (data.get("baseline_year") is None) != (data.get("baseline_value") is None):
            raise ValidationError(
                _("Give both the baseline year and the baseline value, or neither.")
            )
        return data


class TargetProposalForm(forms.Form):
    """One proposed target of a proposed indicator."""

    include = forms.BooleanField(label=_("Include"), required=False)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1900, max_value=2100
    )
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        max_digits=18,
        decimal_places=2,
        localize=True,
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    is_step = forms.BooleanField(label=_("Step"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("include") and data.get("value") is None:
            self.add_error("value", _("Enter the target value, or untick Include."))
        return data


class BaseTargetProposalFormSet(forms.BaseFormSet):
    def included(self):
        """The rows to create: ticked ones, and the empty extra row once filled."""
        extra = set(self.extra_forms)
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("value") is not None
            and (form.cleaned_data.get("include") or form in extra)
        ]

    def clean(self):
        if any(self.errors):
            return
        years = [row["year"] for row in self.included()]
        dated = [year for year in years if year is not None]
        if len(dated) != len(set(dated)) or years.count(None) > 1:
            raise ValidationError(_("Each target needs a year of its own."))


TargetProposalFormSet = forms.formset_factory(
    TargetProposalForm, formset=BaseTargetProposalFormSet, extra=1
)


class Proposal:
    """A proposed indicator: its form, its targets' formset and where they came from."""

    def __init__(self, index, unit, suggestions, obj, data=None, name=""):
        self.unit = unit
        self.suggestions = suggestions
        # Text that the public may not read is never put into a field that the
        # indicator would show: the editor names and describes it.
        public = source_is_public(obj)
        self.form = IndicatorProposalForm(
            data,
            prefix=f"indicator-{index}",
            initial={
                "name": name if public else "",
                "unit": unit,
                "direction": Indicator.Direction.LOWER
                if all(s.kind == Kind.MAXIMUM for s in suggestions)
                else Indicator.Direction.HIGHER,
                "description": source_text(obj) if public else "",
                "is_public": public,
            },
        )
        self.targets = TargetProposalFormSet(
            data,
            prefix=f"indicator-{index}-targets",
            initial=[
                {
                    "include": True,
                    "year": s.year,
                    "value": s.value,
                    "label": s.label,
                    "is_step": False,
                }
                for s in suggestions
            ],
        )

    @property
    def summary(self):
        return ", ".join(suggestion_text(s) for s in self.suggestions)

    def is_valid(self):
        # Both validate, so that every error is shown at once.
        form_valid = self.form.is_valid()
        targets_valid = self.targets.is_valid()
        if not self.form.cleaned_data.get("create"):
            return form_valid
        return form_valid and targets_valid

    @property
    def wanted(self):
        return bool(self.form.cleaned_data.get("create"))


# ---------------------------------------------------------------------------
# Reading an item's text
# ---------------------------------------------------------------------------


def source_is_public(obj):
    """True if anyone may read the text: a public item (or a statement) of a
    published plan."""
    if not obj.plan.is_published:
        return False
    return isinstance(obj, TargetStatement) or obj.is_public


def source_text(obj):
    """The text of an item or statement that the suggestions come from."""
    if isinstance(obj, TargetStatement):
        return obj.text
    parts = [obj.expected_result, obj.schedule]
    return " ".join(part.strip() for part in parts if part and part.strip())


def suggestion_text(suggestion):
    """A suggestion in a few words: "82 % (2015)"."""
    value = format_amount(suggestion.value, "")
    if suggestion.value_high is not None:
        value = f"{value}–{format_amount(suggestion.value_high, '')}"
    text = f"{value}\N{NO-BREAK SPACE}{suggestion.unit}" if suggestion.unit else value
    if suggestion.year:
        text = f"{text} ({suggestion.year})"
    return text


def is_target_like(suggestion):
    """Worth offering: a dated range is a measurement, and a bare number without
    unit, year or qualifier ("Åtgärd 12") is no target."""
    if suggestion.kind == Kind.RANGE:
        return suggestion.year is None
    return bool(
        suggestion.unit
        or suggestion.year
        or suggestion.approximate
        or suggestion.kind != Kind.EXACT
    )


def new_suggestions(obj, texts):
    """Suggestions from ``texts`` not yet covered by an indicator linked to ``obj``."""
    suggestions = [s for s in parse_targets(*texts) if is_target_like(s)]
    if not suggestions or obj.pk is None:
        return suggestions
    covered = set(
        IndicatorTarget.objects.filter(indicator__in=obj.indicators.all()).values_list(
            "value", "year"
        )
    )
    covered_values = {value for value, _year in covered}
    return [
        s
        for s in suggestions
        if (s.value, s.year) not in covered
        and not (s.year is None and s.value in covered_values)
    ]


def free_slug(name):
    base = slugify(name)[:180] or "indikator"
    slug, number = base, 2
    while Indicator.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# ---------------------------------------------------------------------------
# The mixin
# ---------------------------------------------------------------------------


class TargetSuggestionMixin:
    """Offer, after a save, to create indicators from the targets the text states.

    ``target_text_fields`` names the fields read; ``link_indicator(indicator,
    obj)`` links a created indicator to the saved object.
    """

    target_text_fields = []
    target_suggestions_template = "admin/plans/target_suggestions.html"

    def target_texts(self, obj):
        return [getattr(obj, name) for name in self.target_text_fields]

    def link_indicator(self, indicator, obj):
        raise NotImplementedError

    def indicator_name(self, obj):
        return Truncator(str(obj)).chars(120)

    def can_create_indicators(self, request, obj):
        user = request.user
        return (
            self.has_change_permission(request, obj)
            and user.has_perm("plans.add_indicator")
            and user.has_perm("plans.add_indicatortarget")
        )

    # -- after a save -------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.offer_target_suggestions(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self.offer_target_suggestions(request, obj)
        return response

    def offer_target_suggestions(self, request, obj):
        if IS_POPUP_VAR in request.POST or not self.can_create_indicators(request, obj):
            return
        suggestions = new_suggestions(obj, self.target_texts(obj))
        if not suggestions:
            return
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_target_suggestions",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                gettext("The text states targets: %(targets)s.")
                % {"targets": ", ".join(suggestion_text(s) for s in suggestions)},
                url,
                gettext("Review them and create an indicator"),
            ),
            messages.INFO,
        )

    # -- the confirmation page ----------------------------------------------

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        return [
            path(
                "<path:object_id>/target-suggestions/",
                self.admin_site.admin_view(self.target_suggestions_view),
                name="{}_{}_target_suggestions".format(*info),
            ),
            *super().get_urls(),
        ]

    def target_suggestions_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.can_create_indicators(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        groups = suggestion_groups(new_suggestions(obj, self.target_texts(obj)))
        data = request.POST if request.method == "POST" else None
        base_name = self.indicator_name(obj)
        proposals = [
            Proposal(
                index,
                unit,
                suggestions,
                obj,
                data,
                name=base_name if len(groups) == 1 else f"{base_name} ({unit or '–'})",
            )
            for index, (unit, suggestions) in enumerate(groups)
        ]
        if data is not None and proposals:
            valid = [proposal.is_valid() for proposal in proposals]
            if all(valid):
                wanted = [proposal for proposal in proposals if proposal.wanted]
                if not wanted:
                    self.message_user(
                        request,
                        gettext("Nothing was created: no indicator was ticked."),
                        messages.WARNING,
                    )
                    return HttpResponseRedirect(change_url)
                created = self.create_indicators(request, obj, wanted)
                self.message_user(
                    request,
                    format_html(
                        "{} {}",
                        ngettext(
                            "Created %(count)d indicator, linked to this item:",
                            "Created %(count)d indicators, linked to this item:",
                            len(created),
                        )
                        % {"count": len(created)},
                        format_html_join(
                            ", ",
                            '<a href="{}">{}</a>',
                            (
                                (
                                    reverse(
                                        "admin:plans_indicator_change",
                                        args=[indicator.pk],
                                        current_app=self.admin_site.name,
                                    ),
                                    indicator.name,
                                )
                                for indicator in created
                            ),
                        ),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Create indicators from the text"),
            "subtitle": str(obj),
            "opts": self.opts,
            "original": obj,
            "change_url": change_url,
            "source_text": "\n".join(t for t in self.target_texts(obj) if t),
            "proposals": proposals,
            "plan": obj.plan,
            "has_errors": data is not None,
        }
        return TemplateResponse(request, self.target_suggestions_template, context)

    @transaction.atomic
    def create_indicators(self, request, obj, proposals):
        created = []
        for proposal in proposals:
            data = proposal.form.cleaned_data
            indicator = Indicator(
                name=data["name"],
                slug=free_slug(data["name"]),
                unit=data["unit"].strip(),
                direction=data["direction"],
                description=data["description"].strip(),
                baseline_year=data["baseline_year"],
                baseline_value=data["baseline_value"],
                is_public=data["is_public"],
            )
            indicator.full_clean()
            indicator.save()
            indicator.plans.add(obj.plan)
            self.link_indicator(indicator, obj)
            for row in proposal.targets.included():
                target = IndicatorTarget(
                    indicator=indicator,
                    year=row["year"],
                    value=row["value"],
                    label=row["label"].strip(),
                    is_step=row["is_step"],
                )
                target.full_clean()
                target.save()
            self.log_addition(
                request,
                indicator,
                [{"added": {}}],
            )
            created.append(indicator)
        return created
