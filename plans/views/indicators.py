"""Indicators: their targets, measured values, trajectory, status and chart.

Also the data behind them: each indicator's series as CSV or JSON, and a plan's
co-funding ledger as CSV or XLSX.
"""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DetailView, ListView

from plans.charts.indicators import indicator_chart
from plans.exports import CSV_DELIMITER, inert
from plans.formatting import trimmed
from plans.models import ActionItem, FundingContribution, Plan
from plans.services.funding import LEDGER_FORMATS, FundingLedger, ledger_response
from plans.services.indicators import FollowUp, Status, rule_text, visible_indicators
from plans.views.documents import plan_document_queryset

TEXT_KEYS = {"label", "source", "note"}


class VisibleIndicatorsMixin:
    """Indicators the visitor may see, with targets and visible measured values."""

    def get_queryset(self):
        return visible_indicators(self.request.user)

    @staticmethod
    def prepare(indicator):
        """Numbers ready for display, the latest value and the follow-up."""
        indicator.baseline = trimmed(indicator.baseline_value)
        for target in indicator.target_list:
            target.number = trimmed(target.value)
        for value in indicator.value_list:
            value.number = trimmed(value.value)
            value.number_high = trimmed(value.value_high)
        indicator.latest_value = (
            indicator.value_list[-1] if indicator.value_list else None
        )
        indicator.follow_up = FollowUp.of(indicator)
        return indicator


class IndicatorListView(VisibleIndicatorsMixin, ListView):
    """All visible indicators with unit, targets, latest value and status."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict.fromkeys(Status.values, 0)
        for indicator in context["object_list"]:
            self.prepare(indicator)
            counts[indicator.follow_up.evaluation.status] += 1
        context["rule_text"] = rule_text()
        context["status_counts"] = [
            (Status(status), count) for status, count in counts.items() if count
        ]
        return context


class IndicatorDetailView(VisibleIndicatorsMixin, DetailView):
    """One indicator: chart, status, every target and every visible value."""

    def get_object(self, queryset=None):
        return self.prepare(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        user = self.request.user
        plans = Plan.objects.visible_to(user)
        follow_up = indicator.follow_up
        context.update(
            plans=indicator.plans.visible_to(user),
            follow_up=follow_up,
            chart=indicator_chart(follow_up, chart_id="indikator-diagram"),
            chart_rows=follow_up.chart_rows(),
            rule_text=rule_text(),
            strategies=indicator.strategies.filter(plan__in=plans).select_related(
                "plan"
            ),
            target_statements=indicator.target_statements.filter(
                plan__in=plans
            ).select_related("plan"),
            action_items=indicator.action_items.filter(
                pk__in=ActionItem.objects.visible_to(user).values("pk")
            ).select_related("plan"),
        )
        return context


# ---------------------------------------------------------------------------
# Data: an indicator's series, a plan's funding ledger
# ---------------------------------------------------------------------------

SERIES_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
SERIES_KEYS = [
    "kind",
    "date",
    "year",
    "value",
    "value_high",
    "expected",
    "label",
    "source",
    "note",
]


def _number(value):
    return None if value is None else str(trimmed(value))


def series_rows(follow_up):
    """Baseline, targets and visible measured values as rows (stable keys)."""
    indicator = follow_up.indicator
    rows = []
    if indicator.baseline_value is not None:
        rows.append(
            {
                "kind": "baseline",
                "date": None,
                "year": indicator.baseline_year,
                "value": _number(indicator.baseline_value),
                "value_high": None,
                "expected": None,
                "label": "",
                "source": "",
                "note": "",
            }
        )
    for target in follow_up.targets:
        rows.append(
            {
                "kind": "target",
                "date": None,
                "year": target.year,
                "value": _number(target.value),
                "value_high": None,
                "expected": None,
                "label": target.label,
                "source": "",
                "note": "step" if target.is_step else "",
            }
        )
    for value in follow_up.values:
        rows.append(
            {
                "kind": "value",
                "date": value.date.isoformat(),
                "year": value.date.year,
                "value": _number(value.value),
                "value_high": _number(value.value_high),
                "expected": _number(follow_up.trajectory.expected_at(value.date)),
                "label": "",
                "source": value.source,
                "note": value.note,
            }
        )
    return rows


def _csv_cell(key, value):
    """A cell of the series CSV; text a spreadsheet would run is made inert."""
    if value is None:
        return ""
    if key in TEXT_KEYS:
        return inert(str(value))
    return value


class IndicatorSeriesView(View):
    """``/indicators/<pk>/series.csv`` and ``.json``: the indicator's figures."""

    def get(self, request, pk, format):
        if format not in SERIES_FORMATS:
            raise Http404
        indicator = get_object_or_404(visible_indicators(request.user), pk=pk)
        follow_up = FollowUp.of(indicator)
        rows = series_rows(follow_up)
        if format == "json":
            evaluation = follow_up.evaluation
            payload = {
                "indicator": {
                    "id": indicator.pk,
                    "name": indicator.name,
                    "slug": indicator.slug,
                    "unit": indicator.unit,
                    "direction": indicator.direction,
                    "baseline_year": indicator.baseline_year,
                    "baseline_value": _number(indicator.baseline_value),
                    "url": request.build_absolute_uri(indicator.get_absolute_url()),
                },
                "status": {
                    "status": evaluation.status,
                    "label": str(evaluation.label),
                    "expected": _number(evaluation.expected),
                    "rule": rule_text(),
                },
                "series": rows,
            }
            content = json.dumps(payload, ensure_ascii=False, indent=2).encode()
        else:
            buffer = io.StringIO()
            buffer.write("\ufeff")
            writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
            writer.writerow(SERIES_KEYS)
            for row in rows:
                writer.writerow([_csv_cell(key, row[key]) for key in SERIES_KEYS])
            content = buffer.getvalue().encode("utf-8")
        response = HttpResponse(content, content_type=SERIES_FORMATS[format])
        response["Content-Disposition"] = content_disposition_header(
            format == "csv", f"{indicator.slug}.{format}"
        )
        return response


class PlanFundingDataView(View):
    """``/plans/<slug>/funding.csv`` and ``.xlsx``: the co-funding ledger."""

    def get(self, request, slug, format):
        if format not in LEDGER_FORMATS:
            raise Http404
        plan = get_object_or_404(plan_document_queryset(request.user), slug=slug)
        ledger = FundingLedger.from_contributions(
            FundingContribution.objects.filter(plan=plan).select_related("organisation")
        )
        return ledger_response(plan, ledger, format)
