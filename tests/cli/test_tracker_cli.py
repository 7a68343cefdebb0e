"""The tracker's headless commands, end to end through ``cli.main``.

Fixtures come from tests/storage/conftest.py (loaded below): a temporary data
folder, and ``run_cli`` which pins "today" to 2026-06-01.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402  (path set up by tests/cli/conftest.py)

D = __import__("datetime").timedelta


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_import_accepts_one_case_a_list_or_cases_object(tmp_path, run_cli):
    one = _write(tmp_path, "one.json", case_dict("C-1"))
    code, out, err = run_cli("import", str(one))
    assert code == 0, err
    assert "1 added, 0 updated, 0 unchanged" in out and "C-1" in out
    many = _write(tmp_path, "many.json", [case_dict("C-1", side="right"), case_dict("C-2")])
    code, out, _ = run_cli("import", str(many))
    assert "1 added, 1 updated, 0 unchanged" in out
    wrapped = _write(tmp_path, "wrapped.json", {"cases": [case_dict("C-1", side="right"), case_dict("C-2")]})
    code, out, _ = run_cli("import", str(wrapped))
    assert code == 0 and "0 added, 0 updated, 2 unchanged" in out


def test_invalid_import_names_case_and_field_and_leaves_database_untouched(tmp_path, run_cli, db_path):
    run_cli("import", str(_write(tmp_path, "ok.json", [case_dict("C-1")])))
    before = file_state(db_path)
    bad = case_dict("C-3")
    bad["pain"]["leg_nrs"] = 14
    code, out, err = run_cli("import", str(_write(tmp_path, "bad.json", [case_dict("C-2"), bad])))
    assert code == 2
    assert "case 2 (case_id C-3): pain.leg_nrs must be between 0 and 10 (got 14)" in err
    assert "nothing was imported" in err and out == ""
    assert file_state(db_path) == before


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ("42", "must hold a case object"),
    ("[]", "holds no cases"),
])
def test_unreadable_import_files(tmp_path, run_cli, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    code, _, err = run_cli("import", str(path))
    assert code == 2 and message in err and "Traceback" not in err
    code, _, err = run_cli("import", str(tmp_path / "missing.json"))
    assert code == 2 and "does not exist" in err


def _seed(tmp_path, run_cli):
    cases = [
        case_dict("OVER", care_start=ANCHOR - D(days=100), visits=[{"date": ANCHOR - D(days=3), "leg_nrs": 7}],
                  name="Ada Overwell"),
        case_dict("DUE", care_start=ANCHOR - D(days=60), visits=[{"date": ANCHOR - D(days=3), "leg_nrs": 6}]),
        case_dict("NEEDS", care_start=ANCHOR - D(days=42), name="=HYPERLINK(\"x\")"),
        case_dict("SOON", care_start=ANCHOR - D(days=28)),
        case_dict("NEW", care_start=ANCHOR - D(days=3)),
    ]
    code, _, err = run_cli("import", str(_write(tmp_path, "seed.json", cases)))
    assert code == 0, err


def test_worklist_table_json_csv(tmp_path, run_cli):
    _seed(tmp_path, run_cli)
    code, out, err = run_cli("worklist")  # as of the pinned today, 2026-06-01
    assert code == 0, err
    assert "Worklist as of 2026-06-01" in out
    assert all(part in out for part in ("0 ask red-flag questions", "1 overdue, 1 due, 1 needs follow-up",
                                        "0 improving: keep under review, 1 upcoming"))
    ids = [next(w for w in line.split() if w in {"OVER", "DUE", "NEEDS", "SOON", "NEW"})
           for line in out.splitlines()[3:7]]
    assert ids == ["OVER", "DUE", "NEEDS", "SOON"]

    code, out, _ = run_cli("worklist", "--as-of", "2026-06-01", "--format", "json", "--status", "due,overdue")
    payload = json.loads(out)
    assert [r["case_id"] for r in payload["rows"]] == ["OVER", "DUE"]
    assert payload["rows"][0]["status"] == "overdue" and payload["rows"][1]["improving"] is False
    assert "past the review window" in payload["rows"][0]["reason"]

    code, out, _ = run_cli("worklist", "--as-of", "2026-06-01", "--format", "csv", "--status", "needs-follow-up")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["case_id"] for r in rows] == ["NEEDS"]
    assert rows[0]["patient_name"].startswith("'="), "spreadsheet formulas are neutralised"
    assert rows[0]["days_since_care_start"] == "42"

    code, out, _ = run_cli("worklist", "--as-of", "2026-06-01", "--status", "all", "--format", "json")
    assert len(json.loads(out)["rows"]) == 5


@pytest.mark.parametrize("args, message", [
    (("--as-of", "2026-02-30"), "--as-of: 2026-02-30 is not a real date"),
    (("--as-of", "1/6/2026"), "--as-of: '1/6/2026' is not a date"),
    (("--status", "due,soonish"), "--status: 'soonish' is not a status"),
])
def test_worklist_rejects_bad_options(tmp_path, run_cli, args, message):
    _seed(tmp_path, run_cli)
    code, out, err = run_cli("worklist", *args)
    assert code == 2 and message in err and out == ""


def test_worklist_without_a_database_says_how_to_start(run_cli, db_path):
    code, _, err = run_cli("worklist")
    assert code == 2 and "no database yet" in err and "demo" in err
    assert not db_path.exists()


def test_case_visit_decide_session(tmp_path, run_cli):
    _seed(tmp_path, run_cli)
    code, out, _ = run_cli("case", "NEEDS")
    assert code == 0 and "NEEDS FOLLOW-UP" in out and "baseline" in out

    code, out, err = run_cli("visit", "NEEDS", "--date", "2026-06-01", "--leg-nrs", "8", "--back-nrs", "5",
                             "--odi", "48", "--treatment", "nsaid", "exercise_therapy",
                             "--red-flag", "saddle_anaesthesia=no")
    assert code == 0, err
    assert "Surgical review: Due." in out and "not improving" in out

    code, out, err = run_cli("decide", "NEEDS", "--kind", "continue", "--until", "2026-06-29", "--by", "Dr Invented")
    assert code == 0, err
    assert "Surgical review: Review deferred until 2026-06-29 by Dr Invented." in out and "Snoozed" not in out

    code, out, _ = run_cli("case", "NEEDS", "--format", "json")
    data = json.loads(out)
    assert data["review"]["status"] == "snoozed"
    # each `case` shown from the command line is audited too (issue 11, section 6)
    assert [a["action"] for a in data["audit"]] == ["case_added", "case_viewed", "visit_added", "decision_recorded",
                                                    "case_viewed"]
    assert data["case"]["visits"][0]["treatments_tried"] == [{"code": "nsaid"}, {"code": "exercise_therapy"}]

    code, out, _ = run_cli("worklist", "--format", "json", "--status", "all")
    snoozed = [r for r in json.loads(out)["rows"] if r["case_id"] == "NEEDS"]
    assert snoozed[0]["status"] == "snoozed"


def test_visit_and_decide_validation(tmp_path, run_cli, db_path):
    _seed(tmp_path, run_cli)
    before = file_state(db_path)
    for args, message in [
        (("visit", "NEEDS", "--date", "2026-06-01", "--leg-nrs", "11"), "--leg-nrs: leg_nrs must be between 0 and 10"),
        (("visit", "NEEDS", "--date", "2026-02-31", "--leg-nrs", "3"), "--date: 2026-02-31 is not a real date"),
        (("visit", "NEEDS", "--date", "2026-06-01"), "Nothing is recorded for this visit"),
        (("visit", "NEEDS", "--date", "2026-06-01", "--leg-nrs", "3", "--red-flag", "fever"), "KEY=VALUE"),
        (("visit", "NEEDS", "--date", "2026-06-01", "--leg-nrs", "3", "--treatment", "magic"), "not a known treatment"),
        (("visit", "NOPE", "--date", "2026-06-01", "--leg-nrs", "3"), "no case with ID 'NOPE'"),
        (("decide", "NEEDS", "--kind", "continue"), "--until is required"),
        (("decide", "NEEDS", "--kind", "operate"), "--kind: 'operate' is not a decision"),
        (("decide", "NEEDS", "--kind", "continue", "--until", "2026-05-01"), "--until: until must be after"),
    ]:
        code, out, err = run_cli(*args)
        assert code == 2, (args, err)
        assert message in err, (args, err)
    assert file_state(db_path) == before


def test_visit_from_json_file(tmp_path, run_cli):
    _seed(tmp_path, run_cli)
    visit = _write(tmp_path, "visit.json", {"date": "2026-06-01", "leg_nrs": 2, "odi_percent": 12})
    code, out, err = run_cli("visit", "DUE", "--json", str(visit))
    assert code == 0, err
    assert "Not due" in out  # leg NRS 2 and ODI 12: resolved by the clinic's thresholds


def test_demo_is_deterministic_invented_and_spread(tmp_path, run_cli):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("demo", "--cases", "400", "--seed", "3", "--json", str(a))[0] == 0
    assert run_cli("demo", "--cases", "400", "--seed", "3", "--json", str(b))[0] == 0
    assert a.read_bytes() == b.read_bytes()
    cases = json.loads(a.read_text())["cases"]
    assert all(c["case_id"].startswith("DEMO-") and c["patient"]["id"].startswith("DEMO-") for c in cases)
    assert all("Synthetic" in c["notes"] for c in cases)
    visits = sum(1 + len(c.get("visits", [])) for c in cases) / len(cases)
    assert 4 <= visits <= 6
    code, out, _ = run_cli("demo", "--cases", "400", "--seed", "3")
    assert code == 0 and "400 added" in out
    code, out, _ = run_cli("worklist", "--status", "all", "--format", "json")
    statuses = {r["status"] for r in json.loads(out)["rows"]}
    assert statuses == {"immediate", "ask_red_flags", "overdue", "due", "needs_follow_up", "improving", "upcoming",
                        "not_due", "snoozed", "closed"}


def test_demo_refuses_to_mix_with_real_patients(tmp_path, run_cli):
    run_cli("import", str(_write(tmp_path, "real.json", [case_dict("REAL-1")])))
    code, _, err = run_cli("demo", "--cases", "10")
    assert code == 2 and "real (non-demo) cases" in err


def test_settings_get_and_set(run_cli):
    code, out, _ = run_cli("settings", "get")
    assert code == 0 and "window_start_day = 42" in out and "window_end_day = 84" in out
    assert run_cli("settings", "set", "window_end_day", "90")[0] == 0
    assert run_cli("settings", "get", "window_end_day")[1].strip() == "90"
    code, _, err = run_cli("settings", "set", "window_end_day", "20")
    assert code == 2 and "settings: window_end_day: 20 is before window_start_day (42)" in err
    code, _, err = run_cli("settings", "set", "colour", "blue")
    assert code == 2 and "not a setting" in err
    assert run_cli("settings", "set", "clinic_name", "Invented Spine Clinic")[0] == 0
    assert run_cli("settings", "get", "clinic_name")[1].strip() == "Invented Spine Clinic"


def test_settings_set_echoes_the_value_as_stored_not_as_typed(run_cli):
    """The echo is what every command will use: a country typed "UK" is kept as "uk", a
    number typed "+090" as 90, a name with spaces around it trimmed; an address of several
    lines continues on lines indented under the first, as printed (red-team rt5 F7: it was
    shown in Python's quoted form)."""
    for key, typed, echoed, got in [
        ("clinic_country", "UK", "clinic_country = uk", "uk"),
        ("window_end_day", "+090", "window_end_day = 90", "90"),
        ("clinic_name", "  Invented Clinic  ", "clinic_name = Invented Clinic", "Invented Clinic"),
        ("clinic_address", "1 High St\nTown", "clinic_address = 1 High St\n                 Town", None),
    ]:
        code, out, err = run_cli("settings", "set", key, typed)
        assert (code, err) == (0, ""), (key, err)
        assert out.strip() == echoed
        if got is not None:
            assert run_cli("settings", "get", key)[1].strip() == got


def test_visit_or_decision_after_today_and_impossible_dates_refused(tmp_path, run_cli, db_path):
    """today is pinned to ANCHOR (2026-06-01): a visit or decision cannot be dated after it;
    only the "until" date of continuing conservative care lies ahead."""
    _seed(tmp_path, run_cli)
    before = file_state(db_path)
    tomorrow = (ANCHOR + D(days=1)).isoformat()
    for args, message in [
        (("visit", "NEEDS", "--date", "2027-06-01", "--leg-nrs", "3"),
         "--date: date is after today (2027-06-01 > 2026-06-01)"),
        (("visit", "NEEDS", "--date", tomorrow, "--leg-nrs", "3"), f"--date: date is after today ({tomorrow} >"),
        (("visit", "NEEDS", "--date", "2026-02-30", "--leg-nrs", "3"), "--date: 2026-02-30 is not a real date"),
        (("decide", "NEEDS", "--kind", "referred", "--date", tomorrow), "--date: date is after today"),
        (("decide", "NEEDS", "--kind", "referred", "--date", "2026-02-30"), "--date: 2026-02-30 is not a real date"),
        (("decide", "NEEDS", "--kind", "continue", "--until", "2026-06-31"), "--until: 2026-06-31 is not a real date"),
    ]:
        code, out, err = run_cli(*args)
        assert code == 2, (args, err)
        assert message in err, (args, err)
    assert file_state(db_path) == before
    # today itself is accepted, and "until" may lie ahead
    code, _, err = run_cli("visit", "NEEDS", "--date", ANCHOR.isoformat(), "--leg-nrs", "3")
    assert code == 0, err
    code, out, err = run_cli("decide", "NEEDS", "--kind", "continue", "--until", "2027-01-10")
    assert code == 0 and "until 2027-01-10" in out, err
