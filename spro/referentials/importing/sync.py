"""Diff-and-upsert of one model against the records read from an official file.

Each record is keyed by the official code (the model's natural key), so a re-import updates in place and keeps
primary keys stable. Values are compared field by field: an unchanged file writes nothing and reports 0 changes.
Rows that disappeared from a newer release are *retired* (``is_active=False``) when the model has that flag, so
that links from other data stay valid, and deleted otherwise (pure link tables).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

from django.db import connections, models, router


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    retired: int = 0
    deleted: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.retired + self.deleted

    def add(self, other: Counts) -> None:
        for name in ("created", "updated", "unchanged", "rejected", "retired", "deleted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in ("created", "updated", "unchanged", "rejected", "retired", "deleted")
        }


@dataclass
class SyncPlan:
    """What a sync would write; computed first, so a dry run can report it without writing."""

    to_create: list[dict[str, Any]] = field(default_factory=list)  # field values, FKs by attname
    to_update: list[models.Model] = field(default_factory=list)
    to_retire: list[Any] = field(default_factory=list)
    to_delete: list[Any] = field(default_factory=list)
    unchanged: int = 0


def _normalise(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def sync_model(
    model: type[models.Model],
    records: Mapping[Any, Mapping[str, Any]],
    *,
    key: str | tuple[str, ...],
    fields: Iterable[str],
    scope: models.Q | None = None,
    on_missing: str = "retire",
    batch_size: int = 2000,
    log=None,
) -> Counts:
    """Make the rows of `model` (within `scope`) equal to `records`.

    `records` maps each key (a value, or a tuple when `key` is a tuple of field names) to the field values.
    `fields` lists the compared and written fields (FKs as `<name>_id`). `on_missing` is "retire", "delete" or
    "keep" for rows present in the database but absent from `records`.
    """
    keys = (key,) if isinstance(key, str) else tuple(key)
    fields = [name for name in fields if name not in keys]
    has_active = any(f.name == "is_active" for f in model._meta.concrete_fields)
    if has_active and "is_active" not in fields:
        fields.append("is_active")
    pk_name = model._meta.pk.attname
    queryset = model._default_manager.all()
    if scope is not None:
        queryset = queryset.filter(scope)

    columns = [pk_name, *keys, *[f for f in fields if f not in keys and f != pk_name]]
    compared = [f for f in fields if f != pk_name]
    existing: dict[Any, tuple[Any, dict[str, Any]]] = {}
    for row in queryset.values_list(*columns):
        values = dict(zip(columns, row, strict=True))
        k = values[keys[0]] if len(keys) == 1 else tuple(values[name] for name in keys)
        existing[k] = (values[pk_name], values)

    plan = SyncPlan()
    for k, incoming in records.items():
        incoming = dict(incoming)
        if has_active:
            incoming["is_active"] = True
        current = existing.pop(k, None)
        key_values = {keys[0]: k} if len(keys) == 1 else dict(zip(keys, k, strict=True))
        if current is None:
            plan.to_create.append({**key_values, **{f: incoming.get(f) for f in compared}})
            continue
        pk, values = current
        if any(_normalise(values.get(f)) != _normalise(incoming.get(f)) for f in compared):
            obj = model(**{pk_name: pk, **key_values, **{f: incoming.get(f) for f in compared}})
            plan.to_update.append(obj)
        else:
            plan.unchanged += 1

    for pk, values in existing.values():
        if on_missing == "keep":
            continue
        if on_missing == "retire" and has_active:
            if values.get("is_active"):
                plan.to_retire.append(pk)
        else:
            plan.to_delete.append(pk)

    counts = Counts(unchanged=plan.unchanged)
    label = model._meta.label
    for start in range(0, len(plan.to_create), batch_size):
        batch = plan.to_create[start : start + batch_size]
        insert_rows(model, batch)
        counts.created += len(batch)
        if log:
            log(f"{label}: created {counts.created}/{len(plan.to_create)}")
    update_fields = [f for f in compared if f != pk_name]
    for start in range(0, len(plan.to_update), batch_size):
        batch = plan.to_update[start : start + batch_size]
        _update_rows(model, batch, update_fields)
        counts.updated += len(batch)
        if log:
            log(f"{label}: updated {counts.updated}/{len(plan.to_update)}")
    for start in range(0, len(plan.to_retire), 900):
        batch = plan.to_retire[start : start + 900]
        model._default_manager.filter(pk__in=batch).update(is_active=False)
        counts.retired += len(batch)
    for start in range(0, len(plan.to_delete), 900):
        batch = plan.to_delete[start : start + 900]
        model._default_manager.filter(pk__in=batch).delete()
        counts.deleted += len(batch)
    if log and (counts.retired or counts.deleted):
        log(f"{label}: retired {counts.retired}, deleted {counts.deleted}")
    return counts


# ------------------------------------------------------------------------------------- bulk INSERT
# The one bulk-insert engine of the project: `insert_rows` (dicts or unsaved instances, any field type) and
# `insert_tuples` (rows already converted by a `RowPlan`, e.g. in the LHÉO importer's worker processes) write
# through the same statements: multi-row INSERTs on SQLite, COPY on PostgreSQL, inside the caller's transaction.

#: Value types a column of this kind takes as they are: anything else goes through the field's own adapter.
_RAW_TYPES: dict[str, tuple[type, ...]] = {
    "CharField": (str,),
    "TextField": (str,),
    "SlugField": (str,),
    "IntegerField": (int,),
    "BigIntegerField": (int,),
    "SmallIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "FloatField": (float, int),
    "BooleanField": (bool,),
}

#: well under SQLite's 32,766 bind parameters per statement
MAX_PARAMS = 16_000


def _json_encoder() -> Any:
    """`json.dumps` with its default options (what Django's JSONField stores), minus the two Python frames
    it spends per call before reaching the C encoder: ≈ 100 000 values per 50 MB of LHÉO."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has the C accelerator
        return json.dumps
    encode = make(
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    join = "".join
    return lambda value: join(encode(value, 0))


_json_dumps = _json_encoder()
#: most JSON values are empty (no extras, no codes): their JSON, or None for SQL NULL, without encoding
_EMPTY_JSON: dict[type, str | None] = {dict: "{}", list: "[]", str: '""', type(None): None}


@dataclass
class RowPlan:
    """How one model's rows become tuples of database values, in `columns` order.

    Columns are ordered plain, then JSON, then dates, so that `tuples` converts each group with one C-level
    call. `pk` is the column of an auto-incremented primary key left to the database (its values can be
    returned), None when the rows carry their primary key.
    """

    model: type[models.Model]
    table: str
    pk: str | None
    fields: list[models.Field]
    columns: list[str]
    names: list[str]
    defaults: dict[str, Any]
    plain: int
    jsons: int
    dates: int
    decimals: list[int]
    #: every column is plain, JSON (default encoder) or a date: `tuples` applies
    fast: bool

    def index(self, name: str) -> int:
        """Position of a field (by attname) in the rows' tuples."""
        return self.names.index(name)

    def tuples(self, rows: list[dict[str, Any]], *, portable: bool = True) -> list[tuple]:
        """Dicts of field values by attname (a missing one takes its default) → tuples, converted once per
        column rather than once per value: JSON as text (PostgreSQL casts it to jsonb), dates as ISO strings
        and, when `portable`, decimals as strings (what Django's SQLite adapter stores; COPY parses them):
        plain values that `marshal` carries and both backends accept. Strings, numbers, booleans and foreign
        keys go as they are, so rows must hold values of their column's type."""
        if not self.fast:  # pragma: no cover - only called for the models it was written for
            raise NotImplementedError(
                f"{self.table}: a JSONField with an encoder, a DateTimeField or TimeField"
            )
        if not rows:
            return []
        getter = itemgetter(*self.names)
        if any(name not in rows[0] for name in self.names):
            defaults = self.defaults
            rows = [{**defaults, **row} for row in rows]
        if len(self.names) == 1:
            return [(value,) for value in map(getter, rows)]
        plain, jsons, dates = self.plain, self.plain + self.jsons, self.plain + self.jsons + self.dates
        if jsons == plain and dates == plain:
            out = list(map(getter, rows))
        else:
            dumps = _json_dumps
            out = []
            append = out.append
            for values in map(getter, rows):
                converted = values[:plain] + tuple(
                    [
                        _EMPTY_JSON[value.__class__]
                        if not value and value.__class__ in _EMPTY_JSON
                        else dumps(value)
                        for value in values[plain:jsons]
                    ]
                )
                if dates > jsons:
                    converted += tuple([None if d is None else d.isoformat() for d in values[jsons:dates]])
                append(converted)
        decimals = self.decimals
        if portable and decimals:
            converted_rows = []
            for values in out:
                if any(values[i] is not None for i in decimals):
                    values = list(values)
                    for i in decimals:
                        if values[i] is not None:
                            values[i] = str(values[i])
                    values = tuple(values)
                converted_rows.append(values)
            out = converted_rows
        return out

    def adapt(self, rows: list[dict[str, Any]], connection: Any) -> list[tuple]:
        """Dicts of field values (by name or attname; a missing field takes its default, computed now for
        `auto_now` and callable defaults) → tuples. A value of the plain type its column expects is bound as
        it is, any other through `get_db_prep_save`, as `bulk_create` would: any field type, any value."""
        model = self.model
        adapters = []
        for f in self.fields:
            internal = f.target_field.get_internal_type() if f.is_relation else f.get_internal_type()
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = f.pre_save(model(), True)
            else:
                default = (
                    f.get_default()
                )  # as Model(): the declared default, else "" for a non-null text field
            dynamic_default = f.has_default() and callable(f.default)
            adapters.append((f, f.attname, f.name, _RAW_TYPES.get(internal, ()), default, dynamic_default))
        missing = object()
        out = []
        for v in rows:
            row = []
            for f, attname, name, raw_types, default, dynamic_default in adapters:
                value = v.get(attname, missing)
                if value is missing:
                    value = v.get(name, missing)
                if value is missing:
                    value = f.get_default() if dynamic_default else default
                if value is not None and type(value) not in raw_types:
                    value = f.get_db_prep_save(value, connection)
                row.append(value)
            out.append(tuple(row))
        return out


def row_plan(model: type[models.Model], *, with_pk: bool = False) -> RowPlan:
    """The plan of `model`'s rows; an auto-incremented primary key is a column only `with_pk`."""
    meta = model._meta
    auto_pk = isinstance(meta.pk, models.AutoField)
    fields = [f for f in meta.concrete_fields if with_pk or not (f.primary_key and auto_pk)]
    plain = [f for f in fields if not isinstance(f, (models.JSONField, models.DateField))]
    jsons = [f for f in fields if isinstance(f, models.JSONField)]
    dates = [f for f in fields if isinstance(f, models.DateField)]
    ordered = plain + jsons + dates
    fast = not any(f.encoder is not None for f in jsons) and not any(
        isinstance(f, (models.DateTimeField, models.TimeField)) for f in fields
    )
    return RowPlan(
        model=model,
        table=meta.db_table,
        pk=meta.pk.column if auto_pk and not with_pk else None,
        fields=ordered,
        columns=[f.column for f in ordered],
        names=[f.attname for f in ordered],
        defaults={f.attname: f.get_default() for f in ordered},
        plain=len(plain),
        jsons=len(jsons),
        dates=len(dates),
        decimals=[i for i, f in enumerate(ordered) if isinstance(f, models.DecimalField)],
        fast=fast,
    )


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]] | list[models.Model]) -> None:
    """INSERT new rows: for the rows a sync creates, the search index build, any bulk load.

    Why not `bulk_create`: on the ROME (180,000 rows) it spent about two thirds of the import building model
    instances and compiling SQL in Python, several statements per 1,000 rows. `rows` are dicts of field values
    (by name or attname; a missing field takes its default) or unsaved instances, adapted by `RowPlan.adapt`.
    The primary key is written when every row has one. Models with a parent model still go through
    `bulk_create`.
    """
    if not rows:
        return
    meta = model._meta
    if meta.parents:
        model._default_manager.bulk_create([r if isinstance(r, models.Model) else model(**r) for r in rows])
        return
    values = [r.__dict__ if isinstance(r, models.Model) else r for r in rows]
    pk = meta.pk
    with_pk = all(v.get(pk.attname, v.get(pk.name)) is not None for v in values)
    plan = row_plan(model, with_pk=with_pk)
    connection = connections[router.db_for_write(model)]
    insert_tuples(plan, plan.adapt(values, connection))


