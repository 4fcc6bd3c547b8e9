"""PDFs that are always ready: rendered in the background, served at once.

Each document (a plan or its progress report, in one language, public or for
members) is one ``RenderedDocument`` row holding its newest good PDF. A
download serves that PDF at once; only a document that was never rendered
makes its first visitor wait (``views.pdf`` shows a page that reloads itself).

When plan data change, the documents that show them are asked to render again
(``data_changed``, after the transaction commits). A render is a task on the
task queue (django-tasks with its database backend), run by ``manage.py
db_worker`` on any host that reaches the database:

- one render per document at a time, on every host: a render first claims its
  row with a conditional UPDATE (``started_at`` is its lease);
- at most ``PDF_MAX_CONCURRENT_RENDERS`` renders at once: claims are taken one
  at a time (an exclusive transaction on SQLite, an advisory lock on
  PostgreSQL) and count the leases held;
- every render has a time limit (``PDF_RENDER_TIMEOUT``);
- a document is rendered at most once per ``PDF_RENDER_INTERVAL`` seconds:
  a change soon after its last render waits for the rest of the interval,
  so a burst of edits costs one render, which shows them all;
- a failed render is recorded on the row and retried with back-off
  (``PDF_RENDER_ATTEMPTS``, ``PDF_RETRY_SECONDS`` doubling); the previous good
  PDF stays in place and is served meanwhile;
- the HTML is compared first: when a change does not show in a document (a
  hidden item's edit, for the public version), nothing is rendered and the
  PDF, its checksum and its "data as of" time stay as they were;
- the same HTML is rendered once: a document whose HTML equals another's
  (a plan's public and members' versions when it has nothing internal) takes
  that one's PDF, and waits for it while it is being rendered.
"""

import datetime
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db.utils import exclusive_transaction

from plans.models import Plan, RenderedDocument
from plans.services import generation, published_pdfs, queue
from plans.services.pdf import (
    PDFRenderError,
    data_as_of_text,
    plan_pdf_html,
    render_pdf,
    report_pdf_html,
    with_data_as_of,
)
from plans.services.pdf_serving import served_changed, viewer, visibility_of
from plans.services.touched_plans import model_of, plans_touched, with_relatives

logger = logging.getLogger(__name__)

Kind = RenderedDocument.Kind
Visibility = RenderedDocument.Visibility
Status = RenderedDocument.Status

#: A claim waits this long before it asks again when the document is being
#: rendered elsewhere or every render slot is taken.
CLAIM_RETRY_SECONDS = 2
#: A "changes since" report nobody asked for in this long is not kept fresh.
SINCE_KEPT_FRESH = datetime.timedelta(days=30)
#: The advisory lock that serialises claims on PostgreSQL.
CLAIM_LOCK = 4_151_515
#: Task priorities: a visitor waiting for a document's first PDF goes before
#: the refreshes of documents that have one to serve meanwhile.
PRIORITY_WAITING = 50
PRIORITY_REFRESH = 0


# ---------------------------------------------------------------------------
# Finding and serving a document
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKey:
    """What a PDF shows: which document, in which language, for whom."""

    kind: str
    plan_id: int
    language: str
    visibility: str
    since: datetime.date | None = None

    def lookup(self):
        return {
            "kind": self.kind,
            "plan_id": self.plan_id,
            "language": self.language,
            "visibility": self.visibility,
            "since": self.since,
        }


def key_for(kind, plan, user, since=None):
    """The key of the document ``user`` gets for ``plan`` in the active language."""
    return DocumentKey(
        kind=kind,
        plan_id=plan.pk,
        language=translation.get_language(),
        visibility=visibility_of(user),
        since=since,
    )


