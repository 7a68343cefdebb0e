"""`decide`, `visit` and `import` on a closed case while the same patient has another open case,
both engines (rt16 F2, H-FU-229; ``domain.episodes``).

rt16 F2 repro (/tmp/rt16/repro/f_open_case.sh): after OC-A was discharged and OC-F opened,
``decide OC-A --kind continue --until ...`` printed "Recorded ... Snoozed", exit 0: a second open
episode with no question and no audit mark; ``visit OC-A`` was accepted silently; a patient ID
``p-oc-1`` beside a stored ``P-OC-1`` was a new patient with no warning.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

D = dt.timedelta
UNTIL = (ANCHOR + D(days=20)).isoformat()


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _file(tmp_path: Path, name: str, cases: list[dict]) -> str:
    return write_json(tmp_path, cases, f"{name}.json")


@pytest.fixture
def two(run, tmp_path):
    closed = case_dict("OC-A", patient_id="P-OC-1", name="Ann Able", care_start=ANCHOR - D(days=180),
                       decisions=[{"date": ANCHOR - D(days=100), "kind": "resolved_discharged",
                                   "acknowledged_red_flags": []}])
    new = case_dict("OC-F", patient_id="P-OC-1", name="Ann Able", care_start=ANCHOR - D(days=10))
    code, out, err = run("import", _file(tmp_path, "two", [closed, new]))
    assert code == 0, err
    return run


def _status(run, case_id: str) -> str:
    code, out, err = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "json")
    assert code == 0, err
    return {row["case_id"]: row["status"] for row in json.loads(out)["rows"]}[case_id]


def test_decide_continue_on_the_closed_case_is_refused_naming_the_open_case(two):
    code, out, err = two("decide", "OC-A", "--kind", "continue", "--until", UNTIL, "--by", "dr.y")
    assert code == 2 and out == "", (out, err)
    intake = (ANCHOR - D(days=10)).isoformat()
    assert ("closed case OC-A would be re-opened: patient P-OC-1 already has an open case: case OC-F "
            f"(intake {intake}, status Not due)") in err
    assert "nothing was saved" in err and "--new-episode" in err
    assert _status(two, "OC-A") == "closed"


def test_decide_with_new_episode_says_so(two):
    code, out, err = two("decide", "OC-A", "--kind", "continue", "--until", UNTIL, "--by", "dr.y", "--new-episode")
    assert code == 0, err
    assert "Closed case re-opened as a new episode while the patient had an open case (kept in the audit): " \
           "open: OC-F" in out
    assert _status(two, "OC-A") == "snoozed"


def test_decide_closing_again_needs_no_flag(two):
    code, out, err = two("decide", "OC-A", "--kind", "referred", "--by", "dr.y")
    assert code == 0 and "re-opened" not in out, err


def test_visit_on_the_closed_case_warns_naming_the_open_case(two):
    code, out, err = two("visit", "OC-A", "--date", ANCHOR.isoformat(), "--leg-nrs", "8")
    assert code == 0 and "Visit of" in out, err
    assert err.startswith("warning: case OC-A is closed and patient P-OC-1 already has an open case: case OC-F")
    code, out, err = two("visit", "OC-F", "--date", ANCHOR.isoformat(), "--leg-nrs", "6")
    assert code == 0 and "warning" not in err, err  # the open case itself: nothing to say


def test_reimported_export_with_a_continue_added_is_refused(two, tmp_path):
    closed = case_dict("OC-A", patient_id="P-OC-1", name="Ann Able", care_start=ANCHOR - D(days=180),
                       decisions=[{"date": ANCHOR - D(days=100), "kind": "resolved_discharged",
                                   "acknowledged_red_flags": []},
                                  {"date": ANCHOR.isoformat(), "kind": "continue_conservative_care",
                                   "until": UNTIL, "acknowledged_red_flags": []}])
    code, out, err = two("import", _file(tmp_path, "again", [closed]))
    assert code == 2 and "closed case OC-A would be re-opened" in err and "import again with --new-episode" in err
    assert _status(two, "OC-A") == "closed"
    code, out, err = two("import", "--new-episode", _file(tmp_path, "again", [closed]))
    assert code == 0 and "1 updated" in out, err
    assert "Closed case re-opened as a new episode while the patient had an open case (kept in the audit): " \
           "case OC-A, patient P-OC-1; open: OC-F" in out


def test_a_patient_id_differing_only_in_capitals(run, tmp_path):
    old = case_dict("OC-A", patient_id="P-OC-1", name="Ann Able", care_start=ANCHOR - D(days=180),
                    decisions=[{"date": ANCHOR - D(days=100), "kind": "resolved_discharged",
                                "acknowledged_red_flags": []}])
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    new = case_dict("OC-B", patient_id="p-oc-1", name="Ann Able", care_start=ANCHOR - D(days=5))
    code, out, err = run("import", _file(tmp_path, "new", [new]))
    assert code == 0 and "1 added" in out, err
    assert "warning: patient p-oc-1 differs from stored patient P-OC-1 only in capitals" in err
    # now open: a third with other capitals is refused, naming OC-B
    third = case_dict("OC-C", patient_id="P-oc-1", name="Ann Able", care_start=ANCHOR - D(days=1))
    code, out, err = run("import", _file(tmp_path, "third", [third]))
    assert code == 2 and "new case OC-C: patient P-oc-1 already has an open case: case OC-B" in err
    # the same ID as stored: no warning
    closed = case_dict("OC-E", patient_id="Q-9", name="Bea Bee", care_start=ANCHOR - D(days=300),
                       decisions=[{"date": ANCHOR - D(days=200), "kind": "resolved_discharged",
                                   "acknowledged_red_flags": []}])
    assert run("import", _file(tmp_path, "q", [closed]))[0] == 0
    code, out, err = run("import", _file(tmp_path, "q2", [case_dict("OC-D", patient_id="Q-9", name="Bea Bee",
                                                                      care_start=ANCHOR - D(days=1))]))
    assert code == 0 and "1 added" in out and "only in capitals" not in err, err
