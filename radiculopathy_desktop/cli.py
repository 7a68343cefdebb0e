"""The single entry point: no subcommand opens the window; subcommands run headless.

Each subcommand lives in ``radiculopathy_desktop/commands/<name>.py`` with a
``register(subparsers)`` function that adds its parser and sets ``func``. A
command returns an exit code; a :class:`UserError` becomes a plain message on
stderr and its exit code (2 for bad input); a path the file system refuses (too
long, a folder, no access) is reported in words with exit 2 (3 when the disk itself
failed); anything else is logged to the log folder and reported without a
traceback (exit 70). Text arguments that are not valid UTF-8 are refused up front,
and output never stops on a character the terminal cannot show.

A command stopped by SIGTERM or SIGHUP (a shutdown, a log-out, ``kill``) stops as Ctrl+C
(SIGINT) does: the step under way is undone (an export's temporary file removed, the database
transaction rolled back: nothing half-written is kept or reported as saved), and it exits
128 + the signal's number (143, 129; 130 for Ctrl+C). A second signal meanwhile ends it at once.
Where Qt may be on the stack the signal is recorded and acted on at the command's safe points, and
one arriving after the output is in place leaves the command's exit code as it is (``stopping.py``).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from radiculopathy_desktop import APP_NAME, __version__, stopping
from radiculopathy_desktop.errors import UserError

COMMAND_MODULES = (
    "radiculopathy_desktop.commands.assess",
    "radiculopathy_desktop.commands.tracker",
    "radiculopathy_desktop.commands.reports",
    "radiculopathy_desktop.commands.maintenance",
    "radiculopathy_desktop.commands.outcomes",
    "radiculopathy_desktop.commands.server",
)

log = logging.getLogger("radiculopathy_desktop")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # plain message and exit 2, as argparse does, never a traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="radiculopathy-desktop",
        description=f"{APP_NAME} {__version__}: offline decision support for lumbar radiculopathy. "
        "With no command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder holding the database (default: the user data folder; "
                             "or set RADICULOPATHY_DESKTOP_DATA_DIR)")
    parser.add_argument("--server", default=None, metavar="URL",
                        help="use the clinic server postgresql://LOGIN@HOST/DATABASE instead of the local file "
                             "(or set RADICULOPATHY_SERVER; no password in it). Works for import, worklist, case, "
                             "visit, decide and export")
    parser.add_argument("--demo", action="store_true", help="open the window on a temporary demo cohort")
    parser.add_argument("--self-test", action="store_true",
                        help="check the installation offscreen and exit 0, or non-zero naming what failed")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command module not present in this build
                continue
            raise
        module.register(sub)
    return parser


def _run_window(args: argparse.Namespace) -> int:
    try:
        from radiculopathy_desktop.ui.app import run_app
    except ImportError as exc:  # pragma: no cover - only in a broken install
        raise UserError(f"The window could not start: {exc}", exit_code=1) from None
    server = None
    if not args.demo:  # the demo cohort is always a temporary local file, never the clinic's server
        from radiculopathy_desktop.storage.pg.choose import server_url
        server = server_url(args.data_dir, getattr(args, "server", None))
    if server:
        return run_app(data_dir=args.data_dir, demo=args.demo, server=server)
    return run_app(data_dir=args.data_dir, demo=args.demo)


def _safe_output_streams() -> None:
    """Text that cannot be encoded for the terminal (a file name with undecodable bytes) is shown
    escaped instead of stopping the command half-way."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError, TypeError):  # a stream that cannot change; printing still works
                pass


