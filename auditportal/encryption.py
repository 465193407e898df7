"""The keys of the encrypted columns (record references), and what backups and key rotation
need of them.

django-fernet-encrypted-fields derives one Fernet key from each of SECRET_KEY and the
SECRET_KEY_FALLBACKS with FIELD_ENCRYPTION_SALT (PBKDF2), encrypts with the first and decrypts
with any. So after SECRET_KEY changes, values written under the old key stay readable while
the old key is a fallback; `reencrypt_all` rewrites them under the current key, after which
the fallback can go. A value no key decrypts is reported, never rewritten or shown as if it
were a reference.

Keys are named by fingerprints (a hash of the derived key: it tells keys apart and reveals
nothing usable), which backups record in their manifest so a restore can say which key it
needs before it touches anything.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin

UNREADABLE = "unreadable"
BATCH = 500


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted column of every installed model."""
    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, EncryptedFieldMixin)
    ]


def reset_key_cache() -> None:
    """The fields derive their keys once per process; after the settings change (tests),
    derive them again."""
    for _model, model_field in encrypted_fields():
        for cached in ("keys", "f"):
            model_field.__dict__.pop(cached, None)


def _keys() -> list[bytes]:
    fields = encrypted_fields()
    if fields:
        return list(fields[0][1].keys)
    # No encrypted column installed: derive the same way, for fingerprints.
    return list(EncryptedFieldMixin().keys)


def fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"auditportal-field-key:" + key).hexdigest()[:16]


def key_fingerprints() -> list[str]:
    """The current key's fingerprint first, then each fallback's."""
    return [fingerprint(key) for key in _keys()]


@dataclass
class KeyUsage:
    """How many stored values each key decrypts (by fingerprint), and how many none does."""

    values: int = 0
    by_key: Counter = field(default_factory=Counter)

    @property
    def unreadable(self) -> int:
        return self.by_key[UNREADABLE]

    @property
    def keys_in_use(self) -> list[str]:
        return sorted(key for key in self.by_key if key != UNREADABLE)


def _raw_values(model: type[models.Model], model_field: models.Field):
    """(pk, stored token) pairs, read as text so nothing is decrypted on the way."""
    return (
        model._default_manager.exclude(**{f"{model_field.attname}__isnull": True})
        .annotate(_stored=Cast(model_field.attname, models.TextField()))
        .values_list("pk", "_stored")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )


def key_usage() -> KeyUsage:
    fernets = [(fingerprint(key), Fernet(key)) for key in _keys()]
    usage = KeyUsage()
    for model, model_field in encrypted_fields():
        for _pk, token in _raw_values(model, model_field):
            if not token:
                continue
            usage.values += 1
            usage.by_key[_key_of(token, fernets)] += 1
    return usage


def _key_of(token: str, fernets: list[tuple[str, Fernet]]) -> str:
    for name, fernet in fernets:
        try:
            fernet.decrypt(token.encode())
        except InvalidToken:
            continue
        return name
    return UNREADABLE


class UnreadableValues(Exception):
    """Some stored values decrypt under no current key: nothing was rewritten."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} stored values cannot be decrypted with the current keys")
        self.count = count


@transaction.atomic
def reencrypt_all() -> int:
    """Rewrite every encrypted value under the current SECRET_KEY, in one transaction.
    Raises UnreadableValues (and changes nothing) if any value decrypts under no key."""
    usage = key_usage()
    if usage.unreadable:
        raise UnreadableValues(usage.unreadable)
    keys = _keys()
    rotator = MultiFernet([Fernet(key) for key in keys])
    current = Fernet(keys[0])
    rewritten = 0
    for model, model_field in encrypted_fields():
        manager = model._default_manager
        for pk, token in list(_raw_values(model, model_field)):
            if not token:
                continue
            try:
                current.decrypt(token.encode())
                continue  # already under the current key
            except InvalidToken:
                pass
            new_token = rotator.rotate(token.encode()).decode()
            # Written as text: the field would encrypt the token again.
            manager.filter(pk=pk).update(
                **{model_field.attname: models.Value(new_token, output_field=models.TextField())}
            )
            rewritten += 1
    return rewritten
