"""Rendering plan documents, progress reports and board packs to PDF.

One source, two outputs: the PDF is the same document template as the HTML page,
printed with ``static/css/pdf.css``. WeasyPrint reads static files (CSS, fonts)
from disk through a deny-by-default URL fetcher and never makes an HTTP request.

Every render has a time limit. Renders run in the task worker
(``plans.services.stored_pdfs``), never on a request path: WeasyPrint does not
give its memory back to the operating system (upstream #1950), so the process
that rendered a big plan should be one that is recycled, not an app server.
WeasyPrint itself is imported on the first render (``render_pdf``).
"""

import gc
import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from plans.services.documents import build_plan_document
from plans.services.pdf_tags import tag_table_structure
from plans.services.reports import build_progress_report

PDF_VARIANT = "pdf/ua-1"
# The portal's public address: links in the PDF ("/actions/12/") point there,
# and static files ("/static/...") under it are answered by the fetcher below
# from disk, never over the network.
BASE_URL = settings.PORTAL_URL
#: Stands in the HTML for the "data as of" text until it is known, so that the
#: HTML of two renders can be compared without it.
DATA_AS_OF_MARK = "@@data-as-of@@"
#: The fewest entries a contents page is printed for.
CONTENTS_MIN_ENTRIES = 4


class PDFRenderError(RuntimeError):
    """WeasyPrint could not render the document."""


class RenderTimeout(PDFRenderError):
    """A render took longer than its time limit."""


class _Expired(BaseException):
    """Raised by the time limit's alarm. A BaseException, so that no
    ``except Exception`` inside WeasyPrint swallows it."""


@contextmanager
def time_limit(seconds):
    """Raise ``RenderTimeout`` in the block once ``seconds`` have passed.

    WeasyPrint's layout is Python, so the alarm's exception lands within
    moments. Signals reach the main thread only, which is where the task
    worker runs its tasks (and where tests and benchmarks render); elsewhere
    (a threaded development server closing a board pack) the block runs
    without a limit.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    # Again every half second, should a bare ``except`` catch one.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    except _Expired:
        raise RenderTimeout(f"The render took longer than {seconds} s.") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_pdf(html, timeout=None):
    """Render finished HTML to tagged PDF/UA bytes within ``timeout`` seconds
    (default ``PDF_RENDER_TIMEOUT``).

    Raises ``RenderTimeout`` when the time is up and ``PDFRenderError`` when
    WeasyPrint fails.
    """
    if timeout is None:
        timeout = settings.PDF_RENDER_TIMEOUT
    # WeasyPrint is imported by the processes that render (the task worker),
    # not by the app servers, which start faster and smaller without it.
    from weasyprint import HTML

    from plans.services.pdf_fetcher import static_fetcher

    _freeze_long_lived_objects()
    try:
        with time_limit(timeout):
            document = HTML(
                string=html, base_url=BASE_URL, url_fetcher=static_fetcher()
            ).write_pdf(pdf_variant=PDF_VARIANT, finisher=tag_table_structure)
    except PDFRenderError:
        raise
    except _Expired:  # the alarm rang as the limit was being lifted
        raise RenderTimeout(f"The render took longer than {timeout} s.") from None
    except Exception as exc:
        raise PDFRenderError(f"{type(exc).__name__}: {exc}") from exc
    return document


_frozen = False


def _freeze_long_lived_objects():
    """Before the first render of a process, move what it holds for good
    (Django, the portal's and WeasyPrint's modules) out of the cyclic garbage
    collector's sight: the collections that a render's many objects set off
    then look at the render's own objects, not at everything the process
    loaded (up to a quarter of a small plan's render time)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def data_as_of_text(moment):
    """A moment as the PDFs state how fresh their data are, in the active
    language: "7 december 2026 kl. 14:32"."""
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": date_format(local, "j F Y"),
        "time": time_format(local, "H:i"),
    }


# ---------------------------------------------------------------------------
# The documents: finished HTML with ``DATA_AS_OF_MARK`` in place of the time
# ---------------------------------------------------------------------------


def plan_pdf_html(plan, user, adopted_edition=None):
    """The HTML of a plan's PDF: cover, contents, chapters, appendices.

    The live PDF has every appendix the viewer may see; its cover marks those
    added after the plan was adopted. ``adopted_edition`` (an unsaved
    ``AdoptedEdition``) makes the document as adopted instead: only the
    appendices adopted with it, and its adoption in place of the data time.
    """
    document = build_plan_document(plan, user)
    if adopted_edition is not None:
        adopted = set(plan.adopted_appendices().values_list("pk", flat=True))
        document["appendices"] = [
            appendix for appendix in document["appendices"] if appendix.pk in adopted
        ]
    appendices = []
    for number, appendix in enumerate(document["appendices"], start=1):
        # Ids must be unique in one PDF: the appendix's are prefixed.
        prefix = f"bilaga-{number}"
        appendix_document = build_plan_document(appendix, user, id_prefix=f"{prefix}-")
        appendix_document["anchor"] = prefix
        appendix_document["added_after_adoption"] = bool(
            plan.adopted_on
            and (appendix.adopted_on is None or appendix.adopted_on > plan.adopted_on)
        )
        appendices.append(appendix_document)
    return render_to_string(
        "plans/pdf/plan.html",
        {
            "plan": plan,
            "document": document,
            "appendix_documents": appendices,
            # A contents page for fewer entries than this says nothing.
            "show_contents": len(document["chapters"])
            + sum(1 + len(a["chapters"]) for a in appendices)
            >= CONTENTS_MIN_ENTRIES,
            "data_as_of": DATA_AS_OF_MARK,
            "adopted_edition": adopted_edition,
            "adopted_url": None
            if adopted_edition is not None
            else adopted_edition_url(plan),
            "pdf": True,
        },
    )


def adopted_edition_url(plan):
    """The address of the plan's adopted edition, if it has one."""
    if not plan.adopted_editions.exists():
        return None
    return reverse("plans:plan-adopted-pdf", kwargs={"slug": plan.slug})


def report_pdf_html(plan, user, since=None):
    """The HTML of a plan's progress report, optionally with changes since a date."""
    report = build_progress_report(plan, user, since=since)
    return render_to_string(
        "plans/pdf/report.html",
        {
            "plan": plan,
            "report": report,
            "since": since,
            "data_as_of": DATA_AS_OF_MARK,
            "pdf": True,
        },
    )


def with_data_as_of(html, text):
    """The HTML with the "data as of" text put in."""
    return html.replace(DATA_AS_OF_MARK, text)
