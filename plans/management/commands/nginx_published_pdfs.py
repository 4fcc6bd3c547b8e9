import re

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.test import RequestFactory

from plans.models import RenderedDocument
from plans.services import published_pdfs

#: Stands for the slug when the URL pattern is made from a URL.
PLACEHOLDER = "pdf-slug-placeholder"
#: A plan's slug in a URL (Django's ``slug`` path converter).
SLUG_PATTERN = "(?<pdf_slug>[-a-zA-Z0-9_]+)"
#: Headers of one document or of one answer: nginx sends its own (its ETag
#: and Last-Modified from the file) or the location sets them.
NOT_COPIED = {
    "content-disposition",
    "content-length",
    "content-type",
    "date",
    "etag",
    "last-modified",
    "x-accel-redirect",
}


class Command(BaseCommand):
    help = (
        "Print the nginx locations that send the public PDFs published in "
        "PDF_PUBLISHED_DIR to visitors without a session, with the headers "
        "the portal itself sends with them (docs/deployment.md). Publishes "
        "the rendered PDFs first; a kind of document none of which is "
        "rendered yet is left to the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            help="the public host name (default: the first of ALLOWED_HOSTS)",
        )

    def handle(self, *args, host=None, **options):
        if not published_pdfs.enabled():
            raise CommandError(
                "PDF_PUBLISHED_DIR is not set: set it in the environment file "
                "(a directory nginx can read) and run this again."
            )
        host = host or default_host()
        published_pdfs.sync()
        handler = BaseHandler()
        handler.load_middleware()
        locations, missing = [], []
        for kind, language, slug in samples():
            if slug is None:
                missing.append(f"{kind_name(kind)} ({language})")
                continue
            locations.append(location(handler, host, kind, language, slug))
        self.stdout.write(
            render_to_string(
                "deploy/nginx-published-pdfs.conf",
                {
                    "host": host,
                    "root": published_pdfs.directory().absolute(),
                    "link_name": published_pdfs.LINK_NAME,
                    "session_cookie": settings.SESSION_COOKIE_NAME,
                    "locations": locations,
                    "missing": missing,
                },
            ),
            ending="",
        )


def default_host():
    for name in settings.ALLOWED_HOSTS:
        name = name.lstrip(".")
        if name and name != "*":
            return name
    raise CommandError("ALLOWED_HOSTS names no host: give one with --host.")


def kind_name(kind):
    return RenderedDocument.Kind(kind).name.lower()


def samples():
    """(kind, language, slug of a published plan whose document of that kind
    and language is rendered, or None) for every kind and language."""
    found = {}
    rows = published_pdfs.published_documents().values_list(
        "kind", "language", "plan__slug"
    )
    for kind, language, slug in rows:
        found.setdefault((kind, language), slug)
    return [
        (kind, language, found.get((kind, language)))
        for kind in published_pdfs.URL_NAMES
        for language, _name in settings.LANGUAGES
    ]


def location(handler, host, kind, language, slug):
    """The location of one kind of document in one language: its URL pattern
    and the headers of the portal's answer for the sample plan ``slug``."""
    url = published_pdfs.url_of(kind, slug, language)
    request = RequestFactory().get(
        url, secure=True, HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https"
    )
    response = handler.get_response(request)
    response.close()
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        raise CommandError(f"{url} answered {response.status_code}, not a PDF.")
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in NOT_COPIED
    ]
    disposition = response["Content-Disposition"]
    if slug not in disposition:
        raise CommandError(f"The file name of {url} does not come from its slug.")
    headers.insert(0, ("Content-Disposition", disposition.replace(slug, "${pdf_slug}")))
    for name, value in headers:
        if "$" in value.replace("${pdf_slug}", "") or "\n" in value:
            raise CommandError(f"{name} of {url} cannot be written for nginx.")
    prefix, suffix = published_pdfs.url_of(kind, PLACEHOLDER, language).split(
        PLACEHOLDER
    )
    return {
        "title": f"{kind_name(kind)} ({language})",
        "pattern": f"^{re.escape(prefix)}{SLUG_PATTERN}{re.escape(suffix)}$",
        "headers": [(name, value.replace('"', '\\"')) for name, value in headers],
    }
