"""``radiculopathy-desktop --self-test``: check an installation without touching its data.

What it does, in order, printing one line per check::

    ok   app version 0.1.0
    ok   resources folder /opt/radiculopathy-desktop/_internal/resources
    ok   guideline data 2026.11.2 (us, uk)
    ok   Qt 6.12.0 offscreen platform
    ...
    self-test passed: 11 checks

It starts Qt offscreen (``QT_QPA_PLATFORM=offscreen`` unless already set), opens a
database in a new temporary folder (never the user's, whatever
``RADICULOPATHY_DESKTOP_DATA_DIR`` says), assesses a bundled example case, stores it
with its assessment, renders a patient handout PDF into the temporary folder and
opens the main window offscreen with its preferences (QSettings) also kept in the
temporary folder. The temporary folder is removed afterwards.

Exit 0 when every check passed; 1 when one failed, with a ``FAIL`` line naming the
check and what went wrong in words. A check that depends on a failed one is reported
as ``skip``. Never prints a traceback: this is what a clinic's IT person runs after
installing, and what the packaging build runs on the built app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

EXAMPLE_CASE = "routine_l5_acute.json"  # in resources/examples
SELF_TEST_USER = "self-test"


class CheckFailed(Exception):
    """A check's plain-language reason for failing."""


@dataclass
class _Run:
    out: Any
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def check(self, name: str, func: Callable[[], str | None], needs: tuple[str, ...] = ()) -> bool:
        missing = [n for n in needs if n not in self.state]
        if missing:
            self._line("skip", name, f"needs {', '.join(missing)}")
            return False
        try:
            detail = func()
        except CheckFailed as exc:
            return self._fail(name, str(exc))
        except Exception as exc:  # any bug or broken install: named, never a traceback
            return self._fail(name, _describe(exc))
        self.passed += 1
        self._line("ok", name, detail)
        return True

    def _fail(self, name: str, reason: str) -> bool:
        self.failed.append(name)
        self._line("FAIL", name, reason)
        return False

    def _line(self, status: str, name: str, detail: str | None) -> None:
        text = f"{status:<4} {name}"
        if detail:
            text += f" {detail}" if status == "ok" else f": {detail}"
        print(text, file=self.out, flush=True)


def _describe(exc: BaseException) -> str:
    message = str(exc).strip() or "no message"
    if isinstance(exc, ModuleNotFoundError):
        return f"a part of the application is missing from this installation (module {exc.name})"
    if isinstance(exc, (ImportError, OSError)):
        return f"{message} ({type(exc).__name__})"
    return f"{type(exc).__name__}: {message}"


# --------------------------------------------------------------------------- checks
def _check_app_version(run: _Run) -> str:
    from radiculopathy_desktop import __version__

    if not re.fullmatch(r"\d+\.\d+\.\d+([.+-]?[0-9A-Za-z.]+)?", __version__ or ""):
        raise CheckFailed(f"the application version {__version__!r} is not a version number")
    if not getattr(sys, "frozen", False):  # an installed package: its metadata must agree
        from importlib import metadata

        with contextlib.suppress(metadata.PackageNotFoundError):
            installed = metadata.version("radiculopathy-desktop")
            if installed != __version__:
                raise CheckFailed(f"the code says {__version__} but the installed package says {installed}; "
                                  "reinstall the application")
    run.state["app_version"] = __version__
    return __version__


def _check_resources(run: _Run) -> str:
    from radiculopathy_desktop.resources import ENV_VAR, resources_dir

    env = os.environ.get(ENV_VAR)
    try:
        folder = resources_dir()
    except FileNotFoundError as exc:
        raise CheckFailed(str(exc)) from None
    if env and Path(env).resolve() != folder.resolve():
        raise CheckFailed(f"{ENV_VAR}={env} is set but that folder has no guidelines/ folder "
                          f"(it would silently fall back to {folder}); fix or unset {ENV_VAR}")
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root and not env:
        bundled = (Path(frozen_root) / "resources").resolve()
        if folder.resolve() != bundled:
            raise CheckFailed(f"this build should use its own data folder {bundled}, but uses {folder}")
    wanted = ("guidelines/manifest.toml", "schemas/case.schema.json", f"examples/{EXAMPLE_CASE}",
              "handouts", "medicines", "rules", "instruments")
    absent = [w for w in wanted if not (folder / w).exists()]
    if absent:
        raise CheckFailed(f"the data folder {folder} lacks {', '.join(absent)}")
    run.state["resources"] = folder
    return str(folder)


