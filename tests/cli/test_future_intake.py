"""An intake dated after today is a typo, refused by import and assess as by the window and
the visit/decide commands (red-team B5: a case at "Day -184")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.cli import main

from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402

D = dt.timedelta


def _future(field: str, day: dt.date) -> dict:
    data = case_dict("F-1", care_start=ANCHOR - D(days=5))
    if field == "onset_date":  # onset after visit would be refused anyway: move all three
        data.update(onset_date=day.isoformat(), visit_date=day.isoformat(), care_start_date=day.isoformat())
    else:  # care starts on or before the intake visit: both move
        data.update(visit_date=day.isoformat(), care_start_date=day.isoformat())
    return data


@pytest.mark.parametrize("field", ["onset_date", "visit_date", "care_start_date"])
def test_import_refuses_an_intake_date_after_today_naming_the_field(tmp_path, run_cli, db_path, field):
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps([case_dict("OK-1")]))
    assert run_cli("import", str(ok))[0] == 0
    before = file_state(db_path)
    path = tmp_path / "future.json"
    path.write_text(json.dumps([case_dict("OK-2"), _future(field, ANCHOR + D(days=1))]))
    code, out, err = run_cli("import", str(path))
    assert code == 2 and out == ""
    assert f"{field}: {(ANCHOR + D(days=1)).isoformat()} is after today ({ANCHOR.isoformat()})" in err
    assert "case_id F-1" in err and "nothing was imported" in err
    assert file_state(db_path) == before


def test_import_accepts_an_intake_dated_today(tmp_path, run_cli):
    path = tmp_path / "today.json"
    path.write_text(json.dumps([_future("visit_date", ANCHOR)]))
    code, out, err = run_cli("import", str(path))
    assert code == 0 and "1 added" in out, err


def test_import_refuses_a_follow_up_visit_after_today_inside_the_file(tmp_path, run_cli):
    path = tmp_path / "visit.json"
    path.write_text(json.dumps([case_dict("F-2", visits=[{"date": ANCHOR + D(days=30), "leg_nrs": 3}])]))
    code, _, err = run_cli("import", str(path))
    assert code == 2 and "visits[0].date" in err and "after today" in err


def test_assess_refuses_an_intake_date_after_today(tmp_path, capsys):
    tomorrow = dt.date.today() + D(days=1)
    data = case_dict("F-3", care_start=tomorrow)
    data["onset_date"] = (dt.date.today() - D(days=7)).isoformat()
    path = tmp_path / "assess.json"
    path.write_text(json.dumps(data))
    code = main(["assess", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"visit_date: {tomorrow.isoformat()} is after today" in err
    assert f"care_start_date: {tomorrow.isoformat()} is after today" in err
