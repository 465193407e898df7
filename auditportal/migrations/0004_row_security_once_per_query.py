# The row-level security policies again (auditportal/row_security.py), now reading the
# partnership setting once per query instead of once per row; the same rows pass. PostgreSQL
# only. Every `migrate` re-applies them anyway (post_migrate); this makes the change part of
# the migration history of a deployed database.

from django.db import migrations

import auditportal.row_security


class Migration(migrations.Migration):

    dependencies = [
        ("auditportal", "0003_row_level_security"),
        ("cases", "0006_partnership_created_at"),
        ("findings", "0010_benchmark_share"),
    ]

    operations = [
        migrations.RunPython(auditportal.row_security.migration_step, migrations.RunPython.noop),
    ]
