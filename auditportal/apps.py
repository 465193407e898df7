from django.apps import AppConfig


class AuditPortalConfig(AppConfig):
    name = "auditportal"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import (
            row_security,
            security,  # noqa: F401  (signal receivers)
            tenancy_db,
        )
        from .history import register_history
        from .trail_registry import register_installed_apps

        register_history()
        tenancy_db.connect_signals()
        # The policies again after every migrate: a model made partnership-owned later is covered.
        post_migrate.connect(
            row_security.apply_after_migrate, sender=self, dispatch_uid="row_security"
        )
        register_installed_apps()
