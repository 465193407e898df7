# Every row has its partnership now (the previous migration filled them): the column becomes required.

import auditportal.tenancy
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_partnership_house_colour'),
        ('findings', '0008_partnership_columns_moderation_reaudits'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agreedgrade',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='casejudgement',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='childsummary',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='reaudit',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
    ]
