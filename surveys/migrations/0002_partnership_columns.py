# Surveys and everything under them carry their partnership (the survey's audit's).
# Nullable first and filled; the next migration makes the column required.

import auditportal.tenancy
import auditportal.tenancy_migrations
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_partnership_house_colour'),
        ('surveys', '0001_initial'),
        ('audits', '0006_partnership_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='codebatch',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='survey',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='surveyanswer',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='surveycode',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='surveyquestion',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        migrations.AddField(
            model_name='surveyresponse',
            name='partnership',
            field=models.ForeignKey(null=True, default=auditportal.tenancy.current_partnership_id, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.partnership'),
        ),
        auditportal.tenancy_migrations.fill_from_parent('surveys', [('survey', 'audit', 'audits.Audit'), ('surveyquestion', 'survey', 'surveys.Survey'), ('codebatch', 'survey', 'surveys.Survey'), ('surveycode', 'batch', 'surveys.CodeBatch'), ('surveyresponse', 'survey', 'surveys.Survey'), ('surveyanswer', 'response', 'surveys.SurveyResponse')]),
    ]
