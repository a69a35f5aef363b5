"""One row read as the ORM reads it, without the ORM building the query.

For the lookups every page makes (the session, a student's settings, the deck by its slug;
cards.roles asks the instructor check the same way, as one EXISTS): the ORM spends about a third
of a millisecond building each such query on a 2-core machine, as long as the database takes to
answer it. Conditions are SQL text fixed in the code; every value is a parameter."""

from functools import cache

from django.db import connection
from django.db.models import Model


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
