# Every row has its partnership now (the previous migration filled them): the column becomes required.

import auditportal.tenancy
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0007_partnership_columns_events_queries'),
        ('cases', '0005_partnership_house_colour'),
    ]

    operations = [
        migrations.AlterField(
            model_name='answerquery',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='eventkind',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='keyevent',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
    ]
