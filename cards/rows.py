"""One row read as the ORM reads it, without the ORM building the query.

For the lookups every page makes (the session, a student's settings, the deck by its slug;
cards.roles asks the instructor check the same way, as one EXISTS): the ORM spends about a third
of a millisecond building each such query on a 2-core machine, as long as the database takes to
answer it. Conditions are SQL text fixed in the code; every value is a parameter."""

from functools import cache

from django.db import connection
from django.db.models import Model


@cache
def _reader(model) -> tuple[str, list[str], list[tuple]]:
    """For fetch_one: the model's SELECT list, its field names in from_db order, and each
    column's converters, as the ORM's compiler applies them (JSON text, SQLite's dates)."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        converters.append(
            (column, connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        )
    return columns, [field.attname for field in fields], converters


def fetch_one(model, where: str, params: list) -> Model | None:
    """The first `model` row matching the SQL condition `where` (values as %s parameters), read
    as the ORM would read it; None when there is none."""
    columns, names, converters = _reader(model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} WHERE {where}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, (column, column_converters) in enumerate(converters):
        for convert in column_converters:
            values[index] = convert(values[index], column, connection)
    return model.from_db(connection.alias, names, values)
