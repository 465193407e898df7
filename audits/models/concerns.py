"""Immediate concerns raised from a return, and the e-mail alerts about each."""

from django.conf import settings
from django.db import models

from auditportal.tenancy import PartnershipOwned

from .audits import Audit
from .returns import Return


class ImmediateConcern(PartnershipOwned):
    """A child may be at risk now: raised from inside a return, open until someone records
    the action taken."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="concerns")
    audit_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="concerns")
    description = models.TextField(max_length=2000)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    action_taken = models.TextField(blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Immediate concern in {self.audit_return}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ConcernAlert(PartnershipOwned):
    """One e-mail alerting one person to an immediate concern, and whether it went. Created
    with the concern; tried at once, then again with back-off; the concern's page lists
    them, and any that has failed is shown to the business team until it goes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Sending"
        SENT = "sent", "Sent to the mail server"
        FAILED = "failed", "Not delivered"

    concern = models.ForeignKey(ImmediateConcern, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, in words ("Dana Reid, business team"; "Police's safeguarding lead"), and where to.
    label = models.CharField(max_length=200)
    address = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["concern", "pk"]
        indexes = [models.Index(fields=["status"], name="concernalert_status")]

    def __str__(self) -> str:
        return f"Alert to {self.label} ({self.get_status_display().lower()})"

    @property
    def is_failing(self) -> bool:
        """Not sent, and tried at least once: someone may not know about the concern."""
        return self.status != self.Status.SENT and self.attempts > 0
