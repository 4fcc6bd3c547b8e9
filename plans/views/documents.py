"""The plan documents: the list of plans and one plan as an HTML document."""

from django.views.generic import DetailView, ListView

from plans.models import Plan


class PlanListView(ListView):
    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).select_related("owner")


class PlanDetailView(DetailView):
    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).select_related(
            "owner", "adopted_by", "parent"
        )
