"""rt20 F6 (F7, F8, F9 of its report), on both engines: what the command line says.

* `visit` on a day already holding two records called the third "a second record of that day";
  it now counts them ("a third record").
* `import` of a new patient ID sharing its patient key with a different person (another name and
  birth date: kept apart, fxc18) printed "these are one patient (the patient list shows them
  together; one open case per patient)" beside dup19's "kept apart as different people"; only the
  latter is said now. The same person under other capitals is still told they are one patient.
* `worklist --as-of` marked "Pregnancy differs" from a visit dated after that date.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

STORE_ENGINES = ("sqlite", "postgresql")


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


@pytest.mark.parametrize("before, word", [(0, "second"), (1, "third"), (2, "fourth")])
def test_a_same_day_visit_is_counted(run, tmp_path, before, word):
    assert run("import", write_json(tmp_path, [case_dict("SD-2", care_start=ANCHOR - dt.timedelta(days=30))],
                                    "c.json"))[0] == 0
    day = ANCHOR.isoformat()
    for leg in range(before + 1):
        assert run("visit", "SD-2", "--date", day, "--leg-nrs", str(5 + leg))[0] == 0
    code, out, err = run("visit", "SD-2", "--date", day, "--leg-nrs", "4")
    assert code == 0 and f"this visit is a {word} record of that day (saved)" in err, err


def _person(case_id, pid, name, birth, days_ago=5):
    d = case_dict(case_id, patient_id=pid, name=name, care_start=ANCHOR - dt.timedelta(days=days_ago))
    d["patient"]["birth_date"] = birth
    d["patient"].pop("age_years", None)
    return d


def test_a_different_person_sharing_a_key_is_not_told_one_patient(run, tmp_path):
    assert run("import", write_json(tmp_path, [_person("ANA1-A", "Ana-1", "Ana Alpha", "1990-01-01")], "a.json"))[0] == 0
    code, out, err = run("import", write_json(tmp_path, [_person("ANA1-B", "ANA-1", "Bea Beta", "1985-05-05")],
                                              "b.json"))
    assert code == 0, err
    assert "kept apart as different people" in err
    assert "these are one patient" not in err


def test_the_same_person_under_other_capitals_is_still_told(run, tmp_path):
    assert run("import", write_json(tmp_path, [_person("ANA1-A", "Ana-1", "Ana Alpha", "1990-01-01")], "a.json"))[0] == 0
    code, out, err = run("import", "--new-episode",
                         write_json(tmp_path, [_person("ANA1-C", "ANA-1", "Ana Alpha", "1990-01-01", days_ago=2)], "c.json"))
    assert code == 0, err
    assert "these are one patient" in err and "kept apart" not in err


def test_worklist_as_of_reads_no_later_visit(run, tmp_path):
    """rt20 E4: A "not pregnant" on day -29 with ibuprofen; B "not pregnant" on day -20 and 31 weeks
    at its visit of day -5: as of day -15 no row names it (the CSV's pregnancy cell); as of day -5
    it does."""
    a = case_dict("E4-A", patient_id="Eva-4", name="Eva Example", care_start=ANCHOR - dt.timedelta(days=29))
    a["patient"]["pregnant"] = False
    a["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    b = case_dict("E4-B", patient_id="EVA-4", name="Eva Example", care_start=ANCHOR - dt.timedelta(days=20))
    b["patient"]["pregnant"] = False
    b["visits"] = [{"date": (ANCHOR - dt.timedelta(days=5)).isoformat(), "leg_nrs": 5,
                    "pregnancy": {"pregnant": True, "weeks": 31}}]
    assert run("import", write_json(tmp_path, [a], "a.json"))[0] == 0
    assert run("import", "--new-episode", write_json(tmp_path, [b], "b.json"))[0] == 0
    code, out, err = run("worklist", "--status", "all", "--as-of", (ANCHOR - dt.timedelta(days=15)).isoformat(),
                         "--format", "csv")
    assert code == 0 and "E4-A" in out and "not settled" not in out, err
    code, out, err = run("worklist", "--status", "all", "--as-of", (ANCHOR - dt.timedelta(days=5)).isoformat(),
                         "--format", "csv")
    assert code == 0 and "The pregnancy is not settled: case E4-A records her NOT pregnant" in out, err
