"""`import` applies the window's rule for "this case already exists" (gp18 F5, H-FU-311), on
both engines: the same person (patient key, then name, birth date and sex: fxc18's
``same_person``) with the same onset date is one episode, one case. gp18 saw ``Preg-A`` beside
``PREG-A`` (one patient, capitals apart) pass the import's exact-ID comparison.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.identity import EPISODE_EXISTS

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

ANN = {"name": "Ann Lee", "birth_date": "1980-02-03", "sex": "female"}


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _case(case_id, pid, **patient):
    data = case_dict(case_id, patient_id=pid)
    data["patient"] = {**data["patient"], **ANN, **patient}
    data["patient"].pop("age_years", None)
    return data


def _ids(run):
    code, out, err = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "json")
    assert code == 0, err
    return sorted(row["case_id"] for row in json.loads(out)["rows"])


def test_the_same_patient_in_other_capitals_with_the_same_onset_is_refused_with_the_windows_words(run, tmp_path):
    code, out, err = run("import", write_json(tmp_path, [_case("PREG-A-1", "PREG-A")], "one.json"))
    assert code == 0, err
    new = _case("Preg-A-2", "Preg-A")
    code, out, err = run("import", "--new-episode", write_json(tmp_path, [new], "two.json"))
    assert code == 2 and out == "", (out, err)
    assert EPISODE_EXISTS in err and "nothing was imported" in err
    assert f"case Preg-A-2: patient Preg-A, onset date {new['onset_date']}, is already case PREG-A-1 in the tracker" \
        in err
    assert "as the window's intake refuses" not in err  # the old claim, now simply the one rule
    assert _ids(run) == ["PREG-A-1"]


def test_another_person_under_the_key_or_another_onset_is_imported(run, tmp_path):
    code, out, err = run("import", write_json(tmp_path, [_case("PREG-A-1", "PREG-A")], "one.json"))
    assert code == 0, err
    other = _case("preg-a-2", "preg-a", name="Bob Jones", birth_date="1950-05-05", sex="male")
    later = _case("PREG-A-3", "Preg-A")
    later["onset_date"] = (dt.date.fromisoformat(later["onset_date"]) + dt.timedelta(days=1)).isoformat()  # a day on
    code, out, err = run("import", "--new-episode", write_json(tmp_path, [other, later], "two.json"))
    assert code == 0 and "2 added" in out, err
    assert _ids(run) == ["PREG-A-1", "PREG-A-3", "preg-a-2"]


def _later(data, days=1):
    data["onset_date"] = (dt.date.fromisoformat(data["onset_date"]) + dt.timedelta(days=days)).isoformat()
    return data


def test_a_new_id_of_another_person_under_a_used_key_is_imported_with_a_warning_naming_both_ids(
        run, tmp_path, target):
    """fxc18 "Noticed, not done": a new ID whose patient key a stored ID of a different person
    (name, birth date or sex differ) holds is imported, the two kept apart, and said: a
    ``warning:`` line on stderr naming both IDs (no names), as ``check --full`` lists the pair."""
    code, out, err = run("import", write_json(tmp_path, [_case("PİD-9-1", "PİD-9", name="Ayşe Yılmaz")], "one.json"))
    assert code == 0, err
    bob = _case("pid-9-1", "pid-9", name="Bob Jones", birth_date="1950-05-05", sex="male")
    code, out, err = run("import", write_json(tmp_path, [bob], "bob.json"))
    assert code == 0 and "1 added" in out, err
    [line] = [ln for ln in err.splitlines() if "kept apart" in ln]
    assert line.startswith("warning: new patient ID pid-9 (case pid-9-1) shares its patient key with patient ID "
                           "PİD-9 already in the tracker, whose name, birth date or sex differ: they are kept apart")
    assert "check --full" in line
    assert "Bob" not in err and "Ayşe" not in err  # IDs only
    logs = tmp_path / "logs"
    assert not any("Bob Jones" in f.read_text(errors="replace") for f in logs.rglob("*") if f.is_file())
    # a further case of the same new ID: the pair is already known, not said again
    code, out, err = run("import", "--new-episode", write_json(tmp_path, [_later(_case("pid-9-2", "pid-9", name="Bob Jones", birth_date="1950-05-05", sex="male"))], "bob2.json"))
    assert code == 0 and "kept apart" not in err, err


def test_the_same_person_under_a_capitals_variant_is_not_warned_about(run, tmp_path):
    code, out, err = run("import", write_json(tmp_path, [_case("PREG-A-1", "PREG-A")], "one.json"))
    assert code == 0, err
    code, out, err = run("import", "--new-episode", write_json(tmp_path, [_later(_case("preg-a-2", "preg-a"))],
                                                              "two.json"))
    assert code == 0 and "1 added" in out, err
    assert "kept apart" not in err
