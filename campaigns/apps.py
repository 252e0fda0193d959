from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, enrolment, the propaganda ledger, duties, the public survey and "what is missing"."""

    name = "campaigns"
    verbose_name = "创建活动"

    def ready(self):
        from django.db.models.signals import post_migrate

        from sites.roles import role_defaults_installer

        from .roles import CAMPAIGNS_ROLE_PERMISSIONS

        post_migrate.connect(role_defaults_installer(CAMPAIGNS_ROLE_PERMISSIONS), sender=self, weak=False)

        from . import imports  # noqa: F401  (register the activities ledger for Excel import/export)
