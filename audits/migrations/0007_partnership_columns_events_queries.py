# Key events, their kinds and queries on answers carry their partnership (the return's).
# Nullable first and filled; the next migration makes the column required.

import auditportal.tenancy
import auditportal.tenancy_migrations
import auditportal.text
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0006_partnership_required'),
        ('cases', '0005_partnership_house_colour'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='eventkind',
            name='eventkind_unique_bank_key',
        ),
        migrations.AddField(
            model_name='answerquery',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='eventkind',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='historicalanswerquery',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, default=auditportal.tenancy.current_partnership_id, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='historicalkeyevent',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, default=auditportal.tenancy.current_partnership_id, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='keyevent',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='eventkind',
            name='name',
            field=models.CharField(max_length=80, validators=[auditportal.text.SingleLineValidator()]),
        ),
        migrations.AddConstraint(
            model_name='eventkind',
            constraint=models.UniqueConstraint(fields=('partnership', 'name'), name='eventkind_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='eventkind',
            constraint=models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('partnership', 'key'), name='eventkind_unique_bank_key'),
        ),
        auditportal.tenancy_migrations.fill_bank_rows('audits', ['eventkind']),
        auditportal.tenancy_migrations.fill_from_parent('audits', [('keyevent', 'audit_return', 'audits.Return'), ('answerquery', 'audit_return', 'audits.Return'), ('historicalkeyevent', 'audit_return', 'audits.Return'), ('historicalanswerquery', 'audit_return', 'audits.Return')]),
    ]