def _has_undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_text_arguments(parser: argparse.ArgumentParser | None, args: argparse.Namespace) -> None:
    """Refuse text that is not valid UTF-8 (bytes from another encoding arrive as surrogate escapes)
    before it reaches the database or a report. File and folder paths (``Path`` values) may hold
    such bytes: the file system accepts them."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and _has_undecodable(item):
                option = "--" + name.replace("_", "-") if name not in ("file", "case_id", "key", "value", "action") \
                    else name.upper()
                shown = item.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
                raise UserError(f"{option}: {shown!r} is not valid text: it holds bytes that are not UTF-8 (for "
                                "example a name typed or saved in another encoding). Retype it, or rename the "
                                "file.", exit_code=2)


_DISK_ERRNOS = {errno.ENOSPC, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _report_os_error(exc: OSError) -> int:
    """A plain message for a file-system refusal: 3 when the disk itself failed, else 2 (bad path)."""
    name = exc.filename if exc.filename is not None else ""
    name = str(name)
    shown = name if len(name) <= 200 else name[:200] + "…"
    reason = exc.strerror or type(exc).__name__
    log.info("command stopped by the file system: %s", errno.errorcode.get(exc.errno or 0, type(exc).__name__))
    where = f"{shown}: " if shown else ""
    if exc.errno in _DISK_ERRNOS:
        print(f"error: {where}{reason}. The disk could not be written; free some space or check the disk, then "
              "try again. Nothing was changed by the failed step.", file=sys.stderr)
        return 3
    print(f"error: {where}{reason}. Check the file or folder name and that your user may use it. Nothing was "
          "changed by the failed step.", file=sys.stderr)
    return 2


class _NotWindowOnly(Exception):
    pass


from radiculopathy_desktop.stopping import StoppedBySignal  # noqa: E402  (re-exported: cli.StoppedBySignal)


class _GlobalParser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _NotWindowOnly(message)


def _kept() -> str:
    done = stopping.completed
    if not done:
        return "(its output is complete)."
    return "(complete and kept: " + ", ".join(done) + ")."


def stopped_message(signum: int | None, *, starting: bool = False) -> int:
    """Say that a signal stopped the command (no traceback); the exit code, 128 + the signal's number."""
    import signal

    signum = signum if signum is not None else int(getattr(signal, "SIGINT", 2))
    name = stopping.signal_name(signum)
    shown = f"{name} (Ctrl+C)" if name == "SIGINT" else name
    log.info("command stopped by %s; the unfinished step was undone", name)
    if starting:
        print(f"stopped by {shown} while starting: nothing was done", file=sys.stderr)
    else:
        text = f"stopped by {shown}: the unfinished step was undone (no file half-written, nothing half-saved)"
        if stopping.completed:
            text += "; written completely before the signal, and kept: " + ", ".join(stopping.completed)
        print(text, file=sys.stderr)
    return 128 + signum


