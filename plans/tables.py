"""Tables of the plans app (django-tables2).

django-tables2 decides the columns, the sorting and the page; the table
template (``plans/includes/actionitem_table.html``) writes the rows with a
template loop, which costs a fraction of django-tables2's per-cell rendering
(bound cells, a ``render_*`` call and a template variable per cell).
"""

from functools import cached_property

import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models import ActionItem


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
        template_name = "plans/includes/actionitem_table.html"

    # Read by includes/table.html: the column whose cells are row headers.
    row_header = "title"
    caption = ""

    @cached_property
    def cell_attrs(self):
        """The body cells' attributes of each shown column, by column name,
        worked out once per table rather than once per cell."""
        return {column.name: column.attrs["td"].as_html() for column in self.columns}

    def order_status(self, queryset, is_descending):
        """Sort by the order of the workflow (``ActionItem.Status``)."""
        queryset = queryset.with_status_rank().order_by(
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
