"""Inserting many rows through the project's bulk-insert engine, updating many in one `executemany` (Django's
`bulk_update` builds a CASE expression per field and per row: on 1,000 rows it spent 80 % of an import's time;
measured in docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

from spro.core.crypto import EncryptedTextField, encrypter
from spro.referentials.importing.sync import insert_rows as insert_dict_rows
from spro.referentials.importing.sync import insert_tuples, row_plan


def update_rows(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """UPDATE each object's `field_names` columns (values prepared by their fields: encrypted ones are encrypted),
    WHERE its primary key; nothing when `objects` is empty."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [field for field in map(meta.get_field, field_names) if isinstance(field, models.Field)]
    assert len(fields) == len(field_names), "concrete fields only"
    columns = [str(field.column) for field in fields]
    db = connections[router.db_for_write(type(objects[0]))]
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    # Table and column names come from the model, values go as parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), db) for field in fields] + [obj.pk]
        for obj in objects
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)


def insert_rows(objects: Sequence[models.Model], *, returning: bool = False) -> None:
    """INSERT the objects (every concrete field, values prepared by their fields: encrypted ones are encrypted,
    `auto_now` ones set) through the project's bulk-insert engine (`spro.referentials.importing.sync`:
    multi-row INSERTs on SQLite, COPY on PostgreSQL, in the caller's transaction). `bulk_create` spent most of its
    time building SQL per object, and on PostgreSQL one INSERT per row waited on the server each time. With
    `returning`, each object gets its new primary key (drawn from the sequence on PostgreSQL). Related objects
    must be saved first.

    The engine's own adapter binds a `str` as it is, so it must not see a model with an `EncryptedTextField`:
    the values are prepared here, field by field."""
    if not objects:
        return
    model = type(objects[0])
    plan = row_plan(model)
    db = connections[router.db_for_write(model)]  # once: the `connection` proxy costs a lookup per value
    prepared = [
        (field, bool(field.is_relation), isinstance(field, EncryptedTextField)) for field in plan.fields
    ]
    encrypt = encrypter()
    tuples = []
    for obj in objects:
        values = []
        for field, relation, encrypted in prepared:
            if relation:
                related = getattr(obj, field.name)
                values.append(related.pk if related is not None else None)
            elif encrypted:
                value = getattr(obj, field.attname)
                values.append(None if value is None else encrypt(str(value)))
            else:
                values.append(field.get_db_prep_save(field.pre_save(obj, add=True), db))
        tuples.append(tuple(values))
    keys = insert_tuples(plan, tuples, returning=returning)
    for obj, key in zip(objects, keys, strict=False):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = db.alias


def insert_values(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT rows given as dicts of field values (by name or attname; a missing field takes its default) without
    building a model instance per row (12 % of an import's time when the link rows and merge records were
    instances). The values of `EncryptedTextField`s are encrypted here: the engine binds a `str` as it is."""
    if not rows:
        return
    encrypted = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and field.name in rows[0]
    ]
    if encrypted:
        encrypt = encrypter()
        rows = [{**row, **{name: encrypt(str(row[name])) for name in encrypted}} for row in rows]
    insert_dict_rows(model, rows)


def refresh_statistics(model_classes: Sequence[type[models.Model]], *, min_changes: int = 1000) -> list[str]:
    """PostgreSQL: ANALYZE the tables whose planner statistics are missing or stale — more rows written since
    the last ANALYZE than `min_changes` plus a tenth of the table, autovacuum's own rule, which autovacuum applies
    only a minute or more later, or never where it is off. Without statistics, the import's lookups of 1,000
    hashes read the whole table (a sequential scan of 200,000 young people per batch, measured in
    docs/performance.md) instead of its unique indexes. Returns the tables analysed; nothing on SQLite (its
    planner uses the indexes without statistics)."""
    db = connections[router.db_for_write(model_classes[0])]
    if db.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in model_classes]
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND n_mod_since_analyze > %s + 0.1 * n_live_tup",
            [tables, min_changes],
        )
        stale = sorted(row[0] for row in cursor.fetchall())
        for table in stale:
            cursor.execute(f"ANALYZE {db.ops.quote_name(table)}")
    return stale