def insert_tuples(plan: RowPlan, tuples: list[tuple], *, returning: bool = False) -> list[Any]:
    """INSERT rows already converted to `plan`'s column order (`RowPlan.tuples` or `adapt`).

    SQLite: multi-row INSERTs (… RETURNING the new keys when asked) through the DB-API cursor; PostgreSQL:
    COPY, the keys that are asked for being drawn from the table's sequence in one query first. Both run in
    the caller's transaction. Returns the new primary keys in row order when `returning`, else [].
    """
    if not tuples:
        return []
    connection = connections[router.db_for_write(plan.model)]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return _copy(connection, plan, tuples, returning)
    return _insert(connection, plan, tuples, returning)


def _insert(connection: Any, plan: RowPlan, tuples: list[tuple], returning: bool) -> list[Any]:
    """Multi-row INSERTs whose sizes are powers of two: few distinct SQL texts, so the driver's statement
    cache (a prepared 10 000-parameter INSERT weighs megabytes in SQLite) stays small."""
    quote = connection.ops.quote_name
    width = len(plan.columns)
    # Only quoted column names from the model are interpolated; values are bound parameters.
    prefix = f"INSERT INTO {quote(plan.table)} ({', '.join(quote(c) for c in plan.columns)}) VALUES "  # noqa: S608
    placeholder = "(" + ", ".join(["?" if connection.vendor == "sqlite" else "%s"] * width) + ")"
    returning_sql = f" RETURNING {quote(plan.pk)}" if returning and plan.pk else ""
    largest = 1
    while largest * 2 * width <= MAX_PARAMS and largest * 2 <= 512:
        largest *= 2
    pks: list[Any] = []
    # The raw DB-API cursor: under DEBUG, Django would render and keep each multi-megabyte INSERT, and its
    # SQLite wrapper would rewrite every `%s` of it into `?`.
    cursor = connection.connection.cursor()
    try:
        start, size, total = 0, largest, len(tuples)
        while start < total:
            while size > total - start:
                size //= 2
            params = list(chain.from_iterable(tuples[start : start + size]))
            cursor.execute(prefix + ", ".join([placeholder] * size) + returning_sql, params)
            if returning_sql:
                pks.extend(row[0] for row in cursor.fetchall())
            start += size
    finally:
        cursor.close()
    return pks


def _copy(connection: Any, plan: RowPlan, tuples: list[tuple], returning: bool) -> list[Any]:
    """PostgreSQL COPY FROM STDIN: one stream per table and batch instead of one INSERT per row."""
    quote = connection.ops.quote_name
    columns = list(plan.columns)
    pks: list[Any] = []
    with connection.connection.cursor() as cursor:
        if returning and plan.pk:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [plan.table, plan.pk, len(tuples)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            columns.append(plan.pk)
            tuples = [(*values, pk) for values, pk in zip(tuples, pks, strict=True)]
        sql = f"COPY {quote(plan.table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            write = copy.write_row
            for values in tuples:
                write(values)
    return pks


def _update_rows(model: type[models.Model], objs: list[models.Model], field_names: list[str]) -> None:
    """UPDATE … WHERE pk = %s with executemany: linear, unlike bulk_update's CASE WHEN on big batches."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]  # accepts attnames such as "region_id"
    pk = model._meta.pk
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Only quoted column names from the model are interpolated; values are bound parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [pk.get_db_prep_save(obj.pk, connection)]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
