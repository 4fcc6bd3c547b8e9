"""PDF downloads of plans and progress reports, and the report's HTML twin.

A download never renders: it serves the newest PDF the task worker made
(``plans.services.stored_pdfs``) and, for a document that was never rendered,
a page that says it is being prepared and reloads itself.
"""

import base64

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import View

from flemingsberg.permissions import sees_internal
from plans.caching import KeptDownload, cached_download
from plans.models import Plan, RenderedDocument
from plans.services import published_pdfs
from plans.services.adopted import ask_for_render, edition_for
from plans.services.adopted import file_of as adopted_file_of
from plans.services.pdf_serving import file_of, served_key, visibility_of
from plans.services.reports import (
    build_progress_report,
    offered_since_dates,
    parse_since,
)
from plans.services.stored_pdfs import document_for, key_for

#: Seconds the "being prepared" page waits before it reloads itself.
PREPARING_REFRESH_SECONDS = 3


def file_response(path, filename):
    """The PDF in ``path`` (a file of ``pdf_files``), shown in the browser
    under ``filename``. With ``PDF_FILES_URL`` set, nginx sends the file
    (X-Accel-Redirect to its internal location for ``PDF_FILES_DIR``) and
    this answer carries only the headers; nginx passes on Content-Type,
    Content-Disposition and Cache-Control, and the internal location adds
    the others from this answer (docs/deployment.md)."""
    if settings.PDF_FILES_URL:
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = settings.PDF_FILES_URL + path.name
    else:
        response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=filename
    )
    return response


class PlanMixin:
    """The plan of the URL, if the visitor may see it (else 404)."""

    def get_plan(self):
        return get_object_or_404(
            Plan.objects.visible_to(self.request.user).select_related(
                "owner", "adopted_by", "parent"
            ),
            slug=self.kwargs["slug"],
        )


class PDFView(PlanMixin, View):
    """Serve the newest rendered PDF of a document, with its own checksum as
    ETag and its data time as Last-Modified (the version the visitor may see:
    an edit of hidden data changes neither for the public).

    Which PDF that is, is kept in the cache (``cached_download``): a repeated
    download reads no database row and sends a file from this host's disk; a
    repeated anonymous one is answered before the view and most of the stack
    run (``plans.caching.KeptDownloadMiddleware``).
    """

    kind = None

    def get(self, request, *args, **kwargs):
        return self.download(since=None)

    def download(self, since):
        """The answer for the document of the URL, since ``since``."""
        parts = [
            self.kind,
            self.kwargs["slug"],
            translation.get_language(),
            visibility_of(self.request.user),
        ]
        answer, stamp = cached_download(
            [*parts, since.isoformat() if since else "-"],
            served_key(*parts, since),
            lambda: self.find(since),
        )
        if not isinstance(answer, dict):
            return answer
        path = file_of(answer["pk"], answer["sha256"])
        if path is None:
            # Rendered again since it was kept: look once more.
            answer = self.find(since)
            if not isinstance(answer, dict):
                return answer
            path = file_of(answer["pk"], answer["sha256"])
            if path is None:
                return self.preparing()
        response = self.send(answer, path)
        if not answer["private"]:
            # The same for every anonymous visitor: the middleware may answer
            # the next such request with it while ``stamp`` is current.
            self.request.kept_download = KeptDownload(
                stamp, path, with_body=not settings.PDF_FILES_URL
            )
            if since is None:
                published_pdfs.ensure(self.request.path)
        return response

    def find(self, since):
        """The stored PDF the visitor gets (a dict that ``send`` uses), or
        the page to show instead."""
        self.plan = self.get_plan()
        return self.stored(since)

    def stored(self, since):
        key = key_for(self.kind, self.plan, self.request.user, since=since)
        document = document_for(key)
        if not document.sha256:
            return self.preparing()
        return {
            "pk": document.pk,
            "sha256": document.sha256,
            "data_as_of": document.data_as_of.timestamp()
            if document.data_as_of
            else None,
            "private": document.visibility == RenderedDocument.Visibility.INTERNAL,
            "filename": self.filename(),
        }

    def send(self, answer, path):
        request = self.request
        etag = quote_etag(answer["sha256"])
        last_modified = answer["data_as_of"]
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if response is None:
            response = file_response(path, answer["filename"])
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        # Every use is revalidated (cheap: 304 by ETag). A member's PDF shows
        # internal data: no shared cache may keep it.
        if answer["private"]:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        response["Vary"] = "Cookie"
        return response

    def preparing(self):
        response = render(
            self.request,
            "plans/pdf_preparing.html",
            {
                "plan": self.plan,
                "refresh_seconds": PREPARING_REFRESH_SECONDS,
                "title": self.title(),
            },
            status=202,
        )
        response["Retry-After"] = str(PREPARING_REFRESH_SECONDS)
        patch_cache_control(response, no_store=True)
        return response


