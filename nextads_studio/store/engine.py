"""Database engines: SQLite (WAL, foreign keys, shared by worker threads) or PostgreSQL, and the busy retry."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from ..errors import NextAdsError
from ..redact import redact_obj

log = logging.getLogger(__name__)
T = TypeVar("T")
# PostgreSQL SQLSTATEs that mean "someone else holds it, try again": lock_not_available, serialization
# failure, deadlock detected.
_PG_BUSY = {"55P03", "40001", "40P01"}


WRITE_OPTIONS = {"sqlite_begin": "BEGIN IMMEDIATE"}


class StoreBusy(NextAdsError):
    """The database stayed locked by another connection or program after every retry."""


def create_store_engine(url: str, busy_timeout_s: float = 5.0) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and real transactions."""
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_s)
    engine = create_engine(url, pool_pre_ping=True, json_serializer=_json_dumps)

    @event.listens_for(engine, "connect")
    def _pg_session(dbapi_conn, _record):
        # SET outside a transaction, so a later rollback cannot undo it.
        dbapi_conn.autocommit = True
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(busy_timeout_s * 1000)}")
            cur.execute("SET TIME ZONE 'UTC'")
        dbapi_conn.autocommit = False

    return engine


def _sqlite_engine(url: str, busy_timeout_s: float) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    _private_file(database)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s},
                           json_serializer=_json_dumps)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # Let SQLAlchemy emit BEGIN itself (below), so DDL and reads are transactional too.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # Writers ask for BEGIN IMMEDIATE (see WRITE_OPTIONS): they queue on the busy timeout instead of
        # failing when two read-then-write transactions collide.
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine


def _json_dumps(value) -> str:
    """JSON columns are written with secrets redacted (a backend error echoing an API key in plan notes)."""
    return json.dumps(redact_obj(value), ensure_ascii=False)


def _private_file(database: str | None) -> None:
    """Create the SQLite file (and its -wal/-shm companions later) readable by the owner only."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    for p in (path, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            if p.exists() and p.stat().st_mode & 0o077:
                p.chmod(0o600)
        except OSError:
            log.warning("could not make %s private (0600)", p.name)


def is_busy(exc: BaseException) -> bool:
    """True when `exc` says the database is locked by someone else (worth retrying)."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    text = str(orig or exc).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in text or "database is busy" in text)


def with_retry(fn: Callable[[], T], *, attempts: int, where: str) -> T:
    """Run the unit of work `fn`, retrying it from the start while the database is busy; then fail clearly."""
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except DBAPIError as exc:
            if not is_busy(exc):
                raise
            if attempt == attempts:
                raise StoreBusy(
                    f"the studio database ({where}) is locked by another connection or program and stayed "
                    f"locked after {attempts} tries; close the other program (or wait for its job) and try again"
                ) from exc
            log.info("database busy (%s), retry %d/%d", where, attempt, attempts)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
