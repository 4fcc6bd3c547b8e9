"""Reading targets out of plan text: "minst 90 %", "82 % år 2015", "ca 15 000".

``parse_targets(*texts)`` returns the numbers a text states as ``Suggestion``s:
value (and upper value of a range), unit, year, label and kind. It is meant to
*suggest*: the editor confirms or corrects every suggestion before anything is
created (see ``plans/admin_targets.py``).

What it understands, in Swedish as the plans write it:

- numbers with a decimal comma ("2,5"), thousands grouped by spaces, also
  non-breaking or thin ones ("15 000"), or by points ("15.000");
- ranges ("8-9", "8–9 miljarder", "mellan 8 och 9") and scale words (tusen,
  miljoner, miljarder), approximate words ("ca", "cirka", "omkring", "ungefär")
  and approximate numerals ("ett tiotal" = 10, "ett tjugotal" = 20, …);
- qualifiers: "minst" (a minimum), "högst" (a maximum), "ytterligare"/"fler"
  (an increase); "delmål" marks the rest of its sentence as milestones;
- units after the number ("%", "procent", "arbetsplatser", "kr/år"), with
  "varje år"/"per år" making a rate ("företag/år");
- years: "år 2015", "till 2020", "(2008)", or a clause of its own such as
  "Uppnått 2030", which dates the target that has no year of its own.

Dates (2010-04-15), periods (2009–2011) and years themselves are never values.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_MIN, YEAR_MAX = 1900, 2100
SPACES = " \u00a0\u202f\u2009"
DASHES = "-\u2013\u2014"


class Kind(models.TextChoices):
    EXACT = "exact", _("Exact value")
    MINIMUM = "minimum", _("At least")
    MAXIMUM = "maximum", _("At most")
    INCREASE = "increase", _("Increase by")
    APPROXIMATE = "approximate", _("About")
    RANGE = "range", _("Range")


@dataclass
class Suggestion:
    """A number a text states, as a possible indicator target."""

    value: Decimal
    unit: str = ""
    year: int | None = None
    label: str = ""
    kind: str = Kind.EXACT
    value_high: Decimal | None = None
    approximate: bool = False
    text: str = ""  # the words it was read from

    def key(self):
        return (self.value, self.unit, self.year)


# -- vocabulary ---------------------------------------------------------------

SCALES = {
    "tusen": Decimal(1000),
    "miljon": Decimal(10) ** 6,
    "miljoner": Decimal(10) ** 6,
    "milj": Decimal(10) ** 6,
    "mkr": Decimal(10) ** 6,
    "mnkr": Decimal(10) ** 6,
    "miljard": Decimal(10) ** 9,
    "miljarder": Decimal(10) ** 9,
    "mdkr": Decimal(10) ** 9,
    "mdr": Decimal(10) ** 9,
}
#: Scale words that also name the currency ("5 mkr" is 5 000 000 kr).
SCALE_UNITS = {"mkr": "kr", "mnkr": "kr", "mdkr": "kr"}

APPROXIMATE_NUMERALS = {
    "tiotal": 10,
    "femtontal": 15,
    "tjugotal": 20,
    "trettiotal": 30,
    "fyrtiotal": 40,
    "femtiotal": 50,
    "sextiotal": 60,
    "sjuttiotal": 70,
    "åttiotal": 80,
    "nittiotal": 90,
    "hundratal": 100,
    "tusental": 1000,
    "dussin": 12,
}

APPROXIMATE_WORDS = r"ca\.?|c:a|cirka|omkring|ungefär|runt|drygt|knappt|nästan"
MINIMUM_WORDS = r"minst|åtminstone|lägst|inte\s+mindre\s+än|över|mer\s+än"
MAXIMUM_WORDS = r"högst|max(?:imalt|imum)?|inte\s+mer\s+än|under|mindre\s+än"
INCREASE_WORDS = r"ytterligare|fler|ökning\s+med|öka\s+med|ökar\s+med|\+"
YEAR_WORDS = (
    r"år|till|senast|före|innan|uppnått|uppnås|klart|klar|"
    r"fram\s+till|t\.o\.m\.|tom|by|i|under|från"
)
RATE_WORDS = re.compile(
    r"\b(?:varje|per|om)\s+år(?:et)?\b|\bårligen\b",
    re.IGNORECASE,
)
MILESTONE_WORD = re.compile(r"\b(delmål|etappmål)\b", re.IGNORECASE)

# Adjectives (ending in -a) before the unit noun are skipped: "nya företag".
UNIT_WORD = re.compile(r"^([^\W\d_][\w\-/]*)", re.UNICODE)
NOT_UNITS = {
    "år",
    "och",
    "eller",
    "av",
    "till",
    "i",
    "per",
    "varje",
    "som",
    "att",
    "på",
    "för",
    "med",
    "om",
    "samt",
    "the",
    "of",
}

_SP = f"[{SPACES}]"
NUMBER = (
    rf"(?<![\d,.])(?:\d{{1,3}}(?:{_SP}\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+(?![\d,])"
    rf"|\d+)(?:,\d+|\.\d{{1,2}}(?!\d))?(?![\d])"
)
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PERIOD = re.compile(rf"\b(\d{{4}}){_SP}*[{DASHES}]{_SP}*(\d{{4}})\b")
RANGE_OR_NUMBER = re.compile(
    rf"(?:\bmellan{_SP}+(?P<between_low>{NUMBER}){_SP}+och{_SP}+(?P<between_high>{NUMBER}))"
    rf"|(?P<low>{NUMBER})(?:{_SP}*[{DASHES}]{_SP}*(?P<high>{NUMBER}))?"
    rf"|\bett{_SP}+(?P<numeral>{'|'.join(APPROXIMATE_NUMERALS)})\b",
    re.IGNORECASE,
)
QUALIFIER_BEFORE = re.compile(
    rf"(?<!\w)(?:(?P<approx>{APPROXIMATE_WORDS})|(?P<min>{MINIMUM_WORDS})"
    rf"|(?P<max>{MAXIMUM_WORDS})|(?P<inc>{INCREASE_WORDS})){_SP}*$",
    re.IGNORECASE,
)
# A year after the number, before the next number of the clause: "82 % år
# 2015", "12 företag per år till 2011", "40 företag i inkubatorn (2010)".
YEAR_AFTER = re.compile(
    rf"(?<!\w)(?:(?:{YEAR_WORDS}){_SP}+|\(){_SP}*(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
YEAR_BEFORE = re.compile(
    rf"\b(?:{YEAR_WORDS}){_SP}+(?P<year>\d{{4}})\b[^.;:\d]*$", re.IGNORECASE
)
STANDALONE_YEAR = re.compile(
    rf"\b(?:{YEAR_WORDS}){_SP}+(?P<year>\d{{4}})\b", re.IGNORECASE
)
# Clauses end at punctuation, except after the abbreviation "ca.".
CLAUSE_SPLIT = re.compile(r"(?<!\bca\.)(?<=[.;:!?])\s+|(?<=,)\s+|\n+", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


def to_decimal(text):
    """A Swedish number ("15 000", "2,5", "15.000") as a Decimal, or None."""
    cleaned = re.sub(_SP, "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def is_year(number_text):
    """Four digits that name a year (1900–2100), written without grouping."""
    return bool(re.fullmatch(r"\d{4}", number_text)) and (
        YEAR_MIN <= int(number_text) <= YEAR_MAX
    )


def _read_unit(after):
    """The unit after a number, the scale it carries and the characters read.

    Returns (unit, scale, rate, consumed).
    """
    rest = after
    consumed = 0
    scale = Decimal(1)
    unit = ""

    def skip_spaces(text):
        stripped = text.lstrip(SPACES)
        return stripped, len(text) - len(stripped)

    rest, n = skip_spaces(rest)
    consumed += n
    if rest.startswith("%"):
        unit, rest, consumed = "%", rest[1:], consumed + 1
    else:
        match = UNIT_WORD.match(rest)
        if match and match.group(1).lower() in SCALES:
            word = match.group(1).lower()
            scale = SCALES[word]
            unit = SCALE_UNITS.get(word, "")
            rest = rest[match.end() :]
            consumed += match.end()
            if rest.startswith("."):
                rest, consumed = rest[1:], consumed + 1
            stripped, n = skip_spaces(rest)
            if not unit:
                rest, consumed = stripped, consumed + n
        if not unit:
            words = []
            probe = rest
            probe_consumed = 0
            for _attempt in range(3):
                match = UNIT_WORD.match(probe)
                if not match or match.group(1).lower() in NOT_UNITS:
                    break
                word = match.group(1)
                words.append(word)
                probe_consumed += match.end()
                probe = probe[match.end() :]
                following = UNIT_WORD.match(probe.lstrip(SPACES))
                # An adjective ending in -a before a noun: keep reading.
                if (
                    word.lower().endswith("a")
                    and following
                    and following.group(1).lower() not in NOT_UNITS
                ):
                    stripped, n = skip_spaces(probe)
                    probe, probe_consumed = stripped, probe_consumed + n
                    continue
                break
            if words:
                unit = words[-1]
                if unit.lower() == "procent":
                    unit = "%"
                rest = probe
                consumed += probe_consumed
    rate = RATE_WORDS.search(rest)
    if rate and unit and not unit.endswith("/år"):
        unit = f"{unit}/år"
    return unit, scale, bool(rate), consumed


def _is_year_match(match):
    low = match.group("low")
    return bool(low and not match.group("high") and is_year(low))


def _clauses(text):
    """Clauses of a text with their start offsets: split at , ; : . and lines."""
    start = 0
    for match in CLAUSE_SPLIT.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _milestone_spans(text):
    """Where "delmål" applies: from the word to the end of its sentence."""
    spans = []
    for match in MILESTONE_WORD.finditer(text):
        end = SENTENCE_END.search(text, match.end())
        spans.append((match.start(), end.start() if end else len(text), match.group(1)))
    return spans


def _parse_one(text):
    """The suggestions of one text, and the year it names on its own, if any."""
    text = DATE.sub(lambda m: " " * len(m.group()), text)
    text = PERIOD.sub(lambda m: " " * len(m.group()), text)
    milestones = _milestone_spans(text)
    suggestions = []
    standalone_years = []
    for offset, clause in _clauses(text):
        found_value = False
        matches = list(RANGE_OR_NUMBER.finditer(clause))
        value_starts = [m.start() for m in matches if not _is_year_match(m)]
        for match in matches:
            start, end = match.start(), match.end()
            low_text = match.group("low") or match.group("between_low")
            high_text = match.group("high") or match.group("between_high")
            numeral = match.group("numeral")
            if low_text and not high_text and is_year(low_text):
                continue  # a year, handled below
            if low_text and high_text and is_year(low_text) and is_year(high_text):
                continue
            if numeral:
                low = Decimal(APPROXIMATE_NUMERALS[numeral.lower()])
                high = None
            else:
                low = to_decimal(low_text)
                high = to_decimal(high_text) if high_text else None
                if low is None:
                    continue
            unit, scale, _rate, consumed = _read_unit(clause[end:])
            low *= scale
            if high is not None:
                high *= scale
            before = clause[:start]
            qualifier = QUALIFIER_BEFORE.search(before)
            kind = Kind.EXACT
            approximate = bool(numeral)
            qualifier_text = ""
            if qualifier:
                qualifier_text = qualifier.group(0).strip()
                if qualifier.group("approx"):
                    approximate = True
                elif qualifier.group("min"):
                    kind = Kind.MINIMUM
                elif qualifier.group("max"):
                    kind = Kind.MAXIMUM
                elif qualifier.group("inc"):
                    kind = Kind.INCREASE
            if high is not None:
                kind = Kind.RANGE
            elif kind == Kind.EXACT and approximate:
                kind = Kind.APPROXIMATE
            if numeral:
                qualifier_text = f"ett {numeral.lower()}"
            year = None
            following = [v for v in value_starts if v > start]
            after = clause[end + consumed : following[0] if following else None]
            year_match = YEAR_AFTER.search(after)
            if year_match:
                year = int(year_match.group("year"))
            else:
                year_match = YEAR_BEFORE.search(before)
                if year_match:
                    year = int(year_match.group("year"))
            if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
                year = None
            position = offset + start
            label = ""
            for span_start, span_end, word in milestones:
                if span_start <= position < span_end:
                    label = word.lower()
            if not label:
                label = qualifier_text.lower()
            found_value = True
            suggestions.append(
                Suggestion(
                    value=low,
                    value_high=high,
                    unit=unit,
                    year=year,
                    label=label,
                    kind=kind,
                    approximate=approximate,
                    text=clause[
                        qualifier.start() if qualifier else start : end + consumed
                    ].strip(SPACES + ",("),
                )
            )
        if not found_value:
            standalone_years += [
                int(m.group("year"))
                for m in STANDALONE_YEAR.finditer(clause)
                if YEAR_MIN <= int(m.group("year")) <= YEAR_MAX
            ]
    return suggestions, standalone_years


def parse_targets(*texts):
    """Suggestions for the numbers that ``texts`` (one item's fields) state.

    A year named in a clause of its own ("Uppnått 2030") dates the one target
    that is neither dated nor a milestone. Duplicates are dropped.
    """
    suggestions, standalone_years = [], []
    for text in texts:
        if not text:
            continue
        found, years = _parse_one(str(text))
        suggestions += found
        standalone_years += years
    undated_goals = [s for s in suggestions if s.year is None and s.label != "delmål"]
    if len(set(standalone_years)) == 1 and len(undated_goals) == 1:
        undated_goals[0].year = standalone_years[0]
    # A unit stated once applies to the other numbers of its milestone list.
    for index, suggestion in enumerate(suggestions):
        if not suggestion.unit and index > 0 and suggestions[index - 1].unit == "%":
            suggestion.unit = "%"
    unique, seen = [], set()
    for suggestion in suggestions:
        if suggestion.key() in seen:
            continue
        seen.add(suggestion.key())
        unique.append(suggestion)
    return unique


def suggestion_groups(suggestions):
    """Suggestions grouped by unit: each group can become one indicator.

    Ranges and approximate figures without a year describe a state rather than
    a target; they are kept, for the editor to decide.
    """
    groups = {}
    for suggestion in suggestions:
        groups.setdefault(suggestion.unit, []).append(suggestion)
    return [
        (unit, sorted(items, key=lambda s: (s.year is None, s.year or 0)))
        for unit, items in groups.items()
    ]
