"""``restore`` says what it takes out of the tracker before replacing it (rt11 F11).

Driven through the commands as a clinic would: two workstations' trackers, a backup of
one restored over the other; an earlier copy of the same tracker restored after visits
and a decision were recorded. With ``--yes`` the list is printed and the restore done;
without it the list is shown before the question, and answering no changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import restore_compare
from radiculopathy_desktop.storage.store import CaseStore

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.setattr("radiculopathy_desktop.commands.tracker.today", lambda: TODAY)

    def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def _backup(run, data_dir: Path, to: Path) -> Path:
    out = _ok(run(data_dir, "backup", "--to", str(to)))
    return Path(next(line for line in out.splitlines() if line.startswith("backup: ")).removeprefix("backup: "))


@pytest.fixture
def this_tracker(run, tmp_path):
    """This workstation: the cauda equina emergency (Immediate) and a foot-drop case with a visit."""
    here = tmp_path / "here"
    _ok(run(here, "import", str(EXAMPLES / "emergency_cauda_equina.json")))
    _ok(run(here, "import", str(EXAMPLES / "urgent_foot_drop.json")))
    _ok(run(here, "visit", "EX-URGENT-FOOTDROP", "--date", "2026-11-28", "--leg-nrs", "5"))
    return here


def _case_ids(data_dir: Path) -> set[str]:
    with CaseStore.open(data_dir, create=False) as store:
        return {c.case_id for c in store.iter_cases()}


def test_restoring_another_trackers_backup_names_the_immediate_case_it_removes(run, this_tracker, tmp_path):
    other = tmp_path / "other-workstation"
    _ok(run(other, "import", str(EXAMPLES / "routine_l5_acute.json")))
    foreign = _backup(run, other, tmp_path / "usb")

    out = _ok(run(this_tracker, "restore", str(foreign), "--yes"))  # a script: restored, and told
    lines = out.splitlines()
    assert "WARNING: this backup shares no history with this tracker" in out
    assert "does not hold this tracker's first entry" in out and "no case ID is in both" in out
    assert "Cases here that the backup does not have (2, 2 Immediate)" in out
    lost = [line for line in lines if line.startswith("  EX-")]
    # Immediate ones first (both are), named with patient and status, each with its visits
    assert lost[0].startswith("  EX-EMERGENCY-CES (DEMO-1002, Sam Example; 0 follow-up visits, 0 decisions): IMMEDIATE: ")
    assert "cauda equina" in lost[0].lower()
    assert lost[1].startswith("  EX-URGENT-FOOTDROP (DEMO-1003, Jo Example; 1 follow-up visit, 0 decisions): IMMEDIATE: ")
    assert "1 follow-up visit, 0 decisions" in lost[1]
    # the list comes before the restore's own lines, and the restore was done (undo kept)
    assert out.index("EX-EMERGENCY-CES") < out.index("restored: ")
    assert "to undo: radiculopathy-desktop restore " in out
    assert "audit entries of this tracker (the backup is not a copy of it) are no longer in it" in out
    assert "EX-EMERGENCY-CES" not in _case_ids(this_tracker)
    safety = Path(next(l for l in lines if l.startswith("safety backup: ")).removeprefix("safety backup: "))
    _ok(run(this_tracker, "restore", str(safety), "--yes"))
    assert {"EX-EMERGENCY-CES", "EX-URGENT-FOOTDROP"} <= _case_ids(this_tracker)


def test_restoring_an_earlier_copy_names_the_visits_and_decisions_added_since(run, this_tracker, tmp_path):
    earlier = _backup(run, this_tracker, tmp_path / "copies")
    _ok(run(this_tracker, "visit", "EX-URGENT-FOOTDROP", "--date", "2026-11-29", "--leg-nrs", "4"))
    _ok(run(this_tracker, "decide", "EX-EMERGENCY-CES", "--kind", "referred_for_surgical_opinion", "--date", "2026-11-29",
            "--by", "Dr A", "--acknowledge-red-flags"))
    _ok(run(this_tracker, "import", str(EXAMPLES / "routine_l5_acute.json")))

    out = _ok(run(this_tracker, "restore", str(earlier), "--yes"))
    assert "shares no history" not in out
    assert "The current tracker has 3 cases; the backup has 2 cases." in out
    assert "Cases here that the backup does not have (1)" in out
    assert "  EX-ROUTINE-L5 (DEMO-1001, " in out
    assert "Recorded here since the backup, in cases it has (1 visit, 1 decision)" in out
    assert "  EX-EMERGENCY-CES: 0 visits, 1 decision" in out
    assert "  EX-URGENT-FOOTDROP: 1 visit, 0 decisions" in out
    # the visit of 11-28 is in the backup: not counted as lost
    assert "EX-URGENT-FOOTDROP: 2 visits" not in out
    assert "audit entries made after the backup are no longer in it" in out


def test_restoring_a_copy_that_holds_everything_says_so(run, this_tracker, tmp_path):
    same = _backup(run, this_tracker, tmp_path / "copies")
    out = _ok(run(this_tracker, "restore", str(same), "--yes"))
    assert "Every case, visit and decision here is also in the backup" in out
    assert "does not have" not in out and "shares no history" not in out


def test_the_prompt_shows_the_list_before_asking_and_no_changes_nothing(run, this_tracker, tmp_path, monkeypatch,
                                                                         capsys):
    other = tmp_path / "other-workstation"
    _ok(run(other, "import", str(EXAMPLES / "routine_l5_acute.json")))
    foreign = _backup(run, other, tmp_path / "usb")

    class Terminal:
        def isatty(self):
            return True

    shown_before_question = []

    def answer(prompt):
        shown_before_question.append(capsys.readouterr().out)
        return "no"

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", answer)
    code, _out, err = run(this_tracker, "restore", str(foreign))
    assert code == 2 and "Not restored; nothing was changed." in err
    assert "EX-EMERGENCY-CES (DEMO-1002, Sam Example; 0 follow-up visits, 0 decisions): IMMEDIATE" in shown_before_question[0]
    assert "shares no history" in shown_before_question[0]
    assert {"EX-EMERGENCY-CES", "EX-URGENT-FOOTDROP"} <= _case_ids(this_tracker)
    assert not bk.list_backups(this_tracker / "backups")  # not even a safety backup: nothing happened


def test_a_long_list_stops_at_twenty_lines_then_says_how_many_more():
    cases = tuple(restore_compare.LostCase(f"C-{n:02d}", f"P-{n:02d}", None, None, "", 0, 0) for n in range(23))
    later = tuple(restore_compare.LaterRecords(f"L-{n:02d}", 1, 0) for n in range(21))
    lines = restore_compare.BackupComparison(30, 7, True, "", cases, later).lines()
    assert sum(1 for line in lines if line.startswith("  C-")) == 20
    assert "  and 3 more" in lines
    assert sum(1 for line in lines if line.startswith("  L-")) == 20
    assert "  and 1 more" in lines


def test_stored_hidden_characters_in_a_lost_case_are_shown_escaped():
    lost = (restore_compare.LostCase("EX-ZW\u200b", "P-1", "Lee\u202eExample", None, "", 0, 0),)
    text = "\n".join(restore_compare.BackupComparison(1, 0, False, "x", lost).lines())
    assert "\u200b" not in text and "\u202e" not in text
    assert "EX-ZW\\u200b" in text and "Lee\\u202eExample" in text


def test_a_tracker_awaiting_an_upgrade_is_compared_as_it_is_not_upgraded_first(run, this_tracker, tmp_path):
    """A database at an earlier schema is read without being opened as a store: no status is
    computed (said), the red-flag column still puts the Immediate case first, and the safety
    backup is the file as it was (not upgraded just before being replaced)."""
    import sqlite3

    from radiculopathy_desktop.storage import schema

    other = tmp_path / "other-workstation"
    _ok(run(other, "import", str(EXAMPLES / "routine_l5_acute.json")))
    foreign = _backup(run, other, tmp_path / "usb")
    conn = sqlite3.connect(this_tracker / "radiculopathy.sqlite3")
    last = conn.execute(f"SELECT rowid FROM [{schema.MIGRATIONS_TABLE}] ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    conn.execute(f"DELETE FROM [{schema.MIGRATIONS_TABLE}] WHERE rowid = ?", (last,))  # as if not yet applied
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()

    out = _ok(run(this_tracker, "restore", str(foreign), "--yes"))
    assert "shares no history" in out
    lost = [line for line in out.splitlines() if line.startswith("  EX-")]
    assert lost[0].startswith("  EX-EMERGENCY-CES (DEMO-1002, Sam Example; 0 follow-up visits, 0 decisions): "
                              "RED FLAG recorded (Immediate on the worklist) (status not computed")
    safety = Path(next(l for l in out.splitlines() if l.startswith("safety backup: ")).removeprefix("safety backup: "))
    conn = sqlite3.connect(safety)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION - 1
    finally:
        conn.close()


def test_a_red_flag_answered_at_the_intake_since_the_backup_is_named_first(run, tmp_path):
    """rt12 F3: the intake's red-flag answers live in the case record, not in the follow-up
    visits the comparison counted: a backup taken before the cauda equina questions were
    answered "yes" was said to hold everything, and the restore dropped the case from
    Immediate. The record that differs is named, red flag first."""
    import json

    here = tmp_path / "here"
    example = EXAMPLES / "routine_ces_questions_unanswered.json"
    _ok(run(here, "import", str(example)))
    _ok(run(here, "import", str(EXAMPLES / "routine_l5_acute.json")))
    copy = _backup(run, here, tmp_path / "bk")
    data = json.loads(example.read_text(encoding="utf-8"))
    data["red_flags"].update({k: "yes" if k == "saddle_anaesthesia" else "no" for k in data["red_flags"]
                              if data["red_flags"][k] == "unknown"})
    answered = tmp_path / "answered.json"
    answered.write_text(json.dumps(data), encoding="utf-8")
    _ok(run(here, "import", str(answered)))
    out = _ok(run(here, "restore", str(copy), "--yes"))
    assert "Every case, visit and decision here is also in the backup" not in out
    assert "Cases here whose record differs from the backup's (1, 1 with a red flag standing here" in out
    assert f"  {data['case_id']}: RED FLAG standing here (Immediate), not in the backup's record" in out
