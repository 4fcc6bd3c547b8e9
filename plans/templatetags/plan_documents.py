"""Filters for the plan documents: safe Markdown, Swedish numbers and amounts.

The same filters render the HTML page and the PDF, so both show the same text.
"""

import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from plans.formatting import cached, format_number, format_sek

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
