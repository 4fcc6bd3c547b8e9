"""Public views of the plans app, one module per area of the portal."""

from plans.views.actions import (
    ActionItemDetailView,
    ActionItemListView,
    OpenDataView,
    PlanActionDataView,
)
from plans.views.documents import PlanDetailView, PlanListView
from plans.views.governance import GoverningBodyDetailView, GoverningBodyListView
from plans.views.indicators import (
    IndicatorDetailView,
    IndicatorListView,
    IndicatorSeriesView,
    PlanFundingDataView,
)
from plans.views.meetings import (
    BoardPackPDFView,
    MeetingChangesView,
    MeetingDetailView,
    MeetingListView,
    MeetingPackMembersPDFView,
    MeetingPackPDFView,
)
from plans.views.organisations import OrganisationDetailView, OrganisationListView
from plans.views.overview import DashboardView, HomeView
from plans.views.pdf import (
    AdoptedPDFView,
    PlanPDFView,
    PlanReportPDFView,
    PlanReportView,
)
from plans.views.search import SearchView

__all__ = [
    "ActionItemDetailView",
    "ActionItemListView",
    "AdoptedPDFView",
    "BoardPackPDFView",
    "DashboardView",
    "GoverningBodyDetailView",
    "GoverningBodyListView",
    "HomeView",
    "IndicatorDetailView",
    "IndicatorListView",
    "IndicatorSeriesView",
    "MeetingChangesView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingPackMembersPDFView",
    "MeetingPackPDFView",
    "OpenDataView",
    "OrganisationDetailView",
    "OrganisationListView",
    "PlanActionDataView",
    "PlanDetailView",
    "PlanFundingDataView",
    "PlanListView",
    "PlanPDFView",
    "PlanReportPDFView",
    "PlanReportView",
    "SearchView",
]
