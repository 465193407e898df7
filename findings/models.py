from django.conf import settings
from django.db import models
from django.db.models import F, Q
from rules.contrib.models import RulesModelBase, RulesModelMixin

from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

from .rules import may_work_on_findings

QUOTE_LIMIT = 400


class Finding(PartnershipOwned):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Area working well"
        DEVELOPMENT = "development", "Area for development"

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="findings")
    theme = models.ForeignKey("audits.Theme", on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(max_length=2000)
    agencies = models.ManyToManyField("cases.Agency", blank=True, related_name="findings")
    # Traceability only: never printed in a briefing.
    source_returns = models.ManyToManyField("audits.Return", blank=True, related_name="findings")
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audit", "kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SubGroup(PartnershipOwned):
    """A named sub-group of the partnership that can own actions (e.g. Safeguarding in
    Education)."""

    name = models.CharField(max_length=120, validators=[validate_single_line])
    lead_name = models.CharField(max_length=120, blank=True)
    lead_email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="subgroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Action(RulesModelMixin, PartnershipOwned, metaclass=RulesModelBase):
    class Section(models.TextChoices):
        WILL_DO = "will_do", "What we will do with the findings"
        NEXT_STEP = "next_step", "Next steps"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(max_length=2000)
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.WILL_DO)
    owner_agency = models.ForeignKey(
        "cases.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner_subgroup = models.ForeignKey(
        SubGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completion_evidence = models.TextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        rules_permissions = {"edit": may_work_on_findings}  # findings.edit_action
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The action tracker's default order (and its reverse): one page read from the
            # index instead of sorting every action (docs/benchmarks.md).
            models.Index(fields=["due_date", "id"], name="findings_action_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_agency__isnull=False) & Q(owner_subgroup__isnull=True))
                | (Q(owner_agency__isnull=True) & Q(owner_subgroup__isnull=False)),
                name="action_exactly_one_owner",
                violation_error_message="An action is owned by an agency or a sub-group.",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner(self) -> models.Model | None:
        return self.owner_agency or self.owner_subgroup


class Engagement(PartnershipOwned):
    """Survey reach for an audit: response rate = responses / surveys shared."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="engagement"
    )
    cyp_shared = models.PositiveIntegerField(
        "surveys shared with children and young people", default=0
    )
    cyp_responses = models.PositiveIntegerField(
        "responses from children and young people", default=0
    )
    parent_shared = models.PositiveIntegerField("surveys shared with parents and carers", default=0)
    parent_responses = models.PositiveIntegerField("responses from parents and carers", default=0)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cyp_responses__lte=F("cyp_shared")),
                name="engagement_cyp_responses_le_shared",
                violation_error_message="Responses cannot exceed the surveys shared.",
            ),
            models.CheckConstraint(
                condition=Q(parent_responses__lte=F("parent_shared")),
                name="engagement_parent_responses_le_shared",
                violation_error_message="Responses cannot exceed the surveys shared.",
            ),
        ]

    def __str__(self) -> str:
        return f"Engagement for {self.audit}"


class Quote(PartnershipOwned):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(max_length=QUOTE_LIMIT)
    source_label = models.CharField(max_length=80, help_text='e.g. "young person, deep dive"')
    consent = models.BooleanField("consent to publish", default=False)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # A quote made from a survey answer: the answer keeps the respondent's original words
    # (read-only); `text` is the business team's edit for anonymity. Such a quote reaches a
    # briefing only once approved. Quotes typed by the business team need no approval.
    survey_answer = models.OneToOneField(
        "surveys.SurveyAnswer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quote",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["audit", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def may_be_published(self) -> bool:
        """Consented, and (when it came from a survey) approved after its anonymity edit."""
        return self.consent and (self.survey_answer_id is None or self.approved_at is not None)


class Resource(PartnershipOwned):
    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        TOOLKIT = "toolkit", "Toolkit"
        GUIDANCE = "guidance", "Guidance"

    title = models.CharField(max_length=200, validators=[validate_single_line])
    url = models.URLField("web address", max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True, max_length=1000)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


# Re-audits live beside this module (findings/reaudit_models.py).
# The benchmarking shares, and what the moderation meeting agrees about one child, live
# beside this module.
from findings.benchmark_models import BenchmarkShare  # noqa: E402, F401
from findings.case_models import (  # noqa: E402, F401
    AgreedGrade,
    CaseJudgement,
    ChildSummary,
    DifferenceMade,
)
from findings.feed_models import FeedToken  # noqa: E402, F401
from findings.reaudit_models import ReAudit  # noqa: E402, F401
