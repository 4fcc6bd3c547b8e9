"""Tables of the plans app (django-tables2), rendered by includes/table.html.

Cells are rendered in Python rather than with per-cell templates: a
template per cell costs several milliseconds per page of 100 rows. The markup
of the status and progress cells matches includes/_status_badge.html and
includes/_progress.html.

django-tables2 decides the columns, the sorting and the page; the action
browser's rows are then written by ``ActionItemTable.body_html()`` in one pass
instead of through django-tables2's per-cell machinery (bound rows and cells,
signature inspection, a template variable per cell), which cost about as much
as the rest of the page together at 25 rows. The markup is the same as the
generic template's (tests/plans/test_tables.py compares the two).
"""

import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem

STATUS_ORDER = [value for value, _label in ActionItem.Status.choices]
# A key no item has, standing for each row's own in its reversed address.
URL_KEY = 987654321987


class CellWriter:
    """Writes the status, progress and date cells of action items.

    The labels are translated once, when the writer is made (in the active
    language), not once per cell: a page of rows shares one writer.
    """

    def __init__(self):
        self.status_labels = {
            value: escape(label) for value, label in ActionItem.Status.choices
        }
        self.late_flags = {}
        self.percent = gettext("%(value)s %%")
        self.done = escape(gettext("done"))

    def status(self, item):
        """The status badge, plus the date flag "Past end date" (with the
        date; includes/_past_end_date.html) when the item is past due."""
        badge = (
            f'<span class="badge badge--{escape(item.status)}">'
            f"{self.status_labels.get(item.status, escape(item.status))}</span>"
        )
        if item.is_late:
            badge += " " + self.late_flag(item.due_date)
        return mark_safe(badge)  # every part is escaped above

    def late_flag(self, due_date):
        """The date flag of ``due_date``, rendered once per date and page."""
        flag = self.late_flags.get(due_date)
        if flag is None:
            flag = self.late_flags[due_date] = render_to_string(
                "includes/_past_end_date.html", {"due_date": due_date}
            )
        return flag

    def progress(self, value):
        """A progress bar whose width comes from a CSS class (no inline styles)."""
        value = max(0, min(100, int(value or 0)))
        label = escape(self.percent % {"value": value})
        return mark_safe(  # value is an int, the texts are escaped
            '<span class="progress"><span class="progress__bar" aria-hidden="true">'
            f'<span class="progress__fill progress__fill--{value}"></span></span>'
            f'<span class="progress__label">{label}<span class="visually-hidden">'
            f" {self.done}</span></span></span>"
        )

    @staticmethod
    def date(value):
        """A date as <time>, written the Swedish (ISO) way in every language."""
        iso = value.isoformat()
        return mark_safe(f'<time datetime="{iso}">{iso}</time>')


def status_badge(item):
    return CellWriter().status(item)


def progress_bar(value):
    return CellWriter().progress(value)


def short_date(value):
    return CellWriter.date(value)


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
        template_name = "plans/includes/actionitem_table.html"

    # Read by includes/table.html: the column whose cells are row headers.
    row_header = "title"
    caption = ""

    def body_html(self):
        """The rows of the current page as HTML, as includes/table.html writes
        them, with each cell rendered as its column says (``render_*`` for a
        value, the column's default for an empty one)."""
        cells = CellWriter()
        columns = []
        for column in self.columns:
            name = column.name
            cell_tag = "th" if name == self.row_header else "td"
            scope = 'scope="row" ' if cell_tag == "th" else ""
            # as_html() escapes the attribute values.
            opening = f"<{cell_tag} {scope}{column.attrs['td'].as_html()}>"
            columns.append(
                (opening, f"</{cell_tag}>", self._cell_renderer(column, cells))
            )
        rows = []
        for row in self.page.object_list:
            record = row.record
            parity = row.get_even_odd_css_class()
            cells = "".join(
                f"{opening}{render(record)}{closing}"
                for opening, closing, render in columns
            )
            rows.append(f'<tr class="{parity}">{cells}</tr>')
        return mark_safe("".join(rows))  # every cell is escaped by its renderer

    def _cell_renderer(self, column, cells):
        """A function of a record giving the cell's escaped HTML."""
        default = conditional_escape(column.default)
        empty_values = column.column.empty_values
        name = column.name
        if name == "title":
            # The item's address with a stand-in key, reversed once per page.
            url = escape(reverse("plans:actionitem-detail", kwargs={"pk": URL_KEY}))
            return lambda record: (
                f'<a href="{url.replace(str(URL_KEY), str(record.pk))}">'
                f"{escape(record.title)}</a>"
            )
        if name == "status":
            return cells.status
        if name == "responsible":
            return lambda record: conditional_escape(self.render_responsible(record))
        value_renderers = {
            "progress": cells.progress,
            "due_date": cells.date,
            "latest_update_on": cells.date,
        }
        render_value = value_renderers.get(name, conditional_escape)
        accessor = column.accessor

        def render(record):
            value = accessor.resolve(record, quiet=True)
            if value in empty_values:
                return default
            return render_value(value)

        return render

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
