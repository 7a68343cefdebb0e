"""One patient ID, one person (red-team A7): an import whose patient ID already belongs to
someone with a different name, birth date or sex is refused whole, naming each difference."""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain.identity import StoredIdentity, identity_conflicts
from radiculopathy_desktop.domain.intake import Patient

from tracker_support import ANCHOR, case_dict, file_state

D = __import__("datetime").timedelta


def _with(case_id, pid, **patient):
    data = case_dict(case_id, patient_id=pid)
    data["patient"].update(patient)
    return data


def _import(tmp_path, run_cli, cases, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(cases))
    return run_cli("import", str(path))


def test_a_second_person_under_an_existing_patient_id_is_refused_naming_every_difference(tmp_path, run_cli, db_path):
    first = _with("C-1", "P-9", name="Edna Apix", birth_date="1956-01-10", sex="female")
    first["patient"].pop("age_years")
    assert _import(tmp_path, run_cli, [first])[0] == 0
    before = file_state(db_path)
    other = _with("C-2", "P-9", name="Zed Other", birth_date="1999-05-05", sex="male")
    other["patient"].pop("age_years")
    code, out, err = _import(tmp_path, run_cli, [case_dict("C-3"), other], "collide.json")
    assert code == 2 and out == ""
    assert "nothing was imported" in err and "case C-2: patient ID P-9" in err and "case C-1" in err
    assert "name: stored 'Edna Apix', new 'Zed Other'" in err
    assert "birth date: stored 1956-01-10, new 1999-05-05" in err and "sex: stored female, new male" in err
    assert file_state(db_path) == before  # C-3 not imported either


def test_the_same_person_may_have_a_new_case(tmp_path, run_cli):
    assert _import(tmp_path, run_cli, [_with("C-1", "P-9", name="Edna Apix", sex="female")])[0] == 0
    # case and spacing of the name do not make another person; unknown sex is not a difference
    # (another episode: another onset date; one episode is one case, rt11 F8)
    second = _with("C-2", "P-9", name="edna  APIX", sex="unknown")
    second["onset_date"] = "2026-04-01"
    # C-1 is open: a second episode beside it only deliberately (gp14 G10, test_import_open_case_cli.py)
    path = tmp_path / "b.json"
    path.write_text(json.dumps([second]))
    code, out, err = run_cli("import", "--new-episode", str(path))
    assert code == 0, err
    assert "1 added" in out


def test_two_people_under_one_id_within_one_import_are_refused(tmp_path, run_cli, db_path):
    code, _, err = _import(tmp_path, run_cli, [_with("C-1", "P-9", name="Ann One"),
                                               _with("C-2", "P-9", name="Bob Two", sex="male")])
    assert code == 2
    assert "case C-2: patient ID P-9 already belongs to case C-1 of this import" in err
    assert "sex: stored female, new male" in err
    code, out, _ = run_cli("worklist", "--status", "all", "--format", "json")
    assert code == 0 and json.loads(out)["rows"] == []  # neither case stored


def test_correcting_the_patients_only_case_is_allowed(tmp_path, run_cli):
    """A re-import corrects the patient's details, on purpose only (rt10 F5): without
    --replace-records it is refused naming the change; with it, it is listed."""
    assert _import(tmp_path, run_cli, [_with("C-1", "P-9", name="Ann Typo")])[0] == 0
    code, out, err = _import(tmp_path, run_cli, [_with("C-1", "P-9", name="Ann Tyler")], "fix.json")
    assert code == 2 and "the name 'Ann Tyler' where the tracker holds 'Ann Typo'" in err
    code, out, err = run_cli("import", str(tmp_path / "fix.json"), "--replace-records")
    assert code == 0 and "1 updated" in out and "patient.name 'Ann Typo' -> 'Ann Tyler'" in out, err


@pytest.mark.parametrize("stored, new, expected", [
    (StoredIdentity("P", None, None, "unknown"), Patient("P", name="X", sex="male"), []),
    (StoredIdentity("P", "A B", None, "female"), Patient("P", name=" a  b ", sex="female"), []),
    (StoredIdentity("P", "A B", ANCHOR, "female"), Patient("P", name="A B", birth_date=ANCHOR - D(days=1)),
     [f"birth date: stored {ANCHOR.isoformat()}, new {(ANCHOR - D(days=1)).isoformat()}"]),
])
def test_identity_rule_boundaries(stored, new, expected):
    assert identity_conflicts(stored, new) == expected
