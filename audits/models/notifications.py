"""The record of each e-mail sent, so none is sent twice."""

from django.conf import settings
from django.db import models

from auditportal.tenancy import PartnershipOwned


class NotificationSent(PartnershipOwned):
    """One row per email event, keyed so a retried or repeated task never sends it twice."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
