"""Indicators: their targets, measured values, trajectory, status and chart.

Also the data behind them: each indicator's series as CSV or JSON, and a plan's
co-funding ledger as CSV or XLSX.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView, ListView

from plans import charts
from plans.exports.funding import LEDGER_FORMATS, ledger_download
from plans.exports.indicators import SERIES_FORMATS, series_download
from plans.formatting import trimmed
from plans.models import ActionItem, FundingContribution, Plan
from plans.services.funding import FundingLedger
from plans.services.indicators import FollowUp, Status, rule_text, visible_indicators
from plans.views.documents import plan_document_queryset


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
            chart=charts.indicator_chart(follow_up, chart_id="indikator-diagram"),
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


class IndicatorSeriesView(View):
    """``/indicators/<pk>/series.csv`` and ``.json``: the indicator's figures."""

    def get(self, request, pk, format):
        if format not in SERIES_FORMATS:
            raise Http404
        indicator = get_object_or_404(visible_indicators(request.user), pk=pk)
        return series_download(FollowUp.of(indicator), format, request)


class PlanFundingDataView(View):
    """``/plans/<slug>/funding.csv`` and ``.xlsx``: the co-funding ledger."""

    def get(self, request, slug, format):
        if format not in LEDGER_FORMATS:
            raise Http404
        plan = get_object_or_404(plan_document_queryset(request.user), slug=slug)
        ledger = FundingLedger.from_contributions(
            FundingContribution.objects.filter(plan=plan).select_related("organisation")
        )
        return ledger_download(plan, ledger, format)
