"""PDF downloads of plans and progress reports, and the report's HTML twin.

A download never renders: it serves the newest PDF the task worker made
(``plans.services.stored_pdfs``) and, for a document that was never rendered,
a page that says it is being prepared and reloads itself.
"""

import base64

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import View

from flemingsberg.permissions import sees_internal
from plans.models import Plan, RenderedDocument
from plans.services.adopted import ask_for_render, edition_for
from plans.services.adopted import content_of as adopted_content_of
from plans.services.reports import (
    build_progress_report,
    offered_since_dates,
    parse_since,
)
from plans.services.stored_pdfs import content_of, document_for, key_for

#: Seconds the "being prepared" page waits before it reloads itself.
PREPARING_REFRESH_SECONDS = 3


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
    an edit of hidden data changes neither for the public)."""

    kind = None
    since = None

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        return self.serve()

    def serve(self):
        request = self.request
        key = key_for(self.kind, self.plan, request.user, since=self.since)
        document = document_for(key)
        content = content_of(document) if document.sha256 else None
        if content is None:
            return self.preparing()
        etag = quote_etag(document.sha256)
        last_modified = document.data_as_of.timestamp() if document.data_as_of else None
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if response is None:
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=self.filename()
            )
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        # Every use is revalidated (cheap: 304 by ETag). A member's PDF shows
        # internal data: no shared cache may keep it.
        if document.visibility == RenderedDocument.Visibility.INTERNAL:
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
        return f"{self.plan.title}.pdf"

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
        self.plan = self.get_plan()
        since, error = self.since_or_error()
        if error:
            return self.report_page(None, error, status=400)
        if since and not can_have_pdf(
            since, offered_since_dates(self.plan, request.user), request.user
        ):
            # Nothing is rendered for a date the page does not offer: the
            # HTML report shows the same changes.
            url = reverse("plans:plan-report", kwargs={"slug": self.plan.slug})
            return redirect(f"{url}?since={since.isoformat()}")
        self.since = since
        return self.serve()

    def filename(self):
        return _("Progress report %(plan)s.pdf") % {"plan": self.plan.title}

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
            response = HttpResponse(
                adopted_content_of(edition), content_type="application/pdf"
            )
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=f"{self.title(edition)}.pdf"
            )
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
