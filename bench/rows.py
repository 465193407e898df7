"""Writing the generator's rows in bulk: COPY on PostgreSQL (psycopg 3), bulk_create elsewhere
(SQLite, the test suite); ids assigned by the generator where rows must point at each other."""

from __future__ import annotations

# Batch size for bulk_create; COPY streams row by row.
BATCH = 5000


class Copier:
    """Writes rows of one model: COPY on PostgreSQL, bulk_create elsewhere. Columns the
    generator does not set get the field's default, so fields other engineers add later
    (with a default) never break the generator."""

    def __init__(self, model, columns: list[str], connection):
        self.model = model
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.columns = columns
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.extra = []
        from django.utils import timezone

        now = timezone.now()
        for attname, field in fields.items():
            if attname in columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.primary_key:
                continue
            else:
                value = field.get_default()
            self.extra.append((field, value))
        self.rows = []
        self.count = 0
        self._copy = None
        self._cm = None
        self._cursor = None

    def __enter__(self):
        if self.postgres:
            colnames = [self.model._meta.get_field(c).column for c in self.columns] + [
                f.column for f, _ in self.extra
            ]
            self._cursor = self.connection.cursor()
            raw = self._cursor.cursor
            sql = f"COPY {self.model._meta.db_table} ({', '.join(colnames)}) FROM STDIN"
            self._cm = raw.copy(sql)
            self._copy = self._cm.__enter__()
            self._extra_values = tuple(
                f.get_db_prep_save(v, self.connection) for f, v in self.extra
            )
        return self

    def write(self, row: tuple) -> None:
        self.count += 1
        if self.postgres:
            self._copy.write_row(row + self._extra_values)
            return
        obj = self.model(**dict(zip(self.columns, row, strict=True)))
        for field, value in self.extra:
            setattr(obj, field.attname, value)
        self.rows.append(obj)
        if len(self.rows) >= BATCH:
            self.model.objects.bulk_create(self.rows)
            self.rows = []

    def __exit__(self, *exc):
        if self.postgres:
            self._cm.__exit__(*exc)
            self._cursor.close()
        elif self.rows and not exc[0]:
            self.model.objects.bulk_create(self.rows)
        return False


def next_id(model, connection) -> int:
    """The next free id of the table, over every partnership (the base manager is unscoped)."""
    from django.db.models import Max

    return (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequence(model, connection) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )
