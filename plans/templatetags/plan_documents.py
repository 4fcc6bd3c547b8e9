"""Filters for the plan documents: safe Markdown, Swedish numbers and amounts,
and the action items of a plan written in one pass.

The same filters render the HTML page and the PDF, so both show the same text.
"""

import re
from functools import lru_cache
from html import escape as escape_text
from types import SimpleNamespace

import markdown as markdown_lib
import nh3
from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from plans.formatting import cached, format_number, format_sek, long_date
from plans.models import ActionItem
from plans.tables import CellWriter

register = template.Library()

# What Markdown written in the back office may produce: text structure, links and
# simple tables. Everything else (scripts, styles, event handlers, images, forms,
# iframes) is removed by nh3.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: The largest table spans a text may ask for. WeasyPrint's layout time grows
#: far faster than linearly with a span (colspan="200000" did not finish in
#: 45 s); no table written for a plan needs more.
MAX_SPANS = {"colspan": 20, "rowspan": 100}
MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]

_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)

#: Distinct texts kept rendered per process. The bundled and seeded plans have a
#: few hundred (sections, focus areas, strategies, mandates); an edited text is
#: a new key, and the oldest entries go first.
MARKDOWN_CACHE_SIZE = 4096


def render_markdown(text, top_level=3):
    """Markdown to sanitised HTML; headings start at ``top_level`` (default h3).

    Sections are h2 in the document, so a heading written in a section's text is
    at most an h3: the heading order of the page stays correct.

    The result depends on nothing but the text and the level (not on the
    language or the request), so each worker renders a text once: the HTML is
    kept in a bounded in-process cache and returned as a SafeString.
    """
    if not text:
        return ""
    return _render_markdown(str(text), max(1, min(int(top_level), 6)))


def clamp_spans(tag, attribute, value):
    """nh3's attribute filter: a table span is a whole number from 1 to its
    maximum (``MAX_SPANS``); anything else is dropped."""
    limit = MAX_SPANS.get(attribute)
    if limit is None:
        return value
    try:
        span = int(value.strip())
    except ValueError:
        return None
    return str(min(max(span, 1), limit))


