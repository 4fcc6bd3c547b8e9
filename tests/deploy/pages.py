"""Every public page, found the way a visitor finds it.

The crawl starts from the menu pages and a few filtered action lists and
follows the links on each page to detail pages, reports, pagination and the
open-data downloads. It knows no primary keys or slugs: whatever the database
holds and the portal links to is visited, so a page that is missing (or extra)
after a restore shows up as a difference. PDFs are left out: they carry a
creation date and are tested in tests/plans/services/test_pdf.py. The one PDF
crawled is a closed board pack's, whose stored bytes never change.

Used by both deploy tests: through Django's test client in a subprocess
(``python -m tests.deploy.crawl``) and over HTTP against gunicorn.
"""

import hashlib
import html
import re
from urllib.parse import parse_qs, urljoin, urlsplit

START = [
    "/",
    "/plans/",
    "/actions/",
    "/actions/?status=ongoing",
    "/actions/?late=1&per_page=100",
    "/actions/?q=Flemingsberg",
    "/dashboard/",
    "/indicators/",
    "/stakeholders/",
    "/governance/",
    "/governance/meetings/",
    "/open-data/",
    "/accessibility/",
    # The English side: the same templates, so the index pages are enough.
    "/en/",
    "/en/plans/",
    "/en/actions/",
    "/en/dashboard/",
]

# Paths a link may lead to (the Swedish side; /en/ pages are only start pages).
FOLLOW = [
    re.compile(pattern)
    for pattern in (
        r"^/$",
        r"^/plans/$",
        r"^/plans/[-\w]+/$",
        r"^/plans/[-\w]+/report/$",
        r"^/plans/[-\w]+/funding\.(csv|json)$",
        r"^/actions/$",
        r"^/actions/\d+/$",
        r"^/dashboard/$",
        r"^/indicators/$",
        r"^/indicators/\d+/$",
        r"^/indicators/\d+/series\.(csv|json)$",
        r"^/stakeholders/$",
        r"^/stakeholders/[-\w]+/$",
        r"^/governance/$",
        r"^/governance/[-\w]+/$",
        r"^/governance/meetings/\d+/$",
        r"^/governance/meetings/\d+/changes/$",
        r"^/governance/meetings/\d+/pack\.pdf$",
        r"^/open-data/$",
        r"^/open-data/[-\w]+/actions\.(csv|json)$",
        r"^/accessibility/$",
    )
]
MAX_PAGES = 1000
HREF = re.compile(r'href="([^"]*)"')


def follows(url, source):
    """Whether a visitor's click on ``url`` (found on ``source``) is crawled.

    Query strings are followed only into the action list: its pagination, and
    the filtered lists other pages (dashboard, plans) link to. Sorting and
    filter links inside the action list itself would multiply the crawl.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not any(p.match(parts.path) for p in FOLLOW):
        return False
    if not parts.query:
        return True
    if parts.path != "/actions/" or "export" in parts.query:
        return False
    return urlsplit(source).path != "/actions/" or set(parse_qs(parts.query)) <= {
        "page"
    }


def links(url, body, host):
    """The link targets on a page that stay on ``host``, as paths with query.

    Some links are absolute (the open-data downloads): those to ``host`` count.
    """
    found = []
    for href in HREF.findall(body):
        parts = urlsplit(urljoin(url, html.unescape(href)))
        if parts.netloc and parts.netloc != host:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def also_visited(url):
    """Pages a visitor reaches by address rather than by a link.

    The progress report (/plans/<slug>/report/) is documented in the README but
    no page links to it yet; each plan's report is visited with its plan.
    """
    if re.match(r"^/plans/[-\w]+/$", url) and url != "/plans/":
        return [f"{url}report/"]
    return []


def crawl(fetch, host="testserver"):
    """{url: fetch(url)} for every public page; ``fetch`` returns a dict with at
    least ``status`` and ``body`` (text)."""
    pages, queue = {}, list(START)
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        if len(pages) >= MAX_PAGES:
            raise AssertionError(f"more than {MAX_PAGES} pages: the crawl runs away")
        pages[url] = page = fetch(url)
        if page["status"] != 200 or not page["body"].lstrip().startswith("<"):
            continue
        queue.extend(
            target
            for target in links(url, page["body"], host) + also_visited(url)
            if target not in pages and follows(target, url)
        )
    return pages


def body_text(content, content_type):
    """Text as text; anything else (a stored PDF) by its SHA-256."""
    if content_type.startswith(("text/", "application/json")):
        return content.decode()
    return "sha256:" + hashlib.sha256(content).hexdigest()


VOLATILE = [
    # The CSRF token differs on every response; the nonce too, if any.
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1…"),
    (re.compile(r'(nonce=")[^"]*'), r"\1…"),
]


def normalise(body):
    """A page body with the per-response values (CSRF token, nonce) blanked."""
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body
