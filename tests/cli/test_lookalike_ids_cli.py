"""``import`` refuses a new patient ID or case ID that looks the same as a different one in
the tracker or earlier in the file (UTS #39 skeleton equal: an all-Cyrillic copy of a Latin id,
a digit one for a small L), naming the stored id, on both engines; nothing is imported. The
stored ids themselves, and ids that differ visibly, go through."""

from __future__ import annotations

import json

import pytest

from helpers.cli_run import cli_runner
from tracker_support import case_dict

CYRILLIC_PT = "\u0420\u0422-100"  # CYRILLIC CAPITAL ER, TE: looks like PT-100
CYRILLIC_EX = "\u0415\u0425-1"  # CYRILLIC CAPITAL IE, HA: looks like EX-1


def _file(tmp_path, name: str, cases: list[dict]) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def run(target, capsys, tmp_path):
    run = cli_runner(capsys, *target)
    code, out, err = run("import", _file(tmp_path, "stored", [case_dict("EX-1", patient_id="PT-100", name="Ann Able")]))
    assert code == 0, err
    return run


@pytest.mark.parametrize("case_id, patient_id, said", [
    ("EX-2", CYRILLIC_PT, f"patient ID {CYRILLIC_PT} looks the same as the patient ID PT-100 already in the tracker"),
    (CYRILLIC_EX, "PT-200", f"case ID {CYRILLIC_EX} looks the same as the case ID EX-1 already in the tracker"),
    ("EX-2", "PT-1OO", "patient ID PT-1OO looks the same as the patient ID PT-100 already in the tracker"),
    ("EX-l", "PT-200", "case ID EX-l looks the same as the case ID EX-1 already in the tracker"),
])
def test_an_id_that_looks_like_a_stored_one_is_refused_naming_it(run, tmp_path, case_id, patient_id, said):
    good = case_dict("EX-GOOD", patient_id="PT-300", name="Good Id")
    copy_ = case_dict(case_id, patient_id=patient_id, name="Bo Other")
    code, out, err = run("import", _file(tmp_path, "copy", [good, copy_]))
    assert code == 2 and out == "", err
    assert "nothing was imported" in err and said in err
    assert f"case 2 (case_id {case_id})" in err
    assert run("case", "EX-GOOD")[0] != 0  # all or nothing


def test_two_new_ids_alike_in_one_file_are_refused(run, tmp_path):
    cases = [case_dict("EX-5", patient_id="PT-500", name="Cy One"),
             case_dict("\u0415\u0425-5", patient_id="PT-600", name="Cy Two")]
    code, out, err = run("import", _file(tmp_path, "both", cases))
    assert code == 2 and "case ID \u0415\u0425-5 looks the same as the case ID EX-5" in err, err
    assert run("case", "EX-5")[0] != 0


def test_the_stored_ids_and_ids_that_differ_visibly_go_through(run, tmp_path):
    same = case_dict("EX-1", patient_id="PT-100", name="Ann Able", visits=[{"date": "2026-05-01", "leg_nrs": 5}])
    code, out, err = run("import", _file(tmp_path, "same", [same]))  # an update of the stored case
    assert code == 0 and "1 updated" in out, err
    others = [case_dict("EX-11", patient_id="PT-101", name="Di Ffer"),  # one character more; another digit
              case_dict("\u0416\u0425-1", patient_id="PT-102", name="Zhe Ha")]  # ZHE has no Latin prototype
    code, out, err = run("import", _file(tmp_path, "others", others))
    assert code == 0 and "2 added" in out, err
