"""Many rows or values in one bound parameter: a JSON array the database unpacks itself
(SQLite's `json_each`, PostgreSQL's `json_array_elements`).

A roster of 100,000 rows sent the usual way binds every value of every row, each through the
driver's and SQLAlchemy's per-value processing, most of the import's time. Here a chunk of rows
is one JSON text (encoded in C by `json.dumps`), unpacked by the database, so the statement
costs the same to build whatever the chunk's size. Rows keep their order (`ordinality`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    FromClause,
    Integer,
    Select,
    TableValuedAlias,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session as OrmSession

SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a datetime in SQLite (UTC)


class Encoded(str):
    """Rows already written as the JSON array `rows_of` binds (each row as `row_text` writes
    it): a caller that makes many rows alike from one encoded row (the outbox's add_alike)."""


def row_text(
    db: OrmSession, table: FromClause, columns: Sequence[str], row: Sequence[object]
) -> str:
    """One row's JSON text as `rows_of` binds it among others (its datetimes converted)."""
    types = [table.c[name].type for name in columns]
    times = [n for n, kind in enumerate(types) if isinstance(_impl(kind), DateTime)]
    return json.dumps(_with_times(row, times, _dialect(db), {}))


def _elements(
    db: OrmSession, values: list[Any] | Encoded
) -> tuple[TableValuedAlias, ColumnElement[Any]]:
    """The JSON array's elements as a table (its `value` column) and their order."""
    array: ColumnElement[Any]
    if not isinstance(values, Encoded):
        array = literal(values, JSON())
    elif _dialect(db) == "postgresql":  # the text the JSON value's encoding would have been
        array = cast(literal(str(values), Text()), JSON())
    else:
        array = literal(str(values), Text())
    if _dialect(db) == "postgresql":
        table = func.json_array_elements(array).table_valued("value", with_ordinality="n")
        table = table.render_derived(name="elements")
        return table, table.c.n
    table = func.json_each(array).table_valued("value", "key")
    return table, table.c.key


def one_of(
    db: OrmSession,
    column: ColumnElement[Any] | InstrumentedAttribute[Any],
    values: Iterable[object],
) -> Any:
    """`column IN (values)` with the values in one bound parameter, however many."""
    table, _ = _elements(db, sorted(set(values)))
    value: ColumnElement[Any] = table.c.value
    if _dialect(db) == "postgresql":
        value = cast(value.op("#>>")(literal_column("'{}'")), column.type)
    return column.in_(select(value).select_from(table))


def rows_of(
    db: OrmSession,
    table: FromClause,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]] | Encoded,
    fixed: Mapping[str, object] | None = None,
) -> Select[Any]:
    """A SELECT of `rows` as `table`'s `columns` (each typed as its column), in order: the
    source of an INSERT … SELECT. Values are what JSON holds; datetimes must be aware.
    `fixed`: columns with one value for every row, bound once after `columns` (SQLite parses
    a row's JSON text again for each column it reads: 10,000 outbox rows took twice as long
    with their seven same values unpacked from each)."""
    types = [table.c[name].type for name in columns]
    dialect = _dialect(db)
    times = [n for n, kind in enumerate(types) if isinstance(_impl(kind), DateTime)]
    if isinstance(rows, Encoded):
        elements, order = _elements(db, rows)
    else:
        if times:  # only those columns' values are converted, each distinct time once
            texts: dict[datetime, str] = {}
            rows = [_with_times(row, times, dialect, texts) for row in rows]
        elements, order = _elements(db, list(rows))
    value = elements.c.value
    picked: list[ColumnElement[Any]] = []
    for index, kind in enumerate(types):
        if dialect == "postgresql":
            at = literal_column(str(index), Integer())
            raw = value.op("->")(at) if isinstance(kind, JSON) else value.op("->>")(at)
            picked.append(cast(raw, kind).label(columns[index]))
        else:
            # SQLite: json_extract gives the JSON text of an object, a number or a text as is;
            # no CAST, which would turn a stored datetime's text into a number.
            extracted = func.json_extract(value, literal_column(f"'$[{index}]'"))
            picked.append(type_coerce(extracted, kind).label(columns[index]))
    picked += [literal(v, table.c[name].type).label(name) for name, v in (fixed or {}).items()]
    return select(*picked).select_from(elements).order_by(order)


def columns_of(
    db: OrmSession,
    table: FromClause,
    columns: Sequence[str],
    arrays: Sequence[Encoded],
    fixed: Mapping[str, object] | None = None,
) -> Select[Any]:
    """`rows_of` on PostgreSQL from one JSON array per column (its values in the rows' order,
    each as `row_text` writes it), zipped by the database (ROWS FROM): each value is parsed
    once, where a row's array is parsed again for each column read from it (10,000 outbox
    rows: a third of their INSERT's time went to parsing)."""
    if _dialect(db) != "postgresql":
        raise ValueError("columns_of is PostgreSQL's: elsewhere, rows_of")
    types = [table.c[name].type for name in columns]
    names = [f"c{index}" for index in range(len(columns))]
    # A JSON column's value kept as its JSON text; any other's unquoted, as ->> reads it.
    calls = ", ".join(
        f"json_array_elements{'' if isinstance(kind, JSON) else '_text'}(CAST(:{name} AS JSON))"
        for name, kind in zip(names, types, strict=True)
    )
    zipped = sql_text(f"ROWS FROM ({calls}) WITH ORDINALITY AS elements({', '.join(names)}, n)")
    zipped = zipped.bindparams(
        *(bindparam(n, str(a), type_=Text()) for n, a in zip(names, arrays, strict=True))
    )
    picked: list[ColumnElement[Any]] = [
        cast(literal_column(f"elements.{name}"), kind).label(column)
        for name, kind, column in zip(names, types, columns, strict=True)
    ]
    picked += [literal(v, table.c[name].type).label(name) for name, v in (fixed or {}).items()]
    return select(*picked).select_from(zipped).order_by(literal_column("elements.n"))


def _with_times(
    row: Sequence[object], columns: list[int], dialect: str, texts: dict[datetime, str]
) -> list[object]:
    converted = list(row)
    for n in columns:
        if isinstance(value := converted[n], datetime):
            text = texts.get(value)
            if text is None:
                text = texts[value] = _time(value, dialect)
            converted[n] = text
    return converted


def _time(value: datetime, dialect: str) -> str:
    """An aware datetime as each database reads it from text: ISO with its offset (PostgreSQL),
    or naive UTC in the format SQLAlchemy stores (SQLite)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; use an aware one")
    utc = value.astimezone(UTC)
    return utc.isoformat() if dialect == "postgresql" else utc.strftime(SQLITE_FORMAT)


def _impl(kind: Any) -> Any:
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def _dialect(db: OrmSession) -> str:
    return db.get_bind().dialect.name