def document_for(key):
    """The document's row (without its bytes), made if it does not exist yet.

    Marks it as asked for, and asks for a render when it needs one.
    """
    documents = RenderedDocument.objects.defer("content")
    document = documents.filter(**key.lookup()).first()
    now = timezone.now()
    if document is None:
        document, _created = RenderedDocument.objects.get_or_create(
            **key.lookup(), defaults={"requested_at": now}
        )
        document = documents.get(pk=document.pk)
    elif key.since and (
        document.requested_at is None
        or document.requested_at < now - datetime.timedelta(days=1)
    ):
        # Reports since a date are kept fresh while they are asked for.
        RenderedDocument.objects.filter(pk=document.pk).update(requested_at=now)
    if needs_asking(document, now):
        ask_for_render(
            [document.pk],
            generation.current(),
            priority=PRIORITY_REFRESH if document.sha256 else PRIORITY_WAITING,
        )
    elif (
        not document.sha256
        and document.queued_at is not None
        and cache.add(f"plans:pdf-waiting:{document.pk}", 1, 60)
    ):
        # Queued behind other work (a deploy queues every document): a
        # visitor is waiting for this one, so it goes first. A second task
        # for it finds it rendered and ends at once.
        transaction.on_commit(lambda: enqueue(document.pk, priority=PRIORITY_WAITING))
    return document


def needs_asking(document, now):
    """Should a request ask for this document to be rendered?

    Data changes ask by themselves (``data_changed``). A request asks when the
    document was never rendered, on a new day (late items change with the
    date), and when a render that was asked for has no task waiting for it
    (one lost with a worker) and has not failed for good.
    """
    if is_pending(document, now):
        return False
    if not document.sha256 or document.generation < document.wanted_generation:
        return document.attempts < settings.PDF_RENDER_ATTEMPTS
    return document.checked_at is None or is_earlier_day(document.checked_at, now)


def is_earlier_day(moment, now):
    return timezone.localdate(moment) < timezone.localdate(now)


def lease():
    """How long a claimed render holds its document (then it counts as dead)."""
    return datetime.timedelta(seconds=settings.PDF_RENDER_TIMEOUT + 60)


def is_pending(document, now):
    """A task is waiting for the document, or a render of it is under way."""
    if document.queued_at is not None:
        return True
    return document.started_at is not None and document.started_at > now - lease()


# ---------------------------------------------------------------------------
# Asking for renders
# ---------------------------------------------------------------------------


def ask_for_render(pks, wanted, priority=PRIORITY_REFRESH, paced=True):
    """Ask for the documents ``pks`` to show data generation ``wanted``: one
    task per document that has none waiting, enqueued when the transaction
    commits; ``paced``: not sooner than ``PDF_RENDER_INTERVAL`` after a
    document's last render."""
    if not pks:
        return
    now = timezone.now()
    RenderedDocument.objects.filter(pk__in=pks, wanted_generation__lt=wanted).update(
        wanted_generation=wanted, attempts=0
    )
    # A new day asks again even for the same data; failures are forgiven then.
    RenderedDocument.objects.filter(
        pk__in=pks, checked_at__lt=start_of_today(now)
    ).update(attempts=0)
    free = (
        RenderedDocument.objects.filter(pk__in=pks, queued_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now - lease()))
        .filter(attempts__lt=settings.PDF_RENDER_ATTEMPTS)
    )
    for pk, rendered_at in free.values_list("pk", "rendered_at"):
        if RenderedDocument.objects.filter(pk=pk, queued_at__isnull=True).update(
            queued_at=now, status=Status.QUEUED
        ):
            delay = pause_before_render(rendered_at, now) if paced else None
            transaction.on_commit(
                lambda pk=pk, delay=delay: enqueue(pk, delay=delay, priority=priority)
            )


def pause_before_render(rendered_at, now):
    """Seconds a document rendered at ``rendered_at`` waits before it is
    rendered again (``PDF_RENDER_INTERVAL`` after its last render), or None:
    a burst of edits (an editor saving item after item) costs each document
    one render per interval, not one per save, and the renders of the last
    save show them all."""
    if rendered_at is None:
        return None
    remaining = settings.PDF_RENDER_INTERVAL - (now - rendered_at).total_seconds()
    return remaining if remaining > 0 else None


