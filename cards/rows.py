"""Rows read and written as the ORM reads and writes them, without the ORM building the query.

For the lookups every page makes (the session, a student's settings, the deck by its slug;
cards.roles asks the instructor check the same way, as one EXISTS): the ORM spends about a third
of a millisecond building each such query on a 2-core machine, as long as the database takes to
answer it. Conditions are SQL text fixed in the code; every value is a parameter.

And for an import's new cards (`insert_all`): bulk_create compiles its SQL value by value, batch
by batch (for 12,000 cards, 245 statements of 240,000 values on SQLite), about five times the
time the database takes to store them; built once per statement, the same inserts take about
40% of bulk_create's time (0.41-0.44 s against 1.0-1.2 s, 2026-12-02)."""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import NOT_PROVIDED, Field, Model


@cache
def _reader(model, names: frozenset[str] | None = None) -> tuple[list, list[str], list[tuple]]:
    """The model's columns in field order (what Model.from_db expects), all or those whose
    attname is in `names`; their field names; and each column's converters, as the ORM's
    compiler applies them (JSON text, SQLite's dates and booleans)."""
    fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        converters.append(
            (column, connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        )
    return fields, [field.attname for field in fields], converters


def columns(model, alias: str = "", names: frozenset[str] | None = None) -> str:
    """The SQL list of the columns from_row reads, each prefixed with `alias.` if given."""
    prefix = f"{alias}." if alias else ""
    fields = _reader(model, names)[0]
    return ", ".join(f"{prefix}{connection.ops.quote_name(field.column)}" for field in fields)


def from_row(model, values, names: frozenset[str] | None = None) -> Model:
    """A model read from the values of `columns(model, ..., names)`, as the ORM would read it."""
    _fields, attnames, converters = _reader(model, names)
    values = list(values)
    for index, (column, column_converters) in enumerate(converters):
        for convert in column_converters:
            values[index] = convert(values[index], column, connection)
    return model.from_db(connection.alias, attnames, values)


def fetch_one(model, where: str, params: list) -> Model | None:
    """The first `model` row matching the SQL condition `where` (values as %s parameters), read
    as the ORM would read it; None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns(model)} FROM {model._meta.db_table} WHERE {where}", params)
        row = cursor.fetchone()
    return None if row is None else from_row(model, row)


def insert_all(model, objs: list[Model], batch_size: int = 500) -> None:
    """Store new `objs` as `model.objects.bulk_create(objs, batch_size=...)` would: every field
    but an automatic primary key, each value through the field's get_db_prep_save (JSON, dates)
    after its pre_save where the field has one (auto_now stamps), as many rows to a statement as
    the database takes. Unlike bulk_create it leaves the objects' primary keys unset: for rows
    nobody reads back here. Values are plain values: no expressions, no db_default."""
    if not objs:
        return
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy `connection`: it costs a lookup a value
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and f.db_returning)
    ]
    if any(f.db_default is not NOT_PROVIDED for f in fields):
        raise TypeError(f"{model.__name__} has a db_default: store it with bulk_create")
    stamped = [f for f in fields if type(f).pre_save is not Field.pre_save]
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]
    quote = db.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    )
    row = f"({', '.join(['%s'] * len(fields))})"
    per = max(1, min(batch_size, db.ops.bulk_batch_size(fields, objs)))
    with db.cursor() as cursor:
        for start in range(0, len(objs), per):
            params = []
            for obj in objs[start : start + per]:
                for field in stamped:
                    field.pre_save(obj, True)
                params += [prep(getattr(obj, attname), db) for attname, prep in prepare]
            count = min(per, len(objs) - start)
            cursor.execute(f"{head} VALUES {', '.join([row] * count)}", params)
