"""The question bank (themes, questions) and the versioned question sets that copy it."""

from django.db import models
from django.db.models import Q

from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

from .common import SHORT_TEXT_LIMIT


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
