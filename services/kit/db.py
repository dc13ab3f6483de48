"""The async engine and per-request sessions of a service, bound to its own PostgreSQL schema."""

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData, Table, TextClause, event
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import registry
from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


JOINED_CONNECTION = "patron.idempotent_connection"
"""Where an idempotent request keeps the connection of its transaction (``services.kit.idempotency``)."""


def joined_connection(scope: Mapping[str, Any]) -> AsyncConnection | None:
    """The connection of the transaction an idempotent request runs in, if this request is one."""
    connection = scope.get(JOINED_CONNECTION)
    return connection if isinstance(connection, AsyncConnection) else None


def schema_registry(schema: str) -> registry:
    """A registry whose tables all live in ``schema``: one per service, never shared."""
    return registry(metadata=MetaData(schema=schema, naming_convention=NAMING_CONVENTION))


def async_url(database_url: str) -> URL:
    """Accept ``postgresql://`` URLs (also unix-socket ones, ``?host=/dir``) and use asyncpg."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+asyncpg")
    return url


def create_engine(database_url: str, *, pool_size: int = 10, application_name: str = "patron") -> AsyncEngine:
    engine = create_async_engine(
        async_url(database_url),
        pool_size=pool_size,
        max_overflow=0,
        connect_args={"server_settings": {"application_name": application_name, "timezone": "UTC"}},
    )
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed)
    return engine


def _refuse_closed(dbapi_connection: object, record: Any, proxy: object) -> None:
    """Hand out no pooled connection the server has closed (a restart, a terminated backend).

    asyncpg notices the server's goodbye as soon as it arrives, so this costs no round trip, where
    ``pool_pre_ping`` costs three on every checkout (BEGIN, a ping, ROLLBACK). The pool replaces a
    refused connection with a fresh one.
    """
    if record.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request: committed on success, rolled back on error.

    Used with ``scope="function"`` so the commit happens before the response is sent: a client is
    never told "created" about a transaction that then fails to commit.
    """
    async with request_session(request) as session:
        yield session


@asynccontextmanager
async def request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """``get_session`` for a route that opens it itself, without FastAPI's dependency machinery.

    In a request made idempotent by its key, the session joins the transaction the key's row is
    in (as a savepoint), so the effect and the stored answer commit together.
    """
    joined = joined_connection(request.scope)
    if joined is None:
        session = AsyncSession(request.app.state.engine, expire_on_commit=False)
    else:
        session = AsyncSession(bind=joined, expire_on_commit=False, join_transaction_mode="create_savepoint")
    async with session, session.begin():
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


@contextmanager
def translated_errors(sql: str = "") -> Iterator[None]:
    """asyncpg's errors as the SQLAlchemy errors the problem handlers and ``raise_for_unique`` know."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError(sql, None, exc) from exc
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise DBAPIError(sql, None, exc) from exc


@asynccontextmanager
async def request_driver_transaction(request: Request) -> AsyncIterator[Any]:
    """``driver_transaction`` for a route: a savepoint of its idempotent transaction when it has one."""
    joined = joined_connection(request.scope)
    if joined is None:
        async with driver_transaction(request.app.state.engine) as own:
            yield own
        return
    driver: Any = (await joined.get_raw_connection()).driver_connection
    with translated_errors():
        async with driver.transaction():
            yield driver


@asynccontextmanager
async def driver_transaction(engine: AsyncEngine) -> AsyncIterator[Any]:
    """A transaction on a pooled connection's own asyncpg connection, for a hot route's ``DriverStatement``s.

    A transaction of one short statement costs about 600 µs of CPU through a session (and
    SQLAlchemy's adapter under it), about 250 µs through this (measured). Committed when the block
    ends, rolled back when it raises; errors come out as SQLAlchemy's. SQLAlchemy's pool does not
    know of the transaction, so a connection still in one afterwards (its commit or rollback cut
    short) is discarded rather than pooled.
    """
    async with engine.connect() as connection:
        driver: Any = (await connection.get_raw_connection()).driver_connection
        try:
            with translated_errors():
                async with driver.transaction():
                    yield driver
        finally:
            if driver.is_in_transaction():
                await connection.invalidate()


@dataclass(frozen=True)
class DriverStatement:
    """A ``text()`` statement compiled once for asyncpg: its ``$n`` SQL and the names of its values in order."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: TextClause) -> "DriverStatement":
        compiled = statement.compile(dialect=asyncpg_dialect())  # type: ignore[no-untyped-call]
        return cls(compiled.string, tuple(compiled.positiontup or ()))

    async def fetch(self, driver: Any, values: Mapping[str, Any]) -> list[Any]:
        """Every row, on the asyncpg connection of a ``driver_transaction``."""
        with translated_errors(self.sql):
            rows: list[Any] = await driver.fetch(self.sql, *self._arguments(values))
        return rows

    async def fetchrow(self, driver: Any, values: Mapping[str, Any]) -> Any:
        """The first row (or None), on the asyncpg connection of a ``driver_transaction``."""
        with translated_errors(self.sql):
            return await driver.fetchrow(self.sql, *self._arguments(values))

    def _arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values in the order of the statement's ``$n``."""
        return tuple(values[name] for name in self.names)


def postgres_error(exc: DBAPIError) -> Any:
    """The asyncpg error behind ``exc`` (its ``sqlstate``, ``constraint_name``), however it was raised."""
    if isinstance(exc.orig, asyncpg.PostgresError):
        return exc.orig  # from ``DriverStatement``
    return getattr(exc.orig, "__cause__", None)  # through SQLAlchemy's adapter


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel class, typed (``Model.__table__`` is invisible to type checkers)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table
