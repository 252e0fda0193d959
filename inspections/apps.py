from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Standards, sealed inspection plans, phone scoring, review and rectification (N6.4)."""

    name = "inspections"
    verbose_name = "明察暗访与考核"

    def ready(self):
        from django.db.models.signals import post_migrate

        from sites.roles import role_defaults_installer

        from .roles import INSPECTIONS_ROLE_PERMISSIONS

        post_migrate.connect(role_defaults_installer(INSPECTIONS_ROLE_PERMISSIONS), sender=self, weak=False)

        from .dashboard import tasks  # noqa: F401  (registers dashboard_refresh with Celery)
        from .dashboard.cache import connect

        connect()  # dashboard cache: writes bump their town's generation (issue 8)
