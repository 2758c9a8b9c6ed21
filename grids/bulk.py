"""Fast bulk loading: PostgreSQL COPY, batched inserts elsewhere.

Only for loaders that build whole data sets at once (synthetic data) and for the
set-based writes of imports. Everything else a person does goes through the services.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models

INSERT_BATCH_ROWS = 2_000


def columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Database column names of the given model field names (attnames allowed)."""
    by_name = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = field.column
        by_name[field.attname] = field.column
    return [by_name[n] for n in names]


def _plain_value(value):
    """What the SQLite backend stores: aware datetimes as naive UTC text."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def load_rows(
    table: str, cols: Sequence[str], rows: Iterable[Sequence], *, binary: bool = False
) -> int:
    """Write rows (tuples in `cols` order) into `table`; return how many.

    `binary`: PostgreSQL's binary COPY format, which psycopg produces about twice as
    fast as text; for plain columns (text, numbers, dates, booleans), not json."""
    count = 0
    if connection.vendor == "postgresql":
        quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
        sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        types = _column_types(table, cols) if binary else None
        if binary:
            sql += " (FORMAT BINARY)"
        # Database errors surface as Django's (IntegrityError …), as from a query.
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.cursor.copy(sql) as copy,
        ):
            if types:
                copy.set_types(types)
            # psycopg adapts and escapes each value in C (psycopg-binary).
            write_row = copy.write_row
            for row in rows:
                write_row(row)
                count += 1
        return count
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    marks = ", ".join(["%s"] * len(cols))
    rows = (tuple(map(_plain_value, row)) for row in rows)
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            count += 1
            if len(batch) >= INSERT_BATCH_ROWS:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    return count


def _column_types(table: str, cols: Sequence[str]) -> list[int]:
    """The type oids of `table`'s columns, in `cols` order (one catalog query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        oids = dict(cursor.fetchall())
    return [oids[c] for c in cols]


def load_model(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]
) -> int:
    return load_rows(model._meta.db_table, columns(model, names), rows)


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After rows were written with explicit ids, move the id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def set_constraints(mode: str) -> None:
    """SET CONSTRAINTS ALL IMMEDIATE (check what is deferred, now) or DEFERRED
    (PostgreSQL; a no-op elsewhere)."""
    if mode not in ("IMMEDIATE", "DEFERRED"):
        raise ValueError(mode)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def staging_table(
    name: str,
    model: type[models.Model],
    cols: Sequence[str],
    *,
    extra: str = "",
    reuse: bool = False,
) -> str:
    """A temporary table (dropped at commit) shaped like `model`'s columns `cols`, plus
    `extra` column definitions ("target bigint"), to COPY rows into before one
    set-based statement applies them (PostgreSQL). With `reuse`, a table made earlier
    in the transaction is emptied instead of made again (no catalog churn per batch)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{name}"])
        if cursor.fetchone()[0] is not None:
            cursor.execute(f"TRUNCATE {name}" if reuse else f"DROP TABLE {name}")
            if reuse:
                return name
        cursor.execute(
            f"CREATE TEMP TABLE {name} ON COMMIT DROP AS "
            f"SELECT {', '.join(cols)} FROM {model._meta.db_table} WITH NO DATA"
        )
        if extra:
            cursor.execute(f"ALTER TABLE {name} ADD COLUMN {extra}")
    return name


@contextmanager
def bare_tables(model_list: Sequence[type[models.Model]]) -> Iterator[None]:
    """Load into tables stripped of foreign keys, unique constraints and secondary
    indexes, then put them all back (PostgreSQL; elsewhere a no-op).

    Building an index once and validating a foreign key with one join is far cheaper
    than maintaining them row by row (Django's foreign keys are deferred, so millions
    of checks would otherwise pile up at COMMIT). Putting them back re-validates every
    row: the data loaded must satisfy them, or the load fails whole.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        # Fire the checks already queued in this transaction: ALTER TABLE refuses to
        # run on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # grids.bulk.set_constraints
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            ORDER BY c.contype, c.conname
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conname = i.indexname AND c.contype IN ('p', 'u')
              )
            ORDER BY i.indexname
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        q = connection.ops.quote_name
        # Foreign keys first: a unique constraint may back one.
        for table, name, _definition, _kind in sorted(
            constraints, key=lambda c: c[3] != "f"
        ):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {q(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _kind in sorted(
            constraints, key=lambda c: c[3] == "f"
        ):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {q(name)} {definition}")
