from django.apps import AppConfig


class AuditPortalConfig(AppConfig):
    name = "auditportal"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import security  # noqa: F401  (signal receivers)
        from .history import register_history
        from .trail_registry import register_installed_apps

        register_history()
        register_installed_apps()