class PlanPDFView(PDFView):
    kind = RenderedDocument.Kind.PLAN

    def filename(self):
        # From the slug (as the report's): nginx names the published file
        # the same way (``manage.py nginx_published_pdfs``).
        return f"{self.plan.slug}.pdf"

    def title(self):
        return self.plan.title


class ReportMixin(PlanMixin):
    def since_or_error(self):
        """(since, error message): the ``?since=`` date or the reason it is
        not one the report accepts."""
        try:
            return parse_since(self.request.GET.get("since")), ""
        except ValueError as exc:
            return None, str(exc)

    def report_page(self, since, error="", status=200):
        user = self.request.user
        options = offered_since_dates(self.plan, user)
        report = build_progress_report(self.plan, user, since=since)
        pdf_since = since if since and can_have_pdf(since, options, user) else None
        return render(
            self.request,
            "plans/plan_report.html",
            {
                "plan": self.plan,
                "report": report,
                "since": since,
                "since_value": self.request.GET.get("since", "")
                if error
                else (since.isoformat() if since else ""),
                "since_error": error,
                "since_options": options,
                "pdf_since": pdf_since,
                "pdf_since_refused": bool(since) and pdf_since is None,
            },
            status=status,
        )


def can_have_pdf(since, options, user):
    """Members may have a report PDF since any date; everyone else since the
    dates the page offers, so that no visitor can make the worker render a
    new document per request."""
    return sees_internal(user) or any(option.date == since for option in options)


class PlanReportView(ReportMixin, View):
    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        since, error = self.since_or_error()
        if error:
            return self.report_page(None, error, status=400)
        return self.report_page(since)


class PlanReportPDFView(ReportMixin, PDFView):
    kind = RenderedDocument.Kind.REPORT

    def get(self, request, *args, **kwargs):
        try:
            since = parse_since(request.GET.get("since"))
        except ValueError:
            self.plan = self.get_plan()
            return self.report_page(None, self.since_or_error()[1], status=400)
        return self.download(since)

    def find(self, since):
        self.plan = self.get_plan()
        user = self.request.user
        if since and not can_have_pdf(
            since, offered_since_dates(self.plan, user), user
        ):
            # Nothing is rendered for a date the page does not offer: the
            # HTML report shows the same changes.
            url = reverse("plans:plan-report", kwargs={"slug": self.plan.slug})
            return redirect(f"{url}?since={since.isoformat()}")
        return self.stored(since)

    def filename(self):
        return _("%(slug)s-progress-report.pdf") % {"slug": self.plan.slug}

    def title(self):
        return _("Progress report: %(plan)s") % {"plan": self.plan.title}


class AdoptedPDFView(PlanMixin, View):
    """The plan as adopted: the stored bytes of its latest adopted edition,
    the same on every request, with their SHA-256 as ETag and Repr-Digest."""

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        edition = edition_for(self.plan, request.user)
        if edition is None:
            raise Http404(_("This plan has no adopted edition."))
        if not edition.is_rendered:
            ask_for_render(edition)
            response = render(
                request,
                "plans/pdf_preparing.html",
                {
                    "plan": self.plan,
                    "refresh_seconds": PREPARING_REFRESH_SECONDS,
                    "title": self.title(edition),
                },
                status=202,
            )
            response["Retry-After"] = str(PREPARING_REFRESH_SECONDS)
            patch_cache_control(response, no_store=True)
            return response
        etag = quote_etag(edition.sha256)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            path = adopted_file_of(edition)
            if path is None:
                raise Http404(_("This plan has no adopted edition."))
            response = file_response(path, f"{self.title(edition)}.pdf")
        digest = base64.b64encode(bytes.fromhex(edition.sha256)).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{digest}:"
        response["ETag"] = etag
        if edition.visibility == RenderedDocument.Visibility.INTERNAL:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        response["Vary"] = "Cookie"
        return response

    def title(self, edition):
        return _("%(plan)s as adopted %(date)s") % {
            "plan": self.plan.title,
            "date": edition.adopted_on.isoformat(),
        }
