"""Key rotation of the encrypted record references: an old SECRET_KEY in SECRET_KEY_FALLBACKS
still decrypts; `manage.py encryption reencrypt` rewrites every value under the new key, after
which the fallback can go; a value no key decrypts is reported clearly and never rewritten.
CI's backup-restore test (tests/production/backup_restore.py) does the same across processes
on PostgreSQL, and restores a backup under a wrong key."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from auditportal import encryption
from auditportal.models import AuditEvent
from cases.models import RecordReference
from tests.factories import RecordReferenceFactory

OLD_KEY = "old-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"
NEW_KEY = "new-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-QRSTUVWXYZ012345"


@pytest.fixture
def keys(settings):
    """keys(secret, *fallbacks): switch the keys the encrypted fields use."""

    def use(secret: str, *fallbacks: str) -> None:
        settings.SECRET_KEY = secret
        settings.SECRET_KEY_FALLBACKS = list(fallbacks)
        encryption.reset_key_cache()

    yield use
    encryption.reset_key_cache()


def stored(reference: RecordReference) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reference FROM cases_recordreference WHERE id = %s", [reference.pk])
        return cursor.fetchone()[0]


def read(reference: RecordReference) -> str:
    return RecordReference.objects.get(pk=reference.pk).reference


def test_old_key_as_a_fallback_still_decrypts(db, keys):
    keys(OLD_KEY)
    reference = RecordReferenceFactory(reference="CSC-204519")

    keys(NEW_KEY, OLD_KEY)

    assert read(reference) == "CSC-204519"


def test_without_the_old_key_the_field_returns_the_token_not_the_reference(db, keys):
    keys(OLD_KEY)
    reference = RecordReferenceFactory(reference="CSC-204519")

    keys(NEW_KEY)

    assert read(reference) == stored(reference) != "CSC-204519"


def test_reencrypt_rewrites_every_value_under_the_new_key(db, keys, capsys):
    keys(OLD_KEY)
    old = [RecordReferenceFactory(reference=f"CSC-{n}") for n in range(3)]
    keys(NEW_KEY, OLD_KEY)
    new = RecordReferenceFactory(reference="CSC-new")
    new_token = stored(new)

    call_command("encryption", "reencrypt")
    keys(NEW_KEY)

    assert [read(reference) for reference in old] == ["CSC-0", "CSC-1", "CSC-2"]
    assert read(new) == "CSC-new"
    assert stored(new) == new_token  # already under the new key: left alone
    assert "3 values re-encrypted under SECRET_KEY" in capsys.readouterr().out
    event = AuditEvent.objects.get(code="record_references.re_encrypted")
    assert (event.kind, event.actor_label, event.changes) == (
        "security",
        "system",
        {"values rewritten": 3},
    )


def test_check_names_the_key_each_value_needs(db, keys, capsys):
    keys(OLD_KEY)
    RecordReferenceFactory.create_batch(2)
    keys(NEW_KEY, OLD_KEY)
    RecordReferenceFactory()
    current, fallback = encryption.key_fingerprints()

    call_command("encryption", "check")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "3 encrypted values"
    assert sorted(lines[1:]) == sorted(
        [
            f"  1 readable with SECRET_KEY ({current})",
            f"  2 readable with a SECRET_KEY_FALLBACKS key ({fallback})",
        ]
    )


def test_check_and_reencrypt_refuse_values_no_key_decrypts(db, keys):
    keys(OLD_KEY)
    reference = RecordReferenceFactory(reference="CSC-204519")
    keys(NEW_KEY)
    token = stored(reference)

    with pytest.raises(CommandError, match="1 of 1 record references cannot be decrypted"):
        call_command("encryption", "check")
    with pytest.raises(CommandError, match="nothing was re-encrypted") as refused:
        call_command("encryption", "reencrypt")

    assert refused.value.returncode == 1
    assert stored(reference) == token
    keys(OLD_KEY)
    assert read(reference) == "CSC-204519"


def test_fingerprints_tell_keys_apart_and_do_not_contain_them(keys, capsys):
    keys(NEW_KEY, OLD_KEY)

    call_command("encryption", "fingerprints")

    current, fallback = capsys.readouterr().out.splitlines()
    assert current.endswith(" SECRET_KEY") and fallback.endswith(" fallback")
    assert current.split()[0] != fallback.split()[0]
    assert len(current.split()[0]) == 16
    keys(OLD_KEY)
    assert encryption.key_fingerprints() == [fallback.split()[0]]
