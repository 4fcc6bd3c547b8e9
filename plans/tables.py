"""Tables of the plans app (django-tables2), rendered by includes/table.html.

Cells are rendered with ``format_html`` rather than per-cell templates: a
template per cell costs several milliseconds per page of 100 rows. The markup
of the status and progress cells matches includes/_status_badge.html and
includes/_progress.html.
"""

import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem

STATUS_ORDER = [value for value, _label in ActionItem.Status.choices]


def status_badge(item):
    """The status badge of an item, plus a "Late" badge when it is past due."""
    badge = format_html(
        '<span class="badge badge--{}">{}</span>',
        item.status,
        item.get_status_display(),
    )
    # "Delayed" and "late" read the same in Swedish (Försenad): one badge is enough.
    if item.is_late and item.status != ActionItem.Status.DELAYED:
        badge = format_html(
            '{} <span class="badge badge--late">{}</span>', badge, gettext("Late")
        )
    return badge


def progress_bar(value):
    """A progress bar whose width comes from a CSS class (no inline styles)."""
    value = max(0, min(100, int(value or 0)))
    return format_html(
        '<span class="progress"><span class="progress__bar" aria-hidden="true">'
        '<span class="progress__fill progress__fill--{}"></span></span>'
        '<span class="progress__label">{}<span class="visually-hidden"> {}</span>'
        "</span></span>",
        value,
        gettext("%(value)s %%") % {"value": value},
        gettext("done"),
    )


def short_date(value):
    """A date as <time>, written the Swedish (ISO) way in every language."""
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        date_format(value, "Y-m-d"),
    )


def _labelled(label, **attrs):
    """Cell attributes; data-label names the column in the narrow card layout."""
    return {"td": {"data-label": label, **attrs}, "th": attrs}


class ActionItemTable(tables.Table):
    """The action browser: one row per action item the visitor may see."""

    code = tables.Column(
        verbose_name=_("Code"),
        order_by=("order", "code"),
        attrs=_labelled(_("Code"), **{"class": "col-code"}),
    )
    title = tables.Column(
        verbose_name=_("Heading"),
        linkify=True,
        attrs=_labelled(_("Heading"), **{"class": "col-title"}),
    )
    plan = tables.Column(
        verbose_name=_("Plan"),
        order_by=("plan__title", "order", "code"),
        attrs=_labelled(_("Plan"), **{"class": "col-text"}),
    )
    focus_area = tables.Column(
        verbose_name=_("Focus area"),
        order_by=("focus_area__title",),
        attrs=_labelled(_("Focus area"), **{"class": "col-text"}),
    )
    status = tables.Column(
        verbose_name=_("Status"),
        attrs=_labelled(_("Status"), **{"class": "col-status"}),
    )
    progress = tables.Column(
        verbose_name=pgettext_lazy("action item", "Progress"),
        attrs=_labelled(
            pgettext_lazy("action item", "Progress"), **{"class": "col-progress"}
        ),
    )
    due_date = tables.Column(
        verbose_name=_("Due date"),
        attrs=_labelled(_("Due date"), **{"class": "col-date"}),
    )
    responsible = tables.Column(
        verbose_name=_("Responsible"),
        accessor="responsible_body",
        empty_values=(),  # render_responsible falls back to the organisation
        order_by=("responsible_body", "responsible_organisation__name"),
        attrs=_labelled(_("Responsible"), **{"class": "col-text col-responsible"}),
    )
    latest_update_on = tables.Column(
        verbose_name=_("Latest update"),
        attrs=_labelled(_("Latest update"), **{"class": "col-date"}),
    )

    class Meta:
        model = ActionItem
        fields = ()
        sequence = (
            "code",
            "title",
            "plan",
            "focus_area",
            "status",
            "progress",
            "due_date",
            "responsible",
            "latest_update_on",
        )
        attrs = {"class": "data-table browse-table"}
        empty_text = _("No action items match the filters.")
        order_by_field = "sort"
        page_field = "page"

    # Read by includes/table.html: the column whose cells are row headers.
    row_header = "title"
    caption = ""

    def render_status(self, record):
        return status_badge(record)

    def render_progress(self, value):
        return progress_bar(value)

    def render_due_date(self, value):
        return short_date(value)

    def render_latest_update_on(self, value):
        return short_date(value)

    def render_responsible(self, record):
        if record.responsible_body:
            return record.responsible_body
        if record.responsible_organisation:
            return record.responsible_organisation.name
        return self.default

    def order_status(self, queryset, is_descending):
        """Sort by the order of the workflow (not started … cancelled)."""
        rank = Case(
            *(
                When(status=value, then=Value(i))
                for i, value in enumerate(STATUS_ORDER)
            ),
            output_field=IntegerField(),
        )
        queryset = queryset.annotate(status_rank=rank).order_by(
            F("status_rank").desc() if is_descending else F("status_rank").asc(),
            "plan__title",
            "order",
        )
        return queryset, True

    def order_due_date(self, queryset, is_descending):
        return _nulls_last(queryset, "due_date", is_descending), True

    def order_latest_update_on(self, queryset, is_descending):
        return _nulls_last(queryset, "latest_update_on", is_descending), True


def _nulls_last(queryset, field, is_descending):
    """Order by a date, rows without one last in either direction."""
    expression = (
        F(field).desc(nulls_last=True)
        if is_descending
        else F(field).asc(nulls_last=True)
    )
    return queryset.order_by(expression, "plan__title", "order")
