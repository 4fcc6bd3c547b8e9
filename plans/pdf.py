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
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from flemingsberg.permissions import sees_internal

# The portal's public address: links in the PDF ("/actions/12/") point there,
# and static files ("/static/...") under it are answered by the fetcher below
# from disk, never over the network.
BASE_URL = settings.PORTAL_URL
PDF_VARIANT = "pdf/ua-1"
CACHE_TIMEOUT = 60 * 60 * 24 * 30
FINGERPRINT_APPS = ("plans", "stakeholders")


class RefusedURL(ValueError):
    """A URL the PDF renderer does not fetch."""


class StaticFileFetcher(URLFetcher):
    """Serve ``/static/`` from the staticfiles storage or finders; refuse the rest.

    The response keeps the virtual ``/static/...`` URL, so that ``url()``s inside
    a stylesheet (fonts) resolve against it and come back here.
    """

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=[], allow_redirects=False, **kwargs)
        self.fetched = []
        self.base = urlsplit(BASE_URL)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = settings.STATIC_URL
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            raise RefusedURL(f"The PDF renderer fetches no external URL: {url}")
        if not parts.path.startswith(static_prefix):
            raise RefusedURL(f"Only {static_prefix} is served to the renderer: {url}")
        relative = unquote(parts.path[len(static_prefix) :])
        path = static_file_path(relative)
        if path is None:
            raise RefusedURL(f"No such static file: {relative}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.fetched.append(relative)
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_file_path(relative):
    """The file on disk behind a static path, or None (never outside the roots)."""
    if ".." in Path(relative).parts:
        return None
    try:
        if staticfiles_storage.exists(relative):
            return Path(staticfiles_storage.path(relative))
    except (NotImplementedError, ValueError):
        pass
    found = finders.find(relative)
    return Path(found) if found else None


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


def render_pdf(html):
    """Render finished HTML to tagged PDF/UA bytes."""
    return HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()
    ).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


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
    from plans.views.documents import build_plan_document

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
    from plans.reports import build_progress_report

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
