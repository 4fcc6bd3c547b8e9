"""Stored PDFs sent from files named by their checksum (plans.services.pdf_files)."""

import hashlib
import os
import time

import pytest

from plans.models import RenderedDocument
from plans.services import pdf_files
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.PDF_FILES_DIR = tmp_path / "pdfs"
    return settings.PDF_FILES_DIR


def test_a_pdf_is_written_once_under_its_checksum(files_dir):
    content = b"%PDF-1.7 prov"
    sha = hashlib.sha256(content).hexdigest()
    loads = []

    def load():
        loads.append(1)
        return content

    path = pdf_files.file_for(sha, load)
    assert path == files_dir / f"{sha}.pdf"
    assert path.read_bytes() == content
    assert pdf_files.file_for(sha, load) == path
    assert len(loads) == 1  # the second time from the file
    assert [p.name for p in files_dir.iterdir()] == [f"{sha}.pdf"]


def test_bytes_of_another_checksum_are_not_written(files_dir):
    sha = hashlib.sha256(b"the one asked for").hexdigest()
    assert pdf_files.file_for(sha, lambda: b"something else") is None
    assert pdf_files.file_for(sha, lambda: None) is None
    assert not files_dir.exists() or not any(files_dir.iterdir())


def test_prune_removes_old_files_no_stored_pdf_has(files_dir):
    plan = factories.PlanFactory()
    kept = b"%PDF kept"
    gone = b"%PDF gone"
    young = b"%PDF young"
    RenderedDocument.objects.create(
        plan=plan,
        kind="plan",
        language="sv",
        visibility="public",
        content=kept,
        sha256=hashlib.sha256(kept).hexdigest(),
    )
    paths = {
        content: pdf_files.file_for(
            hashlib.sha256(content).hexdigest(), lambda content=content: content
        )
        for content in (kept, gone, young)
    }
    hour_ago = time.time() - 3600
    for content in (kept, gone):
        os.utime(paths[content], (hour_ago, hour_ago))

    assert pdf_files.prune() == 1
    assert paths[kept].exists()
    assert not paths[gone].exists()
    assert paths[young].exists()  # a download may have just begun
