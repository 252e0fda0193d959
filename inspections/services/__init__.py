"""Writes of the inspections app. Views, the admin, imports, tasks and the demo call these."""

from .inspecting import (
    evidence_add,
    inspection_approve,
    inspection_return,
    inspection_save_marks,
    inspection_submit,
)
from .plans import plan_add_site, plan_create, plan_draw, plan_publish, plan_verify_draw
from .rectifications import rectification_respond, rectification_verify, rectifications_escalate_overdue
from .standards import standard_copy_as_new_version, standard_save, standard_set_items

__all__ = [
    "evidence_add", "inspection_approve", "inspection_return", "inspection_save_marks", "inspection_submit",
    "plan_add_site", "plan_create", "plan_draw", "plan_publish", "plan_verify_draw",
    "rectification_respond", "rectification_verify", "rectifications_escalate_overdue",
    "standard_copy_as_new_version", "standard_save", "standard_set_items",
]  # fmt: skip
