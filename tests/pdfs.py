"""PDF downloads in tests that run inside one transaction.

A download serves the newest stored render and answers 202 ("being
prepared") for a document never rendered; the task that would render it is
enqueued only when the transaction commits. ``get_rendered`` renders what the
request asked for, here and now, and asks again.
"""

import re
import shutil
import subprocess

from plans.models import AdoptedEdition, RenderedDocument
from plans.services import adopted
from plans.services.stored_pdfs import render_if_changed

POPPLER = shutil.which("pdftotext")


def render_asked_for():
    """Render every document (and adopted edition) a request asked for;
    their primary keys."""
    pks = list(
        RenderedDocument.objects.filter(queued_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        render_if_changed(pk)
    editions = list(
        AdoptedEdition.objects.filter(queued_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk in editions:
        adopted.render_edition(pk)
    return pks + editions


def get_rendered(client, url, **extra):
    """The response to ``url`` once its PDF is rendered (a 202 is rendered
    and asked again; any other response is returned as it is)."""
    response = client.get(url, **extra)
    if response.status_code == 202 and render_asked_for():
        response = client.get(url, **extra)
    return response


def pdftotext(content, *args):
    """The text of a PDF as poppler extracts it (what a reader copies)."""
    assert POPPLER, "pdftotext is missing: apt-get install poppler-utils"
    result = subprocess.run(
        ["pdftotext", *args, "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def flat(text):
    """Whitespace folded, line-break hyphens joined: for containment checks."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()
