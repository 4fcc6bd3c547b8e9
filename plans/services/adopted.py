"""The adopted edition of a plan: its document frozen when it is adopted.

When a plan is adopted (status "Adopted" with a date), ``freeze_adopted_edition``
stores the HTML of its PDF as it reads that moment, in the portal's main
language: with only the appendices adopted with it, and "As adopted <date>"
in place of the data time. The task worker renders that HTML to PDF once and
stores the bytes with their SHA-256 (``render_adopted_edition``); neither ever
changes again, like a closed board pack. Later edits, appendices and data
show in the live page and PDF only.

The admin freezes an edition when a plan is saved as adopted. Loading plan
data files makes one for each adopted plan that has none and leaves its HTML
to the task (``defer_html``): the files are the source of what was adopted,
and building the HTML of every bundled plan on each load cost about a second.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks import task

from flemingsberg.permissions import sees_internal
from plans.models import AdoptedEdition, Plan, RenderedDocument
from plans.services import pdf_files, queue
from plans.services.pdf import (
    PDFRenderError,
    plan_pdf_html,
    render_pdf,
    with_data_as_of,
)
from plans.services.pdf_serving import viewer

logger = logging.getLogger(__name__)

Visibility = RenderedDocument.Visibility


def is_adopted(plan):
    return plan.status == Plan.Status.ADOPTED and plan.adopted_on is not None


def freeze_adopted_edition(plan, defer_html=False):
    """The edition of ``plan``'s current adoption, frozen now if it has none
    (with ``defer_html``, by the task that renders it). None for a plan that
    is not adopted."""
    if not is_adopted(plan):
        return None
    existing = plan.adopted_editions.defer("html", "content").filter(
        adopted_on=plan.adopted_on
    )
    if existing.exists():
        return existing.first()
    plan = Plan.objects.select_related("owner", "adopted_by", "parent").get(pk=plan.pk)
    visibility = Visibility.PUBLIC if plan.is_published else Visibility.INTERNAL
    language = settings.LANGUAGE_CODE
    edition = AdoptedEdition(
        plan=plan,
        adopted_on=plan.adopted_on,
        adopted_by=plan.adopted_by.name if plan.adopted_by else "",
        language=language,
        visibility=visibility,
    )
    if not defer_html:
        edition.html = adopted_html(edition, plan)
    edition.queued_at = timezone.now()
    edition.save()
    transaction.on_commit(lambda: queue.enqueue(render_adopted_edition, edition.pk))
    return edition


def adopted_html(edition, plan):
    """The finished HTML of ``plan``'s PDF as adopted (``edition`` unsaved or
    without HTML)."""
    with translation.override(edition.language):
        html = plan_pdf_html(plan, viewer(edition.visibility), adopted_edition=edition)
        return with_data_as_of(html, date_format(edition.adopted_on, "j F Y"))


def freeze_adopted_editions(plans, defer_html=True):
    """An edition for each adopted plan of ``plans`` without one."""
    return [
        edition
        for plan in plans
        if (edition := freeze_adopted_edition(plan, defer_html=defer_html))
    ]


def edition_for(plan, user):
    """The latest adopted edition of ``plan`` that ``user`` may read (without
    its HTML and bytes), or None."""
    editions = plan.adopted_editions.defer("html", "content")
    if not sees_internal(user):
        editions = editions.filter(visibility=Visibility.PUBLIC)
    return editions.order_by("-adopted_on").first()


def ask_for_render(edition):
    """Enqueue the render of an edition that has no PDF yet (at most once a
    minute: a visitor waiting for it reloads every few seconds)."""
    if edition.is_rendered or not cache.add(f"plans:adopted-asked:{edition.pk}", 1, 60):
        return
    AdoptedEdition.objects.filter(pk=edition.pk).update(queued_at=timezone.now())
    transaction.on_commit(lambda: queue.enqueue(render_adopted_edition, edition.pk))


def file_of(edition):
    """The file of ``edition``'s PDF on this host (``pdf_files``; the row
    read without its bytes)."""
    return pdf_files.file_of(AdoptedEdition, edition.pk, edition.sha256)


@task()
def render_adopted_edition(pk):
    """Render the frozen HTML of edition ``pk`` to PDF, once."""
    return {"edition": pk, "outcome": render_edition(pk)}


def render_edition(pk):
    """Render and store the PDF of edition ``pk`` unless it has one: "rendered",
    "unchanged" (it had one), "gone" or "failed"."""
    edition = AdoptedEdition.objects.defer("content").filter(pk=pk).first()
    if edition is None:
        return "gone"
    if edition.is_rendered:
        return "unchanged"
    if not edition.html:
        plan = Plan.objects.select_related("owner", "adopted_by", "parent").get(
            pk=edition.plan_id
        )
        AdoptedEdition.objects.filter(pk=pk, html="").update(
            html=adopted_html(edition, plan)
        )
        edition.html = AdoptedEdition.objects.values_list("html", flat=True).get(pk=pk)
    try:
        content = render_pdf(edition.html)
    except PDFRenderError as exc:
        logger.warning("PDF render of the adopted edition %s failed: %s", edition, exc)
        AdoptedEdition.objects.filter(pk=pk).update(
            error=str(exc)[:2000], queued_at=None
        )
        return "failed"
    # Only an edition without a PDF takes one: the first render stays.
    stored = AdoptedEdition.objects.filter(pk=pk, sha256="").update(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rendered_at=timezone.now(),
        queued_at=None,
        error="",
    )
    return "rendered" if stored else "unchanged"
