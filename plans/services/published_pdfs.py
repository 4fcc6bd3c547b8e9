"""Public PDFs published as files, for nginx to send without asking the portal.

With ``PDF_PUBLISHED_DIR`` set, the newest public PDF of every published plan
and of its progress report (the versions any anonymous visitor downloads) is
kept there at the path of its URL: ``/en/plans/<slug>/pdf/`` is
``PDF_PUBLISHED_DIR/en/plans/<slug>/pdf/index.pdf``, a symbolic link to the
file of its checksum in ``PDF_FILES_DIR`` (``pdf_files``). nginx, configured
by ``manage.py nginx_published_pdfs``, sends that file to a visitor without a
session and without a query string, and passes every other request on to the
portal; when there is no file (never rendered, not published) the portal
answers.

The links follow the database, not the other way round: ``sync()`` makes the
directory match the stored PDFs and the plans' publication, and runs after
every commit that changes either (a render that stored new bytes, a plan made
public or private, renamed or deleted), under a lock, reading the committed
rows, so the last one to run leaves the newest state. A download that the
portal answers itself puts a missing link back (``ensure``).

Only where nginx, the web app and the task worker run on one host (or share
the directory): a render elsewhere would not change the links here.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from plans.models import Plan, RenderedDocument
from plans.services import pdf_files

#: The name of the link in the directory of a document's URL.
LINK_NAME = "index.pdf"
#: The URL name of each kind of document.
URL_NAMES = {
    RenderedDocument.Kind.PLAN: "plans:plan-pdf",
    RenderedDocument.Kind.REPORT: "plans:plan-report-pdf",
}


def enabled():
    return bool(settings.PDF_PUBLISHED_DIR)


def directory():
    return Path(settings.PDF_PUBLISHED_DIR)


def url_of(kind, slug, language):
    """The URL path of a plan's document in ``language``."""
    with translation.override(language):
        return reverse(URL_NAMES[kind], kwargs={"slug": slug})


def link_of(url):
    """The link's path for the document at URL path ``url``."""
    return directory() / url.lstrip("/") / LINK_NAME


def published_documents():
    """The documents any visitor downloads: public, without a ``since``
    date, rendered, of a published plan."""
    return (
        RenderedDocument.objects.filter(
            visibility=RenderedDocument.Visibility.PUBLIC,
            since__isnull=True,
            plan__in=Plan.objects.published(),
        )
        .exclude(sha256="")
        .order_by("pk")
    )


def wanted():
    """{link path: (document pk, checksum)} of every published document."""
    rows = published_documents().values_list(
        "pk", "kind", "language", "sha256", "plan__slug"
    )
    return {
        link_of(url_of(kind, slug, language)): (pk, sha256)
        for pk, kind, language, sha256, slug in rows
    }


@contextmanager
def locked():
    """One sync at a time on this host."""
    directory().mkdir(parents=True, exist_ok=True)
    with open(directory() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def sync():
    """Make the links match the stored PDFs and the plans' publication.
    Returns (links made or moved, links removed)."""
    if not enabled():
        return 0, 0
    made = removed = 0
    with locked():
        links = wanted()
        for link, (pk, sha256) in links.items():
            target = pdf_files.file_of(RenderedDocument, pk, sha256)
            if target is None:  # rendered again meanwhile: the next sync
                continue
            target = target.absolute()
            if _points_to(link, target):
                continue
            _link(link, target)
            made += 1
        for link in list(directory().rglob(LINK_NAME)):
            if link not in links:
                link.unlink(missing_ok=True)
                _remove_empty_parents(link.parent)
                removed += 1
    return made, removed


def sync_after_commit():
    """``sync()`` once the current transaction has committed."""
    if enabled():
        transaction.on_commit(sync, robust=True)


def ensure(url):
    """Put back a missing link: the portal served the public PDF at ``url``
    itself, which nginx should have sent."""
    if enabled() and not link_of(url).is_symlink():
        sync()


def _points_to(link, target):
    try:
        return os.readlink(link) == str(target)
    except OSError:
        return False


def _link(link, target):
    """Point ``link`` at ``target`` atomically (a new link renamed over it)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    part = link.with_name(f".{LINK_NAME}.part")
    part.unlink(missing_ok=True)
    os.symlink(target, part)
    os.replace(part, link)


def _remove_empty_parents(folder):
    root = directory()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent
