"""Trail codes written by accounts (auditportal/trail_registry.py)."""

from auditportal.trail_registry import security

EVENTS = [
    security("account.password_changed", "Changed their password"),
    security("account.password_reset_requested", "Was sent a password reset link"),
    security("account.password_reset_completed", "Set a new password from a reset link"),
    security("account.mfa_enrolled", "Set up two-factor sign-in"),
    security("account.mfa_code_refused", "Two-factor code refused"),
    security("account.recovery_code_used", "Signed in with a recovery code"),
    security("account.recovery_codes_replaced", "Replaced recovery codes"),
    security("account.mfa_reset", "Reset two-factor sign-in"),
    security("account.sign_in_unlocked", "Unlocked sign-in"),
]
