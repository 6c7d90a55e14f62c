"""Updating many rows by primary key in one `executemany` (Django's `bulk_update` builds a CASE expression per field
and per row: on 1,000 rows it spent 80 % of an import's time; measured in docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def update_rows(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """UPDATE each object's `field_names` columns (values prepared by their fields: encrypted ones are encrypted),
    WHERE its primary key; nothing when `objects` is empty."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [field for field in map(meta.get_field, field_names) if isinstance(field, models.Field)]
    assert len(fields) == len(field_names), "concrete fields only"
    columns = [str(field.column) for field in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    # Table and column names come from the model, values go as parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
