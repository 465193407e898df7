from django.apps import AppConfig


class AuditPortalConfig(AppConfig):
    name = "auditportal"
    verbose_name = "Audit trail"
