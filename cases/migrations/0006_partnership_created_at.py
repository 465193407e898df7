"""When each partnership was created: the column, blank for rows already there, then filled
from the audit trail's partnership.created where it holds one (the hosting administration's
creations); a partnership from before the hosting administration stays blank."""

import django.utils.timezone
from django.db import migrations, models


def fill_from_trail(apps, schema_editor):
    Partnership = apps.get_model("cases", "Partnership")
    AuditEvent = apps.get_model("auditportal", "AuditEvent")
    created = dict(
        AuditEvent._base_manager.filter(
            code="partnership.created", target_type="cases.partnership"
        ).values_list("target_id", "at")
    )
    for partnership in Partnership._base_manager.filter(created_at=None):
        at = created.get(str(partnership.pk))
        if at is not None:
            partnership.created_at = at
            partnership.save(update_fields=["created_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_partnership_house_colour"),
        ("auditportal", "0003_row_level_security"),
    ]

    operations = [
        # Blank for the rows already there (no default for them: the migration's time would
        # be a wrong date), the default for new ones after; both before the rows are updated.
        migrations.AddField(
            model_name="partnership",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="created_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False, null=True
            ),
        ),
        migrations.RunPython(fill_from_trail, migrations.RunPython.noop),
    ]
