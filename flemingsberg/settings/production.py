"""Production settings: base plus HTTPS everywhere, behind a TLS proxy.

Select with ``DJANGO_SETTINGS_MODULE=flemingsberg.settings.production``.
Required variables: ``SECRET_KEY`` (base refuses to start without it),
``ALLOWED_HOSTS`` and ``DATABASE_URL``. ``python manage.py check --deploy``
reports no issue with them set (tests/flemingsberg/test_deploy_settings.py).
See docs/deployment.md for the whole table.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(
            f"{_name} is not set. Production settings read it from the "
            "environment; see docs/deployment.md for every variable."
        )

from .base import *  # noqa: E402,F403
from .base import ALLOWED_HOSTS, DEBUG, env  # noqa: E402

if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off in production (unset DEBUG or set it to false)."
    )

# The reverse proxy terminates TLS and tells Django so in X-Forwarded-Proto; it
# must set (not pass on) that header. Plain HTTP is redirected to HTTPS, except
# the health check, which load balancers call on the private address.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("BEHIND_TLS_PROXY", default=True)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

# Sign-in throttling counts failures per visitor address: behind the proxy every
# connection comes from the proxy, whose X-Forwarded-For says who it saw.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Links inside PDFs and reminder e-mails point here: the first host name served
# unless PORTAL_URL says otherwise.
PORTAL_URL = env.str(
    "PORTAL_URL",
    default=next(
        (
            f"https://{host}/"
            for host in ALLOWED_HOSTS
            if host != "*" and not host.startswith(".")
        ),
        "https://localhost/",
    ),
)
if not PORTAL_URL.endswith("/"):
    PORTAL_URL += "/"

# Forms are posted from the portal's own HTTPS addresses unless told otherwise.
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[
        f"https://{host.lstrip('.')}"
        for host in ALLOWED_HOSTS
        if host != "*" and not host.startswith(".")
    ],
)
