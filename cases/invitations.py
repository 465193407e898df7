"""The invitation a partnership's first business-team member gets: a link, at the
partnership's own address, to set a password (Django's password-reset token: single use,
expires after PASSWORD_RESET_TIMEOUT). Two-factor enrolment follows at first sign-in."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from auditportal.text import one_line

from .branding import sender
from .hosts import base_url
from .models import Partnership


def _as_what(user: User) -> str:
    if user.role == User.Role.ADMIN:
        return "its administrator"
    return "a member of its business team"


def invitation_send(*, user_id: int) -> bool:
    """Runs in the member's partnership context (the task carries it)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False  # gone, or already set a password: nothing to invite to
    partnership = Partnership.load()
    link = base_url() + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    signature = partnership.sender_name or partnership.name
    send_mail(
        one_line(f"You are invited to AuditPortal for {partnership.name}"),
        f"Hello {user.first_name or user.username},\n\n"
        f"An account has been made for you in AuditPortal for {partnership.name}, "
        f"as {_as_what(user)}.\n\n"
        f"Set your password here (the link works once):\n{link}\n\n"
        "When you first sign in you will set up two-factor sign-in with an "
        "authenticator app.\n\n"
        f"{signature}\n",
        sender(),
        [user.email],
    )
    return True
