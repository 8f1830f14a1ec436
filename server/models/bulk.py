"""Many-row statements for the push hot path: compiled once per dialect, with values converted
by SQLAlchemy's own bind processors, then sent in as few round trips as the driver allows.

A push batch writes about a thousand rows (entry versions, their pupils, audit events, ops,
projection upserts). Through Session.execute each row cost 20-30 µs of parameter building,
a third of the push; here the same rows, converted the same way, cost a few µs each.
Python-side column defaults are not applied: callers give every value.

SQLite takes the rows through the driver's executemany, a C loop. psycopg's executemany runs
a Python pipeline step per row, so on PostgreSQL an INSERT takes all its rows at once as one
array per column, `INSERT ... SELECT * FROM unnest(%(a)s::INTEGER[], ...)`: one short
statement whatever the row count, which psycopg parses once and caches (a VALUES list of many
rows it would parse again at every call).
"""

import re
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import ARRAY, JSON, any_, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, UpdateBase

from server.models.base import UNAUDITED_TABLES

POSITIONAL = ("qmark", "format", "numeric")
ARRAY_DIALECTS = ("postgresql",)
_NOTHING = object()
_compiled: dict = {}


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple
    converters: tuple  # (position, bind processor) for the columns that have one
    positional: bool

    def values(self, rows: list[dict]) -> list[tuple]:
        # itemgetter picks a row's values in C; only the few converted columns cost Python.
        # A value that is the very object the row before had (a batch's one received_at,
        # True, False) reuses its conversion.
        get, converters, out = itemgetter(*self.names), self.converters, []
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
    columns = zip(*plan.values(rows))
    connection.exec_driver_sql(
        _unnest_sql(stmt, dialect, keys), dict(zip(plan.names, map(list, columns)))
    )


def _plan(stmt: UpdateBase, dialect: Dialect, keys: tuple) -> _Plan:
    # Statements hash by identity: callers pass ones built once (module constants or cached).
    cache_key = (stmt, dialect.name, keys)
    plan = _compiled.get(cache_key)
    if plan is None:
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
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
        plan = _compiled[cache_key] = _Plan(compiled.string, names, converters, positional)
    return plan


def _unnest_sql(stmt: Insert, dialect: Dialect, keys: tuple) -> str:
    """The compiled INSERT with its VALUES (...) replaced by an unnest of one array per column
    (anything after VALUES, such as ON CONFLICT, stays as it was)."""
    cache_key = (stmt, dialect.name, keys, "unnest")
    sql = _compiled.get(cache_key)
    if sql is None:
        plan = _plan(stmt, dialect, keys)
        opening = plan.sql.index(" VALUES (")
        closing = _matching_paren(plan.sql, opening + len(" VALUES ("))
        # In the order VALUES names them, which is the order of the column list.
        names = re.findall(r"%\((\w+)\)s", plan.sql[opening:closing])
        if sorted(names) != sorted(plan.names):
            raise ValueError(f"Cannot read the VALUES of {plan.sql}")
        arrays = ", ".join(
            f"%({name})b::{stmt.table.c[name].type.compile(dialect=dialect)}[]" for name in names
        )
        sql = _compiled[cache_key] = (
            f"{plan.sql[:opening]} SELECT * FROM unnest({arrays}){plan.sql[closing + 1 :]}"
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
