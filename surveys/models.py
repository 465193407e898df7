"""Surveys of children, young people, parents and carers (and the practitioners' pulse after
a briefing), answered with one-time codes.

Nothing here records who answered: no user, name, e-mail, date of birth, address or IP
address; a response knows only its code, and a code only its batch's label. Days, not times,
are kept for responses (a time beside "I handed the letter over at ten" could say who).
Every model reaches its partnership through its survey's audit.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from rules.contrib.models import RulesModelBase, RulesModelMixin

from auditportal.text import validate_single_line

from .rules import may_manage_surveys

# Free text longer than a quote may be (findings.models.QUOTE_LIMIT) is accepted, but flagged
# before it can become a quote.
TEXT_FLAG_LIMIT = 400
# The most a free-text answer may hold at all (a child who writes a lot is heard).
TEXT_HARD_LIMIT = 4000


class Survey(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    class Audience(models.TextChoices):
        CHILDREN = "children", "Children and young people"
        PARENTS = "parents", "Parents and carers"
        PRACTITIONERS = "practitioners", "Practitioners (pulse after the briefing)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="surveys")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    title = models.CharField(max_length=160, validators=[validate_single_line])
    introduction = models.TextField(
        "what happens to the answers",
        max_length=1500,
        help_text="Shown before the first question.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "audience"],
                name="survey_one_version_per_audience",
                violation_error_message="This audit already has a survey for that group.",
            )
        ]
        rules_permissions = {"manage": may_manage_surveys}  # surveys.manage_survey

    def __str__(self) -> str:
        return f"{self.title} ({self.get_audience_display()})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey-detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        """Questions cannot change once the survey has opened."""
        return self.status != self.Status.DRAFT


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE_3 = "scale3", "3-point scale with faces"
        SCALE_5 = "scale5", "5-point scale with faces"
        YES_NOT_SURE_NO = "yes_not_sure_no", "Yes / not sure / no"
        CHOICE = "choice", "Pick one from a list"
        TEXT = "text", "Free text (with consent to quote)"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField("question", max_length=300, validators=[validate_single_line])
    hint = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    options = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class CodeBatch(models.Model):
    """A batch of one-time codes handed out together, known only by its label ("Rapid
    response service, parents"): never who got which code."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    label = models.CharField(max_length=120, validators=[validate_single_line])
    agency = models.ForeignKey(
        "cases.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a practitioners' pulse: results by agency.",
    )
    size = models.PositiveIntegerField()
    # The form's one-time key: posting the same form twice makes one batch, not two.
    request_key = models.CharField(max_length=64, unique=True)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return self.label


class SurveyCode(models.Model):
    """One code, stored as the SHA-256 of the code: the letters are printed once, and nobody
    with the database can turn a response back into the letter it came from."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Code in {self.batch}"


class SurveyResponse(models.Model):
    """One response per code (the one-to-one is the rule). The device that started it holds a
    resume token in a cookie; only its hash is here."""

    code = models.OneToOneField(SurveyCode, on_delete=models.CASCADE, related_name="response")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    resume_hash = models.CharField(max_length=64, unique=True)
    step = models.PositiveIntegerField(default=0)
    started_on = models.DateField(auto_now_add=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "pk"]
        indexes = [models.Index(fields=["survey", "completed_on"])]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None


class SurveyAnswer(models.Model):
    """The respondent's own words stay here as they were written: the quote made from them is
    edited for anonymity elsewhere; this original is read-only (data protection officer)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_HARD_LIMIT)
    # None: not asked (no text); True / False: the answer to "Can we use your words?".
    quote_consent = models.BooleanField(null=True, blank=True)
    # Why the text needs a careful read before it is quoted: "long", "phone", "email", "name".
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["response", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(quote_consent__isnull=True) | ~Q(text=""),
                name="survey_consent_only_with_text",
                violation_error_message="Consent to quote needs words to quote.",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
