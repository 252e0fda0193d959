"""django-import-export resources, built from the ledgers' columns so the admin exports the same Chinese
headers as the pages. Exports only: every import goes through the dry-run engine (sites/imports),
which checks scope and saves through the services.

Each text cell is escaped here (django-import-export only strips a leading '=' by default).
"""
from import_export import fields, resources

from wuzha.lib.excel_export import export_cell

from .imports.site_ledger import SiteLedger
from .imports.user_ledger import VillageUserLedger
from .models import Membership, Site


class SafeExportResource(resources.ModelResource):
    """Neutralises formula injection and writes dates and booleans the Chinese way."""

    def export_field(self, field, instance, **kwargs):
        return export_cell(super().export_field(field, instance, **kwargs))


def _fields_from(ledger, paths: dict[str, str], display: dict[str, str] | None = None) -> dict:
    display = display or {}
    attrs = {}
    for column in ledger.columns:
        path = paths.get(column.field, column.field)
        name = display.get(column.field)
        attrs[column.field] = fields.Field(attribute=name or path, column_name=column.header, readonly=True)
    return attrs


class SiteResource(SafeExportResource):
    locals().update(_fields_from(SiteLedger, {"town": "village__parent__name", "village": "village__name"},
                                 {"kind": "get_kind_display", "school_level": "get_school_level_display"}))  # fmt: skip

    class Meta:
        model = Site
        fields = tuple(c.field for c in SiteLedger.columns)
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("village__parent")


class MembershipResource(SafeExportResource):
    locals().update(_fields_from(VillageUserLedger, {
        "username": "user__username", "full_name": "user__first_name", "town": "area__parent__name",
        "village": "area__name", "site": "site__name", "email": "user__email",
    }, {"role": "get_role_display"}))  # fmt: skip

    class Meta:
        model = Membership
        fields = tuple(c.field for c in VillageUserLedger.columns)
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("user", "area__parent", "site")
