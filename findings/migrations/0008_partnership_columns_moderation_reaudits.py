# Case judgements, agreed grades, child summaries and re-audits carry their partnership (the sample case's or audit's).
# Nullable first and filled; the next migration makes the column required.

import auditportal.tenancy
import auditportal.tenancy_migrations
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_partnership_house_colour'),
        ('findings', '0007_partnership_required'),
        ('audits', '0006_partnership_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreedgrade',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='casejudgement',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='childsummary',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='historicalagreedgrade',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, default=auditportal.tenancy.current_partnership_id, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='historicalcasejudgement',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, default=auditportal.tenancy.current_partnership_id, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='reaudit',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        auditportal.tenancy_migrations.fill_from_parent('findings', [('casejudgement', 'sample_case', 'audits.SampleCase'), ('agreedgrade', 'sample_case', 'audits.SampleCase'), ('childsummary', 'sample_case', 'audits.SampleCase'), ('reaudit', 'audit', 'audits.Audit'), ('historicalcasejudgement', 'sample_case', 'audits.SampleCase'), ('historicalagreedgrade', 'sample_case', 'audits.SampleCase')]),
    ]