def start_of_today(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def enqueue(pk, delay=None, priority=PRIORITY_REFRESH):
    """Put the render of document ``pk`` on the task queue, due now or after
    ``delay`` seconds."""
    queue.enqueue(render_document, pk, delay=delay, priority=priority)


# ---------------------------------------------------------------------------
# Refreshing the documents a change touches (``touched_plans``)
# ---------------------------------------------------------------------------

#: The plans touched by this thread's writes since its last commit (None in
#: the set: every plan). Drained by the first commit hook that runs.
_touched = threading.local()


def data_changed(sender, instance=None, **kwargs):
    """Signal handler: after the write commits, ask the documents that show
    the written row to render again. (A document's own row made, changed or
    removed: the downloads kept of it are stale.)"""
    if sender is RenderedDocument and instance is not None:
        served_changed(instance)
        return
    if not generation.is_portal_data(sender) or instance is None:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed is sent before and after; the "post" one counts
    if issubclass(model_of(instance), Plan):
        # Made public or private, renamed, deleted: its published files too.
        published_pdfs.sync_after_commit()
    touched = plans_touched(sender, instance)
    if touched == set():
        return
    pending = getattr(_touched, "plans", None)
    if pending is None:
        pending = _touched.plans = set()
    pending.update(touched if touched is not None else {None})
    transaction.on_commit(refresh_touched, robust=True)


def refresh_touched():
    """Commit hook: refresh the documents of the plans written to. The first
    hook of a transaction does it for all its writes; the others find nothing
    left. (Writes rolled back are refreshed with the next commit: harmless.)"""
    pending = getattr(_touched, "plans", None)
    if not pending:
        return
    _touched.plans = set()
    refresh_documents(None if None in pending else pending)


def refresh_documents(plan_ids=None):
    """Ask the kept documents of these plans (None: of every plan) to render
    at the current data generation."""
    documents = kept_documents()
    if plan_ids is not None:
        documents = documents.filter(plan_id__in=with_relatives(plan_ids))
    ask_for_render(list(documents.values_list("pk", flat=True)), generation.current())


def kept_documents():
    """The documents kept fresh: every plan's and report's that was asked for
    once, and the reports since a date asked for recently. The public
    versions of plans that are no longer published are not kept."""
    recent = timezone.now() - SINCE_KEPT_FRESH
    return RenderedDocument.objects.filter(
        Q(since__isnull=True) | Q(requested_at__gte=recent)
    ).exclude(Q(visibility=Visibility.PUBLIC) & ~Q(plan__in=Plan.objects.published()))


def render_again(documents):
    """Have ``documents`` rendered again even if their HTML is the same (the
    back office's action, e.g. after a change of the print stylesheet)."""
    pks = list(documents.values_list("pk", flat=True))
    # Their twins (the same HTML) forget it too: a render again never takes
    # a twin's PDF from before (``twin_of``).
    # (Read first: SQLite may look at the subquery again as rows change.)
    digests = list(
        RenderedDocument.objects.filter(pk__in=pks)
        .exclude(html_sha256="")
        .values_list("html_sha256", flat=True)
    )
    RenderedDocument.objects.filter(Q(pk__in=pks) | Q(html_sha256__in=digests)).update(
        html_sha256="", attempts=0
    )
    # Asked for by an editor: at once, not after the pause between renders.
    ask_for_render(pks, generation.current(), paced=False)
    return len(pks)


def prepare_documents(plans, languages=None):
    """Make the rows of every document of ``plans`` (each kind, language and
    visibility the plan has) and ask for their renders: a deploy step or
    ``manage.py render_pdfs``. Returns the number of documents asked for."""
    languages = languages or [code for code, _name in settings.LANGUAGES]
    wanted = []
    for plan in plans:
        visibilities = [Visibility.INTERNAL]
        if plan.is_published:
            visibilities.insert(0, Visibility.PUBLIC)
        for kind in Kind.values:
            for language in languages:
                for visibility in visibilities:
                    document, _created = RenderedDocument.objects.get_or_create(
                        kind=kind,
                        plan=plan,
                        language=language,
                        visibility=visibility,
                        since=None,
                    )
                    wanted.append(document.pk)
    ask_for_render(wanted, generation.current())
    return len(wanted)


# ---------------------------------------------------------------------------
# Rendering (in the task worker)
# ---------------------------------------------------------------------------


class Outcome:
    RENDERED = "rendered"
    UNCHANGED = "unchanged"
    SHARED = "shared"
    DEFERRED = "deferred"
    FAILED = "failed"
    GONE = "gone"


@task(takes_context=True)
def render_document(context, pk):
    """Render document ``pk`` if its data changed; see the module docstring."""
    outcome = render_if_changed(pk, priority=context.task_result.task.priority)
    return {"document": pk, "outcome": outcome}


def claim(pk):
    """Take document ``pk`` for rendering: (row, wanted generation), or
    (None, outcome) when it is gone or has to wait."""
    now = timezone.now()
    with exclusive_transaction():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK])
        document = RenderedDocument.objects.defer("content").filter(pk=pk).first()
        if document is None:
            return None, Outcome.GONE
        live = Q(started_at__gt=now - lease())
        busy = document.started_at is not None and document.started_at > now - lease()
        full = (
            RenderedDocument.objects.filter(live).count()
            >= settings.PDF_MAX_CONCURRENT_RENDERS
        )
        if busy or full:
            return None, Outcome.DEFERRED
        RenderedDocument.objects.filter(pk=pk).update(
            started_at=now, queued_at=None, status=Status.RENDERING
        )
    document.started_at = now
    return document, document.wanted_generation


