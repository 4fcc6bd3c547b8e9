"""Uploads are kept only up to ``settings.UPLOAD_MAX_BYTES``.

Django stores a whole upload (in memory, then in a temporary file) before a
form can look at its size. The handler below, first in
``FILE_UPLOAD_HANDLERS``, counts the bytes instead: once a file passes the
limit, the rest of it is read and dropped, and the form receives an empty
file that still says how big the upload was, so that it can say so.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """What is left of an upload over the limit: its name and its size."""

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class CappedUploadHandler(FileUploadHandler):
    """Passes a file on to the next handlers until it passes the limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            return None  # the next handlers get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.UPLOAD_MAX_BYTES:
            return None  # the next handler makes the file
        return OversizedUpload(
            self.file_name, self.content_type, self.received, self.charset
        )
