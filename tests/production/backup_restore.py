"""The backup and restore test (`make backup-test`; CI runs it after the smoke test).

On PostgreSQL, under production settings, with the scripts an operator runs:
1. a database with the demo partnership (results, encrypted record references, a rendered
   briefing PDF in media) is backed up with bin/backup;
2. bin/restore puts it into a fresh database and an empty MEDIA_ROOT: every audit's results,
   every record reference (decrypted), every table's rows and every media file are identical;
3. restoring under a different SECRET_KEY is refused up front with a message that names the
   key, and leaves the new database empty (no garbled references);
4. key rotation on the restored copy: with the old key in SECRET_KEY_FALLBACKS the references
   read; `manage.py encryption reencrypt` rewrites them; then the old key can go; without it
   before re-encryption, `encryption check` says which values it cannot read.
The backup itself never contains SECRET_KEY or FIELD_ENCRYPTION_SALT.

Environment: DATABASE_URL (its server; databases `<name>_backup`, `<name>_restore` and
`<name>_restore2` are created and dropped here), BACKUP_TEST_KEEP=1 keeps them and the files.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.production.harness import (
    DEFAULT_DATABASE_URL,
    ROOT,
    check,
    clean_environment,
    database_url_with_suffix,
    drop_database,
    recreate_database,
    run,
    run_check,
    say,
    table_count,
)


class BackupRestore:
    def __init__(self, work: Path) -> None:
        base = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        self.work = work
        self.source = database_url_with_suffix(base, "backup")
        self.restored = database_url_with_suffix(base, "restore")
        self.refused = database_url_with_suffix(base, "restore2")
        self.old_key = secrets.token_urlsafe(50)
        self.new_key = secrets.token_urlsafe(50)
        self.salt = secrets.token_urlsafe(16)
        self.log = work / "backup-test.log"

    def env(self, database_url: str, media: str, **keys: str) -> dict[str, str]:
        return clean_environment(
            Path(sys.executable).parent,
            DJANGO_SETTINGS_MODULE="auditportal.settings",
            DEBUG="false",
            SECRET_KEY=keys.get("SECRET_KEY", self.old_key),
            SECRET_KEY_FALLBACKS=keys.get("SECRET_KEY_FALLBACKS", ""),
            FIELD_ENCRYPTION_SALT=self.salt,
            ALLOWED_HOSTS="audit.example.test",
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(self.work / media),
            # Its own static build, as the image has one: never a manifest left in the checkout.
            STATIC_ROOT=str(self.work / "static"),
            REDIS_URL="",  # the demo's briefing renders in-process, into MEDIA_ROOT
            EMAIL_BACKEND="locmem",
        )

    def snapshot(self, env: dict[str, str]) -> dict:
        return json.loads(
            run(
                ["python", "-m", "tests.production.snapshot"], env, self.work / "snapshot.log"
            ).splitlines()[-1]
        )

    def attempt(self, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    def run(self) -> None:
        source_env = self.env(self.source, "media-source")
        recreate_database(self.source)
        run(["bin/build-static"], source_env, self.log)
        run(["bin/migrate"], source_env, self.log)
        run(["python", "manage.py", "load_demo"], source_env, self.log)
        before = self.snapshot(source_env)
        check(before["media"], "the demo wrote no media (its briefing PDF)")
        check(before["references"], "the demo has no record references")
        say(
            f"source: {len(before['results'])} audits, {len(before['references'])} record "
            f"references, {sum(before['rows'].values())} rows, {len(before['media'])} media files"
        )

        started = time.monotonic()
        output = run(["bin/backup", str(self.work / "backups")], source_env, self.log)
        (backup,) = sorted((self.work / "backups").iterdir())
        say(f"bin/backup in {time.monotonic() - started:.1f} s: {output.splitlines()[-1]}")
        for path in backup.iterdir():
            content = path.read_bytes()
            for secret in (self.old_key, self.salt):
                check(secret.encode() not in content, f"{path.name} holds a key")
        manifest = (backup / "manifest.json").read_text()
        for _pk, reference in before["references"]:
            check(reference not in manifest, "the manifest holds a record reference")

        recreate_database(self.restored)
        restored_env = self.env(self.restored, "media-restored")
        started = time.monotonic()
        output = run(["bin/restore", str(backup)], restored_env, self.log)
        say(f"bin/restore in {time.monotonic() - started:.1f} s: {output.splitlines()[-1]}")
        after = self.snapshot(restored_env)
        for part in ("results", "references", "rows", "media"):
            check(after[part] == before[part], f"the restored {part} differ from the original")
        say("restored: results, record references, rows and media identical to the original")
        again = self.attempt(["bin/restore", str(backup)], restored_env)
        check(
            again.returncode == 1 and "is not empty" in again.stderr,
            f"a restore over a database in use was not refused: {again.stdout}{again.stderr}",
        )

        recreate_database(self.refused)
        wrong_key = self.env(self.refused, "media-refused", SECRET_KEY=self.new_key)
        refused = self.attempt(["bin/restore", str(backup)], wrong_key)
        check(refused.returncode == 1, f"a restore under another key ran: {refused.stdout}")
        check(
            "encrypted with a different key" in refused.stderr
            and "Nothing was restored." in refused.stderr,
            f"the refusal does not say why: {refused.stderr}",
        )
        check(table_count(self.refused) == 0, "a refused restore left tables behind")
        say(f"under another SECRET_KEY, refused up front: {refused.stderr.split(';')[0].strip()}")

        self.rotate(restored_env, before["references"])

    def rotate(self, restored_env: dict[str, str], references: list) -> None:
        new_only = {**restored_env, "SECRET_KEY": self.new_key, "SECRET_KEY_FALLBACKS": ""}
        unreadable = self.attempt(["python", "manage.py", "encryption", "check"], new_only)
        check(
            unreadable.returncode == 1 and "cannot be decrypted" in unreadable.stderr,
            f"a new key without the old one as fallback: {unreadable.stdout}{unreadable.stderr}",
        )
        rotating = {**new_only, "SECRET_KEY_FALLBACKS": self.old_key}
        check(self.snapshot(rotating)["references"] == references, "the fallback key does not read")
        output = run(["python", "manage.py", "encryption", "reencrypt"], rotating, self.log)
        say(f"rotation: old key as fallback reads; reencrypt: {output.splitlines()[-1]}")
        check(self.snapshot(new_only)["references"] == references, "re-encrypted values differ")
        run(["python", "manage.py", "encryption", "check"], new_only, self.log)
        say("after reencrypt the new key alone reads every reference")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="auditportal-backup-test-"))
    test = BackupRestore(work)
    keep = os.environ.get("BACKUP_TEST_KEEP", "") in {"1", "true", "yes"}
    print(f"Backup and restore test ({work})", flush=True)

    def cleanup(passed: bool) -> None:
        if not keep:
            for url in (test.source, test.restored, test.refused):
                drop_database(url)
        if passed and not keep:
            shutil.rmtree(work, ignore_errors=True)

    return run_check(
        "Backup and restore test",
        test.run,
        cleanup=cleanup,
        logs=lambda: [test.log] if test.log.exists() else [],
    )


if __name__ == "__main__":
    sys.exit(main())
