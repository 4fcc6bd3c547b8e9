"""Public pages of plans, action items and indicators."""

from django.views.generic import DetailView, ListView

from plans.models import ActionItem, Indicator, Plan


class PlanListView(ListView):
    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).select_related("owner")


class PlanDetailView(DetailView):
    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).select_related(
            "owner", "adopted_by", "parent"
        )


class ActionItemListView(ListView):
    paginate_by = 25

    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).with_related()


class ActionItemDetailView(DetailView):
    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).with_related()


class IndicatorListView(ListView):
    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user)


class IndicatorDetailView(DetailView):
    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user)


class OpenDataView(ListView):
    template_name = "plans/open_data.html"

    def get_queryset(self):
        return Plan.objects.published().select_related("owner")
