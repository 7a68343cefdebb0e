"""Logs never contain patient names or identifiers (issue 7).

Runs a whole workflow through ``cli.main`` with a sentinel patient, logging at DEBUG
into the per-test log folder, then searches every file under the log folder and the
data folder's logs for the sentinels. Also checks that the database, backups and
log files are readable by their owner only.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli, logs

sys.path.insert(0, str(Path(__file__).parent / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

SENTINEL_NAME = "Zzyzx Sentinelname"
SENTINEL_ID = "SENTINEL-ID-991"


@pytest.fixture
def file_logging(monkeypatch):
    monkeypatch.setattr(logs, "_handler", None)
    logger = logging.getLogger("radiculopathy_desktop")
    before = list(logger.handlers)
    level = logger.level
    path = logs.configure_logging(logging.DEBUG)
    assert path is not None
    yield path
    for h in logger.handlers[:]:
        if h not in before:
            logger.removeHandler(h)
            h.close()
    logger.setLevel(level)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_workflow_logs_no_patient_identifiers(tmp_path, monkeypatch, capsys, file_logging):
    from radiculopathy_desktop.commands import tracker

    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(data_dir))
    log_folder = Path(os.environ["RADICULOPATHY_DESKTOP_LOG_DIR"])
    assert file_logging.parent == log_folder
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(case_dict("C-SENT", name=SENTINEL_NAME, patient_id=SENTINEL_ID,
                                              care_start=ANCHOR - __import__("datetime").timedelta(days=60))))
    out = tmp_path / "out"
    out.mkdir()
    steps = [
        ["import", str(case_file)],
        ["worklist", "--status", "all"],
        ["worklist", "--search", "Zzyzx"],
        ["case", "C-SENT"],
        ["visit", "C-SENT", "--date", (ANCHOR - __import__("datetime").timedelta(days=10)).isoformat(),
         "--leg-nrs", "6", "--back-nrs", "3", "--odi", "30", "--notes", f"{SENTINEL_NAME} said it hurts"],
        ["decide", "C-SENT", "--kind", "referred", "--date", ANCHOR.isoformat(), "--note", SENTINEL_NAME],
        ["handout", "C-SENT", "--out", str(out / "handout.pdf"), "--as-of", ANCHOR.isoformat()],
        ["export", "summary", "C-SENT", "--format", "pdf", "--out", str(out / "summary.pdf"),
         "--as-of", ANCHOR.isoformat()],
        ["export", "summary", "C-SENT", "--format", "fhir", "--out", str(out / "summary.json"),
         "--as-of", ANCHOR.isoformat()],
        ["export", "cases", "--status", "all", "--out", str(out / "cases.csv"), "--as-of", ANCHOR.isoformat()],
        ["backup"],
        ["check"],
        ["case", SENTINEL_ID],  # an error message that may echo the identifier: it must not reach the log
    ]
    for argv in steps:
        code = cli.main(["--data-dir", str(data_dir), *argv])
        captured = capsys.readouterr()
        if argv[:2] != ["case", SENTINEL_ID]:
            assert code == 0, (argv, captured.err)
    # An unexpected error whose message quotes patient data: the crash log keeps only the traceback shape.
    try:
        raise ValueError(f"bad record for {SENTINEL_NAME} ({SENTINEL_ID})")
    except ValueError as exc:
        crash = logs.log_unexpected(exc)
    assert Path(crash).exists()
    for h in logging.getLogger("radiculopathy_desktop").handlers:
        h.flush()

    # The workflow did produce output files containing the patient (so the test is not vacuous) ...
    assert SENTINEL_NAME in (out / "cases.csv").read_text(encoding="utf-8")
    # ... and logged something, but never the sentinels.
    log_files = [p for folder in (log_folder, data_dir / "logs") if folder.exists()
                 for p in folder.rglob("*") if p.is_file()]
    assert file_logging in log_files and file_logging.stat().st_size > 0
    for p in log_files:
        text = p.read_bytes().decode("utf-8", "replace")
        for sentinel in (SENTINEL_NAME, SENTINEL_ID, "Zzyzx", "SENTINEL-ID"):
            assert sentinel not in text, f"{sentinel!r} found in log file {p}"
        assert _mode(p) == 0o600, p

    db = data_dir / "radiculopathy.sqlite3"
    assert _mode(db) == 0o600
    backups = list((data_dir / "backups").iterdir())
    assert backups and all(_mode(b) == 0o600 for b in backups)
    assert _mode(data_dir / "backups") == 0o700
    for side in ("-wal", "-shm"):
        extra = db.with_name(db.name + side)
        if extra.exists():
            assert _mode(extra) & 0o077 == 0, extra
