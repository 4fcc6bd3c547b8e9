"""Whole public pages for anonymous visitors, kept in the shared cache under
the data generation (plans.services.generation).

A page is the same for every anonymous visitor: no CSRF token, no user name,
no messages. The key holds everything else the page depends on — the language,
the local date (late flags and "due in" texts move with the date), the static
files' manifest and the host and full path with its query string (``?plan=``,
``?since=``, ``?page=``) — and the entry holds the data generation it was
rendered at: it is served only while that is still the current generation.
The generation and the page are read in one round trip. An edit bumps the
generation, so it is on the very next request from any app server sharing the
cache; nothing is invalidated by hand, and an entry lives ``PAGE_CACHE_SECONDS``
at most.

The middleware sits high in the stack, under the header middleware and
WhiteNoise: a hit is answered before sessions, authentication and the view run,
and still gets the security headers on its way out. It keeps only what can be
shown to anybody:

- requests without a session or messages cookie (members always have one);
- GET, answered 200 with HTML by a view named in ``PAGE_CACHE_VIEWS``;
- no cookie set, no CSRF token asked for, no session written, no
  ``Cache-Control: private`` or ``no-store`` from the view.

Members' answers of the same views are marked ``private``. Below their
header, though, members' pages are the same for everybody who may see what
they see: ``cached_fragment`` keeps that part (rendered by its own template)
under the same kind of key, with the visitor's audience (public, internal,
editor) in place of "anonymous", and the same generation check — so the
figures are worked out only when the data, the day or the address changed.

A PDF download is answered from a stored render; which one, and the headers
it goes with, ``cached_download`` keeps under the data generation and the
document's served version (moved on when a render stores its new bytes), so
a download of an unchanged document costs one round trip to the cache and a
file read.
"""

import datetime
import hashlib
import time
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)

from flemingsberg.permissions import sees_internal
from plans.services import generation

KEY_PREFIX = "plans:page"
FRAGMENT_KEY_PREFIX = "plans:fragment"
DOWNLOAD_KEY_PREFIX = "plans:download"
#: A kept download is worked out again after this long (seconds) even when
#: nothing changed, so that the view's own checks (a render lost with a
#: worker, a report asked for again) still run while it is being downloaded.
DOWNLOAD_SECONDS = 60


def page_key(request, release="-"):
    """The cache key of the anonymous page ``request`` asks for."""
    language = translation.get_language_from_path(request.path_info) or (
        settings.LANGUAGE_CODE
    )
    return f"{KEY_PREFIX}:{language}:{_day_and_address(request, release)}"


def fragment_key(request, name, release="-"):
    """The cache key of fragment ``name`` of the page ``request`` asks for,
    as the signed-in visitor's audience sees it."""
    language = translation.get_language()
    audience = _audience(request.user)
    return (
        f"{FRAGMENT_KEY_PREFIX}:{name}:{audience}:{language}:"
        f"{_day_and_address(request, release)}"
    )


def _day_and_address(request, release):
    """The local date (late flags and "due in" texts move with it), the static
    release and the host and full path with its query string."""
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{timezone.localdate().isoformat()}:{release}:{digest}"


def _audience(user):
    """What ``user`` may see: public or internal rows; an editor also gets
    links into the back office."""
    audience = "internal" if sees_internal(user) else "public"
    if user.has_perm("plans.change_actionitem"):
        audience += "-editor"
    return audience


def cached_fragment(request, name, template_name, get_context):
    """The HTML of ``template_name`` rendered with ``get_context()``, kept
    ``PAGE_CACHE_SECONDS`` under the generation it was rendered at and served
    while that is the current one (nothing is kept where the setting is 0)."""
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return render_to_string(template_name, get_context(), request=request)
    key = fragment_key(request, name, static_release())
    current, found = generation.current_and(key)
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return stored[1]
    html = render_to_string(template_name, get_context(), request=request)
    cache.set(key, (current, html), seconds)
    return html


def cached_download(parts, served_key, compute):
    """What ``compute()`` answers for a download named by ``parts`` (the
    document, language and audience), and the stamp it was worked out under:
    a dict naming the stored PDF is kept under the data generation, the
    document's served version (the cache key ``served_key``, moved on when a
    render stores new bytes) and the local date, and served while all three
    stay; anything else (a page saying the PDF is being prepared, a redirect)
    is returned and not kept."""
    day = timezone.localdate()
    key = ":".join([DOWNLOAD_KEY_PREFIX, *parts, day.isoformat()])
    stamp, found = DownloadStamp.now(served_key, key)
    stored = found.get(key)
    if stored is not None and stored[0] == stamp.versions:
        return stored[1], stamp
    answer = compute()
    if isinstance(answer, dict):
        cache.set(key, (stamp.versions, answer), DOWNLOAD_SECONDS)
    return answer, stamp


class DownloadStamp(NamedTuple):
    """What a kept download was worked out under: the data generation and the
    document's served version (``versions``, the latter under the cache key
    ``served_key``) on the local date ``day``."""

    served_key: str
    versions: tuple
    day: datetime.date

    @classmethod
    def now(cls, served_key, *keys):
        """The stamp a download of the document with ``served_key`` gets now,
        and the cache's values of ``keys``, in one round trip to the cache."""
        data, found = generation.current_and(served_key, *keys)
        served = found.get(served_key) or generation.current(served_key)
        return cls(served_key, (data, served), timezone.localdate()), found

    def is_current(self):
        """True while neither the data, nor the document's PDF, nor the date
        has moved on."""
        return DownloadStamp.now(self.served_key)[0] == self


