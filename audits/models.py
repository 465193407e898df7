from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from rules.contrib.models import RulesModelBase, RulesModelMixin

from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

from .rules import may_answer_return, may_manage_agency_returns, may_send_back_return

TEXT_LIMIT = 5000  # characters in any free-text answer or evidence box
SHORT_TEXT_LIMIT = 1000


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class YesPartlyNo(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Theme(PartnershipOwned):
    name = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=SHORT_TEXT_LIMIT)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Retired themes are not offered to new sets."
    )
    # A default-bank entry's stable id (audits/bank.py), kept through renames; blank if added.
    key = models.SlugField(max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="theme_unique_name"),
            models.UniqueConstraint(
                fields=["partnership", "key"], condition=~Q(key=""), name="theme_unique_bank_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(PartnershipOwned):
    """A question in the bank. Audits never point at it directly: a question set copies it."""

    class Kind(models.TextChoices):
        GRADE = "grade", "Grade (Outstanding to Inadequate, or not applicable)"
        YES_PARTLY_NO = "yes_partly_no", "Yes / partly / no / not applicable"
        CHECKLIST = "checklist", "Checklist"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="questions")
    text = models.CharField(max_length=300)
    help_text = models.TextField("guidance for auditors", blank=True, max_length=SHORT_TEXT_LIMIT)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    options = models.JSONField(
        default=list, blank=True, help_text="Checklist options, one per line."
    )
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired questions stay in past audits.")
    key = models.SlugField(max_length=60, blank=True, editable=False)  # see Theme.key
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme__order", "theme__name", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "key"],
                condition=~Q(key=""),
                name="question_unique_bank_key",
            )
        ]

    def __str__(self) -> str:
        return self.text


class QuestionSet(PartnershipOwned):
    """A versioned selection of questions. Frozen when an audit using it opens."""

    name = models.CharField(max_length=120, validators=[validate_single_line])
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True, max_length=SHORT_TEXT_LIMIT)
    frozen_at = models.DateTimeField(null=True, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "version"], name="questionset_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class QuestionSetItem(PartnershipOwned):
    """A question as this set asks it: a copy taken from the bank, so later edits to the bank
    never change what an open or past audit asked."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="set_items"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="set_items")
    theme_name = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Question.Kind.choices)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "question"], name="questionsetitem_unique_question"
            )
        ]

    def __str__(self) -> str:
        return self.text


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


class NotificationSent(PartnershipOwned):
    """One row per email event, keyed so a retried or repeated task never sends it twice."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


# The sample builder's, key events' and queries' models live beside this module.
from audits.event_models import EventKind, KeyEvent  # noqa: E402, F401
from audits.query_models import AnswerQuery  # noqa: E402, F401
from audits.sample_models import SampleCandidate, SampleProposal  # noqa: E402, F401
