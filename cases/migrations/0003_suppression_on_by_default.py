import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """A new partnership suppresses counts below 3; an existing row keeps its own setting."""

    dependencies = [
        ("cases", "0002_single_line_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partnership",
            name="suppression_threshold",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="Counts below this are shown as 'fewer than N' on the board dashboard "
                "and in published briefings. 0 switches suppression off.",
                validators=[django.core.validators.MaxValueValidator(20)],
                verbose_name="small-number suppression threshold",
            ),
        ),
    ]
