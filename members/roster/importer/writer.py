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
    """Runs the import's database work — each batch's look-up of the stored cadres and
    each checked batch's write — on a second thread, in order, while this thread
    reads and checks rows, so that PostgreSQL's work (look-ups, COPY, index upkeep)
    overlaps Python's. The thread uses this thread's connection, inside the same
    transaction; only it uses the connection until `wait()` returns."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.pool = ThreadPoolExecutor(1, "roster-write") if enabled else None
        self.pending: list[Future] = []
        self.connection = connections[DEFAULT_DB_ALIAS]

    def __enter__(self) -> "_Writer":
        if self.enabled:
            self.connection.inc_thread_sharing()
        return self

    def submit(self, func, *args) -> Future:
        """Queue `func(*args)` after the work already queued; its future gives the
        result or re-raises its error. Disabled: run now (an error raises here)."""
        if not self.enabled:
            future: Future = Future()
            future.set_result(func(*args))
            return future
        self.pending = [f for f in self.pending if not f.done() or f.exception()]
        future = self.pool.submit(self._bound, func, *args)
        self.pending.append(future)
        return future

    def _bound(self, func, *args):
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            return func(*args)
        finally:
            del connections[DEFAULT_DB_ALIAS]  # never close the shared connection

    def wait(self) -> None:
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()  # re-raises the work's error here

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.enabled:
            return
        try:
            if exc_type is None:
                self.wait()
            elif self.pending:
                wait_futures(self.pending)  # failing anyway: just let it finish
        finally:
            self.pool.shutdown(wait=True)
            self.connection.dec_thread_sharing()


def _set_constraints(mode: str) -> None:
    set_constraints(mode)
