"""Test settings: only what differs from base."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmemcache://")
# Tests render pages; the page cache has tests of its own, which turn it on
# (tests/plans/test_caching.py, tests/deploy/test_shared_page_cache.py).
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0
AXES_ENABLED = True
# Each test process sends stored PDFs from a directory of its own.
PDF_FILES_DIR = tempfile.mkdtemp(prefix="flemingsberg-pdfs-")
atexit.register(shutil.rmtree, PDF_FILES_DIR, ignore_errors=True)
LANGUAGE_CODE = "sv"
# Tests run in UTC: a run that crosses Stockholm's midnight (23:00 UTC) must not
# see two different "todays" between collection and execution.
TIME_ZONE = "UTC"
# A test's edit is rendered as soon as the test runs the worker; the pause
# between two renders of a document has tests of its own.
PDF_RENDER_INTERVAL = 0
