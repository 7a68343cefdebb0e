"""A stop signal where Qt may be on the stack, during start-up, and after the output is in place
(tryout36 F6, F14; hazards H-ARCH-912, H-ARCH-913; radiculopathy_desktop/stopping.py).

Before: a SIGTERM while PySide6 was being imported for a CLI handout aborted the process (SIGABRT,
"Fatal Python error: libshiboken/signature"), one during the rendering came out as an unrelated
AttributeError logged as a crash (exit 70), one just after the PDF was renamed into place made the
command exit killed (-15) although the file was complete, and an early Ctrl+C printed a traceback.

Now the handler raises only in plain Python; with Qt loaded it records the signal, which the command
acts on at its safe points (between pages, at each write of the temporary file, before the rename).
Each case runs the real entry point (``python -m radiculopathy_desktop``'s ``__main__``) in its own
process, paused at one point by a wrapper that says "arrived" on stdout there and waits (at most
60 s) until the process has received the signal: the test sends it once it reads that line (no
fixed sleep).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals to a child process: POSIX")

PAUSED = r"""
import importlib.abc, os, runpy, signal, sys, time
point = sys.argv[1]
said = []
def arrived():  # once: say where, then wait until the signal has been received (handled or recorded)
    if said:
        return
    said.append(1)
    os.write(1, b"arrived\n")
    from radiculopathy_desktop import stopping
    for _ in range(1200):
        if stopping.received is not None:
            return
        time.sleep(0.05)

class PauseAt(importlib.abc.MetaPathFinder):  # pauses just before the module named is imported
    def __init__(self, name):
        self.name = name
    def find_spec(self, fullname, path, target=None):
        if fullname == self.name:
            arrived()
        return None

if point == "import-package":  # while the CLI's own modules are imported (python -m start-up)
    sys.meta_path.insert(0, PauseAt("radiculopathy_desktop.errors"))
elif point == "import-commands":  # while the command line is read: the command modules imported
    sys.meta_path.insert(0, PauseAt("radiculopathy_desktop.commands.assess"))
elif point == "import-qt":  # PySide6 is being imported for the handout (shiboken's bootstrap next)
    sys.meta_path.insert(0, PauseAt("PySide6.QtGui"))
elif point == "qt-init":  # Python called from C++: QtGui's module start-up importing QtCore
    sys.meta_path.insert(0, PauseAt("PySide6.QtCore"))  # imported by QtGui's C++ module start-up
elif point == "paint":  # a page is being painted: a QPainter active on the QPdfWriter
    from radiculopathy_desktop.reports import paged
    real = paged.PagedDocument._paint_page
    def paint(self, painter, lay, n):
        real(self, painter, lay, n)
        if n == 1:
            arrived()
    paged.PagedDocument._paint_page = paint
elif point == "placed":  # the output was renamed into place (its folder not yet synced)
    from radiculopathy_desktop import outputs
    real_sync = outputs._fsync_dir
    def fsync_dir(folder):
        arrived()
        real_sync(folder)
    outputs._fsync_dir = fsync_dir
elif point == "exit":  # the command has returned: Python is ending the process (Qt torn down next)
    import atexit
    def at_exit():
        os.write(1, b"arrived\n")
        for _ in range(1200):  # until the signal is waiting, blocked: it must not end the process
            if signal.sigpending():
                return
            time.sleep(0.05)
    atexit.register(at_exit)
