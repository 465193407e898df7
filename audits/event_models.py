"""Key events in a return (what happened to the child, as the agency's record shows it) and
the kinds of event the question bank offers. The merged multi-agency chronology is built from
these rows (findings.chronology)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

EVENT_TEXT_LIMIT = 200


class EventKind(PartnershipOwned):
    """A kind of key event (referral, strategy discussion, ...), kept with the question bank."""

    name = models.CharField(max_length=80, validators=[validate_single_line])
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired kinds are not offered.")
    # Stable identifier of a default kind (audits/event_bank.py); "case-closed" ends an
    # agency's involvement in the chronology.
    key = models.SlugField(max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "key event kind"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="eventkind_unique_name"),
            models.UniqueConstraint(
                fields=["partnership", "key"],
                condition=~Q(key=""),
                name="eventkind_unique_bank_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KeyEvent(PartnershipOwned):
    """One event in an agency's return: a date (or only a month), a kind and one line of text.
    `version` increases on every save so a save from a stale copy is refused, as for answers.
    Its partnership is its return's audit's."""

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"

    audit_return = models.ForeignKey(
        "audits.Return", on_delete=models.CASCADE, related_name="key_events"
    )
    # With month precision, the first day of the month.
    when = models.DateField()
    precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events")
    text = models.CharField(
        max_length=EVENT_TEXT_LIMIT, blank=True, validators=[validate_single_line]
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["audit_return", "when", "pk"]
        indexes = [models.Index(fields=["audit_return", "when"], name="keyevent_return_when")]

    def __str__(self) -> str:
        return f"Key event in return {self.audit_return_id}"

    def get_absolute_url(self) -> str:
        return reverse("audits:return-detail", args=[self.audit_return_id]) + f"#event-{self.pk}"

    @property
    def when_display(self) -> str:
        if self.precision == self.Precision.MONTH:
            return self.when.strftime("%b %Y")
        return f"{self.when.day} {self.when:%b %Y}"

    @property
    def when_input(self) -> str:
        """As the field shows it: 14/03/2025, or 03/2025 for a month."""
        if self.precision == self.Precision.MONTH:
            return self.when.strftime("%m/%Y")
        return self.when.strftime("%d/%m/%Y")