def _check_guideline(run: _Run) -> str:
    from radiculopathy_desktop.domain.guideline import available_profiles, load_guideline
    from radiculopathy_desktop.reports.common import guideline_content_version

    profiles = available_profiles()
    if not profiles:
        raise CheckFailed("no guideline profiles are listed in guidelines/manifest.toml")
    versions = {p: load_guideline(p).content_version for p in profiles}
    if len(set(versions.values())) != 1:
        raise CheckFailed(f"the profiles disagree on the content version: {versions}")
    version = next(iter(versions.values()))
    stamped = guideline_content_version()  # what every exported file prints
    if stamped != version:
        raise CheckFailed(f"exports would print content version {stamped!r} but the guideline is {version!r}")
    run.state["content_version"] = version
    run.state["profiles"] = profiles
    return f"{version} ({', '.join(profiles)})"


def _check_qt(run: _Run) -> str:
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "radiculopathy-desktop"])
    _isolate_settings(run.state["tmp"] / "settings")
    platform = QGuiApplication.platformName()
    run.state["qt_app"] = app
    return f"{qVersion()} (PySide6 {PySide6.__version__}), {platform} platform"


def _isolate_settings(folder: Path) -> None:
    """Point QSettings (window preferences) at the temporary folder, so the self-test never
    reads or writes the user's preferences (the Windows registry, ~/.config)."""
    from PySide6.QtCore import QSettings

    folder.mkdir(parents=True, exist_ok=True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))


def _check_print_support(run: _Run) -> str:
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(run.state["tmp"] / "printer-check.pdf"))
    if not printer.isValid():
        raise CheckFailed("Qt's PDF printer could not be set up")
    n = len(QPrinterInfo.availablePrinterNames())
    return f"QtPrintSupport ready, {n} printer{'s' if n != 1 else ''} visible"


def _check_database(run: _Run) -> str:
    from radiculopathy_desktop.storage.store import CaseStore

    folder = run.state["tmp"] / "data"
    folder.mkdir()
    store = CaseStore.open(folder)  # an explicit folder wins over the environment variable
    run.state["store"] = store
    if store.path.parent.resolve() != folder.resolve():
        store.close()
        raise CheckFailed(f"opened {store.path} instead of the temporary folder")
    problems = [line for line in store.integrity_check() if line != "ok"]
    if problems:
        raise CheckFailed("integrity check: " + "; ".join(problems[:3]))
    if store.case_count() != 0:
        raise CheckFailed("the new temporary database is not empty")
    return "in a temporary folder, schema created, integrity ok"


def _check_assess(run: _Run) -> str:
    from radiculopathy_desktop.commands.common import load_cases
    from radiculopathy_desktop.domain.assess import assess_case

    path = run.state["resources"] / "examples" / EXAMPLE_CASE
    try:
        (case,) = load_cases(path)[:1]
    except Exception as exc:
        raise CheckFailed(f"the example {path.name} could not be read: {exc}") from None
    as_of = case.intake.visit_date
    results = {p: assess_case(case, as_of, profile=p) for p in run.state["profiles"]}
    for profile, result in results.items():
        if result.content_version != run.state["content_version"]:
            raise CheckFailed(f"the {profile} assessment carries content version {result.content_version}")
        data = result.to_dict()
        json.dumps(data)  # what the store keeps must be plain JSON
        if data.get("app_version") != run.state["app_version"]:
            raise CheckFailed(f"the assessment carries app version {data.get('app_version')!r}")
    first = results[run.state["profiles"][0]]
    run.state["case"] = case
    run.state["assessment"] = first
    return f"example {path.stem}: triage {first.triage.tier}, {len(results)} profile(s)"


def _check_store(run: _Run) -> str:
    store, case, assessment = run.state["store"], run.state["case"], run.state["assessment"]
    result = store.import_cases([case], user=SELF_TEST_USER)
    if case.case_id not in result.added:
        raise CheckFailed(f"case {case.case_id} was not added")
    store.save_assessment(case.case_id, assessment.to_dict(), visit_date=assessment.as_of,
                          content_version=assessment.content_version, user=SELF_TEST_USER)
    back = store.get_case(case.case_id)
    if back.case_id != case.case_id:
        raise CheckFailed("the stored case reads back with a different id")
    saved = store.assessments(case.case_id)
    if len(saved) != 1 or saved[0].content_version != assessment.content_version:
        raise CheckFailed("the stored assessment did not read back with its content version")
    rows = store.worklist(assessment.as_of, statuses=None)
    return f"case and assessment saved and read back, worklist {len(list(rows))} row(s)"


