"""One writer at a time: an exclusive lock beside the store, held from reading the store to the swap.

``build`` and ``import`` both replace the store file. Without a lock, two imports started together
each read the same old store, each merge their own rows into it, and the second swap silently
drops the first import's rows (issue 16, tests/test_hardening.py::test_four_imports_at_once_lose_nothing).

The lock is the OS's own advisory lock (``fcntl.flock``) on ``.<store name>.lock`` in the store's
folder: it is released by the kernel when the process dies, so a killed import never leaves a
stale lock. The lock file is removed on release so no litter stays behind; a writer that wins the
lock on a file that was meanwhile removed (and possibly replaced by another writer's) notices the
inode changed and tries again, so two writers never both think they hold it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

# Seconds a second writer waits for the first before giving up with StoreLockedError.
TIMEOUT_ENV = "JCM_LOCK_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0
_POLL_S = 0.05


class StoreLockedError(RuntimeError):
    """Another build or import held the store's lock for longer than the timeout."""


class StoreFolderError(RuntimeError):
    """The store's folder cannot be written (missing permission, read-only file system, not a folder)."""


def lock_path(db: Path) -> Path:
    """Where the lock for the store at ``db`` lives."""
    return db.parent / f".{db.name}.lock"


def _timeout() -> float:
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)))
    except ValueError:
        return DEFAULT_TIMEOUT_S


@contextlib.contextmanager
def hold(db: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's write lock for the block; wait up to ``timeout`` seconds for another writer.

    Raises:
        StoreLockedError: another writer kept the lock for the whole timeout.
        StoreFolderError: the lock file cannot be created (the folder is read-only or missing).

    """
    db = Path(db)
    path = lock_path(db)
    limit = _timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise StoreFolderError(
                f"cannot write in the store's folder {db.parent} ({os.strerror(err.errno or 0)}); "
                "make it writable, or give another store path with --db / JCM_DB"
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as err:
                    if err.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreLockedError(
                            f"another build or import is writing the store at {db} and did not finish "
                            f"within {limit:g} s; try again when it has finished (the wait is set by {TIMEOUT_ENV})"
                        ) from None
                    time.sleep(_POLL_S)
            # The holder before us may have removed the file as it released it: then we lock an
            # orphaned inode while a third writer may hold a new file at the same path. Retry.
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
        except BaseException:
            os.close(fd)
            raise
        try:
            yield
        finally:
            # Remove while still holding the lock: a waiter then sees the inode change and retries.
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(fd)
        return
