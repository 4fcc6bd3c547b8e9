"""The dashboard's repeated table rows, written in one pass.

The overview has a row per plan, each with a dozen links, and the lists of
items have 25 and 10 rows: through the template engine (a variable lookup,
filter and tag per cell) these rows cost most of the page's time. They are
written here as plain strings, every value escaped, the way the action
browser writes its rows (``plans.tables``); the template keeps the tables'
captions, headings and everything else. tests/flemingsberg/test_views_pages.py
reads the markup.
"""

from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from plans.models import ActionItem, Plan
from plans.tables import URL_KEY, CellWriter
from plans.templatetags.plan_charts import status_strip

# A slug no plan has, standing for each plan's own in its reversed address.
SLUG_KEY = "plan-slug-key-987654321"


class RowWriter:
    """Writes the rows of the dashboard's tables in the active language.

    The labels and addresses are translated and reversed once, when the writer
    is made; a page's tables share one writer.
    """

    def __init__(self):
        self.cells = CellWriter()
        self.status_order = [status.value for status in ActionItem.Status]
        self.item_url = escape(
            reverse("plans:actionitem-detail", kwargs={"pk": URL_KEY})
        )
        self.plan_url = escape(reverse("plans:plan-detail", kwargs={"slug": SLUG_KEY}))
        self.kinds = {value: escape(label) for value, label in Plan.Kind.choices}
        self.plan_statuses = {
            value: escape(label) for value, label in Plan.Status.choices
        }
        self.not_public = escape(gettext("not public"))
        self.breakdown = escape(gettext("By focus area and strategy"))
        self.report = escape(gettext("Progress report"))
        self.action_items = escape(pgettext("count", "action items"))
        self.share_done = pgettext("count", "%(share)s %% done")
        self.late_label = escape(gettext("Past due date"))
        self.overdue_label = escape(gettext("Update overdue"))
        self.latest_label = escape(gettext("Latest update"))
        self.due_label = escape(gettext("Update was due"))
        self.status_label = escape(gettext("Status"))
        self.never = escape(gettext("never"))
        separator = get_format("THOUSAND_SEPARATOR")
        self.grouping_is_thousands = get_format("NUMBER_GROUPING") == 3
        self.separator = escape(separator)

    # -- pieces -------------------------------------------------------------

    def number(self, value):
        """A whole number grouped as the language writes it (as ``intcomma``)."""
        if self.grouping_is_thousands:
            return f"{value:,}".replace(",", self.separator)
        return escape(number_format(value, force_grouping=True))

    def link(self, url, text):
        """``text`` (already escaped) as a link to ``url`` (escaped here)."""
        return f'<a href="{escape(url)}">{text}</a>'

    def count(self, value, url):
        """A number, linked when it is not zero and the group can be listed."""
        text = self.number(value)
        return self.link(url, text) if value and url else text

    def item(self, item):
        """An item's code and title linked to its page, with its plan below."""
        url = self.item_url.replace(str(URL_KEY), str(item.pk))
        return (
            f'<a href="{url}">{escape(item.code)} {escape(item.title)}</a>'
            f'<span class="item-plan">{escape(item.plan.title)}</span>'
        )

    def date(self, value):
        return self.cells.date(value) if value else self.never

    # -- rows ---------------------------------------------------------------

    def plan_rows(self, rows):
        """The overview: per plan its status strip, counts, late and overdue."""
        return mark_safe("".join(self.plan_row(row) for row in rows))

    def plan_row(self, row):
        plan, group, counts = row.plan, row.group, row.group.counts
        title = escape(plan.title)
        meta = f"{self.kinds.get(plan.kind, '')} · {escape(plan.period)}"
        if not plan.is_published:
            state = self.plan_statuses.get(plan.status, "")
            if not plan.is_public:
                state += f", {self.not_public}"
            meta += f' · <span class="badge badge--draft">{state}</span>'
        plan_url = self.plan_url.replace(SLUG_KEY, plan.slug)
        labels = self.cells.status_labels
        statuses = "".join(
            "<li>"
            + self.link(
                group.url(status=status),
                f"{labels[status]} <strong>{self.number(n)}</strong>",
            )
            + "</li>"
            for status in self.status_order
            if (n := counts.by_status[status])
        )
        total = f"<strong>{self.number(counts.total)}</strong> {self.action_items}"
        share = escape(self.share_done % {"share": counts.share_done})
        return (
            '<tr><th scope="row">'
            f'<a href="{plan_url}">{title}</a>'
            f'<span class="plan-overview__meta">{meta}</span>'
            f'<a class="plan-overview__breakdown" href="{escape(row.breakdown_url)}">'
            f'{self.breakdown}<span class="visually-hidden">: {title}</span></a>'
            f'<a class="plan-overview__report" href="{escape(row.report_url)}">'
            f'{self.report}<span class="visually-hidden">: {title}</span></a></th>'
            f'<td class="plan-overview__status">{status_strip(counts.by_status)}'
            f'<ul class="status-counts"><li>{self.link(group.all_url, total)}</li>'
            f'{statuses}<li class="status-counts__share">{share}</li></ul></td>'
            f'<td class="num" data-label="{self.late_label}">'
            f"{self.count(counts.late, group.late_url)}</td>"
            f'<td class="num" data-label="{self.overdue_label}">'
            f"{self.count(counts.overdue, group.overdue_url)}</td></tr>"
        )

    def breakdown_rows(self, groups):
        """A breakdown's table: per focus area or strategy the counts by status."""
        rows = []
        for group in groups:
            counts = group.counts
            cells = "".join(
                '<td class="num">'
                f"{self.count(n, group.url(status=status) if n else '')}</td>"
                for status in self.status_order
                for n in [counts.by_status[status]]
            )
            rows.append(
                f'<tr><th scope="row">{escape(group.label)}</th>{cells}'
                f'<td class="num">{self.count(counts.total, group.all_url)}</td>'
                f'<td class="num">{self.count(counts.late, group.late_url)}</td>'
                f'<td class="num">{counts.share_done} %</td></tr>'
            )
        return mark_safe("".join(rows))

    def overdue_rows(self, items):
        """Items with an overdue update: latest update, when it was due, status."""
        return mark_safe(
            "".join(
                f'<tr><th scope="row">{self.item(item)}</th>'
                f'<td data-label="{self.latest_label}">'
                f"{self.date(item.latest_update_on)}</td>"
                f'<td data-label="{self.due_label}">'
                f"{self.date(item.next_update_due)}</td>"
                f'<td data-label="{self.status_label}">{self.cells.status(item)}</td>'
                "</tr>"
                for item in items
            )
        )

    def recent_rows(self, items):
        """Items by their latest visible update, newest first."""
        return mark_safe(
            "".join(
                f"<tr><td>{self.date(item.latest_update_on)}</td>"
                f"<td>{self.item(item)}</td><td>{self.cells.status(item)}</td></tr>"
                for item in items
            )
        )
