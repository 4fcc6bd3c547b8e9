"""The data generation: one number that every write to plan or stakeholder
data moves on, and the time of that write.

Pages, page fragments and PDFs are cached under the generation (with language
and visibility in their keys), so an edit is on the very next request from any
app server that shares the cache, and nothing needs to be invalidated by hand.
The handler that moves it on is connected once, in ``PlansConfig.ready()``.

The generation starts from the clock the first time it is read (or after the
cache lost it), so it never goes back to a number that pages from before were
cached under.
"""

import time

from django.core.cache import cache
from django.db import transaction

KEY = "plans:data-generation"
CHANGED_KEY = "plans:data-changed-at"
#: The apps whose data the portal's pages and documents show.
APPS = frozenset({"plans", "stakeholders"})


def current(key=KEY):
    """The current generation (an int), or the current value of another
    counter kept the same way under ``key`` (a document's served PDF,
    ``plans.services.pdf_serving``)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns() // 1000)
        value = cache.get(key)
    return value


def current_and(*keys):
    """The current generation and the cache's values of ``keys`` (a dict of
    those found), read in one round trip to the cache."""
    values = cache.get_many([KEY, *keys])
    value = values.pop(KEY, None)
    return (current() if value is None else value), values


def changed_at():
    """When the data last changed (a UNIX timestamp), or None if unknown."""
    return cache.get(CHANGED_KEY)


def bump():
    """Move the generation on: now, and again when the transaction commits,
    so that a page rendered between the write and the commit is not kept."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump():
    cache.set(CHANGED_KEY, time.time(), None)
    _incr(KEY)


def move_on(key):
    """Move the counter under ``key`` on, now and when the transaction commits."""
    _incr(key)
    transaction.on_commit(lambda: _incr(key), robust=True)


def _incr(key):
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (never read, or evicted)
        current(key)
        cache.incr(key)


def data_changed(sender, **kwargs):
    """Signal handler: a model of the portal's data was saved, deleted or had
    a many-to-many relation changed."""
    if is_portal_data(sender):
        bump()


def is_portal_data(model):
    """True for the models whose rows the pages and documents show (not, for
    example, the rendered PDFs kept of them)."""
    return model._meta.app_label in APPS and getattr(model, "changes_portal_data", True)
