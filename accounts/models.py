from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Role(models.TextChoices):
        BUSINESS = "business", "Business team"
        PRACTITIONER = "practitioner", "Practitioner"
        BOARD = "board", "Board member"
        ADMIN = "admin", "Administrator"

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=120, blank=True)
    agencies = models.ManyToManyField(
        "cases.Agency", through="Membership", related_name="members", blank=True
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_business_team(self) -> bool:
        """Business team and administrators see everything in the partnership."""
        return self.is_authenticated and self.role in {self.Role.BUSINESS, self.Role.ADMIN}

    @property
    def is_practitioner(self) -> bool:
        return self.role == self.Role.PRACTITIONER

    @property
    def is_board_member(self) -> bool:
        return self.role == self.Role.BOARD


class Membership(models.Model):
    """A practitioner's membership of an agency; agency leads may reassign its returns."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("cases.Agency", on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField("agency lead", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")
        ]

    def __str__(self) -> str:
        lead = " (lead)" if self.is_lead else ""
        return f"{self.user} – {self.agency}{lead}"
