from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from auditportal import backups


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database and media into a new directory under DIRECTORY "
        "(bin/backup). The keys are not in it: keep SECRET_KEY and FIELD_ENCRYPTION_SALT apart."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            target = backups.backup(directory)
        except backups.BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        manifest = backups.read_manifest(target)
        encryption = manifest["encryption"]
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backup written to {target}: {len(tables)} tables, {sum(tables.values())} rows, "
            f"{manifest['media']['files'] or 0} media files, {encryption['values']} encrypted "
            f"values (keys {', '.join(encryption['keys_in_use']) or 'none'})."
        )
        if encryption["unreadable"]:
            self.stderr.write(
                f"Warning: {encryption['unreadable']} record references could not be decrypted "
                "with the keys set here; run `manage.py encryption check`."
            )
