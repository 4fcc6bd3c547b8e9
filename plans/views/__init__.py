"""Public views of the plans app, one module per area of the portal."""

from plans.views.actions import (
    ActionItemDetailView,
    ActionItemListView,
    OpenDataView,
    PlanActionDataView,
)
from plans.views.documents import PlanDetailView, PlanListView
from plans.views.indicators import (
    IndicatorDetailView,
    IndicatorListView,
    IndicatorSeriesView,
    PlanFundingDataView,
)
from plans.views.meetings import (
    MeetingChangesView,
    MeetingDetailView,
    MeetingListView,
    MeetingPackPDFView,
)
from plans.views.pdf import PlanPDFView, PlanReportPDFView, PlanReportView

__all__ = [
    "ActionItemDetailView",
    "ActionItemListView",
    "IndicatorDetailView",
    "IndicatorListView",
    "IndicatorSeriesView",
    "MeetingChangesView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingPackPDFView",
    "OpenDataView",
    "PlanActionDataView",
    "PlanDetailView",
    "PlanFundingDataView",
    "PlanListView",
    "PlanPDFView",
    "PlanReportPDFView",
    "PlanReportView",
]
