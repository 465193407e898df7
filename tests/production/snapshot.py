"""What a restore must reproduce, as JSON on stdout (tests/production/backup_restore.py runs it
against the original and the restored database): every audit's results, every record
reference as it reads, the rows of every table, and the media files' SHA-256."""

import dataclasses
import hashlib
import json
from pathlib import Path

import django


def results_of(audit) -> dict:
    """An audit's results as plain data: every field, and each theme's grades by agency (built
    on first use, so not a field of its own: a private field holding how to build them would
    print as an object's address, different in every process)."""
    from findings.results import audit_results

    results = audit_results(audit=audit)
    data = dataclasses.asdict(
        results, dict_factory=lambda items: {k: v for k, v in items if not k.startswith("_")}
    )
    for theme, theme_data in zip(results.themes, data["themes"], strict=True):
        theme_data["by_agency"] = [dataclasses.asdict(row) for row in theme.by_agency]
    return data


def snapshot() -> dict:
    from django.conf import settings

    from auditportal.backups import row_counts
    from audits.models import Audit
    from cases.models import RecordReference

    media = Path(settings.MEDIA_ROOT)
    return {
        "results": {audit.title: results_of(audit) for audit in Audit.objects.order_by("pk")},
        "references": [
            [reference.pk, reference.reference]
            for reference in RecordReference.objects.order_by("pk")
        ],
        "rows": row_counts(),
        "media": {
            str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(media.rglob("*"))
            if path.is_file()
        },
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(snapshot(), default=str, sort_keys=True))
