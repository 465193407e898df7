"""The second lock, database side: a PostgreSQL row-level security policy on every
partnership-owned table (auditportal.tenancy.owned_models), keyed on the
``auditportal.partnership`` setting that auditportal/tenancy_db.py keeps on each connection.

- ``<id>``: that partnership's rows only (requests and tasks);
- ``none``: the hosting administration: rows of no partnership (its own users and trail);
- ``*``: operator code outside any partnership (commands, relay, migrations);
- absent or empty (a connection the app did not set up, e.g. psql as the app's role): nothing.

``FORCE ROW LEVEL SECURITY`` binds the tables' owner too. Superusers and roles with
BYPASSRLS are never bound, whatever the policy: production must connect as an ordinary role
(docs/security.md). Applied by migrations auditportal 0003 (and 0004, which re-applies it
with the setting read once per query) and again after every ``migrate``
(``post_migrate``), so a model made partnership-owned later is covered without a migration
of its own; ``tests/security/test_row_security.py`` checks every owned table has it.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

POLICY = "partnership_seal"

FUNCTIONS = [
    # STABLE: evaluated once per query, so the comparison can use the partnership index.
    """CREATE OR REPLACE FUNCTION auditportal_partnership() RETURNS bigint
    LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN current_setting('auditportal.partnership', true) ~ '^[0-9]+$'
        THEN current_setting('auditportal.partnership', true)::bigint END
    $$""",
    """CREATE OR REPLACE FUNCTION auditportal_partnership_mode() RETURNS text
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('auditportal.partnership', true), '')
    $$""",
]


def condition(*, nullable: bool) -> str:
    """The policy's test of a row. Each function call is wrapped in a scalar subquery, which
    PostgreSQL runs once per query (an InitPlan) and then compares as a parameter: called
    bare, the STABLE functions are inlined and their `current_setting` and regular expression
    run again for every row a plan touches (at 150 partnerships this made the dashboard's
    trend query 1.5 times as slow; docs/benchmarks.md)."""
    mode, partnership = (
        "(SELECT auditportal_partnership_mode())",
        "(SELECT auditportal_partnership())",
    )
    allowed = f"{mode} = '*' OR partnership_id = {partnership}"
    if nullable:
        allowed += f" OR (partnership_id IS NULL AND {mode} = 'none')"
    return allowed


def table_statements(table: str, *, nullable: bool) -> list[str]:
    quoted = f'"{table}"'
    allowed = condition(nullable=nullable)
    return [
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {quoted}",
        f"CREATE POLICY {POLICY} ON {quoted} USING ({allowed}) WITH CHECK ({allowed})",
    ]


def owned_tables(models: list[Any]) -> list[tuple[str, bool]]:
    """(table, partnership may be blank) of every model with a partnership column."""
    tables: dict[str, bool] = {}
    for model in models:
        if model._meta.abstract or model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.name == "partnership":
                tables[model._meta.db_table] = field.null and not model.__name__.startswith(
                    "Historical"
                )
    return sorted(tables.items())


def apply(connection: BaseDatabaseWrapper, models: list[Any]) -> int:
    """Enable the policy on every owned table of `models`; PostgreSQL only. Idempotent."""
    if connection.vendor != "postgresql":
        return 0
    tables = owned_tables(models)
    with connection.cursor() as cursor:
        for statement in FUNCTIONS:
            cursor.execute(statement)
        for table, nullable in tables:
            # History rows copy their record's partnership, and may be blank only when a
            # record without one (none exist) was copied: the strict policy fits them too.
            for statement in table_statements(table, nullable=nullable):
                cursor.execute(statement)
    return len(tables)


def apply_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.apps import apps
    from django.db import connections

    apply(connections[using], list(apps.get_models()))


def migration_step(apps: Any, schema_editor: Any) -> None:
    apply(schema_editor.connection, list(apps.get_models()))


def migration_undo(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, _nullable in owned_tables(list(apps.get_models())):
            cursor.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
            cursor.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
            cursor.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