def _window_only_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The global options when the command line opens the window (or runs the self-test)
    and nothing else, without importing any command module; None otherwise.

    Opening the window is the common case and its start-up time is measured
    (benchmarks/bench_startup.py): the command modules pull in the engine, the backup
    code and sqlite-utils, which the window loads later, only when used.
    """
    pre = _GlobalParser(add_help=False)
    pre.add_argument("--data-dir", type=Path, default=None)
    pre.add_argument("--demo", action="store_true")
    pre.add_argument("--self-test", action="store_true")
    try:
        args, rest = pre.parse_known_args(argv)
    except _NotWindowOnly:
        return None  # the full parser reports it in words
    if rest:
        return None  # a command, --help or --version
    args.command = None
    return args


def _configured_server(args) -> str | None:
    """The clinic server this command would use: ``--server``, else (without ``--data-dir``)
    RADICULOPATHY_SERVER or a deployed server.conf; None for the local file."""
    if getattr(args, "command", None) == "server":
        return None  # `server ...` names its own target
    from radiculopathy_desktop.storage.pg.choose import server_url
    return server_url(getattr(args, "data_dir", None), getattr(args, "server", None))


def _server_source(args) -> str:
    if getattr(args, "server", None):
        return "--server"
    return "RADICULOPATHY_SERVER or server.conf"


class _UpdateLines:
    """On the terminal (stderr), the one-time updates of the first command after an upgrade of
    the app, in the window's words (``upgrade_progress.step_title``): the schema update's steps
    "Making a safety copy ... (1 of 3)" (a line every ~10 %), "Updating the tracker (2 of 3)",
    then the stored derived data's "Updating the stored worklist data (3 of 3)" (a line every
    ~10 % on a terminal); "of 2" when no rewrite follows, as the window plans it with the same
    read-only peek. A rewrite alone keeps its own sentence. Nothing for a small tracker (about a
    second). The schema watcher (``schema_listener``) and the derived-data ``listener`` at once."""

    def __init__(self) -> None:
        self._said: dict[str, int] = {}
        self._quiet = True
        self._path = None
        self._steps = 0  # the numbered steps of the update said so far (0: no schema update said)

    # -- the schema update (upgrade_progress.SchemaWatcher)
    def stop_requested(self) -> bool:
        return False

    def planning(self, path) -> None:
        self._path = path

    def begin(self, size_bytes: int, migrations: int) -> None:
        from radiculopathy_desktop.storage import upgrade_progress

        self._said.clear()
        self._quiet = size_bytes < upgrade_progress.SAY_FROM_BYTES
        self._steps = 0
        if self._quiet:
            return
        self._steps = 3 if self._path is not None and self._rewrite_follows(self._path) else 2
        print("Updating the tracker for this version of Radiculopathy Desktop (once, after an upgrade; this "
              "can take a few minutes at a large clinic). Please let it finish: if it is stopped, the tracker "
              "is left as it was and the update runs again at the next command.", file=sys.stderr, flush=True)

    @staticmethod
    def _rewrite_follows(path) -> bool:
        from radiculopathy_desktop.storage import opening
        from radiculopathy_desktop.storage.store import CaseStore

        return opening.pending_derived_rewrite(path, CaseStore.derived_version()) > 0

    def step(self, name: str, done: int, total: int) -> None:
        from radiculopathy_desktop.storage import upgrade_progress

        if self._quiet:
            return
        self._line(name, done, total, tenths=name == upgrade_progress.BACKUP)

    def _line(self, name: str, done: int, total: int, tenths: bool) -> None:
        from radiculopathy_desktop.storage import upgrade_progress

        title = upgrade_progress.step_title(name, self._steps)
        if done == 0:
            self._said[name] = 0
            print(f"{title}...", file=sys.stderr, flush=True)
        elif done >= total:
            print(f"{title}: done.", file=sys.stderr, flush=True)
        elif tenths:
            tenth = 10 * done // total
            if tenth > self._said.get(name, 0):
                self._said[name] = tenth
                print(f"  {10 * tenth} %", file=sys.stderr, flush=True)

    # -- the derived-data rewrite (upgrade_progress.listener)
    def __call__(self, done: int, total: int) -> None:
        """Why a command is slow once after an upgrade of the app: the stored derived data of
        every case is being rewritten (counts only)."""
        from radiculopathy_desktop.storage import upgrade_progress

        if self._steps:  # the schema update was said: this is its last step, said alike
            if self._steps < 3:  # not foreseen by the peek (as the window: said as a step)
                self._steps = 3
            if done == 0 or done >= total or sys.stderr.isatty():
                self._line(upgrade_progress.DERIVED, done, total, tenths=True)
            if done >= total:
                self._steps = 0  # the update is over
            return
        if total < upgrade_progress.SAY_FROM:  # about a second: nothing to explain
            return
        if done == 0:
            print("Updating the stored worklist data of every case for this version of Radiculopathy Desktop "
                  "(once, after an upgrade; this can take a few minutes). Please let it finish: if it is stopped, "
                  "it starts again at the next command. The clinical records are not changed.", file=sys.stderr,
                  flush=True)
        elif done == total:
            print("Updated the stored worklist data.", file=sys.stderr, flush=True)
        elif sys.stderr.isatty() and done % (upgrade_progress.STEP * 10) == 0:
            print(f"  {100 * done // total} %", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    _safe_output_streams()
    args = _window_only_args(sys.argv[1:] if argv is None else list(argv))
    parser = None
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
    try:
        _check_text_arguments(parser, args)
        if args.self_test:
            from radiculopathy_desktop.selftest import run_self_test
            return run_self_test()
        server = _configured_server(args)
        if args.command is None:
            if getattr(args, "server", None) and args.demo:
                raise UserError("--demo opens invented patients in a temporary local file; it never uses a clinic "
                                "server. Leave out --server to see the demo.", exit_code=2)
            return _run_window(args)  # the window configures its own log
        if server:
            from radiculopathy_desktop.storage.pg.choose import SERVER_COMMANDS

            if args.command not in SERVER_COMMANDS | {"server", "assess"}:
                raise UserError(f"`{args.command}` works on a local tracker file only, and this workstation is set "
                                f"up for the clinic server ({_server_source(args)}). Nothing was changed. A clinic "
                                "server is backed up and checked with its own tools (README, Clinic server: "
                                "pg_dump, docs/clinic-server/backup.sh); for a local tracker give --data-dir DIR.",
                                exit_code=2)
        from radiculopathy_desktop.logs import configure_logging
        configure_logging()  # counts and error kinds only, never patient data (see logs.py)
        from radiculopathy_desktop.storage import upgrade_progress
        lines = _UpdateLines()
        upgrade_progress.listener = lines
        upgrade_progress.schema_listener = lines
        from radiculopathy_desktop.commands.settings_notes import SettingsNotes
        from radiculopathy_desktop.storage import settings_notes
        settings_notes.listener = SettingsNotes()  # a stored setting that cannot be used: said once
        previous = stopping.install()
        try:
            stopping.check()  # a signal during start-up that could not be raised then (Qt imported)
            code = int(args.func(args) or 0)
            stopping.finished = True  # the work is done: a signal from now on is only recorded
            late = stopping.take_late()
            if late is not None:  # recorded inside Qt or after the last output was renamed into place
                name = stopping.signal_name(late)
                log.info("%s arrived after the command had finished its work; nothing undone", name)
                print(f"note: {name} arrived after the command had finished its work; nothing was undone "
                      f"{_kept()}", file=sys.stderr)
            return code
        finally:
            stopping.restore(previous)
            settings_notes.listener = None  # this command's: a window in the same process reads them itself
    except UserError as exc:  # may quote a name or key from a file: control characters shown, never obeyed
        from radiculopathy_desktop.terminal import terminal_safe
        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl+C, or StoppedBySignal (SIGTERM, SIGHUP)
        return stopped_message(getattr(exc, "signum", None))
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, as other tools do
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except OSError as exc:  # the file system refused a path the user gave (too long, a folder, no access...)
        return _report_os_error(exc)
    except Exception as exc:  # a bug: no traceback for the user, details in the log
        from radiculopathy_desktop.logs import log_unexpected
        where = log_unexpected(exc)
        print(f"error: an unexpected problem stopped the command ({type(exc).__name__}). "
              f"Nothing was changed by the failed step. Details for support: {where}", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
