from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One row of the audit trail: a change made through a service, or a view of sensitive data.

    Rows are written by `auditportal.auditlog.audit_log` only; the app offers no way to edit
    or delete them. `target_repr` never holds a record reference or other identifier.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        ACCESS = "access", "Access"
        SECURITY = "security", "Security"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    verb = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_repr}"