@lru_cache(maxsize=MARKDOWN_CACHE_SIZE)
def _render_markdown(text, top_level):
    html = markdown_lib.markdown(text, extensions=MARKDOWN_EXTENSIONS)

    def clamp(match):
        level = max(int(match.group(2)), top_level)
        return f"<{match.group(1)}h{level}"

    html = _HEADING_TAG.sub(clamp, html)
    return mark_safe(  # sanitised by nh3
        nh3.clean(
            html,
            tags=ALLOWED_TAGS | {f"h{n}" for n in range(top_level, 7)},
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=clamp_spans,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


@register.filter(name="markdown")
def markdown_filter(text, top_level=3):
    """Render Markdown safely: ``{{ section.body|markdown }}`` or ``|markdown:4``."""
    return render_markdown(text, top_level)  # a SafeString, sanitised by nh3


@register.filter(name="number")
def number_filter(value):
    """``{{ value|number }}``: a number with thousands grouping."""
    if value is None or value == "":
        return ""
    return cached(format_number, str(value), get_language())


@register.filter(name="sek")
def sek_filter(value):
    """``{{ value|sek }}``: an amount in kronor, "1 000 000 kr"."""
    if value is None or value == "":
        return ""
    return cached(format_sek, str(value), get_language())


# ---------------------------------------------------------------------------
# Markup of many action items: status badge, progress bar, dates, address
# ---------------------------------------------------------------------------


def actionitem_url_maker():
    """A function giving an action item's page address, for many items at once.

    ``reverse()`` is resolved once (in the active language's URL prefix) and
    the key put in its place, instead of one ``reverse()`` per item.
    """
    sentinel = 987654321
    sample = reverse("plans:actionitem-detail", kwargs={"pk": sentinel})
    head, found, tail = sample.partition(str(sentinel))
    if not found or str(sentinel) in tail:  # pragma: no cover - one key in the URL
        return lambda pk: reverse("plans:actionitem-detail", kwargs={"pk": pk})
    return lambda pk: f"{head}{int(pk)}{tail}"


class ItemMarkup:
    """The status, progress and due-date markup of many action items.

    The labels are translated once, when the writer is made (``CellWriter``),
    not once per item, and each distinct badge, bar and date is written once.
    The markup is that of includes/_status_badge.html and includes/_progress.html
    with CellWriter's rule (the date flag "Past end date" beside the status).
    Make one per page, in the page's language.
    """

    def __init__(self):
        self.cells = CellWriter()
        self.url = actionitem_url_maker()
        self.language = get_language()
        self.today = timezone.localdate()
        self.due = gettext("Due %(date)s")
        self.badges = {}
        self.bars = {}
        self.dates = {}

    def status_html(self, item):
        """CellWriter's badge(s); late as ``ActionItem.is_late``, for one today."""
        late = (
            item.due_date is not None
            and item.due_date < self.today
            and item.status not in ActionItem.CLOSED_STATUSES
        )
        key = (item.status, item.due_date if late else None)
        badge = self.badges.get(key)
        if badge is None:
            badge = self.badges[key] = self.cells.status(
                SimpleNamespace(
                    status=item.status, is_late=late, due_date=item.due_date
                )
            )
        return badge

    def progress_html(self, value):
        bar = self.bars.get(value)
        if bar is None:
            bar = self.bars[value] = self.cells.progress(value)
        return bar

    def due_text(self, due_date):
        """The due date as the document writes it: "Due 1 mars 2026"."""
        if due_date is None:
            return ""
        text = self.dates.get(due_date)
        if text is None:
            date = escape_text(long_date(due_date, self.language))
            text = self.dates[due_date] = mark_safe(self.due % {"date": date})
        return text

    def attach_status(self, item):
        """Put ``url`` and ``status_html`` on ``item``."""
        item.url = self.url(item.pk)
        item.status_html = self.status_html(item)

    def attach(self, item):
        """Put ``url``, ``status_html``, ``progress_html`` and ``due_text`` on it."""
        self.attach_status(item)
        item.progress_html = self.progress_html(item.progress)
        item.due_text = self.due_text(item.due_date)


@register.filter
def with_status_markup(items):
    """The items as a list, each with ``url`` and ``status_html`` put on it.

    For lists of many items: ``{% for item in items|with_status_markup %}`` …
    ``{{ item.status_html }}`` instead of an include of the status badge per
    item, and ``{{ item.url }}`` instead of ``get_absolute_url`` per item.
    """
    markup = ItemMarkup()
    items = list(items)
    for item in items:
        markup.attach_status(item)
    return items


# ---------------------------------------------------------------------------
# Action items of a plan document
# ---------------------------------------------------------------------------
#
# A plan lists a few hundred action items. Written by a template loop, each
# item costs a dozen template nodes (a variable, its lookup, its escaping), and
# at that number the loop costs more than the rest of the page together. These
# two tags write the same markup in one pass; tests/plans/test_document_markup.py
# compares them with the template markup they replace. The items come from
# ``build_plan_document``, which puts the ready ``url``, ``anchor``,
# ``reference``, ``status_html``, ``progress_html`` and ``due_text`` on each.
#
# ``escape_text`` is ``html.escape``: what ``django.utils.html.escape`` and
# autoescaping do to a text, without the lazy-string check on every call.


@register.simple_tag
def action_entries(items, lang_attr=""):
    """The ``<li class="doc-action">`` of each item in a focus area, without
    the portal's code: the adopted documents number no activity.

    ``lang_attr`` is the document's ``lang_attr`` (`` lang="sv"`` or "").
    """
    lang = str(lang_attr)
    entries = []
    for item in items:
        due = (
            f'<span class="doc-action__due">{item.due_text}</span>\n'
            if item.due_text
            else ""
        )
        entries.append(
            f'<li class="doc-action" id="{escape_text(item.anchor)}">\n'
            f'<a class="doc-action__title" href="{escape_text(item.url)}"{lang}>'
            f"{escape_text(item.title)}</a>\n"
            '<div class="doc-action__meta">\n'
            f'<span class="doc-action__status">{item.status_html}\n</span>\n'
            f"{item.progress_html}\n"
            f"{due}"
            "</div>\n"
            "</li>\n"
        )
    return mark_safe("".join(entries))  # every text is escaped above


#: The action table's columns after the heading, in order (the Söderort table).
ACTION_TABLE_FIELDS = (
    "assignment",
    "commissioned_by",
    "expected_result",
    "schedule",
    "responsible_body",
    "responsible_officer",
    "coordinator",
)


@register.simple_tag
def action_table_rows(items, pdf, *labels):
    """The ``<tr>`` of each item in the action table.

    ``labels`` are the translated headings of ``ACTION_TABLE_FIELDS`` in order
    (the template's ``{% translate ... as label_... %}``); on the page each cell
    names its column in ``data-label`` for the narrow layout, in the PDF not.
    The heading links to the item's page, except in the PDF. A "Se ovan" row
    links to the item it refers to instead of repeating its assignment.
    """
    if len(labels) != len(ACTION_TABLE_FIELDS):
        raise template.TemplateSyntaxError(
            f"action_table_rows needs {len(ACTION_TABLE_FIELDS)} column labels."
        )
    if pdf:
        openings = ["<td>"] * len(labels)
    else:
        openings = [
            f'<td data-label="{conditional_escape(label)}">' for label in labels
        ]
    first, *others = zip(openings, ACTION_TABLE_FIELDS, strict=True)
    see_above = gettext("See above: %(title)s")
    rows = []
    for item in items:
        reference = item.reference
        row_class = ' class="doc-action-table__see-above"' if reference else ""
        title = escape_text(item.title)
        if not pdf:
            title = f'<a href="{escape_text(item.url)}">{title}</a>'
        if reference:
            text = see_above % {"title": escape_text(reference.title)}
            assignment = f'<a href="#{escape_text(reference.anchor)}">{text}</a>'
        else:
            assignment = escape_text(item.assignment)
        cells = "".join(
            f"{opening}{escape_text(getattr(item, name))}</td>\n"
            for opening, name in others
        )
        rows.append(
            f'<tr id="{escape_text(item.anchor)}"{row_class}>\n'
            f'<th scope="row" class="doc-action-table__title">{title}</th>\n'
            f"{first[0]}{assignment}</td>\n"
            f"{cells}"
            "</tr>\n"
        )
    return mark_safe("".join(rows))  # every text is escaped above


# ---------------------------------------------------------------------------
# Action items of a progress report
# ---------------------------------------------------------------------------


def _iso(value):
    """A date as ``date:"Y-m-d"`` writes it, or "" for none."""
    return value.isoformat() if value else ""


def _report_title(item, pdf):
    title = escape_text(item.title)
    return title if pdf else f'<a href="{escape_text(item.url)}">{title}</a>'


@register.simple_tag
def report_late_rows(items, pdf):
    """The rows of the report's late items: code, title, due date, status.

    The items come through ``with_status_markup`` (``url``, ``status_html``).
    The title links to the item's page, except in the PDF.
    """
    return mark_safe(  # every text is escaped
        "".join(
            f"<tr><td>{escape_text(item.code)}</td>"
            f"<td>{_report_title(item, pdf)}</td>"
            f'<td class="nowrap">{_iso(item.due_date)}</td>'
            f"<td>{item.status_html}</td></tr>\n"
            for item in items
        )
    )


@register.simple_tag
def report_item_rows(items, pdf, no_update):
    """The rows of a focus area in the report: code, title, status, progress,
    due date, responsible, latest update.

    The items come through ``with_status_markup`` and carry ``latest_update``
    (``plans.services.reports.build_progress_report``); ``no_update`` is the translated
    text for an item without one. The title links to the item's page, except
    in the PDF.
    """
    no_update = f'<span class="muted">{conditional_escape(no_update)}</span>'
    rows = []
    for item in items:
        if item.responsible_body:
            responsible = escape_text(item.responsible_body)
        elif item.responsible_organisation:
            responsible = escape_text(item.responsible_organisation.name)
        else:
            responsible = "–"
        update = item.latest_update
        if update:
            latest = f"<strong>{_iso(update.date)}</strong> {escape_text(update.text)}"
        else:
            latest = no_update
        rows.append(
            "<tr>\n"
            f"<td>{escape_text(item.code)}</td>\n"
            f"<td>{_report_title(item, pdf)}</td>\n"
            f"<td>{item.status_html}</td>\n"
            f'<td class="num">{int(item.progress)} %</td>\n'
            f'<td class="nowrap">{_iso(item.due_date) or "–"}</td>\n'
            f"<td>{responsible}</td>\n"
            f"<td>{latest}</td>\n"
            "</tr>\n"
        )
    return mark_safe("".join(rows))  # every text is escaped above
