"""Default rights of each role in the inspections app (rights are data; see sites/roles.py)."""

from sites.roles import Role

INSPECTIONS_ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.STAFF: {
        "inspections.view_standard", "inspections.add_standard", "inspections.change_standard",
        "inspections.view_inspectionplan", "inspections.add_inspectionplan", "inspections.change_inspectionplan",
        "inspections.view_sealed_plan",
        "inspections.view_inspection", "inspections.review_inspection",
        "inspections.view_evidence",
        "inspections.view_rectification", "inspections.verify_rectification",
        "inspections.view_assessmentrun", "inspections.run_assessment", "inspections.confirm_title",
        "inspections.view_assessmentvillageresult", "inspections.view_appeal", "inspections.view_titledecision",
    },
    Role.INSPECTOR: {
        "inspections.view_standard", "inspections.view_inspectionplan",
        "inspections.view_inspection", "inspections.change_inspection", "inspections.view_evidence",
        "inspections.view_rectification", "inspections.verify_rectification",
    },
    Role.CADRE: {
        "inspections.view_standard", "inspections.view_inspection", "inspections.view_evidence",
        "inspections.view_rectification", "inspections.respond_rectification",
        "inspections.view_assessmentvillageresult", "inspections.view_appeal", "inspections.add_appeal",
    },
    Role.LIAISON: {
        "inspections.view_inspection", "inspections.view_evidence",
        "inspections.view_rectification", "inspections.respond_rectification",
    },
}  # fmt: skip
