import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from encrypted_fields.fields import EncryptedCharField

from auditportal import tenancy
from auditportal.tenancy import PartnershipOwned
from auditportal.text import validate_single_line

# The header's navy in static/css/app.css: a partnership that keeps it changes nothing.
HOUSE_COLOUR = "#1d3557"


def _luminance(colour: str) -> float:
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def validate_header_colour(colour: str) -> None:
    """White header text on this colour reaches WCAG AA contrast (4.5:1)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        return  # the pattern's own message says what a colour looks like
    if 1.05 / (_luminance(colour) + 0.05) < 4.5:
        raise ValidationError(
            "White text on this colour is too hard to read: choose a darker colour."
        )


class GradeBasis(models.TextChoices):
    """Which grade a figure counts: the agency's own, or the moderated one where recorded."""

    MODERATED = "moderated", "Moderated grades where recorded, otherwise the agency's grade"
    AGENCY = "agency", "Agency grades (as each agency's auditor gave them)"


class Partnership(models.Model):
    """A safeguarding children partnership: the tenant. Every partnership-owned row
    (auditportal.tenancy.PartnershipOwned) belongs to one; requests name it by host name
    (PartnershipHost), tasks by id. Global table: it is read before the tenant is known."""

    name = models.CharField(
        max_length=120,
        default="Safeguarding Children Partnership",
        validators=[validate_single_line],
    )
    slug = models.SlugField(max_length=60, unique=True, null=True)
    active = models.BooleanField(
        default=True,
        help_text="A deactivated partnership's addresses answer 404 and its tasks stop.",
    )
    # Blank for a partnership older than this column whose creation the trail does not hold
    # (cases 0006 fills the rest from the trail's partnership.created).
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now, editable=False)
    contact_email = models.EmailField(
        blank=True, help_text="The partnership's address for questions, in every page's footer."
    )
    logo = models.CharField(
        max_length=200, blank=True, help_text="A static file path, e.g. img/logo.png, on briefings."
    )
    brand_colour = models.CharField(
        "brand colour",
        max_length=7,
        default=HOUSE_COLOUR,
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour such as #1d3557."),
            validate_header_colour,
        ],
        help_text="The page header's background, behind white text (it must be dark enough "
        "for white text to be read: WCAG AA contrast).",
    )
    sender_name = models.CharField(
        max_length=120,
        blank=True,
        validators=[validate_single_line],
        help_text="The name e-mails come from; blank: the partnership's name.",
    )
    benchmarking_opt_in = models.BooleanField(
        "share aggregate grades for benchmarking",
        default=False,
        help_text="Adds this partnership's theme grades, aggregate only, to the median other "
        "opted-in partnerships see on their board dashboard. No partnership is named.",
    )
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
        ordering = ["name"]
        verbose_name = "partnership"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> "Partnership":
        """The partnership this code runs for (auditportal.tenancy); outside any context
        (operator code), the first one, or unsaved defaults when there is none."""
        partnership_id = tenancy.current_partnership_id()
        if partnership_id is not None:
            return cls.objects.filter(pk=partnership_id).first() or cls()
        if tenancy.is_system():
            first = cls.objects.order_by("pk").first()
            if first is not None:
                return first
        return cls()


class PartnershipHost(models.Model):
    """A host name a partnership answers on (``riverbend.example.org``). Global table: the
    middleware reads it to find the tenant of a request (cases/hosts.py)."""

    host = models.CharField(max_length=253, unique=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="hosts")

    class Meta:
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host


class Agency(PartnershipOwned):
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

    name = models.CharField(max_length=120, validators=[validate_single_line])
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
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Membership(PartnershipOwned):
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


class Case(PartnershipOwned):
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


class CaseAgency(PartnershipOwned):
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


class RecordReference(PartnershipOwned):
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
