"""Stored PDFs as files on this host's disk, named by their SHA-256.

The database holds every stored PDF (``RenderedDocument``, ``AdoptedEdition``)
and is the one source every host shares. A download, though, is sent from a
file: the first time a host serves a checksum it writes the bytes to
``PDF_FILES_DIR/<sha256>.pdf`` (atomically, by renaming a finished temporary
file), and from then on the response is that file, which gunicorn hands to the
kernel (``sendfile``) without copying it through Python. A file's name is its
content's checksum, so it never changes and never goes stale: a new render has
a new name. Files no stored PDF has any more are removed now and then.
"""

import hashlib
import logging
import os
import random
import tempfile
import time
from pathlib import Path

from django.conf import settings

from plans.models import AdoptedEdition, RenderedDocument

logger = logging.getLogger(__name__)

#: A file nobody refers to any more is removed once it is this old (seconds):
#: a download that started just before a new render keeps its open file.
UNUSED_FILE_AGE = 10 * 60
#: The share of new files after which the directory is tidied.
PRUNE_CHANCE = 0.05


def directory():
    return Path(settings.PDF_FILES_DIR)


def file_for(sha256, load):
    """The path of the file with checksum ``sha256``, written from ``load()``
    (the bytes, or None if the stored PDF changed meanwhile) if this host has
    none yet. None if ``load()`` gave nothing or bytes of another checksum."""
    path = directory() / f"{sha256}.pdf"
    if path.is_file():
        return path
    content = load()
    if content is None or hashlib.sha256(content).hexdigest() != sha256:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=".", suffix=".part", delete=False
    ) as part:
        part.write(content)
    os.chmod(part.name, 0o644)
    os.replace(part.name, path)
    if random.random() < PRUNE_CHANCE:
        prune()
    return path


def file_of(model, pk, sha256):
    """``file_for`` the PDF with checksum ``sha256`` held by row ``pk`` of
    ``model`` (``RenderedDocument`` or ``AdoptedEdition``); None if that row
    holds another PDF by now. The row is read only when this host has no
    file of that checksum yet."""

    def load():
        content = (
            model.objects.filter(pk=pk, sha256=sha256)
            .values_list("content", flat=True)
            .first()
        )
        return None if content is None else bytes(content)

    return file_for(sha256, load)


def prune(now=None):
    """Remove the files (and left-over temporary files) of checksums no stored
    PDF has any more. Returns the number removed."""
    now = time.time() if now is None else now
    kept = set(RenderedDocument.objects.values_list("sha256", flat=True))
    kept |= set(AdoptedEdition.objects.values_list("sha256", flat=True))
    removed = 0
    try:
        entries = list(os.scandir(directory()))
    except FileNotFoundError:
        return 0
    for entry in entries:
        name = entry.name
        if name.endswith(".pdf") and name.removesuffix(".pdf") in kept:
            continue
        try:
            if now - entry.stat().st_mtime < UNUSED_FILE_AGE:
                continue
            os.unlink(entry.path)
            removed += 1
        except FileNotFoundError:
            continue
    return removed
