"""Shared fixtures for the storage and tracker-command tests.

Every database lives under pytest's tmp_path: ``data_dir`` also points
RADICULOPATHY_DESKTOP_DATA_DIR there, so nothing can reach the real home folder.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import pytest

from radiculopathy_desktop.storage.paths import DB_FILENAME
from radiculopathy_desktop.storage.store import CaseStore

# The helpers module sits beside this file; make it importable in any pytest import mode.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

from tracker_support import ANCHOR, TRACKER_ONLY, case_dict, file_state, make_case  # noqa: F401


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(folder))
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    return folder


@pytest.fixture
def db_path(data_dir) -> Path:
    return data_dir / DB_FILENAME


@pytest.fixture
def engine(request) -> str:
    """The storage engine under test: "sqlite" unless the module runs on both (below)."""
    return getattr(request, "param", "sqlite")


def pytest_generate_tests(metafunc):
    """A module that sets ``STORE_ENGINES = ("sqlite", "postgresql")`` runs each test that
    uses ``store`` on both engines (one suite, two engines); a test marked
    ``sqlite_only(reason)`` stays on the SQLite file."""
    engines = getattr(metafunc.module, "STORE_ENGINES", None)
    if not engines or "engine" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        return
    metafunc.parametrize("engine", engines, indirect=True)


@pytest.fixture
def store(engine, data_dir, request):
    if engine == "postgresql":
        from radiculopathy_desktop.storage.pg.store import PgStore

        url = request.getfixturevalue("pg_database")
        s = PgStore.open(url())
    else:
        s = CaseStore.open(data_dir, busy_timeout_ms=300)
    yield s
    s.close()


@pytest.fixture
def empty_store(engine, request):
    """A factory for property tests: each ``with empty_store() as store:`` gives an
    empty store of the engine under test (a new SQLite folder, or the test database
    on the clinic server emptied)."""
    if engine == "postgresql":
        import pg_server as pgs

        url = request.getfixturevalue("pg_database")
        server = request.getfixturevalue("pg_server")

    @contextlib.contextmanager
    def make():
        if engine == "postgresql":
            from radiculopathy_desktop.storage.pg.store import PgStore

            pgs.empty_database(server, url.dbname)
            with PgStore.open(url()) as s:
                yield s
        else:
            with tempfile.TemporaryDirectory() as tmp, CaseStore.open(tmp) as s:
                yield s

    return make


@pytest.fixture
def run_cli(monkeypatch, capsys, data_dir):
    """Run ``radiculopathy-desktop ARGS`` in-process; return (exit code, stdout, stderr).

    Only the tracker commands are registered, so a half-written sibling command
    module cannot break these tests; ``today()`` is pinned to ANCHOR.
    """
    from radiculopathy_desktop import cli
    from radiculopathy_desktop.commands import tracker

    monkeypatch.setattr(cli, "COMMAND_MODULES", TRACKER_ONLY)
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
