"""PDF downloads in tests that run inside one transaction.

A download serves the newest stored render and answers 202 ("being
prepared") for a document never rendered; the task that would render it is
enqueued only when the transaction commits. ``get_rendered`` renders what the
request asked for, here and now, and asks again.
"""

from plans.models import AdoptedEdition, RenderedDocument
from plans.services import adopted
from plans.services.stored_pdfs import render_if_changed


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
