"""A visitor's query, read as Swedish: words, stems, organisation names.

A query is a conjunction of clauses; a clause is satisfied by any of its
alternatives, and an alternative by all of its terms. Most clauses are one
word. An organisation's name or short name in the query becomes one clause
with both ("Södertörns högskola" or "SH"), so a query for the one finds text
that uses the other.

Words are folded (lower case, accents removed) and stemmed with the Snowball
Swedish stemmer, in the order PostgreSQL's ``portal_swedish`` configuration
does (unaccent, then swedish_stem), so both backends agree on what a word
matches: "högskolor" and "högskola" share the stem "hogskol". Words of three
letters or more match any word beginning with their stem; shorter words and
short names (SH, KI) match whole words only.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

#: Shortest and longest query a visitor may send (the form says why).
MIN_LENGTH = 2
MAX_LENGTH = 200
#: Words beyond these are ignored: a longer query only costs time.
MAX_WORDS = 12
PREFIX_MIN = 3

WORD = re.compile(r"\w+")
_VARIANTS = {
    "a": "aàáâäåã",
    "e": "eèéêë",
    "i": "iìíîï",
    "o": "oòóôöõø",
    "u": "uùúûü",
    "y": "yýÿ",
    "c": "cç",
    "n": "nñ",
}
_STEMMER = snowballstemmer.stemmer("swedish")


def fold(text):
    """Lower case without accents: "Södertörns" -> "sodertorns"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(
        "ø", "o"
    )


@lru_cache(maxsize=4096)
def stem(word):
    """The Swedish stem of a word, folded first (as PostgreSQL does)."""
    return _STEMMER.stemWord(fold(word))


def words(text):
    return WORD.findall(text)


@dataclass(frozen=True)
class Term:
    """One word to find: by its stem as a word's beginning, or whole."""

    word: str
    prefix: bool = True

    @property
    def stem(self):
        return stem(self.word) if self.prefix else fold(self.word)

    @property
    def tsquery(self):
        """The term in PostgreSQL's to_tsquery syntax (``\\w`` only: safe)."""
        return f"'{self.word}'" + (":*" if self.prefix else "")

    @property
    def pattern(self):
        """A regular expression (Python ``re``, case-insensitive) that finds
        the term where PostgreSQL's configuration would."""
        accented = "".join(
            f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in self.stem
        )
        return r"\b" + accented + ("" if self.prefix else r"\b")

    @property
    def terms(self):
        return (self,)


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in order: a name ("Södertörns högskola")."""

    words: tuple

    @property
    def terms(self):
        return self.words

    @property
    def tsquery(self):
        return "(" + " <-> ".join(term.tsquery for term in self.words) + ")"

    @property
    def pattern(self):
        return r"\w*\W+".join(term.pattern for term in self.words)


def _part(terms):
    """An alternative of one term, or of one phrase of several."""
    return (terms[0],) if len(terms) == 1 else (Phrase(tuple(terms)),)


@dataclass(frozen=True)
class Clause:
    """Satisfied when all terms of any one alternative are found."""

    alternatives: tuple

    @property
    def terms(self):
        return [
            term
            for alternative in self.alternatives
            for part in alternative
            for term in part.terms
        ]

    @property
    def tsquery(self):
        return " | ".join(
            "(" + " & ".join(part.tsquery for part in alternative) + ")"
            for alternative in self.alternatives
        )

    def with_alternatives(self, extra):
        return Clause((*self.alternatives, *extra))


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple

    def __bool__(self):
        return bool(self.clauses)

    @property
    def terms(self):
        return [term for clause in self.clauses for term in clause.terms]

    @property
    def tsquery(self):
        return " & ".join(f"({clause.tsquery})" for clause in self.clauses)

    @property
    def highlight(self):
        """One regular expression for every term, the whole word marked."""
        patterns = sorted({term.pattern for term in self.terms}, key=len, reverse=True)
        return re.compile("|".join(f"(?:{p})\\w*" for p in patterns), re.IGNORECASE)


def _term(word):
    return Term(word.lower(), prefix=len(word) >= PREFIX_MIN)


def _short_name_terms(short_name):
    """An abbreviation (SH, KTH) matches whole words; a longer short name
    ("Huddinge") is a word like any other."""
    found = words(short_name)
    if len(found) == 1 and len(found[0]) <= PREFIX_MIN:
        return (Term(found[0].lower(), prefix=False),)
    return _name_terms(short_name)


def _name_terms(name):
    found = words(name)
    return _part([_term(word) for word in found]) if found else ()


def parse(text, organisations=()):
    """The query ``text`` as clauses; ``organisations``: (name, short name)
    pairs whose names are recognised in the query."""
    text = text.strip()[:MAX_LENGTH]
    found = words(text)[:MAX_WORDS]
    folded = [fold(word) for word in found]
    names = []
    for name, short_name in organisations:
        name_words = [fold(word) for word in words(name)]
        alternatives = [_name_terms(name)]
        if short_name:
            alternatives.append(_short_name_terms(short_name))
            short_words = [fold(word) for word in words(short_name)]
            if short_words and all(alternatives):
                names.append((short_words, tuple(reversed(alternatives))))
        if len(name_words) > 1 and all(alternatives):
            names.append((name_words, tuple(alternatives)))
    names.sort(key=lambda entry: len(entry[0]), reverse=True)

    clauses, position = [], 0
    while position < len(found):
        for name_words, alternatives in names:
            end = position + len(name_words)
            if folded[position:end] == name_words:
                clauses.append(Clause(alternatives))
                position = end
                break
        else:
            clauses.append(Clause(((_term(found[position]),),)))
            position += 1
    return ParsedQuery(text, tuple(dict.fromkeys(clauses)))


def organisation_clause(organisation):
    """The clause that finds text naming ``organisation`` (name or short name)."""
    alternatives = [_name_terms(organisation.name)]
    if organisation.short_name:
        alternatives.append(_short_name_terms(organisation.short_name))
    alternatives = [alternative for alternative in alternatives if alternative]
    return ParsedQuery(organisation.name, (Clause(tuple(alternatives)),))
