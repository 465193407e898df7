"""Backups of PostgreSQL and media, and their restore into a fresh database (bin/backup,
bin/restore; docs/operations.md says when and how).

A backup is a directory `auditportal-<UTC time>/` holding
- database.dump: pg_dump's custom format (compressed; restored with pg_restore);
- media.tar.gz: MEDIA_ROOT (the briefing PDFs), when media is on the file system;
- manifest.json: when, what (migrations, rows per table, files and their SHA-256), and the
  fingerprints of the keys its record references were encrypted with.
It never holds SECRET_KEY or FIELD_ENCRYPTION_SALT: they are kept apart (a backup and its keys
together are the plaintext). A restore checks, before it changes anything, that the files are
intact, that the database and MEDIA_ROOT are empty and that the keys set here can decrypt the
backup's references; afterwards, that every table has the rows the manifest lists and that
every reference decrypts.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from auditportal import encryption, tenancy

FORMAT = 1
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


class BackupError(Exception):
    """What went wrong, in words an operator can act on."""


def _postgres_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups are of PostgreSQL (DATABASE_URL=postgres://...). The embedded SQLite demo "
            "is one file: copy db.sqlite3 while make run is stopped."
        )
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    # Operator code: every partnership's rows (auditportal/row_security.py). The app's role is
    # bound by row-level security (FORCE), so without this a dump as that role would refuse
    # the tables, and a restore would refuse their rows.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c {tenancy.SETTING}=*".strip()
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # in the environment, never on a command line
    return env


def _run(argv: list[str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603
            argv, env=_postgres_env(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (Debian: postgresql-client)") from None
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _media_on_disk() -> bool:
    return settings.STORAGES["default"]["BACKEND"] == FILE_SYSTEM_STORAGE


def backup(into: Path, *, now: datetime.datetime | None = None) -> Path:
    """Write a backup directory under `into` and return it."""
    now = now or datetime.datetime.now(datetime.UTC)
    target = into / f"auditportal-{now:%Y%m%dT%H%M%SZ}"
    if target.exists():
        raise BackupError(f"{target} exists already")
    target.mkdir(parents=True)
    try:
        # Which keys the references need (recorded, so a restore can say so up front).
        usage = encryption.key_usage()
        _run(
            [
                "pg_dump",
                "--format=custom",
                # Dump through the policies (which let `*` see every row) rather than fail as
                # a role that cannot bypass them; a superuser is not bound either way.
                "--enable-row-security",
                "--no-owner",
                "--no-privileges",
                f"--file={target / DATABASE_FILE}",
            ]
        )
        files = {DATABASE_FILE: _sha256(target / DATABASE_FILE)}
        media_files = 0
        if _media_on_disk():
            media_root = Path(settings.MEDIA_ROOT)
            with tarfile.open(target / MEDIA_FILE, "w:gz") as archive:
                if media_root.is_dir():
                    for path in sorted(media_root.rglob("*")):
                        if path.is_file():
                            archive.add(path, arcname=str(path.relative_to(media_root)))
                            media_files += 1
            files[MEDIA_FILE] = _sha256(target / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"name": settings.DATABASES["default"]["NAME"], "tables": row_counts()},
            "migrations": _migrations(),
            "media": {
                "storage": settings.STORAGES["default"]["BACKEND"],
                "files": media_files if _media_on_disk() else None,
            },
            "encryption": {
                "values": usage.values,
                "keys_in_use": usage.keys_in_use,
                "unreadable": usage.unreadable,
            },
            "files": files,
        }
        (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} is not a backup: no {MANIFEST_FILE}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')} is not {FORMAT}")
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (its SHA-256 does not match)")
    return manifest


def missing_keys(manifest: dict) -> list[str]:
    """Fingerprints of keys the backup's references need and this environment lacks."""
    known = set(encryption.key_fingerprints())
    return [key for key in manifest["encryption"]["keys_in_use"] if key not in known]


def restore(source: Path) -> dict:
    """Restore a backup into the (empty) database of DATABASE_URL and the (empty) MEDIA_ROOT.
    Returns the manifest; raises BackupError, before changing anything where it can, with
    what to do."""
    manifest = read_manifest(source)
    needed = missing_keys(manifest)
    if needed:
        raise BackupError(
            "This backup's record references were encrypted with a different key (fingerprint "
            f"{', '.join(needed)}); the keys set here ({', '.join(encryption.key_fingerprints())}) "
            "cannot read them, and a restore would show them garbled. Set SECRET_KEY (or add the "
            "old key to SECRET_KEY_FALLBACKS) and FIELD_ENCRYPTION_SALT to the values of the "
            "deployment the backup came from, then restore again. Nothing was restored."
        )
    tables = _tables()
    if tables:
        raise BackupError(
            f"The database {settings.DATABASES['default']['NAME']} is not empty ({len(tables)} "
            "tables): restore into a new, empty database. Nothing was restored."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if MEDIA_FILE in manifest["files"] and media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty. Nothing was restored.")
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(source / DATABASE_FILE),
        ]
    )
    if MEDIA_FILE in manifest["files"]:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
    verify(manifest)
    return manifest


def verify(manifest: dict) -> None:
    """The restored database against the manifest: rows per table, migrations, and every
    record reference decrypting with the keys set here."""
    counts = row_counts()
    different = {
        table: (rows, counts.get(table))
        for table, rows in manifest["database"]["tables"].items()
        if counts.get(table) != rows
    }
    if different:
        raise BackupError(f"restored rows differ from the backup (table: backup, now): {different}")
    if _migrations() != manifest["migrations"]:
        raise BackupError("the restored migration history differs from the backup's")
    usage = encryption.key_usage()
    expected = manifest["encryption"]
    if usage.values != expected["values"] or usage.unreadable > expected["unreadable"]:
        raise BackupError(
            f"{usage.unreadable} of {usage.values} record references cannot be decrypted with "
            "the keys set here: set the keys the backup was made with"
        )
