"""Models of the inspections app; one module per family, re-exported here."""

from .assessment import (
    Appeal, AssessmentEvent, AssessmentRules, AssessmentRun, AssessmentVillageResult, TitleDecision,
)  # fmt: skip
from .inspection import Evidence, Inspection, InspectionQuerySet, ItemScore, ReviewComment
from .plan import InspectionPlan, PlanInspector, PlanQuerySet, SealedViewLog
from .rectification import Rectification, RectificationQuerySet
from .standard import Standard, StandardItem, StandardQuerySet

__all__ = [
    "Appeal", "AssessmentRules", "AssessmentRun", "AssessmentVillageResult", "TitleDecision",
    "Evidence", "Inspection", "InspectionQuerySet", "ItemScore", "ReviewComment",
    "InspectionPlan", "PlanInspector", "PlanQuerySet", "SealedViewLog",
    "Rectification", "RectificationQuerySet", "Standard", "StandardItem", "StandardQuerySet",
]  # fmt: skip
