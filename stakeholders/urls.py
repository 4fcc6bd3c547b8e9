from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path(
        "stakeholders/",
        views.OrganisationListView.as_view(),
        name="organisation-list",
    ),
    path(
        "stakeholders/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "governance/",
        views.GoverningBodyListView.as_view(),
        name="governingbody-list",
    ),
    path(
        "governance/<slug:slug>/",
        views.GoverningBodyDetailView.as_view(),
        name="governingbody-detail",
    ),
]