def render_if_changed(pk, priority=PRIORITY_REFRESH):
    document, wanted = claim(pk)
    if document is None:
        if wanted == Outcome.DEFERRED:
            enqueue(pk, delay=CLAIM_RETRY_SECONDS, priority=priority)
        return wanted
    started = time.perf_counter()
    try:
        with translation.override(document.language):
            plan = Plan.objects.select_related("owner", "adopted_by", "parent").get(
                pk=document.plan_id
            )
            html = document_html(document, plan)
            digest = hashlib.sha256(html.encode()).hexdigest()
            now = timezone.now()
            if document.sha256 and digest == document.html_sha256:
                finish(document, wanted, generation=wanted, checked_at=now)
                return Outcome.UNCHANGED
            twin = twin_of(document, digest)
            if twin is not None:
                finish(
                    document,
                    wanted,
                    **twin,
                    html_sha256=digest,
                    generation=wanted,
                    checked_at=now,
                    rendered_at=now,
                    attempts=0,
                    error="",
                )
                return Outcome.SHARED
            rendering = rendering_key(digest)
            if not cache.add(rendering, pk, lease().total_seconds()) and (
                cache.get(rendering) != pk
            ):
                wait_for_twin(document, priority)
                return Outcome.DEFERRED
            try:
                twins = waiting_twins(document, plan, digest)
                content = render_pdf(with_data_as_of(html, data_as_of_text(now)))
            finally:
                cache.delete(rendering)
    except Plan.DoesNotExist:
        RenderedDocument.objects.filter(pk=pk).delete()
        return Outcome.GONE
    except PDFRenderError as exc:
        failed(document, exc)
        return Outcome.FAILED
    stored = {
        "content": content,
        "sha256": hashlib.sha256(content).hexdigest(),
        "html_sha256": digest,
        "data_as_of": now,
        "checked_at": now,
        "rendered_at": timezone.now(),
        "render_seconds": time.perf_counter() - started,
        "attempts": 0,
        "error": "",
    }
    finish(document, wanted, **stored, generation=wanted)
    give_to_twins(twins, stored)
    return Outcome.RENDERED


def waiting_twins(document, plan, digest):
    """The other versions of ``document`` (public or members') that wait for
    a render and whose HTML is the same now (checksum ``digest``): they take
    the PDF about to be rendered (``give_to_twins``). Twins so stay in step;
    apart, when edits come faster than renders, each would be rendered for a
    different edit and neither could take the other's. They are not claimed
    (no render slot is theirs): a twin's own task that starts meanwhile waits
    for this render (``wait_for_twin``) and later finds nothing to do.

    Only versions that had the same HTML as ``document`` last time are
    looked at: a members' version that shows internal items differs every
    time, and its HTML is not built twice for nothing (its own task builds
    it; ``twin_of`` still finds a version that has become a twin)."""
    now = timezone.now()
    waiting = (
        RenderedDocument.objects.filter(
            plan_id=document.plan_id,
            kind=document.kind,
            language=document.language,
            since=document.since,
            html_sha256=document.html_sha256,
            queued_at__isnull=False,
        )
        .exclude(pk=document.pk)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now - lease()))
        .defer("content")
    )
    return [
        twin
        for twin in waiting
        if hashlib.sha256(document_html(twin, plan).encode()).hexdigest() == digest
    ]


