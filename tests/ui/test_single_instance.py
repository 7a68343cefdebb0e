"""One running window per data folder (issue 7).

A second launch on the same folder asks the first to come forward and exits 0
without opening the database; a socket left by a crashed run does not block a start.
The local server is a Unix domain socket (a named pipe on Windows), which the test
suite's network guard (AF_INET/AF_INET6 only) allows.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, QProcessEnvironment
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import single_instance as si


@pytest.fixture
def instances(qapp):
    made = []

    def make(folder, **kw):
        inst = si.SingleInstance(folder, **kw)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.close()


def test_server_name_is_a_short_hash_per_folder_and_user(tmp_path, monkeypatch):
    a, b = tmp_path / "clinic-a", tmp_path / "clinic-b"
    a.mkdir()
    name = si.server_name(a)
    base = os.path.basename(name)
    assert re.fullmatch(r"radiculopathy-desktop-[0-9a-f]{32}", base)
    assert "clinic" not in name  # the folder is not revealed
    assert si.server_name(a / ".") == name == si.server_name(str(a) + "/")
    link = tmp_path / "link"
    link.symlink_to(a)
    assert si.server_name(link) == name  # resolved
    assert si.server_name(b) != name
    monkeypatch.setattr(si, "_user", lambda: "someone-else")
    assert si.server_name(a) != name  # per user
    runtime = os.environ["XDG_RUNTIME_DIR"]
    if len(os.path.join(runtime, base).encode()) <= 107:
        assert os.path.dirname(name) == runtime  # the per-user runtime folder
    else:
        assert name == base  # too long for a socket path: Qt's temporary folder


def test_without_a_runtime_dir_the_name_is_plain(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert re.fullmatch(r"radiculopathy-desktop-[0-9a-f]{32}", si.server_name(tmp_path))


def test_a_runtime_dir_too_long_for_a_socket_path(tmp_path, monkeypatch, instances):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    name = si.server_name(tmp_path / "data")
    assert not os.path.isabs(name)
    assert instances(tmp_path / "data").start() == "primary"
    assert instances(tmp_path / "data").start() == "forwarded"


def test_second_instance_brings_the_first_forward(tmp_path, instances):
    first = instances(tmp_path)
    calls = []
    first.activation_requested.connect(lambda: calls.append(1))
    assert first.start() == "primary"
    second = instances(tmp_path)
    assert second.start() == "forwarded"
    assert calls == [1]
    assert second.server is None
    other_folder = instances(tmp_path / "elsewhere")
    assert other_folder.start() == "primary"
    assert calls == [1]


def test_a_first_instance_that_does_not_answer(tmp_path, instances, monkeypatch):
    first = instances(tmp_path)
    assert first.start() == "primary"
    monkeypatch.setattr(first, "_read", lambda client: None)  # busy: never answers
    second = instances(tmp_path, reply_timeout_ms=300)
    assert second.start() == "not_answering"


def _socket_path(name: str) -> str:
    from PySide6.QtCore import QDir
    return name if os.path.isabs(name) else os.path.join(QDir.tempPath(), name)


def test_a_stale_socket_from_a_crashed_run_does_not_block(tmp_path, instances):
    path = _socket_path(si.server_name(tmp_path))
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)  # left behind: bound, never listening, never removed
    dead.close()
    assert os.path.exists(path)
    first = instances(tmp_path)
    assert first.start() == "primary"
    second = instances(tmp_path)
    assert second.start() == "forwarded"


def test_the_socket_is_private(tmp_path, instances):
    first = instances(tmp_path)
    assert first.start() == "primary"
    mode = os.stat(_socket_path(first.name)).st_mode & 0o777
    assert mode & 0o077 == 0


# --------------------------------------------------------------------------- the whole start-up
def test_second_launch_exits_0_without_opening_the_database(qtbot, tmp_path, controllers, monkeypatch, capsys):
    data = tmp_path / "data"
    first = controllers(data)
    assert first.start() is None
    qtbot.waitExposed(first.window)
    first.window.showMinimized()
    opened = []
    real_open = app_module.open_store
    monkeypatch.setattr(app_module, "open_store", lambda d: opened.append(d) or real_open(d))
    second = controllers(data)
    assert second.start() == 0
    assert opened == [] and second.store is None and second.window is None
    assert capsys.readouterr().out.strip() == si.ALREADY_OPEN
    assert not first.window.isMinimized() and first.window.isVisible()
    assert "started again for this data folder" in first.window.statusBar().currentMessage()
    first.shutdown()
    third = controllers(data)  # the first has gone: the next launch opens normally
    assert third.start() is None and opened == [data]


def test_second_launch_in_a_real_process(qtbot, tmp_path, instances):
    """``radiculopathy-desktop --data-dir X`` while X is open here: exit 0, message, no database made."""
    data = tmp_path / "data"
    first = instances(data)
    calls = []
    first.activation_requested.connect(lambda: calls.append(1))
    assert first.start() == "primary"
    proc = QProcess()
    env = QProcessEnvironment.systemEnvironment()
    env.insert("QT_QPA_PLATFORM", "offscreen")
    proc.setProcessEnvironment(env)
    proc.setWorkingDirectory(str(Path(__file__).resolve().parents[2]))
    proc.start(sys.executable, ["-m", "radiculopathy_desktop", "--data-dir", str(data)])
    assert proc.waitForStarted(10000)
    qtbot.waitUntil(lambda: proc.state() == QProcess.NotRunning, timeout=60000)  # serves the request meanwhile
    out = bytes(proc.readAllStandardOutput()).decode()
    err = bytes(proc.readAllStandardError()).decode()
    assert proc.exitStatus() == QProcess.NormalExit and proc.exitCode() == 0, err
    assert si.ALREADY_OPEN in out
    assert calls == [1]
    assert not (data / "radiculopathy.sqlite3").exists()


def test_demo_launches_never_claim_the_clinic_folder(tmp_path, monkeypatch):
    folder = tmp_path / "clinic"
    made = []
    monkeypatch.setattr(app_module, "make_demo_dir", lambda cases=400: made.append(tmp_path / "demo") or
                        (tmp_path / "demo"))
    c = app_module.AppController(QApplication.instance(), folder, demo=True,
                                 exec_dialog=lambda d: pytest.fail("no dialog expected"))
    try:
        assert c.start() is None
        assert c.instance is None and c.data_dir == tmp_path / "demo"
        assert c.window.context.demo
    finally:
        c.shutdown()
    assert not (tmp_path / "demo").exists()  # the temporary demo folder is removed


# --------------------------------------------------------------------------- the claim (issue 17)
# The window claims its folder with an OS lock before opening the database and starts
# answering later launches only once it has painted, so QtNetwork is not loaded before
# the first paint. A launch in between must still be refused or handed over.
def test_a_launch_while_the_first_is_still_starting_waits_and_is_handed_over(tmp_path, instances):
    from PySide6.QtCore import QTimer
    first = instances(tmp_path)
    calls = []
    first.activation_requested.connect(lambda: calls.append(1))
    assert first.start(listen=False) == "primary"
    assert first.server is None  # not listening yet: the window has not painted
    QTimer.singleShot(300, first.serve)  # the first window paints a moment later
    second = instances(tmp_path, starting_wait_ms=20000)
    assert second.start() == "forwarded"
    assert calls == [1] and second.server is None


def test_a_claimed_folder_whose_window_never_answers_is_refused(tmp_path, instances):
    first = instances(tmp_path)
    assert first.start(listen=False) == "primary"
    second = instances(tmp_path, starting_wait_ms=300)
    assert second.start() == "not_answering"  # never "primary": the database is not opened twice
    assert second.server is None
    first.serve()
    third = instances(tmp_path)
    assert third.start() == "forwarded"


def test_serve_is_once_and_only_for_the_first(tmp_path, instances):
    first = instances(tmp_path)
    assert first.start() == "primary"
    server = first.server
    first.serve()
    assert first.server is server  # already listening: nothing more
    second = instances(tmp_path)
    assert second.start() == "forwarded"
    second.serve()  # handed over: never listens
    assert second.server is None


def test_the_claim_ends_with_the_process_that_held_it(tmp_path, instances):
    """A crash (SIGKILL: nothing cleaned up) leaves nothing that blocks the next start."""
    import subprocess
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\n"
         "from radiculopathy_desktop.ui import single_instance as si\n"
         f"s = si.SingleInstance({str(tmp_path)!r})\n"
         "print(s.start(listen=False), flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        assert holder.stdout.readline().strip() == "primary"
        assert instances(tmp_path, starting_wait_ms=200).start() == "not_answering"
    finally:
        holder.kill()
        holder.wait(30)
    assert instances(tmp_path).start() == "primary"


def test_a_lock_file_owned_by_someone_else_falls_back_to_the_hand_over(tmp_path, instances, monkeypatch):
    first, second = instances(tmp_path), instances(tmp_path)  # named before the user id is changed
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)  # the lock file seems another user's
    assert first.start(listen=False) == "primary"
    assert first._lock_fd is None and first.server is not None  # no claim: listening at once, as before
    assert second.start() == "forwarded"


def test_the_lock_file_is_private(tmp_path, instances):
    first = instances(tmp_path)
    assert first.start(listen=False) == "primary"
    assert os.stat(first.lock_path).st_mode & 0o077 == 0
    assert "clinic" not in first.lock_path and str(tmp_path) not in first.lock_path
    assert os.stat(first.folder_lock_path).st_mode & 0o077 == 0  # its twin, inside the owner-only folder


@pytest.mark.parametrize("how", ["another runtime folder", "the lock beside the socket removed", "a second path"])
def test_the_folder_is_claimed_whatever_path_or_session_reaches_it(tmp_path, instances, monkeypatch, how):
    """Red-team rt5 F1: the lock beside the socket is named per session (XDG_RUNTIME_DIR or the
    temporary folder) and per path; a launch from another session, through a bind mount or
    symlink, or after a cleaner removed that file, took a fresh lock and opened the database a
    second time. The claim's twin in the data folder itself stops it."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    first = instances(folder)
    assert first.start(listen=False) == "primary"
    if how == "another runtime folder":
        other = tmp_path / "runtime-b"
        other.mkdir(mode=0o700)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(other))
        reach = folder
    elif how == "the lock beside the socket removed":
        os.remove(first.lock_path)
        reach = folder
    else:
        reach = tmp_path / "also-clinic"
        reach.symlink_to(folder)
        monkeypatch.setattr(si, "folder_key", lambda d: "0" * 32)  # as a bind mount: another name
    second = instances(reach, starting_wait_ms=300)
    assert second.lock_path != first.lock_path or how == "the lock beside the socket removed"
    assert second.start() != "primary"  # never a second window on the same database
    assert second.server is None


def test_the_window_claims_first_and_answers_once_painted(qtbot, tmp_path, controllers):
    first = controllers(tmp_path / "data")
    assert first.start() is None
    assert first.instance._lock_fd is not None  # claimed before the database was opened
    qtbot.waitUntil(lambda: first.instance.server is not None)  # after the first paint
    second = controllers(tmp_path / "data")
    assert second.start() == 0 and second.store is None
