"""The second lock, connection side: PostgreSQL row-level security reads the partnership of
the running code from the ``auditportal.partnership`` setting, which this module keeps equal
to ``auditportal.tenancy.current()`` on every connection.

How: an execute wrapper on every PostgreSQL connection compares, before each query, the value
the connection holds with the one the context wants, and sends ``set_config`` (session level)
only when they differ, on the driver's own cursor (so query counts do not change). A
``set_config`` sent inside a transaction is undone if that transaction (or the savepoint it
was sent in) rolls back, so a value set inside a transaction is trusted only in that
transaction and sent again after it; a savepoint rollback forgets it. We chose this over
``ATOMIC_REQUESTS`` with ``SET LOCAL``: that would wrap every request in one transaction,
which changes when the outbox hands work to Celery and what a failed write leaves behind.
Persistent connections are safe: the next request or task sets its own value before its
first query, and the policy gives nothing when the setting is absent or empty.

The policies themselves: ``auditportal/row_security.py``.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from . import tenancy


class _Held:
    """What one connection's setting holds, and in which transaction it was sent."""

    __slots__ = ("outer", "raw", "value")

    def __init__(self, raw: Any, value: str, outer: Any) -> None:
        self.raw = raw
        self.value = value
        self.outer = outer


def _still_holds(connection: BaseDatabaseWrapper, held: _Held | None, wanted: str) -> bool:
    if held is None or held.raw is not connection.connection or held.value != wanted:
        return False
    if held.outer is None:
        return True
    return connection.in_atomic_block and connection.atomic_blocks[0] is held.outer


def set_partnership_setting(connection: BaseDatabaseWrapper, raw_cursor: Any) -> None:
    wanted = tenancy.database_value()
    held = getattr(connection, "_partnership_held", None)
    if _still_holds(connection, held, wanted):
        return
    raw_cursor.execute("SELECT set_config(%s, %s, false)", [tenancy.SETTING, wanted])
    outer = connection.atomic_blocks[0] if connection.in_atomic_block else None
    connection._partnership_held = _Held(connection.connection, wanted, outer)  # type: ignore[attr-defined]


def _partnership_wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    connection = context["connection"]
    set_partnership_setting(connection, context["cursor"].cursor)
    try:
        return execute(sql, params, many, context)
    finally:
        if isinstance(sql, str) and sql.startswith("ROLLBACK TO SAVEPOINT"):
            connection._partnership_held = None


def install(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        return
    if _partnership_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_partnership_wrapper)


def _on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    install(connection)
    connection._partnership_held = None  # type: ignore[attr-defined]


def connect_signals() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="auditportal.tenancy_db")
