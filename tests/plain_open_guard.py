"""A guard that fails a test when the database (or its -wal/-shm/journal) is opened or closed outside SQLite.

Closing any descriptor of a database file drops every POSIX lock the process holds on
it (SQLite's "How to corrupt an SQLite database", 2.2). While ``armed``, a plain
``open()``/``io.open()`` of one of those files, or an ``os.close()`` of a descriptor of
one (found through /proc/self/fd, so Linux only), raises and is recorded in
``violations``.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

SIDES = ("", "-wal", "-shm", "-journal")


class PlainOpenGuard:
    """Fails on a plain open of a protected file, or a close of a descriptor of one, while armed."""

    def __init__(self, monkeypatch, db_path: Path):
        self.protected = {os.path.realpath(str(db_path) + side) for side in SIDES}
        self.armed = False
        self.violations: list[str] = []
        real_open, real_io_open, real_close = builtins.open, io.open, os.close

        def check_path(file, how):
            if self.armed and isinstance(file, (str, bytes, os.PathLike)):
                name = os.fsdecode(os.fspath(file))
                if os.path.realpath(name) in self.protected:
                    self.violations.append(f"{how}({name})")
                    raise AssertionError(f"plain {how}() of {name} while a store is open")

        def guarded_open(file, *args, **kwargs):
            check_path(file, "open")
            return real_open(file, *args, **kwargs)

        def guarded_io_open(file, *args, **kwargs):
            check_path(file, "io.open")
            return real_io_open(file, *args, **kwargs)

        def guarded_close(fd):
            if self.armed:
                try:
                    target = os.readlink(f"/proc/self/fd/{fd}")
                except OSError:
                    target = None
                if target is not None and os.path.realpath(target) in self.protected:
                    self.violations.append(f"os.close({target})")
                    raise AssertionError(f"os.close() of a descriptor of {target} while a store is open")
            return real_close(fd)

        monkeypatch.setattr(builtins, "open", guarded_open)
        monkeypatch.setattr(io, "open", guarded_io_open)
        monkeypatch.setattr(os, "close", guarded_close)
