from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from auditportal import tenancy


class PartnershipUserManager(UserManager):
    """Users of the partnership this code runs for (the hosting administration: users of no
    partnership). Sign-in and sessions read users through it, so an account of one
    partnership does not exist on another's address."""

    def get_queryset(self) -> models.QuerySet:
        return tenancy.scope(super().get_queryset())


class User(AbstractUser):
    class Role(models.TextChoices):
        BUSINESS = "business", "Business team"
        PRACTITIONER = "practitioner", "Practitioner"
        BOARD = "board", "Board member"
        ADMIN = "admin", "Administrator"
        HOSTING = "hosting", "Hosting administrator"

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=120, blank=True)
    # The partnership the user belongs to; blank for hosting administrators, who manage
    # partnerships and see no case data. A string reference: accounts imports no higher layer.
    partnership = models.ForeignKey(
        "cases.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        default=tenancy.current_partnership_id,
        editable=False,
    )

    objects: ClassVar[PartnershipUserManager] = PartnershipUserManager()
    # user.agencies and user.memberships come from cases.Membership (agencies and their
    # members live in the cases layer; accounts knows no agency).

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        tenancy.check_partnership(self)
        super().save(*args, **kwargs)

    @property
    def is_hosting_admin(self) -> bool:
        return self.is_authenticated and self.role == self.Role.HOSTING

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
