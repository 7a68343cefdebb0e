"""Red-team rt13 F7, F2, F3 at the command line, on both engines.

* F7: a visit that records nothing (a date, or a date and a clinician) is refused by
  `visit` (options and --json) and `import` alike; anything seen or done (a score, a red-flag
  answer, a muscle grade, a treatment, imaging/advice, a note) makes it a record.
* F2: after a decision, a muscle graded weaker but still MRC 4 (or newly weak) is said, and
  the case is not re-raised; MRC 3 or less still makes it Immediate.
* F3: discharge or "patient declined" over unanswered cauda equina questions is refused
  (exit 2) naming them, unless --close-with-unanswered-red-flags, which the audit keeps;
  continue and referral are as before.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target)


def _import_example(run, name: str) -> None:
    code, _, err = run("import", str(resource_path("examples", name)))
    assert code == 0, err


def _case(run, case_id: str) -> dict:
    code, out, err = run("case", case_id, "--format", "json", "--as-of", TODAY.isoformat())
    assert code == 0, err
    return json.loads(out)


def _status(run, case_id: str) -> str:
    return _case(run, case_id)["review"]["status"]


# --------------------------------------------------------------------------- F7 empty visit
CASE = "EX-ROUTINE-S1-DUE"


@pytest.mark.parametrize("extra", [(), ("--clinician", "Dr Invented"), ("--notes", "   ")])
def test_visit_recording_nothing_is_refused_naming_what_to_record(run, extra):
    _import_example(run, "routine_s1_follow_up_due.json")
    before = _case(run, CASE)
    code, out, err = run("visit", CASE, "--date", "2026-11-28", *extra)
    assert code == 2 and out == ""
    assert "nothing was saved" in err and "nothing is recorded for this visit" in err.lower()
    assert "--leg-nrs" in err and "--red-flag" in err and "--power" in err and "--notes" in err
    after = _case(run, CASE)
    assert after["case"]["visits"] == before["case"]["visits"]
    assert after["review"]["status"] == before["review"]["status"]


def test_visit_json_with_only_a_date_is_refused(run, tmp_path):
    _import_example(run, "routine_s1_follow_up_due.json")
    visits = len(_case(run, CASE)["case"]["visits"])
    path = tmp_path / "visit.json"
    path.write_text(json.dumps({"date": "2026-11-28", "clinician": "Dr Invented"}), encoding="utf-8")
    code, out, err = run("visit", CASE, "--json", str(path))
    assert code == 2 and "nothing is recorded for this visit" in err.lower()
    assert len(_case(run, CASE)["case"]["visits"]) == visits


def test_import_of_a_visit_recording_nothing_is_refused_naming_its_date(run, tmp_path):
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["visits"].append({"date": "2026-11-28"})
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run("import", str(path))
    assert code == 2, (out, err)
    assert "2026-11-28" in err and "nothing is recorded for this visit" in err
    code, out, _ = run("worklist", "--status", "all", "--format", "json", "--as-of", TODAY.isoformat())
    assert CASE not in out  # nothing of the file was imported


@pytest.mark.parametrize("args", [
    ("--red-flag", "saddle_anaesthesia=no"),  # a re-screen by telephone is a record
    ("--power", "plantar_flexion=5"),
    ("--treatment", "nsaid"),
    ("--notes", "Seen; examination unchanged"),
    ("--no-imaging",),
    ("--rmdq", "9"),
])
def test_anything_seen_or_done_makes_a_visit_a_record(run, args):
    _import_example(run, "routine_s1_follow_up_due.json")
    visits = len(_case(run, CASE)["case"]["visits"])
    code, out, err = run("visit", CASE, "--date", "2026-11-28", *args)
    assert code == 0, err
    assert "Visit of 2026-11-28 added" in out
    assert len(_case(run, CASE)["case"]["visits"]) == visits + 1


# --------------------------------------------------------------------------- F2 weaker muscle, MRC 4
FOOT = "EX-URGENT-FOOTDROP"


def _continue(run):
    _import_example(run, "urgent_foot_drop.json")
    code, _, err = run("decide", FOOT, "--kind", "continue_conservative_care", "--until", "2027-01-20",
                       "--date", "2026-11-22", "--by", "Dr A", "--acknowledge-red-flags")
    assert code == 0, err
    assert _status(run, FOOT) == "snoozed"


def test_a_muscle_weaker_but_still_mrc_4_after_a_decision_is_said_not_raised(run):
    _continue(run)
    code, out, err = run("visit", FOOT, "--date", "2026-11-26", "--leg-nrs", "6",
                         "--power", "plantar_flexion=4", "knee_extension=4")
    assert code == 0, err
    assert ("Knee extension graded 4 (5 at the intake); plantar flexion graded 4 (5 at the intake): if the "
            "weakness is progressing, answer 'progressive neurological deficit'") in out
    assert "Surgical review: Review deferred until 2027-01-20 by Dr A." in out and "Snoozed" not in out
    assert _status(run, FOOT) == "snoozed"
    # the next visit compares with the grade standing from that visit
    code, out, err = run("visit", FOOT, "--date", "2026-11-27", "--leg-nrs", "6", "--power", "knee_extension=4")
    assert code == 0, err
    assert "graded 4" not in out


def test_a_newly_graded_weak_muscle_is_said_and_a_grade_unchanged_is_not(run):
    _continue(run)
    code, out, err = run("visit", FOOT, "--date", "2026-11-26", "--leg-nrs", "6",
                         "--power", "hip_flexion=4", "plantar_flexion=5")
    assert code == 0, err
    assert "Hip flexion graded 4 (not graded before)" in out and "plantar flexion" not in out.lower()


def test_mrc_3_after_a_decision_still_makes_the_case_immediate(run):
    _continue(run)
    code, out, err = run("visit", FOOT, "--date", "2026-11-26", "--leg-nrs", "6", "--power", "knee_extension=3")
    assert code == 0, err
    assert "graded 4" not in out and "Surgical review: Immediate" in out


# --------------------------------------------------------------------------- F3 closing over unanswered questions
CES = "EX-ROUTINE-CES-UNANSWERED"


@pytest.mark.parametrize("kind", ["resolved_discharged", "patient_declined"])
def test_closing_over_unanswered_cauda_equina_questions_is_refused_naming_them(run, kind):
    _import_example(run, "routine_ces_questions_unanswered.json")
    assert _status(run, CES) == "ask_red_flags"
    code, out, err = run("decide", CES, "--kind", kind, "--date", "2026-11-29", "--by", "Dr A")
    assert code == 2 and out == ""
    assert "not recorded" in err and "Saddle" in err and "sexual" in err.lower()
    assert "Urinary" not in err  # answered "no": not named
    assert "--close-with-unanswered-red-flags" in err
    data = _case(run, CES)
    assert data["case"].get("decisions", []) == [] and data["review"]["status"] == "ask_red_flags"


def test_closing_confirmed_is_recorded_said_and_audited(run):
    _import_example(run, "routine_ces_questions_unanswered.json")
    code, out, err = run("decide", CES, "--kind", "resolved_discharged", "--date", "2026-11-29", "--by", "Dr A",
                         "--close-with-unanswered-red-flags")
    assert code == 0, err
    assert "Closed with these cauda equina questions unanswered (kept in the audit)" in out and "Saddle" in out
    data = _case(run, CES)
    assert data["review"]["status"] == "closed"
    entry = [a for a in data["audit"] if a["action"] == "decision_recorded"][-1]
    assert entry["detail"]["closed_with_unanswered_red_flags"] == ["new_sexual_dysfunction", "saddle_anaesthesia"]


@pytest.mark.parametrize("args", [("--kind", "continue_conservative_care", "--until", "2027-01-10"),
                                  ("--kind", "referred_for_surgical_opinion")])
def test_continue_and_referral_need_no_confirmation(run, args):
    _import_example(run, "routine_ces_questions_unanswered.json")
    code, out, err = run("decide", CES, *args, "--date", "2026-11-29")
    assert code == 0, err
    entry = [a for a in _case(run, CES)["audit"] if a["action"] == "decision_recorded"][-1]
    assert "closed_with_unanswered_red_flags" not in entry["detail"]


def test_once_answered_no_the_case_closes_without_confirmation(run):
    _import_example(run, "routine_ces_questions_unanswered.json")
    code, _, err = run("visit", CES, "--date", "2026-11-28", "--red-flag", "saddle_anaesthesia=no",
                       "new_sexual_dysfunction=no")
    assert code == 0, err
    code, out, err = run("decide", CES, "--kind", "resolved_discharged", "--date", "2026-11-29")
    assert code == 0, err and "unanswered" not in out
    # a decision dated before the answers met the questions unanswered: still refused
    code, _, err = run("decide", CES, "--kind", "patient_declined", "--date", "2026-11-27")
    assert code == 2 and "Saddle" in err
