from django.apps import AppConfig


class SitesConfig(AppConfig):
    """The jurisdiction tree, creation sites and who may see them (label `sites`; keep django.contrib.sites out)."""

    name = "sites"
    label = "sites"
    verbose_name = "辖区与创建单位"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import SITES_ROLE_PERMISSIONS, role_defaults_installer

        post_migrate.connect(role_defaults_installer(SITES_ROLE_PERMISSIONS), sender=self, weak=False)

        from . import audit, audit_admin  # noqa: F401  (audit trail: login signals, user admin actions)

        audit.connect()
        from .imports import (  # noqa: F401  (register the ledgers for import/export)
            incident_ledger, keyperson_ledger, premises_ledger, site_ledger, sweep_ledger, user_ledger,
        )
