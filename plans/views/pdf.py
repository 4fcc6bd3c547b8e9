"""PDF downloads of plans and progress reports, and the report's HTML twin."""

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import View

from flemingsberg.permissions import sees_internal
from plans.models import Plan
from plans.pdf import pdf_entry
from plans.reports import build_progress_report, parse_since


class PlanMixin:
    """The plan of the URL, if the visitor may see it (else 404)."""

    def get_plan(self):
        return get_object_or_404(
            Plan.objects.visible_to(self.request.user).select_related(
                "owner", "adopted_by", "parent"
            ),
            slug=self.kwargs["slug"],
        )

    def visibility(self):
        return "internal" if sees_internal(self.request.user) else "public"


class PDFView(PlanMixin, View):
    """Serve a cached PDF with ETag/Last-Modified; render only on a cache miss."""

    kind = None

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        entry = pdf_entry(
            [
                self.kind,
                self.plan.slug,
                translation.get_language(),
                self.visibility(),
                # Lateness depends on the day: a new day, a new PDF.
                timezone.localdate().isoformat(),
                *self.key_parts(),
            ]
        )
        etag = quote_etag(entry.etag)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            content = entry.get_or_render(self.build_html)
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=self.filename()
            )
            response["X-PDF-Cache"] = "hit" if entry.from_cache else "miss"
        response["ETag"] = etag
        if entry.last_modified:
            response["Last-Modified"] = http_date(entry.last_modified)
        # Members' PDFs show internal data: never store them in shared caches.
        patch_cache_control(
            response,
            private=self.visibility() == "internal",
            public=self.visibility() == "public",
            no_cache=True,
        )
        response["Vary"] = "Cookie, Accept-Language"
        return response

    def key_parts(self):
        return []

    def filename(self):
        raise NotImplementedError

    def build_html(self):
        raise NotImplementedError


class PlanPDFView(PDFView):
    kind = "plan"

    def filename(self):
        return f"{self.plan.title}.pdf"

    def build_html(self):
        from plans.views.documents import build_plan_document

        context = build_plan_document(self.plan, self.request.user)
        context.update({"plan": self.plan, "pdf": True})
        return render_to_string("plans/pdf/plan.html", context, request=self.request)


class ReportMixin(PlanMixin):
    def get_since(self):
        """The ``since`` date, or raise ValueError with a message for the visitor."""
        return parse_since(self.request.GET.get("since"))

    def bad_since(self, message):
        return render(
            self.request,
            "plans/report_bad_request.html",
            {"message": message, "plan": self.plan},
            status=400,
        )


class PlanReportView(ReportMixin, View):
    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        try:
            since = self.get_since()
        except ValueError as exc:
            return self.bad_since(str(exc))
        report = build_progress_report(self.plan, request.user, since=since)
        return render(
            request,
            "plans/plan_report.html",
            {"plan": self.plan, "report": report, "since": since},
        )


class PlanReportPDFView(ReportMixin, PDFView):
    kind = "report"

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        try:
            self.since = self.get_since()
        except ValueError as exc:
            return self.bad_since(str(exc))
        return super().get(request, *args, **kwargs)

    def key_parts(self):
        return [self.since.isoformat() if self.since else ""]

    def filename(self):
        name = _("Progress report %(plan)s") % {"plan": self.plan.title}
        return f"{name}.pdf"

    def build_html(self):
        report = build_progress_report(self.plan, self.request.user, since=self.since)
        return render_to_string(
            "plans/pdf/report.html",
            {"plan": self.plan, "report": report, "since": self.since, "pdf": True},
            request=self.request,
        )