def _pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def _check_handout(run: _Run) -> str:
    from radiculopathy_desktop.reports.handouts import request_for_case, write_handout_pdf

    case = run.state["case"]
    out = run.state["tmp"] / "handout.pdf"
    req = request_for_case(case, case.intake.visit_date, clinic_name="Self-test clinic",
                           clinic_contact="0000 000 000")
    pages = write_handout_pdf(req, out)
    data = out.read_bytes()
    if not data.startswith(b"%PDF"):
        raise CheckFailed(f"{out.name} is not a PDF (starts with {data[:8]!r})")
    found = _pdf_page_count(data)
    if pages < 1 or found < 1:
        raise CheckFailed(f"{out.name} has no pages (writer said {pages}, file has {found})")
    return f"PDF with {found} page{'s' if found != 1 else ''} ({len(data) // 1024} KB, {len(req.sheets)} sheets)"


def _check_window(run: _Run) -> str:
    from PySide6.QtWidgets import QApplication

    from radiculopathy_desktop.ui.app import create_window
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub

    store = run.state["store"]
    _quiet_offscreen_notes()
    context = AppContext(store=store, hub=EventHub(), data_dir=store.data_dir, demo=False)
    window = create_window(context)
    try:
        window.show()
        QApplication.processEvents()
        title = window.windowTitle()
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    return f"main window opened offscreen{f' ({title})' if title else ''}"


def _check_server_driver(run: _Run) -> str:
    """The clinic-server driver (psycopg 3, its C or binary implementation, and the pool) is
    installed or bundled, so a clinic can point this build at its server."""
    import psycopg
    import psycopg_pool

    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__} libpq {psycopg.pq.version()}), pool {psycopg_pool.__version__}"


def _check_server(run: _Run, url: str) -> str:
    """The configured clinic server answers, with a schema this version knows, and passes its
    quick check (read only: nothing is written)."""
    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(url) as server:
        problems = [p for p in server.quick_check() if p != "ok"]
        if problems:
            raise CheckFailed("the server's quick check found: " + "; ".join(problems[:3]))
        return f"{server.location_label()}: schema {server.schema_version()}, {server.case_count()} cases"


def _quiet_offscreen_notes() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" note, which
    is about the virtual screen, not the app; pass every other Qt message on."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if "does not support propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def _configured_server() -> str | None:
    """The clinic server this workstation is set up for (RADICULOPATHY_SERVER or server.conf)."""
    try:
        from radiculopathy_desktop.storage.pg.choose import server_url
        return server_url(None, None)
    except Exception:  # noqa: BLE001 - an unreadable server.conf: the server check says nothing
        return None


# --------------------------------------------------------------------------- entry
def run_self_test(out=None) -> int:
    """Run every check; print one line each to ``out`` (stdout); return the exit code."""
    out = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run = _Run(out)
    tmp = Path(tempfile.mkdtemp(prefix="radiculopathy-selftest-"))
    run.state["tmp"] = tmp
    print(f"Radiculopathy Desktop self-test ({'built app' if getattr(sys, 'frozen', False) else 'Python package'}, "
          f"Python {sys.version.split()[0]}, {sys.platform})", file=out, flush=True)
    try:
        run.check("app version", lambda: _check_app_version(run))
        run.check("resources folder", lambda: _check_resources(run))
        run.check("guideline data", lambda: _check_guideline(run), needs=("resources",))
        run.check("Qt", lambda: _check_qt(run))
        run.check("print support", lambda: _check_print_support(run), needs=("qt_app",))
        run.check("temporary database", lambda: _check_database(run))
        run.check("assessment", lambda: _check_assess(run),
                  needs=("resources", "content_version", "app_version"))
        run.check("case store", lambda: _check_store(run), needs=("store", "case"))
        run.check("handout", lambda: _check_handout(run), needs=("qt_app", "case"))
        run.check("window", lambda: _check_window(run), needs=("qt_app", "store"))
        run.check("clinic-server driver", lambda: _check_server_driver(run))
        server = _configured_server()
        if server:
            run.check("clinic server", lambda: _check_server(run, server))
    finally:
        store = run.state.get("store")
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if run.failed:
        print(f"self-test FAILED: {', '.join(run.failed)} ({run.passed} passed)", file=out, flush=True)
        return 1
    print(f"self-test passed: {run.passed} checks", file=out, flush=True)
    return 0
