"""The real app, in its own process, stopped with SIGTERM as a log-out, a shutdown script or
``kill`` stops it (hazards H-UI-544..546): it exits 0, removes its ``--demo`` folder, keeps the
typed intake as a draft, and logs the signal without patient identifiers; a second signal while
it stops ends it at once.

The app runs offscreen through ``cli.main`` (the entry point's own path); a wrapper only reports
when the window is on screen (and types an intake into it, as keys): the test waits for that line,
never for a fixed time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGTERM to a child process: POSIX")

PATIENT_ID = "PROC-ID-545"
PATIENT_NAME = "Prosper Cessen"

APP = r"""
import os, sys, time
import radiculopathy_desktop.ui.app as app_module
mode, argv = sys.argv[1], sys.argv[2:]
if mode == "slow-stop":  # the stop hangs while keeping the draft: a second signal must end it
    from radiculopathy_desktop.ui.startup import StartupSequence
    def hanging(self):
        os.write(1, b"keeping\n")
        time.sleep(60)
        return False
    StartupSequence._save_intake_draft = hanging
real = app_module.create_window
def create_window(context):
    window = real(context)
    from PySide6.QtCore import QTimer
    def up():
        if mode in ("type", "slow-stop"):
            from PySide6.QtTest import QTest
            window.show_view("intake")
            page = window.views["intake"].pages[0]
            QTest.keyClicks(page.pid, %(pid)r)
            QTest.keyClicks(page.name, %(name)r)
        os.write(1, ("up " + str(context.data_dir) + "\n").encode())
    window.first_painted.connect(lambda: QTimer.singleShot(0, up))
    return window
app_module.create_window = create_window
from radiculopathy_desktop.cli import main
sys.exit(main(argv))
""" % {"pid": PATIENT_ID, "name": PATIENT_NAME}


def _start(mode: str, argv: list[str], tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"), QT_QPA_PLATFORM="offscreen")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    child = subprocess.Popen([sys.executable, "-c", APP, mode, *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    line = child.stdout.readline()  # the window is on screen (and the intake typed)
    if not line.startswith("up "):
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"the app did not come up: {line!r} {err[-2000:]}")
    return child, Path(line[3:].strip())


def _stop(child: subprocess.Popen) -> tuple[int, str]:
    child.send_signal(signal.SIGTERM)
    try:
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, err


def _app_log() -> str:
    path = Path(os.environ["RADICULOPATHY_DESKTOP_LOG_DIR"]) / "app.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_sigterm_to_a_demo_window_exits_0_and_removes_its_folder(tmp_path):
    child, folder = _start("demo", ["--demo"], tmp_path)
    assert folder.is_dir() and folder.parent == tmp_path / "tmp"  # the demo cohort's temporary folder
    code, err = _stop(child)
    assert code == 0, err[-2000:]
    assert not folder.exists() and list((tmp_path / "tmp").iterdir()) == []
    assert "Traceback" not in err
    log = _app_log()
    assert "stopping on SIGTERM" in log and "stopped on a signal: the window closed normally" in log


def test_sigterm_with_a_typed_intake_keeps_it_as_a_draft(tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.wizard import DRAFT_KEY

    data = tmp_path / "data"
    child, folder = _start("type", ["--data-dir", str(data)], tmp_path)
    assert folder == data
    code, err = _stop(child)
    assert code == 0, err[-2000:]
    store = CaseStore.open(data)  # the window let go of the database: it opens
    try:
        draft = store.load_draft(DRAFT_KEY)
    finally:
        store.close()
    assert draft["data"]["patient"]["id"] == PATIENT_ID and draft["data"]["patient"]["name"] == PATIENT_NAME
    log = _app_log()
    assert "stopping on SIGTERM" in log and "the unfinished intake was kept as a draft" in log
    assert PATIENT_ID not in log and PATIENT_NAME not in log and PATIENT_ID not in err


def test_a_second_sigterm_while_it_stops_ends_it_at_once(tmp_path):
    child, _folder = _start("slow-stop", ["--data-dir", str(tmp_path / "data")], tmp_path)
    try:
        child.send_signal(signal.SIGTERM)
        assert child.stdout.readline() == "keeping\n"  # the stop has begun (and hangs)
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=10)  # not the 60 s the hanging step would take
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGTERM  # the signal's own default action: ended at once