class KeptDownload(NamedTuple):
    """A public PDF download as the whole stack answered it (the view marks
    it ``request.kept_download``): its stamp, the file it sends, and
    whether the answer holds the file's bytes (not when nginx sends the file
    and the answer is headers only)."""

    stamp: DownloadStamp
    path: Path
    with_body: bool = True


class KeptDownloadMiddleware:
    """Answers a repeated anonymous download of a plan's or report's PDF
    before the rest of the stack runs.

    The first download of a document is answered by the whole stack and the
    view (``views.pdf``), which marks a public answer as one that may be kept
    (``KeptDownload``). This middleware, at the top of the stack, keeps that
    answer's status line and headers — every header the other middleware
    added included — in this process, under the stamp it was worked out
    under (``cached_download``), and answers the same request with them and
    the same file while the stamp is current: one round trip to the shared
    cache and a file read, no session, no user, no URL resolving, no view.
    An edit, a new render or a new day makes the stamp stale, and the next
    request goes through the stack again. A kept answer lives
    ``DOWNLOAD_SECONDS`` at most, so that the view's own checks still run
    now and then.

    Only requests that the whole stack would answer the same way for any
    visitor are answered here: GET without a query string, without a session
    or messages cookie and without a conditional header (those go to the
    view, which answers 304), for the host and scheme the kept answer was
    given to (so a host that ``ALLOWED_HOSTS`` refuses never gets one).
    """

    #: Kept answers per process; more are not kept until the oldest expire.
    MAX_KEPT = 512

    def __init__(self, get_response):
        self.get_response = get_response
        self.kept = {}

    def __call__(self, request):
        key = self.key(request)
        kept = self.kept.get(key) if key is not None else None
        if kept is not None:
            response = self.replay(key, *kept)
            if response is not None:
                return response
        response = self.get_response(request)
        marked = getattr(request, "kept_download", None)
        if key is not None and marked is not None and is_keepable(response):
            self.keep(key, marked, response)
        return response

    @staticmethod
    def key(request):
        meta = request.META
        if (
            request.method != "GET"
            or meta.get("QUERY_STRING")
            or "HTTP_IF_NONE_MATCH" in meta
            or "HTTP_IF_MODIFIED_SINCE" in meta
            or carries_visitor_state(request)
        ):
            return None
        return (meta.get("HTTP_HOST", ""), request.is_secure(), request.path)

    def replay(self, key, marked, expires, status, headers):
        """The kept answer again, or None if it is stale (then forgotten)."""
        content = b""
        try:
            if time.monotonic() > expires or not marked.stamp.is_current():
                raise LookupError
            if marked.with_body:
                content = marked.path.read_bytes()
            elif not marked.path.is_file():  # nginx would find nothing
                raise LookupError
        except (LookupError, OSError):
            self.kept.pop(key, None)
            return None
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def keep(self, key, marked, response):
        now = time.monotonic()
        if len(self.kept) >= self.MAX_KEPT:
            self.kept = {k: v for k, v in self.kept.items() if v[1] > now}
            if len(self.kept) >= self.MAX_KEPT:
                return
        self.kept[key] = (
            marked,
            now + DOWNLOAD_SECONDS,
            response.status_code,
            list(response.items()),
        )


def is_keepable(response):
    """True for a whole 200 answer that sets no cookie."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def static_release():
    """A short name of the static files' manifest: a deploy with new CSS or
    scripts never serves pages that link to the old ones."""
    manifest = getattr(staticfiles_storage, "hashed_files", None)
    if not manifest:
        return "-"
    return hashlib.sha256(repr(sorted(manifest.items())).encode()).hexdigest()[:12]


def is_cached_view(request):
    """True if the view that answered is one whose anonymous pages are kept."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return any(
        match.view_name == name or match.view_name.startswith(f"{name}:")
        for name in settings.PAGE_CACHE_VIEWS
    )


def carries_visitor_state(request):
    """True if the request comes with a session or pending messages."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def is_shareable(request, response):
    """True if ``response`` holds nothing that belongs to one visitor."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (user is not None and user.is_authenticated)
        and not (session is not None and session.modified)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not has_vary_header(response, "Authorization")
    )


class PublicPageCacheMiddleware:
    """Serves and keeps anonymous public pages (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS
        if self.timeout <= 0:
            raise MiddlewareNotUsed
        self.release = static_release()

    def __call__(self, request):
        key = None
        if request.method == "GET" and not carries_visitor_state(request):
            key = page_key(request, self.release)
            current, found = generation.current_and(key)
            stored = found.get(key)
            if stored is not None and stored[0] == current:
                return self.from_cache(request, stored)
        response = self.get_response(request)
        if not is_cached_view(request):
            return response
        patch_vary_headers(response, ("Cookie",))
        if key is not None and is_shareable(request, response):
            # Under the generation read before rendering: a write committed
            # meanwhile makes this entry stale at once.
            self.keep(key, current, response)
        elif getattr(request, "user", None) and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def keep(self, key, current, response):
        # Browsers and proxies may keep the page but must ask again each time:
        # an edit is on the next request; an unchanged page answers 304.
        patch_cache_control(response, no_cache=True)
        response.headers.setdefault(
            "ETag", f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        )
        cache.set(
            key, (current, response.content, list(response.items())), self.timeout
        )

    @staticmethod
    def from_cache(request, stored):
        _generation, content, headers = stored
        etag = next((value for name, value in headers if name == "ETag"), None)
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        return get_conditional_response(request, etag=etag, response=response)
