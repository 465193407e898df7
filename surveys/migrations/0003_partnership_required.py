# Every row has its partnership now (the previous migration filled them): the column becomes required.

import auditportal.tenancy
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_partnership_house_colour'),
        ('surveys', '0002_partnership_columns'),
    ]

    operations = [
        migrations.AlterField(
            model_name='codebatch',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='survey',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='surveyanswer',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='surveycode',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='surveyquestion',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='surveyresponse',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
    ]
