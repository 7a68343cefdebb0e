"""SIGTERM during a command (a shutdown script, a log-out, ``kill``) undoes the step under way
(cli.py ``StoppedBySignal``; hazard H-UI-546): an export leaves neither the file nor its temporary
``.part`` file (patient data), an import (one transaction) leaves the tracker as it was, the command
does not say it wrote or imported anything, and it exits 128 + 15 = 143.

Before, SIGTERM ended the process at its default: the database was still safe (SQLite rolls back an
unfinished transaction at the next open; tests/storage/test_kill_*.py kill writers), but an export's
owner-only ``.NAME.….part`` file of patient data stayed beside the target.

Each command runs in its own process, slowed at one point of its write by a wrapper that says on
stdout when it got there: the test sends the signal once it reads that line (no fixed sleep).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGTERM to a child process: POSIX")

SLOWED = r"""
import os, sys, time
point = sys.argv[1]
said = []
def arrived():  # once: the clean-up after the signal writes again
    if said:
        return
    said.append(1)
    os.write(1, b"arrived\n")
    for _ in range(600):  # 60 s at most: the signal comes long before
        time.sleep(0.1)
if point == "export":
    from radiculopathy_desktop import outputs
    real = outputs._CheckedRaw.write
    def write(self, data):
        written = real(self, data)
        arrived()  # part of the file is in its temporary file
        return written
    outputs._CheckedRaw.write = write
else:
    from radiculopathy_desktop.storage import engine_common
    real_batches = engine_common.import_batches
    def import_batches(cases, batch_size):
        for n, batch in enumerate(real_batches(cases, 1)):
            yield batch
            if n == 1:
                arrived()  # inside the import's transaction, two cases written
    engine_common.import_batches = import_batches
from radiculopathy_desktop.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _stopped(point: str, argv: list[str]) -> tuple[int, str, str]:
    child = subprocess.Popen([sys.executable, "-c", SLOWED, point, *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # blocks until the command has reached the slowed point
        assert line == "arrived\n", (line, child.stderr.read() if child.poll() is not None else "")
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err


def _demo(data: Path) -> None:
    assert main(["--data-dir", str(data), "demo", "--cases", "20"]) == 0


def test_sigterm_during_an_export_leaves_no_file_and_no_temporary_file(tmp_path, capsys):
    data = tmp_path / "data"
    _demo(data)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "cases.csv"
    code, out, err = _stopped("export", ["--data-dir", str(data), "export", "cases", "--status", "all",
                                         "--out", str(target)])
    assert code == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert "Wrote" not in out and "wrote" not in out.lower()
    assert list(out_dir.iterdir()) == []  # neither cases.csv nor its .cases.csv.….part
    # the same export, not stopped, writes the file (the wrapper's point is on its path)
    assert main(["--data-dir", str(data), "export", "cases", "--status", "all", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8-sig").count("\n") > 20


def test_sigterm_during_an_import_leaves_the_tracker_as_it_was(tmp_path, capsys):
    from radiculopathy_desktop import demo
    import datetime as dt

    data = tmp_path / "data"
    _demo(data)
    cases = list(demo.generate_case_dicts(5, seed=7, as_of=dt.date(2026, 11, 25), medicines=False))
    for n, case in enumerate(cases):  # other patients than the demo cohort's
        case["patient"]["id"] = f"SIG-{n}"
        case["case_id"] = f"SIG-{n}-C1"
    source = tmp_path / "cases.json"
    source.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    from radiculopathy_desktop.storage.paths import database_path
    db = database_path(data)

    def count() -> int:
        conn = sqlite3.connect(str(db))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        finally:
            conn.close()

    before = count()
    code, out, err = _stopped("import", ["--data-dir", str(data), "import", str(source)])
    assert code == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert "Imported" not in out and "added" not in out
    assert count() == before  # two cases were written inside the transaction: rolled back, none kept
    # nothing left waiting either: the same import, not stopped, adds all five
    assert main(["--data-dir", str(data), "import", str(source)]) == 0
    assert count() == before + 5