sys.argv = ["radiculopathy-desktop", *sys.argv[2:]]
runpy.run_module("radiculopathy_desktop", run_name="__main__", alter_sys=True)
"""


def _signalled(point: str, argv: list[str], signum: int) -> tuple[int, str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", PAUSED, point, *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        before = ""
        while (line := child.stdout.readline()) not in ("arrived\n", ""):  # until it reached the point
            before += line
        assert line == "arrived\n", (before, child.stderr.read() if child.poll() is not None else "")
        child.send_signal(signum)
        out, err = child.communicate(timeout=120)
        out = before + out
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err


def _clean(err: str) -> None:
    assert "Traceback" not in err and "Fatal Python error" not in err, err
    assert "unexpected problem" not in err and "Details for support" not in err, err


@pytest.fixture(scope="module")
def tracker(tmp_path_factory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("data")
    assert main(["--data-dir", str(data), "demo", "--cases", "4"]) == 0
    import sqlite3
    from radiculopathy_desktop.storage.paths import database_path
    conn = sqlite3.connect(str(database_path(data)))
    try:
        case_id = conn.execute("SELECT case_id FROM cases ORDER BY case_id LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    return data, case_id


def _handout(data: Path, case_id: str, out: Path) -> list[str]:
    return ["--data-dir", str(data), "handout", case_id, "--as-of", "2026-11-25", "--large-print",
            "--out", str(out)]


@pytest.mark.parametrize("point", ["import-qt", "qt-init", "paint"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_qt_is_at_work_stops_the_handout_cleanly(tracker, tmp_path, point, signum):
    data, case_id = tracker
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = _signalled(point, _handout(data, case_id, out_dir / "h.pdf"), signum)
    assert code == 128 + signum, (code, err)  # never -6 (SIGABRT), never 70 (a "crash"), never killed
    _clean(err)
    assert f"stopped by {signal.Signals(signum).name}: the unfinished step was undone" in err
    assert "Wrote" not in out
    assert list(out_dir.iterdir()) == []  # neither h.pdf nor its .part


def test_ctrl_c_while_a_page_is_painted_exits_130_in_words(tracker, tmp_path):
    data, case_id = tracker
    code, out, err = _signalled("paint", _handout(data, case_id, tmp_path / "h.pdf"), signal.SIGINT)
    assert code == 130
    _clean(err)
    assert "stopped by SIGINT (Ctrl+C): the unfinished step was undone" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["handout", "export"])
def test_a_signal_after_the_file_is_in_place_keeps_it_and_exits_0(tracker, tmp_path, command):
    data, case_id = tracker
    if command == "handout":
        target = tmp_path / "h.pdf"
        argv = _handout(data, case_id, target)
    else:
        target = tmp_path / "cases.csv"
        argv = ["--data-dir", str(data), "export", "cases", "--status", "all", "--out", str(target)]
    code, out, err = _signalled("placed", argv, signal.SIGTERM)
    assert code == 0, (code, err)  # the work was done: a script must not treat the file as failed
    _clean(err)
    assert "SIGTERM arrived after the command had finished its work; nothing was undone" in err
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # the file, no .part beside it
    if command == "handout":
        from radiculopathy_desktop.outputs import verify_pdf
        verify_pdf()(target)  # a whole PDF (its pages and end marker)
        assert "Wrote" in out
    else:
        assert target.read_text(encoding="utf-8-sig").count("\n") > 4


@pytest.mark.parametrize("point", ["import-package", "import-commands"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_start_up_is_one_line_without_traceback(tracker, tmp_path, point, signum):
    data, _case = tracker
    target = tmp_path / "cases.csv"
    code, out, err = _signalled(point, ["--data-dir", str(data), "export", "cases", "--out", str(target)],
                                signum)
    assert code == 128 + signum
    _clean(err)
    assert f"stopped by {signal.Signals(signum).name}" in err and "while starting: nothing was done" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_while_the_process_ends_after_a_written_handout_leaves_exit_0(tracker, tmp_path, signum):
    """Python's finalization puts the default handlers back: a signal then ended the process as killed
    (-15, -1) after "Wrote ...". Now the signals are blocked once the exit code is known."""
    data, case_id = tracker
    target = tmp_path / "h.pdf"
    code, out, err = _signalled("exit", _handout(data, case_id, target), signum)
    assert code == 0, (code, err)
    _clean(err)
    assert "Wrote" in out and [p.name for p in tmp_path.iterdir()] == ["h.pdf"]
