"""Public pages of organisations and governing bodies."""

from django.views.generic import DetailView, ListView

from stakeholders.models import GoverningBody, Organisation


class OrganisationListView(ListView):
    model = Organisation


class OrganisationDetailView(DetailView):
    model = Organisation


class GoverningBodyListView(ListView):
    queryset = GoverningBody.objects.with_members()


class GoverningBodyDetailView(DetailView):
    queryset = GoverningBody.objects.with_members()
