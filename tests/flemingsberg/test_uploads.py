"""No more of an uploaded file is kept than settings.UPLOAD_MAX_BYTES."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory


def _uploaded(size):
    request = RequestFactory().post(
        "/admin/plans/actionitem/import/",
        {"import_file": SimpleUploadedFile("atgarder.csv", b"x" * size)},
    )
    return request.FILES["import_file"]


def test_an_upload_over_the_limit_is_not_kept_but_its_size_is_known():
    size = settings.UPLOAD_MAX_BYTES + 1024 * 1024
    upload = _uploaded(size)
    assert upload.size == size
    assert upload.name == "atgarder.csv"
    assert upload.read() == b""


def test_an_upload_at_the_limit_is_kept_whole():
    upload = _uploaded(settings.UPLOAD_MAX_BYTES)
    assert upload.size == settings.UPLOAD_MAX_BYTES
    assert upload.read() == b"x" * settings.UPLOAD_MAX_BYTES
