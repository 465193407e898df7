from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from auditportal import backups


class Command(BaseCommand):
    help = (
        "Restore a backup directory (bin/backup) into the empty database of DATABASE_URL and "
        "an empty MEDIA_ROOT, with the keys it was made with (bin/restore)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path)

    def handle(self, *args, backup: Path, **options) -> None:
        try:
            manifest = backups.restore(backup)
        except backups.BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Restored {backup.name} (made {manifest['created_at']}): {len(tables)} tables and "
            f"{sum(tables.values())} rows as in the backup, {manifest['media']['files'] or 0} "
            f"media files, {manifest['encryption']['values']} record references readable."
        )
