"""What the moderation meeting agrees about one child in one audit: the child's lived
experience, an agreed multi-agency grade per theme with its reason, the difference the work
made, and the one-page child summaries rendered from them. Each row reaches its partnership
through its SampleCase's audit."""

from django.conf import settings
from django.db import models

from auditportal.tenancy import PartnershipOwned
from audits.models import TEXT_LIMIT, Grade

AGREED_REASON_LIMIT = 1000


class DifferenceMade(models.TextChoices):
    """The overall judgement of the difference the work made for the child: four points."""

    SIGNIFICANT = "significant", "A significant positive difference"
    SOME = "some", "Some positive difference"
    LITTLE = "little", "Little or no difference"
    HARM = "harm", "Harm was not prevented"


DIFFERENCE_DESCRIPTORS: dict[str, str] = {
    DifferenceMade.SIGNIFICANT: "The child's circumstances clearly improved because of the help "
    "given: risks reduced, needs were met, and the child's daily life is better and the change "
    "has lasted.",
    DifferenceMade.SOME: "Things improved in some areas, but progress was partial, slow or not "
    "sustained, or some needs were left unmet.",
    DifferenceMade.LITTLE: "Agencies were involved, but the child's experience did not change "
    "in any way that matters to them.",
    DifferenceMade.HARM: "The child's circumstances got worse, or harm continued that the work "
    "should have prevented.",
}


class CaseJudgement(PartnershipOwned):
    sample_case = models.OneToOneField(
        "audits.SampleCase", on_delete=models.CASCADE, related_name="judgement"
    )
    lived_experience = models.TextField(
        "the child's lived experience", blank=True, max_length=TEXT_LIMIT
    )
    difference = models.CharField(
        "difference the work made", max_length=20, choices=DifferenceMade.choices, blank=True
    )
    difference_text = models.TextField(
        "why the meeting judged it so", blank=True, max_length=TEXT_LIMIT
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "agreed judgement of a child's case"

    def __str__(self) -> str:
        return f"Agreed judgement for {self.sample_case}"


class AgreedGrade(PartnershipOwned):
    """The multi-agency grade the meeting agreed for one theme of one child's case."""

    sample_case = models.ForeignKey(
        "audits.SampleCase", on_delete=models.CASCADE, related_name="agreed_grades"
    )
    theme = models.ForeignKey("audits.Theme", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=Grade.choices)
    reason = models.TextField(max_length=AGREED_REASON_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sample_case", "theme__order", "theme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample_case", "theme"], name="agreedgrade_unique_case_theme"
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="agreedgrade_needs_reason",
                violation_error_message="An agreed grade needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreed grade for {self.sample_case}"


class ChildSummary(PartnershipOwned):
    """One rendering of the one-page child summary (pseudonym only), made by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        REFUSED = "refused", "Refused by the disclosure check"
        FAILED = "failed", "Failed"

    sample_case = models.ForeignKey(
        "audits.SampleCase", on_delete=models.CASCADE, related_name="summaries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    problems = models.JSONField(default=list, blank=True)
    pdf = models.FileField(upload_to="child-summaries/", blank=True)
    page_count = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Child summary {self.pk} for {self.sample_case}"
