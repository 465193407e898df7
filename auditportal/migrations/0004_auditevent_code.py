# The trail's free verbs become registered codes ("<noun>.<verb_past>"). Rows already written
# (local databases, the demo) keep their meaning: each old verb is rewritten to its code.

from django.db import migrations

OLD_TO_CODE = {
    "password changed": "account.password_changed",
    "password reset requested": "account.password_reset_requested",
    "password reset completed": "account.password_reset_completed",
    "two-factor sign-in set up": "account.mfa_enrolled",
    "recovery code used": "account.recovery_code_used",
    "two-factor code refused": "account.mfa_code_refused",
    "recovery codes replaced": "account.recovery_codes_replaced",
    "two-factor sign-in reset": "account.mfa_reset",
    "sign-in unlocked": "account.sign_in_unlocked",
    "sign-in locked after repeated failures": "account.sign_in_locked",
    "exported the audit trail": "trail.exported",
    "record references re-encrypted under the current key": "record_references.re_encrypted",
    "purged after the retention period": "audit.purged",
    "legal hold placed": "audit.legal_hold_placed",
    "legal hold lifted": "audit.legal_hold_lifted",
    "audit.transition": "audit.status_changed",
    "returns.created": "audit.returns_created",
    "audit.cases_viewed": "audit.sample_viewed",
    "returns.listed": "return.listed",
}


def verbs_to_codes(apps, schema_editor):
    AuditEvent = apps.get_model("auditportal", "AuditEvent")
    for old, code in OLD_TO_CODE.items():
        AuditEvent.objects.filter(code=old).update(code=code)


def codes_to_verbs(apps, schema_editor):
    AuditEvent = apps.get_model("auditportal", "AuditEvent")
    for old, code in OLD_TO_CODE.items():
        AuditEvent.objects.filter(code=code).update(code=old)


class Migration(migrations.Migration):
    dependencies = [
        ("auditportal", "0003_accessed_records"),
    ]

    operations = [
        migrations.RenameField(model_name="auditevent", old_name="verb", new_name="code"),
        migrations.RunPython(verbs_to_codes, codes_to_verbs),
    ]
