"""Development settings: only what differs from base."""

import os
from pathlib import Path

import environ

# Only development reads .env (written by `make run`); production and tests read
# the real environment alone.
environ.Env.read_env(Path(__file__).resolve().parents[2] / ".env", overwrite=False)
os.environ.setdefault("DEBUG", "true")
# A template edited in development shows on reload, not once the kept page
# expires: the page cache (plans.caching) is off unless asked for.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
if not os.environ.get("SECRET_KEY"):
    # A fresh random key per process: sessions do not survive a restart, and no
    # key is ever written into the repository. `make run` stores one in .env.
    import secrets

    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
