"""Filters of the action browser (django-filter).

The query parameters are part of the portal's links (the dashboard links to
filtered lists), so their names are stable: ``q``, ``plan`` (a plan slug),
``focus_area`` and ``strategy`` (primary keys; ``strategy=none`` for items
serving no strategy), ``scope`` (``own`` or ``partner``: the live plans of
the dashboard's "Per strategi"), ``within`` (a plan slug: the plan and its
appendices), ``status`` (repeatable),
``responsible_body``, ``commissioned_by``, ``area``, ``due_year``, ``late``
and ``overdue`` (``1``/``true``/``on``) and ``per_page`` (25, 50 or 100).
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem, FocusArea, Plan, Strategy
from plans.services import search
from plans.services.rollup import NO_STRATEGY, SCOPE_CHOICES, SCOPE_PARTNER, within_plan

PER_PAGE_CHOICES = (25, 50, 100)
# Longer text is a form error: no field holds it, and SQLite refuses a LIKE
# pattern over 50 000 bytes (a server error before this limit).
TEXT_FILTER_MAX_LENGTH = 200
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]


class ActionItemFilterForm(forms.Form):
    """The filter form; ties each error message to its control for screen readers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            auto_id = self[name].auto_id
            described_by = [f"{auto_id}-errors"]
            if field.help_text:
                described_by.append(f"{auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described_by)


class YearFilter(django_filters.NumberFilter):
    """A whole year; a value such as "2025.5" or "next" is a form error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        # A text box with a numeric keyboard: type="number" would echo a wrong
        # value ("next") back in invalid HTML, and the error message quotes it.
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6})
        )
        super().__init__(*args, **kwargs)


class ActionItemFilter(django_filters.FilterSet):
    """Narrows the action items a visitor may see; choices follow visibility."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_(
            "Words in any column of the items, in their Swedish forms; an "
            "organisation's name also finds its short name."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
        max_length=TEXT_FILTER_MAX_LENGTH,
    )
    plan = django_filters.ChoiceFilter(
        label=_("Plan"),
        field_name="plan__slug",
        empty_label=_("All plans"),
    )
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"),
        field_name="focus_area",
        empty_label=_("All focus areas"),
    )
    strategy = django_filters.ChoiceFilter(
        label=_("Strategy"),
        method="filter_strategy",
        empty_label=_("All strategies"),
    )
    scope = django_filters.ChoiceFilter(
        label=_("Plans in follow-up"),
        choices=SCOPE_CHOICES,
        empty_label=_("All plans"),
        method="filter_scope",
    )
    within = django_filters.ChoiceFilter(
        label=_("Plan with its appendices"),
        method="filter_within",
        empty_label=_("All plans"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=ActionItem.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    late = django_filters.BooleanFilter(
        label=_("Only items past their end date (not done)"),
        method="filter_late",
        widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only items with an overdue progress update"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    responsible_body = django_filters.CharFilter(
        label=_("Responsible committee or organisation"),
        method="filter_responsible",
        max_length=TEXT_FILTER_MAX_LENGTH,
    )
    commissioned_by = django_filters.CharFilter(
        label=_("Commissioned by"),
        lookup_expr="icontains",
        max_length=TEXT_FILTER_MAX_LENGTH,
    )
    area = django_filters.CharFilter(
        label=_("Area or place"),
        lookup_expr="icontains",
        max_length=TEXT_FILTER_MAX_LENGTH,
    )
    due_year = YearFilter(
        label=_("Due in year"),
        field_name="due_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
    )
    per_page = django_filters.ChoiceFilter(
        label=_("Rows per page"),
        choices=[(str(n), str(n)) for n in PER_PAGE_CHOICES],
        empty_label=None,
        method="filter_nothing",
    )

    class Meta:
        model = ActionItem
        fields = []
        form = ActionItemFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        plans = Plan.objects.visible_to(user).order_by("-start_year", "title")
        choices = {
            "plan": list(plans.values_list("slug", "title")),
            "focus_area": _grouped_by_plan(FocusArea.objects.filter(plan__in=plans)),
            "strategy": [
                *_grouped_by_plan(Strategy.objects.filter(plan__in=plans)),
                (NO_STRATEGY, _("Not linked to a strategy")),
            ],
        }
        choices["within"] = choices["plan"]
        for name, values in choices.items():
            # A callable: the form's deep copy of its fields then leaves the
            # (long) lists alone instead of copying every choice.
            self.filters[name].extra["choices"] = _constant(values)

    @property
    def page_size(self):
        """The validated page size; the default when missing or invalid."""
        if self.is_bound and "per_page" not in self.form.errors:
            value = self.form.cleaned_data.get("per_page")
            if value:
                return int(value)
        return DEFAULT_PER_PAGE

    @property
    def is_filtered(self):
        """True if any filter (not the page size) narrows the list."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.filters if name != "per_page")

    def search(self, queryset, name, value):
        """The portal's search (plans.services.search) over every column of
        the items the visitor may search (members: the internal note too)."""
        if not value.strip():
            return queryset
        user = getattr(self.request, "user", None)
        return search.filter_items(queryset, value, user)

    def filter_strategy(self, queryset, name, value):
        """The items that serve the strategy: their own, else their focus
        area's (as the roll-up "Per strategi" counts them)."""
        return queryset.serving(None if value == NO_STRATEGY else value)

    def filter_scope(self, queryset, name, value):
        """The live plans of the scope, as the dashboard counts them."""
        plans = Plan.objects.live().filter(is_partner_plan=value == SCOPE_PARTNER)
        return queryset.filter(plan__in=plans)

    def filter_within(self, queryset, name, value):
        return within_plan(queryset, value)

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset

    def filter_overdue(self, queryset, name, value):
        """The dashboard's rule: the plan's update interval has run out."""
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(ActionItem.update_overdue_condition(user))

    def filter_responsible(self, queryset, name, value):
        return queryset.filter(
            Q(responsible_body__icontains=value)
            | Q(responsible_organisation__name__icontains=value)
            | Q(responsible_organisation__short_name__icontains=value)
        )

    def filter_nothing(self, queryset, name, value):
        return queryset


def _constant(value):
    """A function returning ``value`` (deepcopy copies functions by reference)."""
    return lambda: value


def _grouped_by_plan(queryset):
    """Choices grouped under their plan's title (an <optgroup> per plan)."""
    groups = {}
    rows = queryset.order_by("-plan__start_year", "plan__title", "order", "code")
    for pk, code, title, plan_title in rows.values_list(
        "pk", "code", "title", "plan__title"
    ):
        label = f"{code} {title}" if code else title
        groups.setdefault(plan_title, []).append((str(pk), label))
    return list(groups.items())
