"""Inserting and updating many rows in one `executemany` each (Django's `bulk_update` builds a CASE expression per field
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


def insert_rows(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """INSERT the objects' `field_names` columns (values prepared by their fields, foreign keys by their `_id`), for
    rows whose primary key is not wanted back (link tables, merge records): `bulk_create` spent most of its time
    building SQL per object. Related objects must be saved first."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [field for field in map(meta.get_field, field_names) if isinstance(field, models.Field)]
    assert len(fields) == len(field_names), "concrete fields only"
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    params = []
    for obj in objects:
        values = []
        for field in fields:
            if field.is_relation:
                related = getattr(obj, field.name)
                values.append(related.pk if related is not None else None)
            else:
                values.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
