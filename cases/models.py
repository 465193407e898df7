from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from encrypted_fields.fields import EncryptedCharField

from auditportal.text import validate_single_line


class GradeBasis(models.TextChoices):
    """Which grade a figure counts: the agency's own, or the moderated one where recorded."""

    MODERATED = "moderated", "Moderated grades where recorded, otherwise the agency's grade"
    AGENCY = "agency", "Agency grades (as each agency's auditor gave them)"


class Partnership(models.Model):
    """The partnership's own settings (one row). The name comes from PARTNERSHIP_NAME."""

    suppression_threshold = models.PositiveSmallIntegerField(
        "small-number suppression threshold",
        # 3 is the spec's example: a new partnership never prints "1 of 3" about children.
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="Counts below this are shown as 'fewer than N' on the board dashboard "
        "and in published briefings. 0 switches suppression off.",
    )
    reminder_days_before_due = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Practitioners get a reminder this many days before returns are due.",
    )
    retention_days = models.PositiveIntegerField(
        "retention period (days)",
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Record references and draft data are purged this long after an audit closes.",
    )
    board_mfa_required = models.BooleanField(
        "require two-factor sign-in for board members", default=False
    )
    # One basis for everything the board reads: the dashboard, briefings, the data feed and
    # the default of the results page and its exports (docs/results.md, "Grade basis").
    board_grade_basis = models.CharField(
        "grades the board sees",
        max_length=20,
        choices=GradeBasis.choices,
        default=GradeBasis.MODERATED,
        help_text="The dashboard, briefings, the data feed and exports count these grades, "
        "and every chart and table says which.",
    )

    class Meta:
        verbose_name = "partnership settings"
        verbose_name_plural = "partnership settings"

    def __str__(self) -> str:
        return "Partnership settings"

    @classmethod
    def load(cls) -> "Partnership":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class Agency(models.Model):
    class Sector(models.TextChoices):
        SOCIAL_CARE = "social_care", "Social care"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        EARLY_HELP = "early_help", "Early help"
        PROBATION = "probation", "Probation and justice"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True, validators=[validate_single_line])
    short_name = models.CharField(max_length=30, blank=True, validators=[validate_single_line])
    sector = models.CharField(max_length=20, choices=Sector.choices)
    safeguarding_lead_email = models.EmailField(
        blank=True, help_text="Told at once when an auditor raises an immediate concern."
    )
    active = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="cases.Membership", related_name="agencies", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A practitioner's membership of an agency; agency leads may reassign its returns."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField("agency lead", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")
        ]

    def __str__(self) -> str:
        lead = " (lead)" if self.is_lead else ""
        return f"{self.user} – {self.agency}{lead}"


class Case(models.Model):
    """A child (or family) of the partnership, known only by a pseudonym. A case belongs to
    no audit: audits sample it (audits.SampleCase), so the same child can be followed from an
    audit to its re-audit with the same involved agencies and record references."""

    class AgeBand(models.TextChoices):
        UNDER_1 = "0", "Under 1"
        AGE_1_4 = "1-4", "1 to 4"
        AGE_5_9 = "5-9", "5 to 9"
        AGE_10_12 = "10-12", "10 to 12"
        AGE_13_15 = "13-15", "13 to 15"
        AGE_16_17 = "16-17", "16 to 17"
        AGE_18_PLUS = "18+", "18 and over (care leaver)"

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Another gender"
        NOT_RECORDED = "not_recorded", "Not recorded"

    class Ethnicity(models.TextChoices):
        WHITE = "white", "White"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        OTHER = "other", "Other ethnic group"
        NOT_RECORDED = "not_recorded", "Not recorded"

    class LevelOfNeed(models.TextChoices):
        UNIVERSAL = "universal", "Universal (tier 1)"
        EARLY_HELP = "early_help", "Early help (tier 2)"
        CHILD_IN_NEED = "child_in_need", "Child in need (tier 3)"
        CHILD_PROTECTION = "child_protection", "Child protection (tier 4)"
        LOOKED_AFTER = "looked_after", "Child looked after (tier 4)"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    pseudonym = models.CharField(
        max_length=30,
        help_text='How the child is known in the partnership\'s audits, e.g. "YP1" or "Child A".',
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    gender = models.CharField(max_length=20, choices=Gender.choices)
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, blank=True, help_text="Optional."
    )
    level_of_need = models.CharField(max_length=20, choices=LevelOfNeed.choices)
    agencies = models.ManyToManyField(Agency, through="CaseAgency", related_name="cases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "pseudonym"], name="case_unique_pseudonym"
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym


class CaseAgency(models.Model):
    """An agency involved with a child; it holds its own record of the child (the record
    reference, once per child and agency). Each audit samples some of these involvements."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")

    class Meta:
        ordering = ["case", "agency__name"]
        verbose_name = "involved agency"
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="caseagency_unique")]

    def __str__(self) -> str:
        return f"{self.case} – {self.agency}"


class RecordReference(models.Model):
    """An agency's own reference to the child's file: personal data, kept apart from the
    pseudonymised case, encrypted at rest, readable only by the business team and that
    agency's practitioners (see cases.selectors), purged after the retention period."""

    involvement = models.OneToOneField(
        CaseAgency, on_delete=models.CASCADE, related_name="record_reference"
    )
    reference = EncryptedCharField(max_length=60)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        # Never the reference itself: __str__ ends up in logs and the audit trail.
        return f"Record reference for {self.involvement}"
