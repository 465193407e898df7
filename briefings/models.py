import secrets

from django.conf import settings
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from rules.contrib.models import RulesModelBase, RulesModelMixin

from auditportal.models import OutboxMessage
from auditportal.text import validate_single_line

from .rules import may_compose_briefing

SECTION_LIMIT = 10000


class Briefing(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """The 7-point learning briefing of one audit. The text is edited here; each rendering
    is an immutable, numbered BriefingVersion holding a snapshot of it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    audit = models.OneToOneField("audits.Audit", on_delete=models.CASCADE, related_name="briefing")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    summary = models.TextField("1. Summary", blank=True, max_length=SECTION_LIMIT)
    topic = models.TextField("2. What is meant by the topic", blank=True, max_length=SECTION_LIMIT)
    working_well = models.TextField("3. Areas working well", blank=True, max_length=SECTION_LIMIT)
    development = models.TextField("4. Areas for development", blank=True, max_length=SECTION_LIMIT)
    will_do = models.TextField(
        "5. What will we do with the findings", blank=True, max_length=SECTION_LIMIT
    )
    next_steps = models.TextField("6. Next steps", blank=True, max_length=SECTION_LIMIT)
    resources_text = models.TextField("7. Resources", blank=True, max_length=SECTION_LIMIT)
    resources = models.ManyToManyField("findings.Resource", blank=True, related_name="briefings")
    quotes = models.ManyToManyField("findings.Quote", blank=True, related_name="briefings")
    show_grade_chart = models.BooleanField("show the grade distribution chart", default=True)
    show_risk_factors = models.BooleanField("show risk-factor prevalence", default=True)
    show_zero_factors = models.BooleanField(
        "list risk factors found in no case (at 0%)",
        default=False,
        help_text="Off: factors no case had are named in one line under the table.",
    )
    show_engagement = models.BooleanField("show engagement figures", default=True)
    show_quotes = models.BooleanField("show quotes", default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_version = models.ForeignKey(
        "BriefingVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency for the composer: every save of the text raises it, and a save
    # made from an older copy is refused (two business-team members editing at once).
    edit_version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        rules_permissions = {"compose": may_compose_briefing}  # briefings.compose_briefing
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class BriefingVersionQuerySet(models.QuerySet):
    def with_queue_state(self) -> "BriefingVersionQuerySet":
        """Annotate `waiting_for_queue` (its render could not be handed to the queue yet) and
        `handed_over_at` (when the queue last got it: the outbox's record, else enqueued_at)."""
        messages = OutboxMessage.objects.filter(ref=OuterRef("outbox_ref"))
        return self.annotate(
            outbox_ref=Concat(
                Value(f"{BriefingVersion._meta.label_lower}:"),
                Cast("pk", CharField()),
                output_field=CharField(),
            ),
            waiting_for_queue=Exists(messages.filter(status=OutboxMessage.Status.PENDING)),
            handed_over_at=Coalesce(
                Subquery(
                    messages.filter(status=OutboxMessage.Status.SENT)
                    .order_by("-sent_at")
                    .values("sent_at")[:1]
                ),
                "enqueued_at",
                "created_at",
            ),
        )


class BriefingVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # The text and data as they were when "Render PDF" was pressed: the version is immutable.
    content = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="briefings/%Y/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the render task was last sent to the broker (the stuck-job sweep resends after it).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker node that last started rendering it ("celery@host"): when that node starts
    # again, whatever it was rendering died with it and is sent again at once.
    rendered_by = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = BriefingVersionQuerySet.as_manager()

    class Meta:
        ordering = ["briefing", "-number"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "number"], name="briefingversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} v{self.number}"

    def get_download_url(self) -> str:
        return reverse("briefings:version-download", args=[self.pk])

    def get_read_url(self) -> str:
        return reverse("briefings:version-read", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.pdf)


def public_token() -> str:
    """256 random bits: a link nobody can guess or walk to from another one."""
    return secrets.token_urlsafe(32)


class BriefingPublicLink(models.Model):
    """A published version anyone may read without signing in, at an unguessable address,
    until the business team withdraws it. At most one live link per version."""

    version = models.ForeignKey(
        BriefingVersion, on_delete=models.CASCADE, related_name="public_links"
    )
    token = models.CharField(max_length=64, unique=True, default=public_token, editable=False)
    allow_indexing = models.BooleanField(
        "let search engines index it",
        default=False,
        help_text="Off: the page asks search engines not to list it (noindex).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(withdrawn_at__isnull=True),
                name="briefingpubliclink_one_live_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"Public link to {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("briefings:public", args=[self.token])


class BriefingDownload(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        WORD = "docx", "Word"

    version = models.ForeignKey(BriefingVersion, on_delete=models.CASCADE, related_name="downloads")
    file_format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} downloaded {self.version}"


class BriefingUse(models.Model):
    """A learning event: where an agency used a published briefing (date, format, attendance).
    Rows recorded before formats existed read as "Other"."""

    class Format(models.TextChoices):
        TEAM_MEETING = "team_meeting", "Team meeting"
        TRAINING = "training", "Training"
        SUPERVISION = "supervision", "Supervision"
        BULLETIN = "bulletin", "Bulletin"
        OTHER = "other", "Other"

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="uses")
    agency = models.ForeignKey(
        "cases.Agency", on_delete=models.PROTECT, related_name="briefing_uses"
    )
    used_on = models.DateField()
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.OTHER)
    how = models.CharField(
        "notes", max_length=300, blank=True, help_text='e.g. "Locality team, Riverside"'
    )
    staff_reached = models.PositiveIntegerField("attendance")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-used_on"]

    def __str__(self) -> str:
        return f"{self.agency} used {self.briefing}"
