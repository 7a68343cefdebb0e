"""Test discipline shared by every test (after qutebrowser's):

* Qt runs offscreen, set before anything imports Qt.
* Every test gets its own data, log, config and home folders under tmp_path; the
  real home directory is never touched: for the whole session those variables
  point into a sandbox, and resolving the log folder inside the real home fails.
* A WARNING (or worse) logged by the application that a test did not declare fails
  the test (:class:`LogFailHandler`: declaring means setting that level on that logger
  with ``caplog``, or the ``allow_log_warnings`` marker; requesting ``caplog`` alone
  exempts nothing); pytest-qt's ``qt_log_level_fail = WARNING`` does the same for Qt.
* The application never opens a network connection: socket creation fails a test.
"""

from __future__ import annotations

import logging
import os
import socket
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")

import pytest  # noqa: E402

# Helpers shared by the test folders (home_guard, fault_figures) sit beside this file.
if os.path.dirname(os.path.abspath(__file__)) not in sys.path:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# HOME, the XDG folders and the app's folders point into a session sandbox from here
# on (see tests/home_guard.py); the per-test folders below override them again.
from logfail import LogFailHandler, logger_levels as _logger_levels  # noqa: E402
from home_guard import SESSION_SANDBOX as _SESSION_SANDBOX, in_real_home as _in_real_home  # noqa: E402
# Imported now, before the no-network fixture replaces socket.socket: the test cluster
# looks for a free loopback port with the real class.
import pg_server as _pg_server_module  # noqa: E402,F401

_real_home_writes: list[str] = []


@pytest.fixture(autouse=True, scope="session")
def _real_home_guard():
    """Fail the session if the app resolves its log folder (crash.log, app.log) inside the real home."""
    from radiculopathy_desktop import logs

    real_log_dir = logs.log_dir

    def guarded_log_dir():
        folder = real_log_dir()
        if _in_real_home(folder):
            _real_home_writes.append(str(folder))
            raise AssertionError(f"the app tried to use {folder}, in the real home folder, during the tests")
        return folder

    logs.log_dir = guarded_log_dir
    yield
    logs.log_dir = real_log_dir


def pytest_sessionfinish(session, exitstatus):
    if _real_home_writes:
        session.exitstatus = 1
        print(f"\nFAILED: the app resolved a folder in the real home during the tests: {_real_home_writes[:3]}")
    import shutil
    shutil.rmtree(_SESSION_SANDBOX, ignore_errors=True)



@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("HOME", "home"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_STATE_HOME", "xdg-state"),
        ("RADICULOPATHY_DESKTOP_DATA_DIR", "data"),
        ("RADICULOPATHY_DESKTOP_LOG_DIR", "logs"),
    ):
        path = root / sub
        path.mkdir()
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(root / "runtime"))
    (root / "runtime").mkdir(mode=0o700)
    # QSettings (window preferences: guideline profile, geometry, last folder) reads
    # XDG_CONFIG_HOME once per process and caches the folder, so the variable alone does not
    # isolate it: a profile set by one test leaked into every later one. Point it here.
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root / "xdg-config"))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(root / "xdg-config" / "system"))
    yield root
    # A command run in-process opened app.log in this test's log folder: close it, so no
    # test writes into another's folder and no file handle outlives its test.
    from radiculopathy_desktop import logs

    handler = logs._handler
    if handler is not None:
        logging.getLogger("radiculopathy_desktop").removeHandler(handler)
        handler.close()
        logs._handler = None


class _NoNetwork(socket.socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError("the application tried to open a network socket")
        super().__init__(family, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("network connection attempted")))


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(caplog, request):
    """Fail a test that logs a WARNING from the app it did not declare (see :class:`LogFailHandler`)."""
    caplog.set_level(logging.INFO, logger="radiculopathy_desktop")
    allowed: list[tuple[str, int | None]] = []
    for marker in request.node.iter_markers("allow_log_warnings"):
        allowed.append((marker.kwargs.get("logger", "radiculopathy_desktop"), marker.kwargs.get("level")))
    handler = LogFailHandler(_logger_levels(), allowed)
    app_logger = logging.getLogger("radiculopathy_desktop")
    app_logger.addHandler(handler)
    try:
        yield handler
    finally:
        app_logger.removeHandler(handler)
    if handler.unexpected:
        pytest.fail("unexpected warnings logged (declare them with caplog.set_level(LEVEL, logger=NAME) or "
                    "@pytest.mark.allow_log_warnings(logger=NAME)): "
                    + "; ".join(f"{r.name} {r.levelname}: {r.getMessage()}" for r in handler.unexpected))


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the whole session (tests/pg_server.py).

    Skipped with the reason when it cannot start on this machine; under ``CI=true`` the
    tests that need it fail instead, since CI installs PostgreSQL (.ci/run)."""
    from pg_server import in_ci, start_server, stop_server

    try:
        server = start_server()
    except RuntimeError as exc:
        if in_ci():
            pytest.fail(f"CI must run the clinic-server tests, but {exc}", pytrace=False)
        pytest.skip(f"clinic-server (PostgreSQL) tests need a local test cluster: {exc}")
    from pg_server import prepare_template

    try:
        prepare_template(server)
    except Exception:
        stop_server(server)
        raise
    yield server
    stop_server(server)


_pg_database_count = 0


@pytest.fixture
def pg_database(pg_server, monkeypatch):
    """A fresh database with the clinic-server schema for one test; yields a function
    ``url(login=ADMIN_LOGIN)`` giving a password-free URL (the password is in a
    PGPASSFILE, as in a clinic)."""
    import pg_server as pgs

    global _pg_database_count
    _pg_database_count += 1
    name = f"rad_test_{os.getpid()}_{_pg_database_count}"
    pgs.create_database(pg_server, name)
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))

    def url(login: str = pgs.ADMIN_LOGIN) -> str:
        return pg_server.url(name, login)

    url.dbname = name
    yield url
    pgs.drop_database(pg_server, name)
