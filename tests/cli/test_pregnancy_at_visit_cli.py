"""A pregnancy recorded with `visit` at the command line, on both engines (the ``target``
fixture; preg17, H-MED-254, H-DATA-256).

`visit --pregnant-weeks N` / `--not-pregnant [--pregnancy-ended D]` is saved with the visit;
`case --as-of` before the visit reads the earlier answer, on and after it the visit's;
`case --format json` and re-import keep it, and a file that changes or drops it is refused
without --replace-records; `export cases` gives the answer on its date. FDA Drug Safety
Communication 2020: "We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than
the 30 weeks currently described in NSAID prescribing information".
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner, write_json

TODAY = dt.date(2026, 11, 30)
EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
INTAKE = TODAY - dt.timedelta(days=60)
DAY = TODAY - dt.timedelta(days=21)  # the visit recording the pregnancy


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target, fresh_output=True)


def _case(case_id, **patient) -> dict:
    d = copy.deepcopy(EXAMPLE)
    d["case_id"] = case_id
    d["patient"]["id"] = case_id + "-P"
    d["patient"].pop("pregnancy_weeks")
    d["patient"].update(patient)
    for key in ("onset_date", "visit_date", "care_start_date"):
        d[key] = (INTAKE - dt.timedelta(days=10 if key == "onset_date" else 0)).isoformat()
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    d.pop("visits", None)
    d["treatments_tried"] = []  # their dates are the example's
    return d


def _shown(run, case_id, day):
    code, out, err = run("case", case_id, "--as-of", day.isoformat())
    assert code == 0, err
    return out


def _csv(run, tmp_path, day):
    out = tmp_path / f"cases-{day.isoformat()}.csv"
    code, _out, err = run("export", "cases", "--status", "all", "--as-of", day.isoformat(), "--out", str(out),
                          "--force")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    return {r["case_id"]: (r["pregnant"], r["pregnancy_weeks"]) for r in rows}


def test_a_pregnancy_recorded_at_a_visit_counts_from_its_date(run, tmp_path):
    assert run("import", write_json(tmp_path, _case("BG"), "a.json"))[0] == 0
    code, out, err = run("visit", "BG", "--date", DAY.isoformat(), "--pregnant-weeks", "19")
    assert code == 0, err
    assert "NSAIDs from 20 weeks" not in _shown(run, "BG", DAY - dt.timedelta(days=1))
    shown = _shown(run, "BG", DAY + dt.timedelta(days=6))  # 19 weeks: a caution, not an alert
    assert "NSAIDs from 20 weeks" not in shown and f"{DAY.isoformat()}  follow-up" in shown
    assert "pregnant, 19 weeks" in shown
    assert "Pregnant, 20 weeks: avoid NSAIDs from 20 weeks" in _shown(run, "BG", DAY + dt.timedelta(days=7))
    code, out, err = run("case", "BG", "--format", "json")
    exported = json.loads(out)["case"]
    assert exported["visits"][-1]["pregnancy"] == {"pregnant": True, "weeks": 19}
    assert "pregnancy_weeks" not in exported["patient"]  # the intake's answer is never rewritten
    assert _csv(run, tmp_path, DAY - dt.timedelta(days=1))["BG"] == ("", "")
    assert _csv(run, tmp_path, DAY + dt.timedelta(days=7))["BG"] == ("yes", "20")
    # re-import of the export: unchanged; a file that changes the visit's answer: refused
    code, out, err = run("import", write_json(tmp_path, {"cases": [exported]}, "b.json"))
    assert code == 0 and "1 unchanged" in out + err, out + err
    changed = copy.deepcopy(exported)
    changed["visits"][-1]["pregnancy"] = {"pregnant": False}
    code, out, err = run("import", write_json(tmp_path, {"cases": [changed]}, "c.json"))
    assert code == 2 and "lacks 1 visit" in err and "--replace-records" in err
    assert "Pregnant, 20 weeks" in _shown(run, "BG", DAY + dt.timedelta(days=7))  # nothing saved


def test_a_pregnancy_that_ended_and_the_options_refused(run, tmp_path):
    assert run("import", write_json(tmp_path, _case("EN", pregnancy_weeks=30), "a.json"))[0] == 0
    ended = DAY - dt.timedelta(days=2)
    for args, says in ((("--pregnant-weeks", "12", "--not-pregnant"), "give one or the other"),
                       (("--pregnancy-ended", ended.isoformat()), "goes with --not-pregnant"),
                       (("--pregnant-weeks", "45"), "--pregnant-weeks/--not-pregnant:"),
                       (("--not-pregnant", "--pregnancy-ended", (DAY + dt.timedelta(days=1)).isoformat()),
                        "after the visit")):
        code, out, err = run("visit", "EN", "--date", DAY.isoformat(), *args)
        assert code == 2 and says in err, (args, err)
    assert "Pregnant, " in _shown(run, "EN", DAY)  # nothing was saved
    code, out, err = run("visit", "EN", "--date", DAY.isoformat(), "--not-pregnant",
                         "--pregnancy-ended", ended.isoformat())
    assert code == 0, err
    before = _shown(run, "EN", DAY - dt.timedelta(days=1))
    assert "Pregnant, 35 weeks: do not use NSAIDs from 30 weeks" in before  # a past date: what stood then
    assert "NSAIDs from 30 weeks" not in _shown(run, "EN", DAY)
    code, out, err = run("case", "EN", "--format", "json")
    assert json.loads(out)["case"]["visits"][-1]["pregnancy"] == {"pregnant": False, "ended_on": ended.isoformat()}
    assert _csv(run, tmp_path, DAY)["EN"] == ("no", "")
    assert _csv(run, tmp_path, DAY - dt.timedelta(days=1))["EN"] == ("yes", "35")


def test_a_file_adding_a_visit_that_ends_a_pregnancy_is_imported_and_named(run, tmp_path):
    data = _case("AD", pregnancy_weeks=36)
    assert run("import", write_json(tmp_path, data, "a.json"))[0] == 0
    data["visits"] = [{"date": DAY.isoformat(), "notes": "Delivered", "pregnancy": {"pregnant": False}}]
    code, out, err = run("import", write_json(tmp_path, data, "b.json"))
    assert code == 0, err
    assert f"pregnancy at the visit of {DAY.isoformat()}: not pregnant; was 41 weeks" in out + err
    assert _csv(run, tmp_path, TODAY)["AD"] == ("no", "")
