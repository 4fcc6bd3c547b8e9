"""Gunicorn settings for the portal: ``gunicorn -c gunicorn.conf.py flemingsberg.wsgi``.

Everything that varies per machine comes from the environment; command-line
flags still win over this file. See docs/deployment.md.
"""

import gc
import os
import sys

# Production settings unless the environment names others (bench/load.sh does).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.production")

# Listen on the loopback address by default: only the reverse proxy may talk to
# gunicorn, because Django believes its X-Forwarded-Proto header.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, one request each. The page views are short and CPU-bound; PDFs
# are rendered by the task worker, downloads send stored files. 2 × cores + 1,
# capped at 8: each worker holds ~100 MB and one database connection.
worker_class = "sync"
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(2 * len(os.sched_getaffinity(0)) + 1, 8))
)

# Never preload: WeasyPrint's Pango/GLib state must be created in each worker,
# not inherited across fork() (docs LIBRARIES.md). HUP then also reloads the code.
preload_app = False

# Downloads never render (the task worker does), but closing a board pack in
# the back office renders its PDF in the request: it may take as long as the
# render's own limit (PDF_RENDER_TIMEOUT, 300 s) plus a margin, so that limit
# ends it cleanly with an error page. Pages answer in milliseconds.
timeout = int(float(os.environ.get("PDF_RENDER_TIMEOUT", 300))) + 30
# On reload or stop, a worker finishes its request for up to a minute: enough
# for any page and for a normal PDF (1 000 rows take ~10 s). A longer render is
# cut off and the next reader starts it again.
graceful_timeout = 60
# The sync worker's heartbeat file: in memory, so slow disks cannot fake a hang.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Web workers do not render PDFs (the task worker does) except when an editor
# closes a board pack, and WeasyPrint keeps the memory of a render (upstream
# #1950): the worker that rendered is replaced after that request
# (``post_request``). Replacing a worker costs the requests queued behind its
# restart a second or more, so the others are replaced only after many
# requests, at staggered times, as a safety valve. 0 turns that off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10


def post_worker_init(worker):
    """Import the URLs and views before the first request (not on it), then
    move everything loaded out of the cyclic garbage collector's sight: the
    collections that requests set off look at the requests' own objects, not
    at the whole of Django, and pause a worker far less (under load, p99 of
    PDF downloads 127 → 85 ms, bench/pdf.py)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view)
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    """Replace a worker once it has rendered a PDF (imported WeasyPrint)."""
    if "weasyprint" in sys.modules and worker.alive:
        worker.log.info("Replacing worker %s after a PDF render", worker.pid)
        worker.alive = False


# Access log on stdout, errors on stderr (journald or the container keeps them).
# The first field is the visitor's address as the proxy reported it.
accesslog = "-"
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
    '"%(f)s" "%(a)s" %(M)sms'
)

# Proxies whose X-Forwarded-* headers gunicorn trusts (a comma-separated list of
# addresses or networks); set it to the proxy's address when it runs elsewhere.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Gunicorn's control socket has one default path per user: several instances on
# one host would take it from each other. systemd's signals manage ours.
control_socket_disable = True
