# The second lock: a row-level security policy on every partnership-owned table, PostgreSQL
# only (auditportal/row_security.py; SQLite relies on the first lock alone). Runs as the
# tables' owner, like every migration.

from django.db import migrations

import auditportal.row_security


class Migration(migrations.Migration):

    dependencies = [
        ("auditportal", "0002_partnership_columns"),
        ("accounts", "0002_partnership_columns"),
        ("cases", "0004_partnership_required"),
        ("audits", "0008_partnership_required_events_queries"),
        ("findings", "0009_partnership_required_moderation_reaudits"),
        ("briefings", "0004_partnership_required"),
        ("surveys", "0003_partnership_required"),
    ]

    operations = [
        migrations.RunPython(
            auditportal.row_security.migration_step, auditportal.row_security.migration_undo
        ),
    ]
