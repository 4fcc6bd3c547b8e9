"""How the portal writes numbers, amounts, shares and dates, in the active
language: one set of helpers that templates (``plan_documents`` filters),
charts, services and exports share.

Swedish groups thousands with a non-breaking space, so an amount never breaks
across lines ("1 000 000 kr"); English with a comma ("SEK 1,000,000").
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import pgettext

NBSP = "\N{NO-BREAK SPACE}"


def trimmed(number):
    """A decimal without trailing zeros, never in exponent form (80.50 → 80.5)."""
    if number is None:
        return None
    number = Decimal(number)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def format_number(value, decimal_pos=None):
    """A number with the active language's grouping (1 000 000 in Swedish).

    Whole numbers are shown without decimals.
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
    return text.replace(" ", NBSP)


def format_amount(value, unit=""):
    """A value with its unit: "82 %", "8 mdr kr"."""
    if value is None:
        return ""
    text = format_number(trimmed(value))
    return f"{text}{NBSP}{unit}" if unit else text


def format_range(low, high, unit=""):
    """A value, or a range "8–9" when ``high`` differs, with the unit."""
    if high is not None and high != low:
        return f"{format_number(trimmed(low))}–{format_amount(high, unit)}"
    return format_amount(low, unit)


def _compact_scale(largest):
    """The divisor and pattern that shorten numbers up to ``largest``."""
    if largest >= 10**9:
        return 10**9, pgettext("billions on a chart axis", "%(number)s bn")
    if largest >= 10**7:
        return 10**6, pgettext("millions on a chart axis", "%(number)s m")
    return 1, "%(number)s"


def _scaled(value, divisor):
    # round() first: an axis tick such as 0.30000000000000004 is 0.3.
    return format_number(trimmed(Decimal(str(round(float(value), 6))) / divisor))


def format_compact(value, largest=None):
    """A number shortened to billions or millions when ``largest`` (by default
    the number itself) is that big: "8 mdr", "12,5 milj."; else as
    ``format_number``. Axis ticks share the ``largest`` of their axis."""
    largest = abs(float(value if largest is None else largest))
    divisor, pattern = _compact_scale(largest)
    return pattern % {"number": _scaled(value, divisor)}


def format_compact_range(low, high=None, unit=""):
    """A value or a range shortened as ``format_compact``: "8–9 mdr kr/år"."""
    largest = max(abs(float(low)), abs(float(high if high is not None else low)))
    divisor, pattern = _compact_scale(largest)
    number = _scaled(low, divisor)
    if high is not None and high != low:
        number = f"{number}–{_scaled(high, divisor)}"
    text = pattern % {"number": number}
    return f"{text}{NBSP}{unit}" if unit else text


def format_percent(share):
    """A share (0–1) as a percentage with at most one decimal: "40 %", "33,3 %"."""
    if share is None:
        return ""
    number = (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_number(number.normalize())}{NBSP}%"


@lru_cache(maxsize=4096)
def cached(formatter, text, language):
    """``formatter(text)`` in ``language``, kept per process.

    The formatters read a value as ``Decimal(str(value))``, so the text and the
    language decide the result; a page repeats few distinct values.
    """
    with translation.override(language):
        return formatter(text)


@lru_cache(maxsize=4096)
def long_date(value, language):
    """``value`` as ``date:"j F Y"`` writes it in ``language`` ("1 mars 2026")."""
    with translation.override(language):
        return date_format(value, "j F Y")
