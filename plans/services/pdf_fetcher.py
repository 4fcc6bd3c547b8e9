"""The renderer's URL fetcher: static files from disk, nothing else.

WeasyPrint reads the stylesheets and fonts a document links to through this
deny-by-default fetcher and never makes an HTTP request. Imported with
WeasyPrint, by the processes that render (``plans.services.pdf.render_pdf``).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A URL the PDF renderer does not fetch."""


def static_roots():
    """The folders the renderer may read static files from, in finder order."""
    roots = []
    if settings.STATIC_ROOT and Path(settings.STATIC_ROOT).is_dir():
        roots.append(Path(settings.STATIC_ROOT))
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location and Path(location) not in roots:
                roots.append(Path(location))
    return roots


class StaticFileFetcher(URLFetcher):
    """Serve ``<base>/static/...`` from the static roots on disk; refuse the rest.

    The response keeps the virtual URL, so that ``url()``s inside a stylesheet
    (fonts) resolve against it and come back here. Nothing goes to the network.
    """

    def __init__(self, base_url, static_url, roots, **kwargs):
        super().__init__(allowed_protocols=[], allow_redirects=False, **kwargs)
        self.base = urlsplit(base_url)
        self.static_url = static_url
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            raise RefusedURL(f"The PDF renderer fetches no external URL: {url}")
        if not parts.path.startswith(self.static_url):
            raise RefusedURL(f"Only {self.static_url} is served to the renderer: {url}")
        path = self.find(unquote(parts.path[len(self.static_url) :]))
        if path is None:
            raise RefusedURL(f"No such static file: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}
        )

    def find(self, relative):
        """The file behind a static path, never outside the roots."""
        for root in self.roots:
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None


def static_fetcher():
    """The deny-by-default fetcher the renderer uses: static files under the
    portal's address (``PORTAL_URL``, the documents' base URL)."""
    return StaticFileFetcher(settings.PORTAL_URL, settings.STATIC_URL, static_roots())
