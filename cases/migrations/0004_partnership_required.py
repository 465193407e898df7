# Every row has its partnership now (the previous migration filled them): the column becomes
# required. A migration of its own: PostgreSQL refuses to alter a table in the transaction
# that just updated its rows under a deferred foreign key.

import auditportal.tenancy
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_partnership_tenant'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agency',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='caseagency',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AlterField(
            model_name='recordreference',
            name='partnership',
            field=models.ForeignKey(default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
    ]
