"""Rendering plan documents and progress reports to PDF with WeasyPrint.

One source, two outputs: the PDF is the same document template as the HTML page,
printed with ``static/css/pdf.css``. WeasyPrint reads static files (CSS, fonts)
from disk through a deny-by-default URL fetcher and never makes an HTTP request.

Rendered PDFs are kept in Django's cache framework (file-based by default, so
several app servers share it), keyed by what they show and by a fingerprint of
the latest change to any plan or stakeholder data. An edit anywhere gives a new
fingerprint, so the next download renders afresh.
"""

import datetime
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from flemingsberg.permissions import sees_internal
from plans.services import pdf_worker
from plans.services.documents import build_plan_document
from plans.services.pdf_worker import PDF_VARIANT, RefusedURL, StaticFileFetcher
from plans.services.reports import build_progress_report

__all__ = ["PDF_VARIANT", "RefusedURL", "StaticFileFetcher", "render_pdf"]

# The portal's public address: links in the PDF ("/actions/12/") point there,
# and static files ("/static/...") under it are answered by the fetcher below
# from disk, never over the network.
BASE_URL = settings.PORTAL_URL
CACHE_TIMEOUT = 60 * 60 * 24 * 30
FINGERPRINT_APPS = ("plans", "stakeholders")


def static_roots():
    """The folders the renderer may read static files from, in finder order."""
    roots = []
    if settings.STATIC_ROOT and Path(settings.STATIC_ROOT).is_dir():
        roots.append(Path(settings.STATIC_ROOT))
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location and Path(location) not in roots:
                roots.append(Path(location))
    return roots


def render_options():
    return {
        "base_url": BASE_URL,
        "static_url": settings.STATIC_URL,
        "roots": [str(root) for root in static_roots()],
    }


def static_fetcher():
    """The deny-by-default fetcher the renderer uses (for tests and the bench)."""
    options = render_options()
    return StaticFileFetcher(
        options["base_url"], options["static_url"], options["roots"]
    )


@dataclass
class PDFEntry:
    """A PDF's place in the cache: its key, HTTP validators and, once fetched, bytes."""

    key: str
    etag: str
    last_modified: float | None
    content: bytes | None = None
    from_cache: bool = False
    render_seconds: float = 0.0

    @property
    def data_date(self):
        """The date of the latest change to the data the PDF shows."""
        if self.last_modified is None:
            return timezone.localdate()
        return timezone.localdate(
            datetime.datetime.fromtimestamp(self.last_modified, tz=datetime.UTC)
        )

    def get_or_render(self, build_html):
        """The cached bytes, or render ``build_html()`` once and keep the result."""
        content = cache.get(self.key)
        if content is not None:
            self.content, self.from_cache = content, True
            return content
        started = time.perf_counter()
        content = render_pdf(build_html())
        self.render_seconds = time.perf_counter() - started
        cache.set(self.key, content, CACHE_TIMEOUT)
        self.content = content
        return content


class PDFRenderError(RuntimeError):
    """WeasyPrint failed in the rendering process."""


def render_pdf(html):
    """Render finished HTML to tagged PDF/UA bytes.

    A big document is rendered in a separate, short-lived process that imports
    only WeasyPrint: WeasyPrint does not give its memory back to the operating
    system (upstream #1950), so an app server that rendered 1 000 rows
    in-process would stay a few hundred MB bigger for the rest of its life.
    """
    if len(html) < settings.PDF_SUBPROCESS_MIN_BYTES:
        return pdf_worker.render(html, **render_options())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "plans.services.pdf_worker",
            json.dumps(render_options()),
        ],
        input=html.encode("utf-8"),
        capture_output=True,
        cwd=settings.BASE_DIR,
        check=False,
        timeout=settings.PDF_RENDER_TIMEOUT,
    )
    if result.returncode != 0 or not result.stdout.startswith(b"%PDF"):
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise PDFRenderError(message[-1] if message else f"exit {result.returncode}")
    return result.stdout


def data_fingerprint():
    """(hex digest, latest change as a UNIX timestamp) of all plan data.

    Built from the newest history entry and the row count of every model in the
    domain apps: an edit, an addition or a deletion anywhere changes it.
    """
    parts, latest = [], None
    for app_label in FINGERPRINT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                row = model.objects.aggregate(n=Count("pk"), at=Max("history_date"))
            elif any(f.name == "updated_at" for f in model._meta.fields):
                row = model.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
            else:
                row = {"n": model.objects.count(), "at": None}
            at = row["at"].timestamp() if row["at"] else None
            if at is not None and (latest is None or at > latest):
                latest = at
            parts.append(f"{model._meta.label}:{row['n']}:{at}")
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return digest, latest


def pdf_entry(key_parts):
    """The cache entry for a PDF showing ``key_parts`` of the current data.

    ``key_parts`` name what the PDF shows (kind, plan, language, visibility and
    parameters); the data fingerprint is added, so any edit gives a new entry.
    """
    fingerprint, latest = data_fingerprint()
    digest = hashlib.sha256(
        "|".join([*map(str, key_parts), fingerprint]).encode()
    ).hexdigest()
    return PDFEntry(key=f"pdf:{digest}", etag=digest[:32], last_modified=latest)


# ---------------------------------------------------------------------------
# The documents
# ---------------------------------------------------------------------------


def key_parts(kind, plan, user, *extra):
    """What a PDF shows: kind, plan, language, visibility and the day."""
    return [
        kind,
        plan.slug,
        translation.get_language(),
        "internal" if sees_internal(user) else "public",
        # Lateness depends on the day: a new day, a new PDF.
        timezone.localdate().isoformat(),
        *extra,
    ]


def plan_pdf_html(plan, user, data_date=None):
    """The finished HTML of a plan's PDF: cover, contents, chapters, appendices."""
    document = build_plan_document(plan, user)
    appendices = []
    for number, appendix in enumerate(document["appendices"], start=1):
        # Ids must be unique in one PDF: the appendix's are prefixed.
        prefix = f"bilaga-{number}"
        appendix_document = build_plan_document(appendix, user, id_prefix=f"{prefix}-")
        appendix_document["anchor"] = prefix
        appendices.append(appendix_document)
    return render_to_string(
        "plans/pdf/plan.html",
        {
            "plan": plan,
            "document": document,
            "appendix_documents": appendices,
            "data_date": data_date or timezone.localdate(),
            "pdf": True,
        },
    )


def report_pdf_html(plan, user, since=None):
    report = build_progress_report(plan, user, since=since)
    return render_to_string(
        "plans/pdf/report.html",
        {"plan": plan, "report": report, "since": since, "pdf": True},
    )


def plan_pdf(plan, user):
    """The plan's PDF entry, rendered or from the cache."""
    entry = pdf_entry(key_parts("plan", plan, user))
    entry.get_or_render(lambda: plan_pdf_html(plan, user, entry.data_date))
    return entry


def report_pdf(plan, user, since=None):
    entry = pdf_entry(key_parts("report", plan, user, since or ""))
    entry.get_or_render(lambda: report_pdf_html(plan, user, since))
    return entry
