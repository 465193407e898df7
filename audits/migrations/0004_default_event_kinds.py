from django.db import migrations

DEFAULT_EVENT_KINDS = [
    ("referral", "Referral"),
    ("assessment", "Assessment"),
    ("strategy-discussion", "Strategy discussion"),
    ("taf-meeting", "Team around the family (TAF) meeting"),
    ("cp-conference", "Child protection conference"),
    ("core-group", "Core group meeting"),
    ("home-visit", "Home visit"),
    ("school-exclusion", "School exclusion"),
    ("missing-episode", "Missing episode"),
    ("ae-attendance", "A&E attendance"),
    ("police-incident", "Police incident"),
    ("transfer-in", "Transfer in from another area"),
    ("case-closed", "Case closed"),
    ("other", "Other"),
]


def add_kinds(apps, schema_editor):
    EventKind = apps.get_model("audits", "EventKind")
    for order, (key, name) in enumerate(DEFAULT_EVENT_KINDS):
        if not EventKind.objects.filter(key=key).exists():
            EventKind.objects.get_or_create(name=name, defaults={"key": key, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("audits", "0003_key_events_queries_look_back")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
