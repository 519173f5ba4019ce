"""Opening a ledger database: URL parsing, engine settings, migrations, clear errors.

``--db`` takes either a file path (an SQLite ledger) or an SQLAlchemy URL. SQLite runs in
WAL mode with foreign keys on and a busy timeout, so readers never block the writer and a
second writer waits a little before :class:`DatabaseLockedError` is raised. Every driver
error that means "cannot open" becomes one :class:`LedgerError` line naming the database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from luoshi.errors import DatabaseLockedError, DatabaseUnavailableError, LedgerError

DEFAULT_DB = "luoshi.db"
ENV_VAR = "LUOSHI_DB"
SQLITE_BUSY_MS = 5000  # how long a writer waits for another one; $LUOSHI_BUSY_TIMEOUT (seconds) overrides
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.I)
_PASSWORD = re.compile(r"^([^:/]+://[^:/@]*):[^@]*@")
# (backend, driver) pairs the ledger is built and tested on; other dialects would fail
# later and obscurely (missing driver module, async-only driver, other SQL).
SUPPORTED_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}
UNSUPPORTED_URL = "unsupported or malformed database URL (sqlite or postgresql+psycopg only)"


def resolve_url(db: str | Path | None) -> str:
    """An SQLAlchemy URL for ``db``: None → ``$LUOSHI_DB`` or ``./luoshi.db``; a path → SQLite."""
    if db is None or str(db) == "":
        db = os.environ.get(ENV_VAR) or DEFAULT_DB
    value = str(db)
    if _URL.match(value):
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is shown as given, less any password
        return _PASSWORD.sub(r"\1:***@", url)


def parse_url(url: str) -> URL:
    """The parsed ``url``, or a LedgerError when it is malformed or names an unsupported driver."""
    try:
        parsed = make_url(url)
        # get_driver_name() resolves a bare "postgresql://" to the default driver (psycopg)
        supported = (parsed.get_backend_name(), parsed.get_driver_name()) in SUPPORTED_DRIVERS
    except (SQLAlchemyError, ValueError, TypeError, ImportError):
        supported = False
    if not supported:
        raise LedgerError(UNSUPPORTED_URL, source=display_url(url))
    return parsed


def describe(exc: BaseException, url: str) -> LedgerError:
    """Turn a driver error into one clear LedgerError naming the database."""
    where = display_url(url)
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = message.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return DatabaseLockedError("the database is locked by another process; try again when it finishes", source=where)
    if url.startswith("sqlite") and ("unable to open" in lowered or "readonly" in lowered or "read-only" in lowered
                                     or "disk i/o" in lowered):
        return LedgerError(f"cannot open the SQLite file ({message})", source=where)
    if "connection refused" in lowered or "could not connect" in lowered or "connection failed" in lowered \
            or "timeout expired" in lowered or "name or service not known" in lowered:
        return DatabaseUnavailableError(f"the database server is not reachable ({message})", source=where)
    if "password authentication failed" in lowered or ("does not exist" in lowered and "database" in lowered):
        return DatabaseUnavailableError(f"the database refused the connection ({message})", source=where)
    if "file is not a database" in lowered or "malformed" in lowered:
        return LedgerError(f"not a luoshi ledger ({message})", source=where)
    return LedgerError(message, source=where)


@contextmanager
def translated(url: str) -> Iterator[None]:
    """Re-raise database errors as LedgerError (the CLI prints them as one line)."""
    try:
        yield
    except LedgerError:
        raise
    except (OperationalError, DBAPIError) as exc:
        raise describe(exc, url) from exc
    except SQLAlchemyError as exc:
        raise describe(exc, url) from exc


def busy_ms() -> int:
    try:
        return int(float(os.environ["LUOSHI_BUSY_TIMEOUT"]) * 1000)
    except (KeyError, ValueError):
        return SQLITE_BUSY_MS


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_ms()}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed data
    cursor.close()


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for ``url``; SQLite files get WAL + foreign keys + busy timeout."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.is_dir():
                raise LedgerError(f"cannot open the SQLite file: folder {parent} does not exist",
                                  source=display_url(url))
        engine = _create(url, connect_args={"timeout": busy_ms() / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": 5}
    if schema:
        connect_args["options"] = f"-csearch_path={schema},public"
    return _create(url, connect_args=connect_args, pool_pre_ping=True)


def _create(url: str, **kwargs: Any) -> Engine:
    """create_engine, with its argument errors (bad query options, driver import) as one LedgerError."""
    try:
        return create_engine(url, **kwargs)
    except (SQLAlchemyError, ValueError, TypeError, ImportError) as exc:
        raise LedgerError(f"{UNSUPPORTED_URL}: {exc}".splitlines()[0], source=display_url(url)) from exc


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema up to the newest Alembic revision (runs on every open; cheap when current)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with translated(url), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ping(engine: Engine, url: str) -> None:
    with translated(url), engine.connect() as connection:
        connection.execute(text("select 1"))
