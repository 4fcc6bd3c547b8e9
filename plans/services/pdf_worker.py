"""The WeasyPrint side of PDF rendering, free of Django.

Used in-process for small documents and as a separate, short-lived process for
big ones (``python -m plans.services.pdf_worker``: HTML on stdin, PDF on
stdout), so that
WeasyPrint's memory, which it does not give back to the operating system
(upstream #1950), goes away with the process. Importing only WeasyPrint keeps
that process small.
"""

import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A URL the PDF renderer does not fetch."""


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


def render(html, *, base_url, static_url, roots):
    """Finished HTML to tagged PDF/UA bytes."""
    fetcher = StaticFileFetcher(base_url, static_url, roots)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def main():
    options = json.loads(sys.argv[1])
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(render(html, **options))


if __name__ == "__main__":
    main()
