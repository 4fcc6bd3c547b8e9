"""Indicators: their targets, measured values and charts."""

from decimal import Decimal

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from plans.models import Indicator, IndicatorTarget, IndicatorValue


def trimmed(number):
    """A decimal without trailing zeros and never in exponent form (80.50 → 80.5).

    Templates show it with ``intcomma``, which groups thousands the Swedish way.
    """
    if number is None:
        return None
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


class VisibleIndicatorsMixin:
    """Indicators the visitor may see, with targets and visible measured values."""

    def get_queryset(self):
        user = self.request.user
        return Indicator.objects.visible_to(user).prefetch_related(
            Prefetch(
                "targets",
                queryset=IndicatorTarget.objects.order_by("year"),
                to_attr="target_list",
            ),
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.visible_to(user).order_by("date", "pk"),
                to_attr="value_list",
            ),
        )

    @staticmethod
    def prepare(indicator):
        """Numbers ready for display, and the latest measured value."""
        indicator.baseline = trimmed(indicator.baseline_value)
        for target in indicator.target_list:
            target.number = trimmed(target.value)
        for value in indicator.value_list:
            value.number = trimmed(value.value)
            value.number_high = trimmed(value.value_high)
        indicator.latest_value = (
            indicator.value_list[-1] if indicator.value_list else None
        )
        return indicator


class IndicatorListView(VisibleIndicatorsMixin, ListView):
    """All visible indicators with unit, targets and latest measured value."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for indicator in context["object_list"]:
            self.prepare(indicator)
        return context


class IndicatorDetailView(VisibleIndicatorsMixin, DetailView):
    """One indicator: every target and every visible measured value."""

    def get_object(self, queryset=None):
        return self.prepare(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plans"] = self.object.plans.visible_to(self.request.user)
        return context
