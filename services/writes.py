"""Writing a new row and the rows that belong to it, atomically and in as few trips as the backend allows.

Submitting a complaint writes four rows (the complaint, its two clocks, its first event). Through
the ORM on SQLite that is nine trips to aiosqlite's connection thread (COMMIT, BEGIN, an INSERT
per row, COMMIT), and each trip (a thread hand-off and an event-loop wake-up) costs more than
SQLite's own work for the row. ``insert_family`` takes one trip on SQLite: it prepares every row
with tortoise's own executor (the same SQL and value conversion as ``Model.save``), then runs
BEGIN, the INSERTs and COMMIT in the connection's thread, holding the lock that tortoise holds
for each of its own statements and transactions, so nothing else can interleave. On any other
backend (PostgreSQL) it is an ordinary ORM transaction.

``transaction`` is ``in_transaction`` with hooks that run after its commit (``after_commit``): news on the
in-process bus (a staff notice, a wake-up of the outbox's worker) must never announce a write that was rolled
back, nor reach a reader before the write is visible.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.models import Model
from tortoise.transactions import in_transaction

log = logging.getLogger(__name__)
_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar('after_commit', default=None)


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """``in_transaction()`` whose ``after_commit`` hooks run once it has committed, and never after a rollback.

    Inside another ``transaction()`` it is a savepoint: its hooks join the outer one's when it succeeds (and
    run after the outer commit), and are dropped when it rolls back.
    """
    outer = _after_commit.get()
    hooks: list[Callable[[], None]] = []
    token = _after_commit.set(hooks)
    try:
        async with in_transaction():
            yield
    finally:
        _after_commit.reset(token)
    # Reached only when the body and the commit succeeded
    if outer is not None:
        outer.extend(hooks)
        return
    for hook in hooks:
        try:
            hook()
        except Exception:  # one subscriber's failure must not hide the others' news, nor undo a commit
            log.exception('after-commit hook failed')


def after_commit(hook: Callable[[], None]) -> None:
    """Run ``hook`` once the enclosing ``transaction()`` has committed; at once when no transaction is open (the
    write before it was committed on its own). Inside a bare ``in_transaction()`` it refuses: nothing would run it
    after that commit, and running it now would announce what may still be rolled back."""
    hooks = _after_commit.get()
    if hooks is not None:
        hooks.append(hook)
        return
    if in_transaction_now():
        raise RuntimeError('after_commit inside a bare in_transaction(): use services.writes.transaction()')
    hook()


def in_transaction_now() -> bool:
    """Whether the calling task's queries go to an open transaction (tortoise routes them by a context variable)."""
    return isinstance(get_connection('default'), TransactionalDBClient)


async def insert_family(parent: Model, children: Sequence[Model], *, link: str) -> None:
    """Insert ``parent``, then ``children`` with their ``link`` foreign key (e.g. ``'complaint'``) pointing
    at it, in one transaction. Sets the primary keys on the instances; raises tortoise's IntegrityError
    (nothing written) when a unique index refuses a row."""
    client = type(parent)._choose_db(for_write=True)
    if not isinstance(client, SqliteClient) or isinstance(client, TransactionalDBClient):
        async with in_transaction():  # another backend, or already inside a transaction: the ORM path
            await parent.save(force_create=True)
            for child in children:
                setattr(child, link, parent)
                await child.save(force_create=True)
        return
    statements = [_insert(client, parent)]
    for child in children:
        setattr(child, f'{link}_id', None)  # filled in the connection thread once the parent has its id
        statements.append(_insert(client, child, link=f'{link}_id'))
    async with client.acquire_connection() as connection:
        try:
            ids = await connection._execute(_write, connection._conn, statements)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(error) from error
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
    for instance, pk in zip([parent, *children], ids, strict=True):
        instance.pk = pk
        instance._saved_in_db = True
    for child in children:
        setattr(child, link, parent)


def _insert(client: SqliteClient, instance: Model, *, link: str | None = None) -> tuple[str, list[Any], int | None]:
    """The INSERT statement, its values, and the position of the parent's id among them (for a child)."""
    executor = client.executor_class(model=type(instance), db=client)
    fields = instance._meta.fields_map
    columns = executor.regular_columns
    values = [fields[name].to_db_value(getattr(instance, name), instance) for name in columns]
    return executor.insert_query, values, columns.index(link) if link else None


def _write(connection: sqlite3.Connection, statements: list[tuple[str, list[Any], int | None]]) -> list[int]:
    """In the connection's thread: BEGIN, every INSERT (children get the parent's id), COMMIT."""
    connection.execute('BEGIN')
    try:
        ids: list[int] = []
        for sql, values, link in statements:
            if link is not None:
                values[link] = ids[0]
            cursor = connection.execute(sql, values)
            cursor.fetchall()  # the statement may end in RETURNING; finish it before the next
            ids.append(cursor.lastrowid)
        connection.execute('COMMIT')
    except BaseException:
        connection.execute('ROLLBACK')
        raise
    return ids
