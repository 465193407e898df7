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
    # user.agencies and user.memberships come from cases.Membership (agencies and their
    # members live in the cases layer; accounts knows no agency).

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
