from django.core.management.base import BaseCommand, CommandError

from auditportal import encryption
from auditportal.auditlog import audit_log

KEYS_HELP = (
    "Set SECRET_KEY (or put the old key in SECRET_KEY_FALLBACKS) and FIELD_ENCRYPTION_SALT to "
    "the values these were encrypted with."
)


class Command(BaseCommand):
    help = (
        "Encrypted record references and their keys. `check`: which key each stored value "
        "needs (exit 1 if any cannot be decrypted); `reencrypt`: rewrite every value under the "
        "current SECRET_KEY, after which the old key can leave SECRET_KEY_FALLBACKS; "
        "`fingerprints`: the current key's fingerprint, then each fallback's."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["check", "reencrypt", "fingerprints"])

    def handle(self, *args, action: str, **options) -> None:
        {"check": self.check_keys, "reencrypt": self.reencrypt, "fingerprints": self.fingerprints}[
            action
        ]()

    def fingerprints(self) -> None:
        for index, value in enumerate(encryption.key_fingerprints()):
            self.stdout.write(f"{value} {'SECRET_KEY' if index == 0 else 'fallback'}")

    def _describe(self, usage: encryption.KeyUsage) -> None:
        names = encryption.key_fingerprints()
        self.stdout.write(f"{usage.values} encrypted values")
        for key in usage.keys_in_use:
            role = "SECRET_KEY" if key == names[0] else "a SECRET_KEY_FALLBACKS key"
            self.stdout.write(f"  {usage.by_key[key]} readable with {role} ({key})")
        if usage.unreadable:
            self.stdout.write(f"  {usage.unreadable} cannot be decrypted with any key set here")

    def check_keys(self) -> None:
        usage = encryption.key_usage()
        self._describe(usage)
        if usage.unreadable:
            raise CommandError(
                f"{usage.unreadable} of {usage.values} record references cannot be decrypted "
                f"with the keys set here. {KEYS_HELP}",
                returncode=1,
            )

    def reencrypt(self) -> None:
        try:
            rewritten = encryption.reencrypt_all()
        except encryption.UnreadableValues as error:
            raise CommandError(
                f"{error.count} record references cannot be decrypted with the keys set here; "
                f"nothing was re-encrypted. {KEYS_HELP}",
                returncode=1,
            ) from None
        audit_log(
            actor=None,
            code="record_references.re_encrypted",
            changes={"values rewritten": rewritten},
        )
        self.stdout.write(
            f"{rewritten} values re-encrypted under SECRET_KEY "
            f"({encryption.key_fingerprints()[0]}); every value now reads without fallbacks."
        )