def give_to_twins(twins, stored):
    """Store the PDF ``stored`` for each of ``twins`` (``waiting_twins``)
    that holds the same PDF as when the render began and is not being
    rendered: never over a newer render of its own."""
    now = timezone.now()
    for twin in twins:
        unchanged = Q(sha256=twin.sha256) & (
            Q(started_at__isnull=True) | Q(started_at__lte=now - lease())
        )
        wanted = twin.wanted_generation
        finish(twin, wanted, only_if=unchanged, **stored, generation=wanted)


def rendering_key(digest):
    """The cache key held while the HTML with checksum ``digest`` is being
    rendered (by a worker on any host that shares the cache)."""
    return f"plans:pdf-rendering:{digest}"


def wait_for_twin(document, priority):
    """The same HTML is being rendered for another document (a twin): let
    go of this one and ask again shortly, to take that PDF (``twin_of``)
    rather than render it twice at the same time."""
    RenderedDocument.objects.filter(pk=document.pk).update(
        started_at=None, status=Status.QUEUED, queued_at=timezone.now()
    )
    # About as long as this document's own last render took: the twin's
    # is much the same work.
    delay = max(CLAIM_RETRY_SECONDS, min(document.render_seconds or 0, 60))
    enqueue(document.pk, delay=delay, priority=priority)


def twin_of(document, digest):
    """The stored PDF of another document with the same HTML (a plan's
    public and members' versions, when it has nothing internal), as fields
    for ``finish``: the same HTML prints the same PDF, with the same data
    time, so it is taken rather than rendered again (with the time its render
    took, which ``wait_for_twin`` goes by). None if there is none."""
    twin = (
        RenderedDocument.objects.filter(html_sha256=digest)
        .exclude(pk=document.pk)
        .exclude(sha256="")
        .values("content", "sha256", "data_as_of", "render_seconds")
        .first()
    )
    if twin is None:
        return None
    return {**twin, "content": bytes(twin["content"])}


def document_html(document, plan):
    viewer_ = viewer(document.visibility)
    if document.kind == Kind.PLAN:
        return plan_pdf_html(plan, viewer_)
    return report_pdf_html(plan, viewer_, since=document.since)


def finish(document, wanted, only_if=None, **fields):
    """Store a render's result, release the claim, and ask again if the data
    moved on while it ran; with ``only_if`` (a condition on the row), only if
    the row still meets it."""
    rows = RenderedDocument.objects.filter(pk=document.pk)
    if only_if is not None:
        rows = rows.filter(only_if)
    if not rows.update(started_at=None, status=Status.READY, **fields):
        return
    if "content" in fields:
        served_changed(document)
    current = RenderedDocument.objects.filter(pk=document.pk).values_list(
        "wanted_generation", flat=True
    )
    if current and current[0] > wanted:
        ask_for_render([document.pk], current[0])


def failed(document, exc):
    """Record a failed render; retry after a pause that doubles each time.
    The document's last good PDF stays as it was."""
    logger.warning("PDF render of %s failed: %s", document, exc)
    rows = RenderedDocument.objects.filter(pk=document.pk)
    rows.update(
        started_at=None,
        status=Status.FAILED,
        attempts=F("attempts") + 1,
        error=str(exc)[:2000],
    )
    attempts = rows.values_list("attempts", flat=True).first() or 0
    if attempts >= settings.PDF_RENDER_ATTEMPTS:
        return
    if rows.filter(queued_at__isnull=True).update(queued_at=timezone.now()):
        delay = settings.PDF_RETRY_SECONDS * 2 ** (attempts - 1)
        transaction.on_commit(lambda: enqueue(document.pk, delay=delay))


__all__ = [
    "DocumentKey",
    "document_for",
    "key_for",
    "prepare_documents",
    "refresh_documents",
    "render_document",
]
