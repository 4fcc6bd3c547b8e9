"""PDF downloads of plans and progress reports, and the report's HTML twin."""

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import View

from flemingsberg.permissions import sees_internal
from plans.models import Plan
from plans.services.pdf import key_parts, pdf_entry, plan_pdf_html, report_pdf_html
from plans.services.reports import build_progress_report, parse_since


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
    """Serve a cached PDF with ETag/Last-Modified; render only on a cache miss."""

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        entry = pdf_entry(self.key_parts())
        etag = quote_etag(entry.etag)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            content = entry.get_or_render(lambda: self.build_html(entry))
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=self.filename()
            )
            response["X-PDF-Cache"] = "hit" if entry.from_cache else "miss"
        response["ETag"] = etag
        if entry.last_modified:
            response["Last-Modified"] = http_date(entry.last_modified)
        # A member's PDF shows internal data: never let a shared cache keep it.
        internal = sees_internal(request.user)
        patch_cache_control(response, private=internal, public=not internal)
        patch_cache_control(response, no_cache=True)
        response["Vary"] = "Cookie"
        return response


class PlanPDFView(PDFView):
    def key_parts(self):
        return key_parts("plan", self.plan, self.request.user)

    def filename(self):
        return f"{self.plan.title}.pdf"

    def build_html(self, entry):
        return plan_pdf_html(self.plan, self.request.user, entry.data_date)


class ReportMixin(PlanMixin):
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
            since = parse_since(request.GET.get("since"))
        except ValueError as exc:
            return self.bad_since(str(exc))
        report = build_progress_report(self.plan, request.user, since=since)
        return render(
            request,
            "plans/plan_report.html",
            {"plan": self.plan, "report": report, "since": since},
        )


class PlanReportPDFView(ReportMixin, PDFView):
    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        try:
            self.since = parse_since(request.GET.get("since"))
        except ValueError as exc:
            return self.bad_since(str(exc))
        return super().get(request, *args, **kwargs)

    def key_parts(self):
        return key_parts("report", self.plan, self.request.user, self.since or "")

    def filename(self):
        return _("Progress report %(plan)s.pdf") % {"plan": self.plan.title}

    def build_html(self, entry):
        return report_pdf_html(self.plan, self.request.user, self.since)
