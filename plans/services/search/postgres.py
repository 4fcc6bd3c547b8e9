"""PostgreSQL: full-text search in the ``portal_swedish`` configuration
(Swedish stemming after unaccent), ranked by ``ts_rank`` of the title, with
misspelt words corrected from the lexicon of the searched text by trigram
similarity.

The document of a kind is written exactly as the migration
``plans/0018_search_swedish_full_text`` indexes it, so each match is a GIN
index scan rather than a ``to_tsvector`` of every row.
"""

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, TextField, Value

from plans.services.search.query import Term

CONFIG = "portal_swedish"
#: Corrections of a misspelt word: the closest words of the lexicon at least
#: this similar (pg_trgm ``similarity``), at most ``MAX_CORRECTIONS`` of them.
MIN_SIMILARITY = 0.45
MAX_CORRECTIONS = 3
MIN_CORRECTED_LENGTH = 4


class Document(Func):
    """``to_tsvector`` of the columns joined by spaces (the indexed expression)."""

    arg_joiner = " || ' ' || "
    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = TextField()

    def __init__(self, *fields):
        super().__init__(*(F(name) for name in fields))


class TsQuery(Func):
    function = "to_tsquery"
    output_field = TextField()
    template = f"to_tsquery('{CONFIG}'::regconfig, %(expressions)s)"


class Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


def documents(kind, user):
    """The documents of ``kind`` that ``user`` may search: the public columns,
    and the members' columns (an item's internal note) as a second one."""
    yield Document(*kind.fields)
    if kind.member_fields and kind.searched_fields(user) != kind.fields:
        yield Document(*kind.member_fields)


def matching(queryset, kind, query, user):
    """``queryset`` narrowed to the rows matching ``query``."""
    tsquery = TsQuery(Value(query.tsquery))
    condition = None
    for document in documents(kind, user):
        match = Matches(document, tsquery)
        condition = match if condition is None else condition | match
    return queryset.filter(condition)


def ranked(queryset, kind, query, user):
    """``queryset`` matching ``query``, best first: by ``ts_rank`` of the
    kind's title (its name, heading), then in the kind's own order.

    Ranking by the whole document would compute every matching row's
    ``to_tsvector`` again (the index keeps no vectors): a common word in
    5 000 items cost ~60 ms; a title is a few words."""
    queryset = matching(queryset, kind, query, user)
    if not kind.title_field:
        return queryset.order_by(*kind.ordering)
    tsquery = TsQuery(Value(query.tsquery))
    rank = Rank(Document(kind.title_field), tsquery)
    return queryset.annotate(search_rank=rank).order_by("-search_rank", *kind.ordering)


def corrections(query):
    """Words of the lexicon close to each query word that is not in it, as
    ``{word: [corrections]}`` (one query)."""
    candidates = sorted(
        {
            term.word
            for term in query.terms
            if term.prefix and len(term.word) >= MIN_CORRECTED_LENGTH
        }
    )
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT term, word FROM (
                SELECT t.term, w.word, row_number() OVER (
                    PARTITION BY t.term ORDER BY similarity(w.word, t.term) DESC,
                    w.word
                ) AS place
                FROM unnest(%s::text[]) AS t(term)
                JOIN plans_search_lexicon AS w ON w.word %% t.term
                WHERE similarity(w.word, t.term) >= %s
                  AND NOT EXISTS (
                      SELECT 1 FROM plans_search_lexicon AS x WHERE x.word = t.term
                  )
            ) AS close
            WHERE place <= %s
            """,
            [candidates, MIN_SIMILARITY, MAX_CORRECTIONS],
        )
        found = {}
        for term, word in cursor.fetchall():
            found.setdefault(term, []).append(word)
    return found


def with_corrections(query):
    """``query`` with each misspelt word's corrections as alternatives."""
    found = corrections(query)
    if not found:
        return query
    clauses = []
    for clause in query.clauses:
        extra = [
            (Term(word, prefix=False),)
            for term in clause.terms
            for word in found.get(term.word, ())
            if term.prefix
        ]
        clauses.append(clause.with_alternatives(extra) if extra else clause)
    return type(query)(query.text, tuple(clauses))


def refresh_lexicon():
    """Rebuild the lexicon of the searched text (seconds at 5 000 items)."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW plans_search_lexicon")
