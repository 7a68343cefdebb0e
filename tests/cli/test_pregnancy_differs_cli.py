"""A pregnancy contradicted between one patient's cases is named on the command line (gp17 F5),
on both engines: `import` (a new episode saying "not pregnant" beside a case recording 33 weeks
the same day) warns on stderr and keeps it in the import's audit entry; `visit` warns and keeps
it in the visit's audit entry; `case`
warns on stderr and its JSON carries ``pregnancy_differs_between_cases``. Nothing is refused:
which answer is wrong is for the clinician to find. The rule is
``domain.episodes.pregnancy_contradictions`` (tests/domain/test_pregnancy_between_cases.py holds
its sources and boundaries)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.storage.pg.choose import open_store

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _file(tmp_path: Path, name: str, cases: list[dict]) -> str:
    return write_json(tmp_path, cases, f"{name}.json")


def _pregnant(case_id="EX-PREG", weeks=33, patient_id="Mia-2", day=ANCHOR):
    data = case_dict(case_id, patient_id=patient_id, name="Mia Example", care_start=day)
    data["patient"]["pregnancy_weeks"] = weeks
    return data


def _not_pregnant(case_id="EX-NEW", patient_id="mia-2", day=ANCHOR):
    data = case_dict(case_id, patient_id=patient_id, name="Mia Example", care_start=day)
    data["onset_date"] = (day - dt.timedelta(days=2)).isoformat()
    data["patient"]["pregnant"] = False
    return data


def _audited(target):
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        return [e.detail for e in store.audit() if e.action == "import"]


def test_a_new_episode_not_pregnant_beside_33_weeks_is_named_and_audited(run, target, tmp_path):
    assert run("import", _file(tmp_path, "first", [_pregnant()]))[0] == 0
    code, out, err = run("import", "--new-episode", _file(tmp_path, "again", [_not_pregnant()]))
    assert code == 0 and "1 added" in out, err
    assert (f"warning: The pregnancy differs between two cases of this patient: case EX-PREG records pregnant, "
            f"33 weeks at the intake of {ANCHOR.isoformat()}, so she was 33 weeks pregnant on {ANCHOR.isoformat()} "
            # sav21: the import's warning is the worklist's reading on the import's day (today), in its words
            "(today); case EX-NEW records her not pregnant that day") in err
    assert "(kept in the audit)" in err
    [item] = _audited(target)[-1]["pregnancy_differs_between_cases"]
    assert item == {"day": ANCHOR.isoformat(), "pregnant_case": "EX-PREG", "weeks": 33, "other_case": "EX-NEW",
                    "other_weeks": None, "cases": ["EX-NEW", "EX-PREG"]}
    # either case's JSON names it; the text output warns on stderr
    for case_id in ("EX-PREG", "EX-NEW"):
        code, out, err = run("case", case_id, "--format", "json", "--as-of", ANCHOR.isoformat())
        assert code == 0, err
        [said] = json.loads(out)["pregnancy_differs_between_cases"]
        assert (said["pregnant_case"], said["other_case"]) == ("EX-PREG", "EX-NEW")
        code, out, err = run("case", case_id, "--as-of", ANCHOR.isoformat())
        assert code == 0 and "warning: The pregnancy differs between two cases of this patient" in err


def test_a_re_import_names_it_no_more_and_agreeing_cases_never(run, target, tmp_path):
    assert run("import", _file(tmp_path, "first", [_pregnant()]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "again", [_not_pregnant()]))[0] == 0
    code, out, err = run("import", _file(tmp_path, "again", [_not_pregnant()]))  # unchanged
    assert code == 0 and "pregnancy differs" not in err
    # boundary: 29 weeks beside 33 on the same day is a dating revision (4 weeks), not a contradiction
    agree = _pregnant("EX-AGREE", weeks=29, patient_id="P-OTHER")
    other = _pregnant("EX-OTHER", weeks=33, patient_id="P-OTHER")
    other["onset_date"] = (ANCHOR - dt.timedelta(days=3)).isoformat()
    code, out, err = run("import", "--new-episode", _file(tmp_path, "agree", [other, agree]))
    assert code == 0 and "pregnancy differs" not in err, err
    code, out, err = run("case", "EX-AGREE", "--format", "json", "--as-of", ANCHOR.isoformat())
    assert "pregnancy_differs_between_cases" not in json.loads(out)


def test_a_visit_recording_not_pregnant_beside_the_other_case_warns(run, tmp_path):
    older = case_dict("EX-OLD", patient_id="Mia-2", name="Mia Example", care_start=ANCHOR - dt.timedelta(days=40))
    assert run("import", _file(tmp_path, "old", [older]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "preg", [_pregnant()]))[0] == 0
    code, out, err = run("visit", "EX-OLD", "--date", ANCHOR.isoformat(), "--not-pregnant")
    assert code == 0 and "Visit of" in out, err
    assert "warning: The pregnancy differs between two cases of this patient: case EX-PREG records pregnant" in err
    code, out, err = run("case", "EX-OLD", "--format", "json", "--as-of", ANCHOR.isoformat())
    [entry] = [a for a in json.loads(out)["audit"] if a["action"] == "visit_added"]
    [item] = entry["detail"]["pregnancy_differs_between_cases"]  # kept in the visit's audit entry
    assert (item["pregnant_case"], item["other_case"], item["weeks"]) == ("EX-PREG", "EX-OLD", 33)
    code, out, err = run("visit", "EX-OLD", "--date", ANCHOR.isoformat(), "--leg-nrs", "4")
    assert code == 0 and "pregnancy differs" not in err  # a visit not recording one: not said again


def test_two_cases_of_one_file_contradicting_each_other_are_named(run, target, tmp_path):
    """Within one import: the second episode of the file beside the first (no stored case)."""
    code, out, err = run("import", "--new-episode", _file(tmp_path, "both", [_pregnant(), _not_pregnant()]))
    assert code == 0 and "2 added" in out, err
    assert "warning: The pregnancy differs between two cases of this patient: case EX-PREG records pregnant" in err
    [item] = _audited(target)[-1]["pregnancy_differs_between_cases"]
    assert item["cases"] == ["EX-NEW", "EX-PREG"]


# --------------------------------------------------------------------------- gp18 F1
def _on_ibuprofen(data: dict) -> dict:
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    return data


def _pdf_words(path: Path) -> str:
    from helpers.pdf_text import pdf_words

    return pdf_words(path)


def test_the_not_pregnant_case_s_handout_and_summary_name_the_contradiction(run, tmp_path):
    """gp18 F1 (harm): case 1 records 33 weeks, the patient's other open case "not pregnant", both on
    ibuprofen. FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov):
    "We recommend avoiding NSAIDs in pregnant women at 20 weeks". The "not pregnant" case's sheet reads its own answer
    ("keep taking"); while the answers disagree, `handout` and `export summary` of either case warn
    on stderr, naming the other case's weeks, and the summary PDF prints it under Medicine safety.
    Nothing is refused and neither answer is assumed."""
    assert run("import", _file(tmp_path, "first", [_on_ibuprofen(_pregnant())]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "again", [_on_ibuprofen(_not_pregnant())]))[0] == 0
    day = ANCHOR.isoformat()
    code, out, err = run("handout", "EX-NEW", "--out", str(tmp_path / "new.pdf"), "--as-of", day)
    assert code == 0 and (tmp_path / "new.pdf").exists(), err
    assert ("warning: The pregnancy is not settled: case EX-NEW records her NOT pregnant, but case EX-PREG gives "
            f"33 weeks of pregnancy on {day} (today): this case's medicine advice is read as if she were not pregnant") in err
    assert "record the right answer at a visit on the case that is wrong" in err
    code, out, err = run("handout", "EX-PREG", "--out", str(tmp_path / "preg.pdf"), "--as-of", day)
    assert code == 0 and ("case EX-PREG gives 33 weeks of pregnancy on " f"{day} (today), but case EX-NEW records her "
                          "not pregnant") in err, err
    code, out, err = run("export", "summary", "EX-NEW", "--format", "pdf", "--out", str(tmp_path / "sum.pdf"), "--as-of", day)
    assert code == 0 and "warning: The pregnancy is not settled: case EX-NEW records her NOT pregnant" in err, err
    words = " ".join(_pdf_words(tmp_path / "sum.pdf").split())
    assert "Pregnancy differs between cases: The pregnancy is not settled: case EX-NEW records her NOT pregnant" in words


def test_no_warning_once_the_right_answer_is_recorded_or_for_another_patient(run, tmp_path):
    """The boundary: the answer recorded on the wrong case (a visit "not pregnant" → pregnant 33
    weeks) settles it and the handout no longer warns; a different patient's case never does."""
    assert run("import", _file(tmp_path, "first", [_on_ibuprofen(_pregnant())]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "again", [_on_ibuprofen(_not_pregnant())]))[0] == 0
    other = _on_ibuprofen(_not_pregnant("EX-ELSE", patient_id="P-ELSE"))
    assert run("import", _file(tmp_path, "else", [other]))[0] == 0
    day = ANCHOR.isoformat()
    code, out, err = run("handout", "EX-ELSE", "--out", str(tmp_path / "else.pdf"), "--as-of", day)
    assert code == 0 and "not settled" not in err, err
    assert run("visit", "EX-NEW", "--date", day, "--pregnant-weeks", "33")[0] == 0
    code, out, err = run("handout", "EX-NEW", "--out", str(tmp_path / "new.pdf"), "--as-of", day)
    assert code == 0 and "not settled" not in err, err
