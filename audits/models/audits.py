"""Audits: the programme's audits, their status changes, the sample, purges and the
calendar feed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

from .common import SHORT_TEXT_LIMIT, TEXT_LIMIT
from .questions import QuestionSet


class Audit(PartnershipOwned):
    class Kind(models.TextChoices):
        DEEP_DIVE = "deep_dive", "Deep dive"
        MACFA = "macfa", "Multi-agency case file audit"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open for returns"
        MODERATION = "moderation", "Moderation"
        FINDINGS_AGREED = "findings_agreed", "Findings agreed"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200, validators=[validate_single_line])  # e-mail subjects
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DEEP_DIVE)
    priority = models.CharField(
        "partnership priority",
        max_length=120,
        help_text='e.g. "Mental health and wellbeing"',
        validators=[validate_single_line],
    )
    key_question = models.TextField(max_length=SHORT_TEXT_LIMIT)
    scope = models.TextField(blank=True, max_length=TEXT_LIMIT)
    methodology = models.TextField(blank=True, max_length=TEXT_LIMIT)
    returns_open = models.DateField()
    returns_due = models.DateField()
    moderation_date = models.DateField("moderation meeting", null=True, blank=True)
    briefing_due = models.DateField(null=True, blank=True)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="audits")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(
        default=False, help_text="Suspends the retention purge for this audit."
    )
    purged_at = models.DateTimeField(null=True, blank=True)
    look_back_months = models.PositiveSmallIntegerField(
        "look-back (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How far back before returns open the audit looks: key events before it "
        "are refused.",
    )
    # The audit's sample: the children it audits (a child can be in several audits).
    cases = models.ManyToManyField(
        "cases.Case", through="SampleCase", related_name="audits", blank=True
    )

    class Meta:
        ordering = ["-returns_open", "title"]
        indexes = [models.Index(fields=["status", "returns_due"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(returns_due__gte=F("returns_open")),
                name="audit_due_after_open",
                violation_error_message="Returns must be due on or after the date they open.",
            ),
            models.CheckConstraint(
                condition=Q(moderation_date__isnull=True)
                | Q(moderation_date__gte=F("returns_due")),
                name="audit_moderation_after_due",
                violation_error_message="The moderation meeting must be on or after the due date.",
            ),
            models.CheckConstraint(
                condition=Q(briefing_due__isnull=True) | Q(briefing_due__gte=F("returns_due")),
                name="audit_briefing_after_due",
                violation_error_message="The briefing must be due on or after the returns.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:audit-detail", args=[self.pk])


class CalendarFeed(PartnershipOwned):
    """A business-team member's private iCalendar address. Calendar apps cannot send a session
    cookie, so the address carries a signed token naming this key; a new key revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class SampleCase(PartnershipOwned):
    """A child in an audit's sample, with the agencies that audit their file for this audit:
    some of the child's involvements (cases.CaseAgency, which hold the record references once
    per child and agency), so a re-audit reuses the child's references and agencies."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="samples")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="samples")
    involvements = models.ManyToManyField("cases.CaseAgency", related_name="samples", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "case__pseudonym"]
        verbose_name = "child in the sample"
        verbose_name_plural = "children in the sample"
        constraints = [
            models.UniqueConstraint(fields=["audit", "case"], name="samplecase_unique_audit_case")
        ]

    def __str__(self) -> str:
        return f"{self.case} in {self.audit}"


class PurgeRecord(PartnershipOwned):
    """What the retention purge removed from an audit, when, and by which rule. Kept after
    the purge (and if the audit is later deleted) for the data protection officer."""

    audit = models.ForeignKey(
        Audit, null=True, blank=True, on_delete=models.SET_NULL, related_name="purges"
    )
    audit_title = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    rule = models.CharField(max_length=200)
    what = models.JSONField(default=dict, help_text="Counts of what was removed.")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Purge of {self.audit_title} on {self.at:%Y-%m-%d}"


class AuditTransition(PartnershipOwned):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Audit.Status.choices)
    to_status = models.CharField(max_length=20, choices=Audit.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.audit}: {self.from_status} → {self.to_status}"
