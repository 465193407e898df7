from django.conf import settings
from django.db import models

from .tenancy import PartnershipOwned, current_partnership_id


class AuditEvent(PartnershipOwned):
    """One row of the audit trail: a change made through a service, or a view of sensitive data.

    Rows are written by `auditportal.auditlog.audit_log` only; the app offers no way to edit
    or delete them. `code` is a registered event code ("return.viewed": see
    auditportal/trail_registry.py). `target_repr` never holds a record reference or other
    identifier.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        ACCESS = "access", "Access"
        SECURITY = "security", "Security"

    # Blank for the hosting administration's own events (creating a partnership).
    partnership = models.ForeignKey(  # type: ignore[assignment]
        "cases.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        default=current_partnership_id,
        editable=False,
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    code = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.code} {self.target_repr}"


class AccessedRecord(PartnershipOwned):
    """One record a list page showed, for that page's one access row (My returns lists many
    returns, and its row has no single target): the trail of each record finds the row
    through these (auditportal/trail_records.py), as it finds other rows by their target."""

    partnership = models.ForeignKey(  # type: ignore[assignment]
        "cases.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        default=current_partnership_id,
        editable=False,
    )
    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="records")
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id} (event {self.event_id})"


class OutboxMessage(models.Model):
    """A Celery task to run, written in the same transaction as the change that needs it
    (auditportal.outbox.enqueue), then handed to the queue by the relay. The change and its
    e-mail or render commit together, and nothing is lost while Redis is away."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the queue"
        SENT = "sent", "Handed to the queue"

    task = models.CharField(max_length=100)  # a registered task name, e.g. "briefings.render_pdf"
    kwargs = models.JSONField(default=dict, blank=True)
    # What the task is about ("briefings.briefingversion:42"), so a page can say it waits.
    ref = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Run no earlier than this (a countdown); the queue holds it until then.
    eta = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.task} ({self.get_status_display().lower()})"

    @property
    def is_waiting(self) -> bool:
        """Still pending after the relay tried at least once: the queue is away."""
        return self.status == self.Status.PENDING and self.attempts > 0
