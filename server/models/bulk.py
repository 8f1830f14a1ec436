"""Many-row statements for the push hot path: compiled once per dialect, with values converted
by SQLAlchemy's own bind processors, then sent in as few round trips as the driver allows.

A push batch writes about a thousand rows (entry versions, their pupils, audit events, ops,
projection upserts). Through Session.execute each row cost 20-30 µs of parameter building,
a third of the push; here the same rows, converted the same way, cost a few µs each.
Python-side column defaults are not applied: callers give every value.

SQLite takes the rows through the driver's executemany, a C loop. psycopg's executemany runs
a Python pipeline step per row, so on PostgreSQL an INSERT takes all its rows at once as one
JSON document, `INSERT ... SELECT ... FROM json_populate_recordset(NULL::table, %(rows)s)`:
one short statement whatever the row count, which psycopg parses once and caches (a VALUES
list of many rows it would parse again at every call). The document is made by orjson in C;
an array per column (unnest) had psycopg dump every element in Python, a fifth of a push's
CPU, and the table's row type gives PostgreSQL every column's type (bench/push_cost.py).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

import orjson
from sqlalchemy import ARRAY, JSON, Boolean, any_, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, UpdateBase

from server.models.base import UNAUDITED_TABLES, UTCDateTime

POSITIONAL = ("qmark", "format", "numeric")
ARRAY_DIALECTS = ("postgresql",)
_NOTHING = object()
_MOMENT = (datetime, type(None))
_RECORDSET_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_NAIVE_UTC
_compiled: dict = {}


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple
    converters: tuple  # (position, bind processor) for the columns that have one
    positional: bool
    # For a recordset (PostgreSQL): JSON and Boolean columns need no conversion, and moment
    # columns none while they hold datetimes; recordset_converters are those any other needs.
    nested: frozenset = frozenset()
    moments: tuple = ()
    recordset_converters: tuple = ()

    def values(self, rows: list[dict], converters: tuple | None = None) -> list[tuple]:
        # itemgetter picks a row's values in C; only the few converted columns cost Python.
        # A value that is the very object the row before had (a batch's one received_at,
        # True, False) reuses its conversion.
        get, out = itemgetter(*self.names), []
        converters = self.converters if converters is None else converters
        last = [(_NOTHING, None)] * len(converters)
        for row in rows:
            values = get(row) if len(self.names) > 1 else (row[self.names[0]],)
            if converters:
                values = list(values)
                for k, (position, convert) in enumerate(converters):
                    value = values[position]
                    seen, converted = last[k]
                    if value is not seen:
                        converted = convert(value)
                        last[k] = (value, converted)
                    values[position] = converted
            out.append(tuple(values))
        return out

    def params(self, rows: list[dict]) -> list:
        values = self.values(rows)
        return values if self.positional else [dict(zip(self.names, v)) for v in values]

    def recordset(self, rows: list[dict]) -> str:
        """The rows as one JSON array of objects, the way json_populate_recordset reads them.
        orjson writes each moment with its offset (a naive one as UTC, as UTCDateTime takes
        it) and JSON columns nest, so the rows go as they are, without a copy, unless a column
        needs a conversion orjson cannot make (a day in a moment column, say)."""
        if self.recordset_converters or any(
            not isinstance(row[name], _MOMENT) for row in rows for name in self.moments
        ):
            converters = tuple(c for c in self.converters if c[0] not in self.nested)
            rows = [dict(zip(self.names, v)) for v in self.values(rows, converters)]
        return orjson.dumps(rows, option=_RECORDSET_OPTIONS).decode()


class UnauditedWrite(Exception):
    """A bulk insert into an audited table came without its audit events."""


def execute_many(
    session: Session, stmt: UpdateBase, rows: list[dict], *, audited: bool = False
) -> None:
    """Run `stmt` once per row; each row maps every bind name (column keys for an INSERT).
    Inserts into audited tables come through audit.insert_audited, which writes their events
    in the same transaction; called directly for one, this refuses."""
    if isinstance(stmt, Insert) and not audited and stmt.table.name not in UNAUDITED_TABLES:
        raise UnauditedWrite(
            f"A bulk insert into {stmt.table.name} needs its audit events: "
            "use server.models.audit.insert_audited."
        )
    if not rows:
        return
    connection = session.connection()
    dialect, keys = connection.dialect, tuple(rows[0])
    plan = _plan(stmt, dialect, keys)
    if dialect.name not in ARRAY_DIALECTS or not isinstance(stmt, Insert):
        connection.exec_driver_sql(plan.sql, plan.params(rows))
        return
    connection.exec_driver_sql(_recordset_sql(stmt, dialect, keys), {"rows": plan.recordset(rows)})


def _plan(stmt: UpdateBase, dialect: Dialect, keys: tuple) -> _Plan:
    # Statements hash by identity: callers pass ones built once (module constants or cached).
    cache_key = (stmt, dialect.name, keys)
    plan = _compiled.get(cache_key)
    if plan is None:
        # inline(): no RETURNING of generated keys, which no caller here reads.
        inline = stmt.inline() if isinstance(stmt, Insert) else stmt
        compiled = inline.compile(dialect=dialect, column_keys=list(keys))
        positional = dialect.paramstyle in POSITIONAL
        names = tuple(compiled.positiontup) if positional else tuple(compiled.binds)
        missing = set(names) - set(keys)
        if missing:
            raise ValueError(f"No values for {sorted(missing)} in {stmt}")
        processors = [
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        ]
        converters = tuple((i, proc) for i, proc in enumerate(processors) if proc is not None)
        types = [compiled.binds[name].type for name in names]
        nested = frozenset(i for i, t in enumerate(types) if isinstance(t, JSON | Boolean))
        moments = tuple(name for name, t in zip(names, types) if isinstance(t, UTCDateTime))
        other = tuple(
            c for c in converters if c[0] not in nested and not isinstance(types[c[0]], UTCDateTime)
        )
        plan = _compiled[cache_key] = _Plan(
            compiled.string, names, converters, positional, nested, moments, other
        )
    return plan


def _recordset_sql(stmt: Insert, dialect: Dialect, keys: tuple) -> str:
    """The compiled INSERT with its VALUES (...) replaced by a SELECT of the same columns from
    the rows' JSON document (anything after VALUES, such as ON CONFLICT, stays as it was)."""
    cache_key = (stmt, dialect.name, keys, "recordset")
    sql = _compiled.get(cache_key)
    if sql is None:
        plan = _plan(stmt, dialect, keys)
        opening = plan.sql.index(" VALUES (")
        closing = _matching_paren(plan.sql, opening + len(" VALUES ("))
        # In the order VALUES names them, which is the order of the column list.
        names = re.findall(r"%\((\w+)\)s", plan.sql[opening:closing])
        if sorted(names) != sorted(plan.names):
            raise ValueError(f"Cannot read the VALUES of {plan.sql}")
        preparer = dialect.identifier_preparer
        columns = ", ".join(preparer.quote(name) for name in names)
        table = preparer.format_table(stmt.table)
        sql = _compiled[cache_key] = (
            f"{plan.sql[:opening]} SELECT {columns} FROM "
            f"json_populate_recordset(NULL::{table}, %(rows)s::json){plan.sql[closing + 1 :]}"
        )
    return sql


def _matching_paren(sql: str, after_opening: int) -> int:
    depth = 1
    for position in range(after_opening, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[position], 0)
        if depth == 0:
            return position
    raise ValueError(f"Unbalanced VALUES in {sql}")


def among(column, name: str, dialect: str):
    """`column` is one of the list bound as `name`, which is always one parameter: PostgreSQL
    gets = ANY of an array, since psycopg re-parses in Python, at every call, any statement
    of more than 50 parameters (3 ms for a push's 100 op ids); SQLite gets IN over
    json_each of a JSON array, where an expanding IN had SQLAlchemy render a placeholder per
    item at every call (bench/push_cost.py)."""
    if dialect in ARRAY_DIALECTS:
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    items = func.json_each(bindparam(name, type_=JSON)).table_valued("value")
    return column.in_(select(items.c.value))


def lookup(session: Session, build, params: dict):
    """Run the statement `build(dialect name)` returns (an lru_cached builder, so it is built
    once per dialect: `among` differs by dialect) on the session's connection, as Core."""
    connection = session.connection()
    return connection.execute(build(connection.dialect.name), params)
