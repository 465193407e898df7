"""Data steps of the migrations that made every partnership-owned table carry its partnership:
the rows of a deployment that served one partnership belong to that partnership."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.utils.text import slugify


def the_partnership(apps: Any) -> Any:
    """The deployment's one partnership (the settings row), made if there was none."""
    Partnership = apps.get_model("cases", "Partnership")
    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        partnership = Partnership.objects.create(name=settings.PARTNERSHIP_NAME)
    return partnership


def _hosts() -> list[str]:
    hosts = [urlparse(settings.SITE_URL).hostname or ""]
    hosts += [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return list(dict.fromkeys(h.lower() for h in hosts if h))


def name_the_partnership(apps: Any, schema_editor: Any) -> None:
    """The single partnership takes its name, address and logo from the settings that held
    them, and answers on the deployment's host names (SITE_URL's and ALLOWED_HOSTS')."""
    Partnership = apps.get_model("cases", "Partnership")
    PartnershipHost = apps.get_model("cases", "PartnershipHost")
    for partnership in Partnership.objects.filter(slug__isnull=True):
        partnership.name = settings.PARTNERSHIP_NAME
        partnership.slug = slugify(settings.PARTNERSHIP_NAME)[:50] or "partnership"
        if Partnership.objects.filter(slug=partnership.slug).exclude(pk=partnership.pk).exists():
            partnership.slug = f"{partnership.slug}-{partnership.pk}"
        partnership.contact_email = settings.PARTNERSHIP_CONTACT_EMAIL
        partnership.logo = settings.PARTNERSHIP_LOGO
        partnership.save()
        if partnership.pk == Partnership.objects.order_by("pk").first().pk:
            taken = set(PartnershipHost.objects.values_list("host", flat=True))
            PartnershipHost.objects.bulk_create(
                PartnershipHost(host=host, partnership=partnership)
                for host in _hosts()
                if host not in taken
            )
    # The single partnership was made with an explicit pk (Partnership.load's pk=1), which
    # leaves PostgreSQL's sequence behind: the next partnership made would take pk 1 again.
    sequences = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Partnership])
    for sql in sequences:
        schema_editor.execute(sql)


def fill_partnership(app_label: str, model_names: list[str]) -> migrations.RunPython:
    """Every row of these models without a partnership belongs to the single partnership."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for name in model_names:
            model = apps.get_model(app_label, name)
            rows = model._base_manager.filter(partnership__isnull=True)
            if rows.exists():
                rows.update(partnership=the_partnership(apps))

    return migrations.RunPython(forward, migrations.RunPython.noop)


def fill_from_parent(app_label: str, steps: list[tuple[str, str, str]]) -> migrations.RunPython:
    """Every row of these models without a partnership takes its parent's: each step is
    (model, foreign key to the parent, "app.Model" of the parent), in order, so a child may
    follow a parent filled by an earlier step. Rows left without one (history rows, whose
    parent may be gone) belong to the single partnership."""

    def forward(apps: Any, schema_editor: Any) -> None:
        from django.db.models import OuterRef, Subquery

        for name, fk, parent_label in steps:
            model = apps.get_model(app_label, name)
            parent = apps.get_model(*parent_label.split("."))
            rows = model._base_manager.filter(partnership__isnull=True)
            if not rows.exists():
                continue
            partnership = parent._base_manager.filter(pk=OuterRef(f"{fk}_id")).values(
                "partnership"
            )[:1]
            rows.update(partnership=Subquery(partnership))
            rest = model._base_manager.filter(partnership__isnull=True)
            if rest.exists():
                rest.update(partnership=the_partnership(apps))
        _check_now(schema_editor)

    return migrations.RunPython(forward, migrations.RunPython.noop)


def fill_bank_rows(app_label: str, model_names: list[str]) -> migrations.RunPython:
    """Default bank rows a migration seeded before bank rows had a partnership: they belong
    to the single partnership; with no partnership yet (a new installation) they go, as every
    partnership's bank is seeded when the partnership is made (cases.onboarding)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        Partnership = apps.get_model("cases", "Partnership")
        first = Partnership.objects.order_by("pk").first()
        for name in model_names:
            rows = apps.get_model(app_label, name)._base_manager.filter(partnership__isnull=True)
            if first is None:
                rows.delete()
            else:
                rows.update(partnership=first)
        _check_now(schema_editor)

    return migrations.RunPython(forward, migrations.RunPython.noop)


def _check_now(schema_editor: Any) -> None:
    """Run the deferred foreign-key checks of the rows just changed now: PostgreSQL refuses
    to create the migration's deferred indexes on a table with pending trigger events."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
