# Every row has its partnership now (the previous migration filled them): the column becomes
# required. A migration of its own: PostgreSQL refuses to alter a table in the transaction
# that just updated its rows under a deferred foreign key.

import auditportal.tenancy
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('findings', '0006_partnership_columns'),
    ]

    operations = [
        migrations.AlterField(
            model_name='action',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='engagement',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='finding',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='quote',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='resource',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='subgroup',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
    ]
