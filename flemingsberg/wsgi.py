"""WSGI entry point (gunicorn flemingsberg.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.base")

application = get_wsgi_application()
