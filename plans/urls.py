from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("actions/", views.ActionItemListView.as_view(), name="actionitem-list"),
    path(
        "actions/<int:pk>/",
        views.ActionItemDetailView.as_view(),
        name="actionitem-detail",
    ),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path(
        "indicators/<int:pk>/",
        views.IndicatorDetailView.as_view(),
        name="indicator-detail",
    ),
    path("open-data/", views.OpenDataView.as_view(), name="open-data"),
    path(
        "open-data/<slug:slug>/actions.<str:format>",
        views.PlanActionDataView.as_view(),
        name="plan-action-data",
    ),
]

urlpatterns += [
    path("plans/<slug:slug>/pdf/", views.PlanPDFView.as_view(), name="plan-pdf"),
    path(
        "plans/<slug:slug>/adopted.pdf",
        views.AdoptedPDFView.as_view(),
        name="plan-adopted-pdf",
    ),
    path(
        "plans/<slug:slug>/report/",
        views.PlanReportView.as_view(),
        name="plan-report",
    ),
    path(
        "plans/<slug:slug>/report/pdf/",
        views.PlanReportPDFView.as_view(),
        name="plan-report-pdf",
    ),
]

# Organisations and the governance register, with meetings and board packs.
urlpatterns += [
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
        "governance/meetings/",
        views.MeetingListView.as_view(),
        name="meeting-list",
    ),
    path(
        "governance/meetings/<int:pk>/",
        views.MeetingDetailView.as_view(),
        name="meeting-detail",
    ),
    path(
        "governance/meetings/<int:pk>/changes/",
        views.MeetingChangesView.as_view(),
        name="meeting-changes",
    ),
    path(
        "governance/meetings/<int:pk>/pack.pdf",
        views.MeetingPackPDFView.as_view(),
        name="meeting-pack-pdf",
    ),
    path(
        "governance/meetings/<int:pk>/pack-members.pdf",
        views.MeetingPackMembersPDFView.as_view(),
        name="meeting-pack-members-pdf",
    ),
    path(
        "governance/meetings/<int:pk>/packs/<int:pack>/<slug:edition>.pdf",
        views.BoardPackPDFView.as_view(),
        name="boardpack-pdf",
    ),
    # After governance/meetings/: a body is never called "meetings".
    path(
        "governance/<slug:slug>/",
        views.GoverningBodyDetailView.as_view(),
        name="governingbody-detail",
    ),
]

# Indicator series and the co-funding ledger as data.
urlpatterns += [
    path(
        "indicators/<int:pk>/series.<str:format>",
        views.IndicatorSeriesView.as_view(),
        name="indicator-series",
    ),
    path(
        "plans/<slug:slug>/funding.<str:format>",
        views.PlanFundingDataView.as_view(),
        name="plan-funding-data",
    ),
]

# Search across everything a visitor may see.
urlpatterns += [
    path("search/", views.SearchView.as_view(), name="search"),
]
