"""A restore refused because the database is open elsewhere exits 3 ("the database cannot
be used safely now": the same command may succeed once the window is closed), and a restore
refused for want of --yes exits 2 (the command must change); README says both (red-team C4)."""

from __future__ import annotations

import re
from pathlib import Path

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.store import CaseStore

README = Path(__file__).resolve().parents[2] / "README.md"


def test_restore_refused_while_open_is_exit_3_and_changes_nothing(tmp_path, monkeypatch, capsys):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
    from tracker_support import case_dict

    data = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    with CaseStore.open(data) as s:
        s.import_cases([parse_case(case_dict("R-1"))], user="test")
    backup = bk.backup_database(data).path
    with CaseStore.open(data) as window_store:  # the window has the database open
        code = main(["--data-dir", str(data), "restore", str(backup), "--yes"])
        err = capsys.readouterr().err
        assert code == 3, err
        assert window_store.case_count() == 1
    assert bk.list_backups(data / "backups") == [backup]  # not even a safety backup was made
    code = main(["--data-dir", str(data), "restore", str(backup)])  # no --yes, no terminal to ask
    assert code == 2


def test_readme_exit_codes_say_a_refused_restore_is_3():
    text = README.read_text(encoding="utf-8")
    codes = text[text.index("Exit codes:"):]
    codes = codes[:codes.index("70 an")]
    three = codes[codes.index("; 3 "):]
    assert "a restore refused because the window or a command has the database" in re.sub(r"\s+", " ", three)
    two = codes[codes.index("; 2 "):codes.index("; 3 ")]
    assert "restore without `--yes`" in re.sub(r"\s+", " ", two)
