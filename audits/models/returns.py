"""Returns: one agency's audit form for one case, its answers and checklist ticks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from rules.contrib.models import RulesModelBase, RulesModelMixin

from auditportal.tenancy import PartnershipOwned
from audits.rules import may_answer_return, may_manage_agency_returns, may_send_back_return

from .audits import Audit
from .common import SHORT_TEXT_LIMIT, TEXT_LIMIT
from .questions import QuestionSetItem


class Return(RulesModelMixin, PartnershipOwned, metaclass=RulesModelBase):
    """One agency's audit form for one case. `version` increases on every save so a save made
    against a stale copy is refused (optimistic concurrency)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for amendment"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="returns")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey("cases.Agency", on_delete=models.PROTECT, related_name="returns")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_returns",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amendment_reason = models.TextField(blank=True, max_length=SHORT_TEXT_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # audits.answer_return, audits.send_back_return, audits.reassign_return (audits/rules.py)
        rules_permissions = {
            "answer": may_answer_return,
            "send_back": may_send_back_return,
            "reassign": may_manage_agency_returns,
        }
        ordering = ["audit", "case__pseudonym", "agency__name"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["audit", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "case", "agency"], name="return_unique_audit_case_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("audits:return-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return (
            self.status
            in {
                self.Status.NOT_STARTED,
                self.Status.IN_PROGRESS,
                self.Status.RETURNED,
            }
            and self.audit.status == Audit.Status.OPEN
        )


class Answer(PartnershipOwned):
    """An answer to one question of a return. `choice` holds a Grade or YesPartlyNo value;
    checklist ticks are AnswerTick rows so prevalence can be counted in the database."""

    audit_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(QuestionSetItem, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=30, blank=True)
    number = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_LIMIT)
    evidence = models.TextField(blank=True, max_length=TEXT_LIMIT)
    moderated_choice = models.CharField(max_length=30, blank=True)
    moderation_reason = models.TextField(blank=True, max_length=SHORT_TEXT_LIMIT)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audit_return", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["audit_return", "item"], name="answer_unique_item"),
            models.CheckConstraint(
                condition=Q(moderated_choice="") | ~Q(moderation_reason=""),
                name="answer_moderation_needs_reason",
                violation_error_message="A moderated grade needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.item_id} in return {self.audit_return_id}"


class AnswerTick(PartnershipOwned):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ticks")
    option = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "option"], name="answertick_unique_option")
        ]

    def __str__(self) -> str:
        return self.option
