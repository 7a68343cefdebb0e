"""Starting the window safely: one instance per data folder, recovery, crash and backup guards.

:class:`AppController` (driven by :func:`run_app`) is one run of the window, in two parts:

* the start-up sequence (:mod:`radiculopathy_desktop.ui.startup`): single instance, opening
  the store with recovery, the network-drive check, the crash guard, the window shown, and
  the restore-and-reopen loop after the event loop;
* the maintenance controller (:mod:`radiculopathy_desktop.ui.maintenance`): after the
  worklist has painted, the network notice, a read-only quick check in a thread (damage:
  writes stop and the recovery dialog opens), then the daily backup, checked and pruned,
  again every hour, in a thread.

This module keeps the texts and the helpers both use (tests replace some of them here).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
from pathlib import Path

from radiculopathy_desktop.ui.startup import StartupSequence

from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # the store contract, for annotations only
    from radiculopathy_desktop.storage.contract import Store

log = logging.getLogger("radiculopathy_desktop.ui")


def ensure_application(argv: list[str] | None = None):
    """The QApplication, created once with fractional scaling (125 %, 150 %...) kept exact.

    Exact fractional scaling is Qt 6's own default (the scale factor rounding policy is
    PassThrough; QT_SCALE_FACTOR_ROUNDING_POLICY still overrides it), so nothing is set here:
    setting it named a ``Qt`` enum, which builds PySide6's whole ``Qt`` namespace before the
    first paint (issue 17; ``tests/ui/test_startup_qt_enums.py`` checks the policy)."""
    from PySide6.QtWidgets import QApplication

    quicken_pyside_source_check()
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    from radiculopathy_desktop import APP_NAME, __version__
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("radiculopathy-desktop")
    return app


def quicken_pyside_source_check() -> bool:
    """Make PySide6's check of each imported module's source read the file's bytes directly.

    Once PySide6 is loaded, its import hook (``shibokensupport.feature``, for ``from __feature__
    import ...``) asks of every module named by an import statement, the first time, whether its
    source contains "PySide6", through ``inspect.getsource``: before the worklist's first paint
    that is 54 modules and 1.2 MB of source (typing, logging, enum, datetime and the app's own),
    ~6 M instructions, 0.6 % of the start-up (issue 17). For a module loaded from a ``.py`` file
    the same question is answered from the file's bytes ("PySide6" is ASCII, and a Python source
    file's encoding keeps ASCII as is); any other module (built in, compiled, in a zip, a file
    that cannot be read) still gets PySide6's own check. The answers are the same
    (``tests/ui/test_worklist_startup_fonts.py`` compares them for every module loaded).

    False when nothing was changed: already done, or this PySide6 has no such check (its own
    check then stays, whatever it is)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original) or getattr(original, "quick_source_check", False):
        return False

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    uses_pyside.quick_source_check = True
    uses_pyside.original = original
    feature._mod_uses_pyside = uses_pyside
    return True


def open_store(data_dir: Path | None):
    """The local store; a one-time upgrade of its derived data runs under a progress window."""
    from radiculopathy_desktop.ui.upgrading import open_local_store
    return open_local_store(data_dir)


def open_server_store(url: str):
    """The clinic server's store (:class:`PgStore`); raises ``StorageError``/``UserError`` in words."""
    from radiculopathy_desktop.storage.pg.store import PgStore
    return PgStore.open(url)


class ServerOpening:
    """The clinic server's store, opened in a thread while Qt starts (:func:`run_app`).

    Connecting (two connections with their password exchange, the schema and derived-data
    checks) is mostly waiting for the server; started first, it overlaps the import of
    PySide6 and the creation of the QApplication instead of following them. The start-up
    sequence takes the result with :meth:`result` exactly where it opened the store
    itself before: the store, or the same exception (shown by the same dialog). A result
    never taken (the start-up stopped earlier) is closed by :meth:`discard`.
    """

    def __init__(self, url: str):
        import threading

        self.url = url
        self._store = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clinic-server-open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._store = open_server_store(self.url)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
            self._error = exc
        finally:
            self._done.set()

    def result(self):
        """The open store; raises what opening it raised."""
        self._done.wait()
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        store, self._store = self._store, None
        return store

    def discard(self) -> None:
        """Close the store if it was opened and never taken."""
        self._done.wait()
        store, self._store = self._store, None
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()


