"""Two-factor helpers for tests.

- `totp_for(user)`: the current 6-digit code of the user's authenticator (a confirmed
  TOTPDevice is created if the user has none). Browser tests sign in through the form, then
  type this code on the "Enter your code" page. It also clears the device's replay guard,
  so the same user may sign in twice within 30 seconds in a test.
- `mark_verified(client, user)`: mark a test client's session as two-factor verified (the
  autouse fixture in tests/conftest.py does this after every `client.force_login`; tests
  marked `@pytest.mark.no_auto_mfa` opt out).
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_DEVICE_NAME = "Test authenticator"


def device_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def totp_for(user) -> str:
    device = device_for(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return totp_code(device)


def mark_verified(client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()
