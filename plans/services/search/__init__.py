"""Search across plans, their parts, action items, updates, stakeholders,
bodies, meetings and indicators, in Swedish.

One service with two backends chosen by the database: PostgreSQL full-text
search (``postgres``) and regular expressions over stems elsewhere
(``sqlite``). Both see exactly what the pages show a visitor: every kind's
rows come from the models' ``visible_to(user)`` rules (``kinds``).

A search costs one query for the organisations' names, one for spelling
corrections (PostgreSQL) and one per kind, whatever the amount of data; its
results are cached under the data generation (plans.services.generation).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Window
from django_tasks import task

from flemingsberg.permissions import sees_internal
from plans.models import ActionItem
from plans.services import generation, queue
from plans.services.search import postgres, snippets, sqlite
from plans.services.search.kinds import KINDS, KINDS_BY_KEY
from plans.services.search.query import (
    MAX_LENGTH,
    MIN_LENGTH,
    ParsedQuery,
    organisation_clause,
    parse,
)
from stakeholders.models import Organisation

__all__ = [
    "KINDS",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "Results",
    "backend",
    "filter_items",
    "items_naming",
    "read_query",
    "refresh_lexicon",
    "search",
]

#: Results of each kind on the overview, and on a page of one kind.
PER_KIND = 3
PER_PAGE = 20
#: Seconds a search's results stay cached (a write starts a new generation).
CACHE_SECONDS = 600
LEXICON_KEY = "plans:search-lexicon-generation"


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


@dataclass
class Result:
    title: list
    url: str
    context: str
    excerpt: list


@dataclass
class Group:
    """The results of one kind (by its key: groups are cached)."""

    key: str
    count: int
    results: list

    @property
    def kind(self):
        return KINDS_BY_KEY[self.key]

    @property
    def label(self):
        return self.kind.label


@dataclass
class Results:
    query: ParsedQuery
    groups: list
    #: The key of the kind shown alone (paginated), or None for the overview.
    kind_key: str = None
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def kind(self):
        return KINDS_BY_KEY[self.kind_key] if self.kind_key else None

    @property
    def total(self):
        return sum(group.count for group in self.groups)

    @property
    def pages(self):
        if self.kind is None or not self.groups:
            return 1
        return max(1, -(-self.groups[0].count // self.per_page))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def read_query(text):
    """The visitor's text as a query, organisation names recognised (one
    query) and, on PostgreSQL, misspelt words corrected (one more)."""
    organisations = Organisation.objects.values_list("name", "short_name")
    query = parse(text, organisations)
    if query:
        _keep_lexicon_fresh()
        query = backend().with_corrections(query)
    return query


def search(query, user, *, kind=None, page=1):
    """``Results`` of ``query`` (from ``read_query``) for ``user``: every
    kind's first few results and count, or one kind's ``page``.

    Kept in the cache under the data generation and the visitor's visibility
    (as pages are): a repeated search costs no query."""
    if not query:
        return Results(query, [])
    page = max(1, page) if kind else 1
    key = _cache_key(query, user, kind, page)
    found = cache.get(key)
    if found is None:
        found = _search(query, user, kind, page)
        cache.set(key, found, CACHE_SECONDS)
    groups, page = found
    return Results(query, groups, kind_key=kind, page=page)


def _search(query, user, kind, page):
    if kind is None:
        groups = [_group(each, query, user, PER_KIND, 0) for each in KINDS]
        return [group for group in groups if group], 1
    kind = KINDS_BY_KEY[kind]
    group = _group(kind, query, user, PER_PAGE, (page - 1) * PER_PAGE)
    if group is None and page > 1:
        page = 1
        group = _group(kind, query, user, PER_PAGE, 0)
    return [group] if group else [], page


def _cache_key(query, user, kind, page):
    visibility = "internal" if sees_internal(user) else "public"
    wanted = f"{query.text}|{query.tsquery}|{kind}|{page}"
    digest = hashlib.sha256(wanted.encode()).hexdigest()[:32]
    return f"plans:search:{generation.current()}:{visibility}:{digest}"


def _group(kind, query, user, limit, offset):
    """One query: the page of results with the count of all (a window)."""
    rows = list(
        backend()
        .ranked(kind.queryset(user), kind, query, user)
        .annotate(search_total=Window(Count("pk")))[offset : offset + limit]
    )
    if not rows:
        return None
    pattern = query.highlight
    fields = [name for name in kind.searched_fields(user) if name != kind.title_field]
    results = []
    for row in rows:
        title, url, context = kind.present(row)
        # The excerpt shows a match the title and context line do not (a
        # kind without a title field always shows its text).
        texts = [getattr(row, name) for name in fields]
        results.append(
            Result(
                title=snippets.pieces(title, pattern),
                url=url,
                context=context,
                excerpt=snippets.excerpt(
                    [text for text in texts if text not in (title, context)],
                    pattern,
                    fallback=not kind.title_field,
                ),
            )
        )
    return Group(kind.key, rows[0].search_total, results)


def filter_items(queryset, text, user):
    """Action items of ``queryset`` matching ``text`` (the action browser)."""
    query = read_query(text)
    if not query:
        return queryset
    return backend().matching(queryset, KINDS_BY_KEY["items"], query, user)


def items_naming(organisation, user):
    """The action items ``user`` may see whose text names ``organisation``
    by its name or short name."""
    kind = KINDS_BY_KEY["items"]
    return backend().matching(
        ActionItem.objects.visible_to(user),
        kind,
        organisation_clause(organisation),
        user,
    )


def _keep_lexicon_fresh():
    """Ask for the lexicon (PostgreSQL's spelling corrections) to be rebuilt
    once the data has changed since it was last built."""
    if connection.vendor != "postgresql":
        return
    wanted = generation.current()
    if cache.get(LEXICON_KEY) == wanted:
        return
    if cache.add(f"{LEXICON_KEY}:queued", True, timeout=600):
        queue.enqueue(refresh_lexicon_task, wanted)


@task()
def refresh_lexicon_task(built_for):
    """The task worker's side of ``_keep_lexicon_fresh``."""
    refresh_lexicon(built_for)


def refresh_lexicon(built_for=None):
    """Rebuild the lexicon now; ``built_for``: the data generation it shows."""
    backend().refresh_lexicon()
    cache.set(LEXICON_KEY, built_for or generation.current(), None)
    cache.delete(f"{LEXICON_KEY}:queued")
