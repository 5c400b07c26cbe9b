"""The after-incident records, one module per sub-domain."""

from clearline.reviews.models.plan import DUE_DAY, PlanItem, PlanItemState, PlanStep

__all__ = ["DUE_DAY", "PlanItem", "PlanItemState", "PlanStep"]