def preload_server_driver() -> None:
    """Import the PostgreSQL driver and the server store before PySide6 (see :func:`run_app`);
    nothing when it is not installed (opening the store then says so in words)."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401

        import radiculopathy_desktop.storage.pg.store  # noqa: F401
    except ImportError:
        pass


#: The status bar's backup note on a clinic server: the app copies no file there.
SERVER_BACKUP_SHORT = "Backups: made on the clinic server by IT (pg_dump)"


def populate_demo(store: Store, cases: int, seed: int = 1, as_of=None, batch: int = 2000,
                  medicines: bool = True) -> None:
    """Write a generated demo cohort (invented patients only) into ``store``: with current
    medicines, conditions and pregnancies (``demo.generate_case_dicts(medicines=True)``) unless
    ``medicines`` is False (the start-up benchmark's cohort)."""
    import datetime as dt
    from radiculopathy_desktop import demo
    from radiculopathy_desktop.domain.intake import parse_case

    chunk = []
    for data in demo.generate_case_dicts(cases, seed=seed, as_of=as_of or dt.date.today(), medicines=medicines):
        chunk.append(parse_case(data))
        if len(chunk) >= batch:
            store.import_cases(chunk, user="demo")
            chunk = []
    if chunk:
        store.import_cases(chunk, user="demo")


def make_demo_dir(cases: int = 400) -> Path:
    """A temporary data folder holding a generated demo cohort."""
    folder = Path(tempfile.mkdtemp(prefix="radiculopathy-demo-"))
    store = open_store(folder)
    try:
        populate_demo(store, cases)
    finally:
        with contextlib.suppress(Exception):
            store.close()
    return folder


def demo_command() -> tuple[str, list[str]]:
    """How to start this same app in demo mode (a frozen build is its own executable)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "radiculopathy_desktop", "--demo"]


def start_demo_instance() -> None:
    """Start a second window of the app on a temporary demo cohort.

    A separate process with its own temporary data folder (``--demo``), so demo patients
    can never be written into the clinic's database. Tests replace this function.
    """
    from PySide6.QtCore import QProcess

    from radiculopathy_desktop.errors import UserError
    program, args = demo_command()
    ok, _pid = QProcess.startDetached(program, args)
    if not ok:
        raise UserError("The demo cohort could not be started. Try the command "
                        "'radiculopathy-desktop --demo' instead.")


def create_window(context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    return MainWindow(context)


NETWORK_TITLE = "The data folder is on a network drive"
NETWORK_SHORT = "Data folder on a network drive: slower journal, one computer at a time"
_network_notice_shown: set[str] = set()  # data folders whose network notice was shown in this session


def network_explanation(folder: Path) -> str:
    """Why a local disk is needed, for the clinic's IT (shown once per folder per session)."""
    return (
        f"The data folder is on a network drive (NFS or SMB/Windows share):\n{folder}\n\n"
        "Radiculopathy Desktop normally uses SQLite's WAL journal, which is fast and safe on a local disk. WAL "
        "cannot be used safely on a network file system: its shared-memory index (the -shm file) only works when "
        "every program using the database runs on the same computer. So on this drive the app uses SQLite's "
        "older rollback journal instead, which is slower.\n\n"
        "Even then, SQLite's file locking over network shares is unreliable: if two computers write to this "
        "database at the same time, it can be corrupted.\n\n"
        "What IT should do: move the data folder to a local disk of this computer and start the app with "
        "--data-dir FOLDER (or set the environment variable RADICULOPATHY_DESKTOP_DATA_DIR=FOLDER); then back "
        "it up to the network share instead (copy the backups folder there, or run "
        "radiculopathy-desktop backup --to SHARE_FOLDER). Until then, open this folder from one computer at a "
        "time.")


def network_wal_error(path: Path):
    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.db import StorageError
    return StorageError(StorageErrorKind.LOCKED, (
        "The database is on a network drive and is still in WAL mode, which means another program or another "
        "computer has it open. WAL is not safe on a network drive, so the app did not use it. Nothing was "
        "changed. Close Radiculopathy Desktop on the other computers (and any other program using the file), "
        f"then start again. Better: move the data folder to a local disk (--data-dir). Database: {path}"))


LOCKED_HINT = ("No other Radiculopathy Desktop window has this data folder open on this computer, so another "
               "program is using the database (for example a backup or sync tool, a command in a terminal, or "
               "another computer if the folder is on a shared drive).")


NETWORK_LOCKED_HINT = (
    "The data folder is on a network drive, where another computer may have the database open. There the app "
    "must switch the database out of WAL mode (WAL is not safe on a network drive), which is only possible "
    "when no other computer or program has it open. Close Radiculopathy Desktop on the other computers and try "
    "again; better, move the data folder to a local disk (--data-dir).")


def _say(text: str) -> None:
    """Print for a launch from a terminal (a windowed launch may have no stdout)."""
    with contextlib.suppress(Exception):
        if sys.stdout is not None:
            print(text, flush=True)


def _newest_backup_text(data_dir: Path) -> str | None:
    """"today at 09:14" for the newest backup file (a directory listing; no file is opened)."""
    import datetime as dt

    from radiculopathy_desktop.storage import backup
    try:
        found = backup.list_backups(backup.backup_folder(data_dir))
        if not found:
            return None
        when = dt.datetime.fromtimestamp(found[-1].stat().st_mtime)
    except OSError:
        return None
    days = (dt.date.today() - when.date()).days
    day = "today" if days == 0 else "yesterday" if days == 1 else f"{when.day} {when.strftime('%b %Y')}"
    return f"{day} at {when.strftime('%H:%M')}"


#: The maintenance controller's state and actions, reachable on the controller under the
#: names they always had (status-bar widgets, the scheduler, the quick-check worker...).
MAINTENANCE_NAMES = ("damaged", "scheduler", "check_worker", "network_dialog", "backup_warning", "_painted",
                     "backup_label", "damage_widget", "damage_label", "damage_button", "network_widget",
                     "network_label", "network_button", "start_quick_check", "start_backups", "show_network_notice",
                     "_after_first_paint", "_store_replaced", "_update_backup_label")


class AppController(StartupSequence):
    """One run of the window: the start-up sequence, with its maintenance controller (``self.maintenance``)."""


def _forward(name: str) -> property:
    return property(lambda self: getattr(self.maintenance, name),
                    lambda self, value: setattr(self.maintenance, name, value))


for _name in MAINTENANCE_NAMES:
    setattr(AppController, _name, _forward(_name))
del _name


_collection_paused = False


def pause_collection() -> None:
    """Pause Python's cyclic garbage collector for the start-up (:func:`run_app`).

    Loading the window's modules and PySide6's classes (each class's enums are new Python
    classes) allocates tens of thousands of long-lived objects; the collector would walk
    them some 60 times before the first paint (about 15 ms of CPU, twice a bare window's)
    and find nothing to free. Memory is still freed as usual by reference counting.
    :func:`resume_collection` turns it back on once the window (or a start-up dialog) is on
    screen, and always when the run ends. Does nothing when the collector is already off.
    """
    global _collection_paused
    import gc
    if gc.isenabled() and not _collection_paused:
        gc.disable()
        _collection_paused = True


def resume_collection() -> None:
    """Turn the collector paused by :func:`pause_collection` back on (idempotent)."""
    global _collection_paused
    if _collection_paused:
        import gc
        _collection_paused = False
        gc.enable()


def run_app(data_dir: Path | None = None, demo: bool = False, server: str | None = None) -> int:
    """Run the window on the local file in ``data_dir`` (the default) or on the clinic server at
    ``server`` (a PostgreSQL URL; then ``data_dir`` is this workstation's folder for local drafts)."""
    pause_collection()  # until the first paint or a start-up dialog (StartupSequence._serve_handover)
    try:
        return _run_app(data_dir, demo, server)
    finally:
        resume_collection()


def _run_app(data_dir: Path | None, demo: bool, server: str | None) -> int:
    from radiculopathy_desktop import logs
    logs.configure_logging()  # first: the server store's thread below logs too
    # The storage and domain layers (no Qt in them) are loaded before PySide6: once imported,
    # PySide6 hooks every later import and reads each new module's source file (its
    # ``__feature__`` check), about 60 modules here, and some 260 more for the PostgreSQL
    # driver (psycopg imports asyncio, email, importlib.metadata...). The store is opened next anyway.
    import radiculopathy_desktop.storage.store  # noqa: F401
    opening = None
    if server and not demo:
        preload_server_driver()
        opening = ServerOpening(server)  # connects while PySide6 loads and the QApplication starts
    app = ensure_application()
    controller = AppController(app, data_dir, demo, server=server, opening=opening)
    try:
        return controller.run()
    finally:
        controller.shutdown()
