"""Filters for the plan documents: safe Markdown, Swedish numbers and amounts.

The same filters render the HTML page and the PDF, so both show the same text.
"""

import re
from decimal import Decimal
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

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
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


@register.filter(name="markdown")
def markdown_filter(text, top_level=3):
    """Render Markdown safely: ``{{ section.body|markdown }}`` or ``|markdown:4``."""
    return render_markdown(text, top_level)  # a SafeString, sanitised by nh3


def format_number(value, decimal_pos=None):
    """A number with the active language's grouping (1 000 000 in Swedish).

    Whole numbers are shown without decimals; the Swedish separator is a
    non-breaking space, so an amount never breaks across lines.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if decimal_pos is None and number == number.to_integral_value():
        decimal_pos = 0
    return number_format(
        number, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True
    )


def format_sek(value):
    """An amount in SEK as the active language writes it: "1 000 000 kr"."""
    if value is None or value == "":
        return ""
    amount = format_number(value)
    text = pgettext("amount in Swedish kronor", "SEK %(amount)s") % {"amount": amount}
    return text.replace(" ", "\N{NO-BREAK SPACE}")


@register.filter(name="number")
def number_filter(value):
    """``{{ value|number }}``: a number with thousands grouping."""
    return format_number(value)


@register.filter(name="sek")
def sek_filter(value):
    """``{{ value|sek }}``: an amount in kronor, "1 000 000 kr"."""
    return format_sek(value)
