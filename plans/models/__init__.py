"""The models of the plans app, one module per aggregate."""

from flemingsberg.locking import ConcurrentEditError
from plans.models.actions import ActionItem, ActionItemQuerySet, UpdateState
from plans.models.funding import FundingContribution
from plans.models.indicators import Indicator, IndicatorTarget, IndicatorValue
from plans.models.meetings import (
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    Meeting,
    MeetingDecision,
)
from plans.models.pdfs import AdoptedEdition, RenderedDocument
from plans.models.plans import (
    FocusArea,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from plans.models.reminders import ReminderSent
from plans.models.updates import ActionUpdate

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "ActionUpdate",
    "AdoptedEdition",
    "BoardPack",
    "BoardPackIndicator",
    "BoardPackItem",
    "ConcurrentEditError",
    "FocusArea",
    "FundingContribution",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "Meeting",
    "MeetingDecision",
    "Plan",
    "ReminderSent",
    "RenderedDocument",
    "Section",
    "Strategy",
    "StrategyMeasure",
    "TargetStatement",
    "UpdateState",
    "VisionStatement",
]
