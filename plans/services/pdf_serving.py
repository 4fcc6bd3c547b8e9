"""Who a stored PDF is for, and what a download needs of it.

A plan's documents come in two versions: the public one, and the members' one
with internal items and notes (``Member`` stands in for a signed-in member of
the steering or management group when that one is rendered). A download is
sent from a file on this host named by the PDF's checksum (``file_of``,
``pdf_files``), and the answer ``plans.caching.cached_download`` keeps of it
holds the document's served version, which moves on whenever the document
holds another PDF (``served_changed``).
"""

from django.contrib.auth.models import AnonymousUser

from flemingsberg.permissions import VIEW_INTERNAL_PERMISSION, sees_internal
from plans.models import Plan, RenderedDocument
from plans.services import generation, pdf_files, published_pdfs

Visibility = RenderedDocument.Visibility


class Member(AnonymousUser):
    """Stands in for a signed-in member of the steering or management group
    when the members' version of a document is rendered."""

    is_active = True

    @property
    def is_authenticated(self):
        return True

    def has_perm(self, perm, obj=None):
        return perm == VIEW_INTERNAL_PERMISSION


def visibility_of(user):
    return Visibility.INTERNAL if sees_internal(user) else Visibility.PUBLIC


def viewer(visibility):
    return Member() if visibility == Visibility.INTERNAL else AnonymousUser()


def file_of(pk, sha256):
    """The file on this host of the PDF with checksum ``sha256`` that document
    ``pk`` holds (``pdf_files``), or None if the document holds another PDF
    by now."""
    return pdf_files.file_of(RenderedDocument, pk, sha256)


def served_key(kind, slug, language, visibility, since=None):
    """The cache key of the version of the PDF a document serves: moved on
    whenever the document's PDF changes (``served_changed``). A download kept
    in the cache (``plans.caching.cached_download``) holds it."""
    return ":".join(
        [
            "plans:pdf-served",
            kind,
            slug,
            language,
            visibility,
            since.isoformat() if since else "-",
        ]
    )


def served_changed(document):
    """Document ``document`` serves another PDF (or none): the downloads
    kept of it are stale, now and when the transaction commits, and so is
    its published file if it is a public one."""
    if document.visibility == Visibility.PUBLIC and document.since is None:
        published_pdfs.sync_after_commit()
    slug = Plan.objects.filter(pk=document.plan_id).values_list("slug", flat=True)
    if slug:
        generation.move_on(
            served_key(
                document.kind,
                slug[0],
                document.language,
                document.visibility,
                document.since,
            )
        )
