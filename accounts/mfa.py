"""Two-factor sign-in (django-otp): who needs it, enrolment, verification, recovery codes.

Views call these; nothing here renders a page. Each change writes a security row to the
audit trail. Secrets and codes are never logged.
"""

import base64
import io
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from auditportal.auditlog import audit_log

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# Whether board members need two-factor sign-in is a partnership setting, held in the cases
# layer; cases registers that rule here at start-up (CasesConfig.ready), so accounts imports
# no higher layer. Until then (never in a running site) board members are not asked.
_board_mfa_rule: list[Callable[[], bool]] = []


def set_board_mfa_rule(rule: Callable[[], bool]) -> None:
    _board_mfa_rule[:] = [rule]


def _board_mfa_required() -> bool:
    return any(rule() for rule in _board_mfa_rule)


def user_needs_mfa(user: User) -> bool:
    """Business team, practitioners and administrators when MFA_ENFORCED; board members only
    when the partnership settings say so."""
    if not getattr(settings, "MFA_ENFORCED", True) or not user.is_authenticated:
        return False
    if user.is_board_member:
        return _board_mfa_required()
    return True


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (created once, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def manual_secret(device: TOTPDevice) -> str:
    """The secret in base32, grouped in fours, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _clean(token: str) -> str:
    return "".join(str(token or "").split())[:32]


@transaction.atomic
def mfa_enrol_confirm(*, request, user: User, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it. On success the session is
    verified and ten new recovery codes are returned (shown once); None if the code is wrong."""
    device = pending_totp_device(user)
    if not device.verify_token(_clean(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    codes = _new_recovery_codes(user)
    audit_log(actor=user, code="account.mfa_enrolled", target=user)
    return codes


def is_authenticator_code(token: str, totp: TOTPDevice | None) -> bool:
    """A code shaped like the authenticator's (six digits); anything else can only be a
    recovery code (eight letters and digits). Each kind is checked against its own device
    only, so a mistyped code of one kind never slows down the other."""
    token = _clean(token)
    return totp is not None and token.isdigit() and len(token) == totp.digits


def mfa_verify(*, request, user: User, token: str) -> bool:
    """Check a six-digit code or a recovery code; on success mark the session verified."""
    token = _clean(token)
    device = None
    totp = confirmed_totp_device(user)
    if totp is not None and is_authenticator_code(token, totp):
        device = totp if totp.verify_token(token) else None
    else:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(token.lower()):
            device = static
            audit_log(
                actor=user,
                code="account.recovery_code_used",
                target=user,
                changes={"recovery codes left": static.token_set.count()},
            )
    if device is None:
        audit_log(actor=user, code="account.mfa_code_refused", target=user)
        return False
    otp_login(request, device)
    return True


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def mfa_recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the recovery codes: the old ones stop working at once."""
    codes = _new_recovery_codes(user)
    audit_log(actor=user, code="account.recovery_codes_replaced", target=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def mfa_reset(*, user: User, actor: User) -> None:
    """An administrator removes a user's authenticator and recovery codes (lost phone): the
    user enrols again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(actor=actor, code="account.mfa_reset", target=user)


def mfa_status(user: User) -> dict:
    """What the account page says about two-factor sign-in."""
    return {
        "enrolled": has_confirmed_device(user),
        "required": user_needs_mfa(user),
        "codes_left": recovery_codes_left(user),
    }


def wait_seconds_before_next_code(user: User, *, token: str = "") -> int:
    """After wrong codes django-otp refuses any code of that device for a growing pause: how
    long is left on the device that `token` is checked against (the authenticator, or the
    recovery codes for a code shaped like one)."""
    from django.utils import timezone

    totp = confirmed_totp_device(user)
    device: TOTPDevice | StaticDevice | None
    if token and totp is not None and not is_authenticator_code(token, totp):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = totp or TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    locked_until = (info or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
