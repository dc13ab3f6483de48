"""What this process changed in a shared table, kept over a reread that began before the change.

A per-process copy (usable API keys, client keys) is replaced by each background reread, and the
process that creates or revokes a key changes its copy at once. A reread that read the table before
that change committed, and lands after it, would undo it: a new key forgotten, or a revoked one back,
until the next reread. So each change is kept, and laid over every reread that began before it; a
reread that began after it has read it from the table, and the change is dropped.
"""

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LocalChanges(Generic[K, V]):
    def __init__(self) -> None:
        self._changes: dict[K, tuple[float, V | None]] = {}

    def record(self, key: K, value: V | None) -> None:
        """``value`` for a key made or changed here (after its commit), ``None`` for one removed."""
        self._changes[key] = (time.monotonic(), value)

    @staticmethod
    def reread_starts() -> float:
        """Call before reading the table; pass the result to ``over``."""
        return time.monotonic()

    def over(self, fresh: dict[K, V], started: float) -> dict[K, V]:
        """``fresh`` (read after ``started``) with the changes it may have missed laid over it."""
        self._changes = {key: change for key, change in self._changes.items() if change[0] >= started}
        for key, (_, value) in self._changes.items():
            if value is None:
                fresh.pop(key, None)
            else:
                fresh[key] = value
        return fresh
