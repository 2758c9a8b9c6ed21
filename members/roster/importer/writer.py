"""The writer thread: each checked batch stored while the next one is read, on the
same connection and transaction (never both at once)."""

from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures

from django.db import (
    DEFAULT_DB_ALIAS,
    connections,
)

from grids.bulk import set_constraints


class _RollBack(Exception):
    """Undo the import's transaction (dry run, or refused rows)."""


class _Writer:
    """Writes each checked batch on a second thread while the next batch is read and
    checked, so that PostgreSQL's work (COPY, index upkeep) overlaps Python's. The
    thread uses this thread's connection, inside the same transaction; the two never
    use it at once: `wait()` comes before every other use of the database."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.pool = ThreadPoolExecutor(1, "roster-write") if enabled else None
        self.pending: Future | None = None
        self.connection = connections[DEFAULT_DB_ALIAS]

    def __enter__(self) -> "_Writer":
        if self.enabled:
            self.connection.inc_thread_sharing()
        return self

    def submit(self, func, *args) -> None:
        self.wait()
        if not self.enabled:
            func(*args)
            return
        self.pending = self.pool.submit(self._bound, func, *args)

    def _bound(self, func, *args) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            func(*args)
        finally:
            del connections[DEFAULT_DB_ALIAS]  # never close the shared connection

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()  # re-raises the write's error here

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.enabled:
            return
        try:
            if exc_type is None:
                self.wait()
            elif self.pending is not None:
                wait_futures([self.pending])  # failing anyway: just let it finish
        finally:
            self.pool.shutdown(wait=True)
            self.connection.dec_thread_sharing()


def _set_constraints(mode: str) -> None:
    set_constraints(mode)
