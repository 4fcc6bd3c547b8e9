"""The governance register: the governing bodies with their members, mandate,
cadence and reporting lines, and their latest meetings."""

from django.views.generic import DetailView, ListView

from plans.models import Meeting
from stakeholders.models import GoverningBody

MEETINGS_SHOWN = 20


class GoverningBodyListView(ListView):
    """The governing bodies in order: members, mandate, cadence, reporting."""

    def get_queryset(self):
        return GoverningBody.objects.with_members().select_related("reports_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = list(context["object_list"])
        context["object_list"] = context["governingbody_list"] = bodies
        context["reporting_lines"] = [body for body in bodies if body.reports_to]
        context["meetings"] = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("body")
            .order_by("-date", "body__order")[:MEETINGS_SHOWN]
        )
        return context


class GoverningBodyDetailView(DetailView):
    """One governing body with its members and meetings."""

    def get_queryset(self):
        return (
            GoverningBody.objects.with_members()
            .select_related("reports_to")
            .prefetch_related("reporting_bodies")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.object
        context["meetings"] = Meeting.objects.visible_to(self.request.user).filter(
            body=body
        )
        context["adopted_plans"] = body.adopted_plans.visible_to(self.request.user)
        return context
