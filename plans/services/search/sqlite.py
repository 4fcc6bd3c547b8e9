"""SQLite (and any other database): the query's stems as case- and
accent-insensitive regular expressions (``iregex``, Python's ``re`` in
SQLite), a stem matching where a word begins, in the searched columns joined
into one text. Ranked by matches in the title, then by the kind's order.

The stems come from the same Snowball Swedish stemmer PostgreSQL uses, so
"högskolor" finds "högskola" on both; what SQLite lacks is the lexicon that
corrects misspelt words.
"""

from django.db.models import F, Func, IntegerField, Q, TextField, Value
from django.db.models.expressions import Case, When

DOCUMENT = "search_document"


class Document(Func):
    """The columns joined by spaces (none of them is ever NULL)."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = TextField()

    def __init__(self, *fields):
        super().__init__(*(F(name) for name in fields))


def _condition(query, lookup):
    condition = Q()
    for clause in query.clauses:
        either = Q()
        for alternative in clause.alternatives:
            every = Q()
            for part in alternative:
                every &= Q(**{f"{lookup}__iregex": part.pattern})
            either |= every
        condition &= either
    return condition


def matching(queryset, kind, query, user):
    fields = kind.searched_fields(user)
    return queryset.annotate(**{DOCUMENT: Document(*fields)}).filter(
        _condition(query, DOCUMENT)
    )


def ranked(queryset, kind, query, user):
    queryset = matching(queryset, kind, query, user)
    if not kind.title_field:
        return queryset.order_by(*kind.ordering)
    return queryset.annotate(
        search_rank=Case(
            When(_condition(query, kind.title_field), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-search_rank", *kind.ordering)


def with_corrections(query):
    return query


def refresh_lexicon():
    """Nothing to rebuild: misspelt words are not corrected on SQLite."""
