"""Indicators: their targets, measured values and charts."""

from django.views.generic import DetailView, ListView

from plans.models import Indicator


class IndicatorListView(ListView):
    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user)


class IndicatorDetailView(DetailView):
    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user)
