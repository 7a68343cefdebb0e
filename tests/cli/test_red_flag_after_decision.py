"""Red-team rt6 F1, as a clinician would meet it at the command line, on both engines: a red
flag raised at a visit entered after a decision (the same day, or dated the day before) is
Immediate until a decision names it; `visit`, `case`, `worklist` and `decide` agree.

README (Follow-up visits): "once the visit is saved the worklist shows the case as Immediate
until a decision is recorded". A decision recorded before the visit existed cannot have
acknowledged it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.pg.choose import open_store

TODAY = dt.date(2026, 11, 29)  # the example's review window is open on this day
CASE = "EX-ROUTINE-S1-DUE"
CES = ("saddle_anaesthesia=yes", "urinary_retention_or_incontinence=yes")


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path, monkeypatch) -> list[str]:
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    if request.param == "postgresql":
        return ["--server", request.getfixturevalue("pg_database")()]
    return ["--data-dir", str(tmp_path / "data")]


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = cli.main([*target, *args])
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, _, err = run("import", str(resource_path("examples", "routine_s1_follow_up_due.json")))
    assert code == 0, err
    return run


def _worklist(run) -> dict:
    code, out, err = run("worklist", "--status", "all", "--as-of", TODAY.isoformat(), "--format", "json")
    assert code == 0, err
    return {r["case_id"]: r for r in json.loads(out)["rows"]}


def _stored_decisions(target) -> list[dict]:
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        return [{"kind": d.kind, "acknowledged_red_flags": d.acknowledged_red_flags}
                for d in store.get_case(CASE).decisions]


@pytest.mark.parametrize("visit_day", [TODAY, TODAY - dt.timedelta(days=1)], ids=["same-day", "backdated"])
def test_a_red_flag_visit_entered_after_a_decision_is_immediate_everywhere(run, target, visit_day):
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", "2027-01-10")
    assert code == 0, err
    assert "Surgical review: Snoozed" in out
    assert _stored_decisions(target) == [{"kind": "continue_conservative_care", "acknowledged_red_flags": ()}]

    code, out, err = run("visit", CASE, "--date", visit_day.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    assert code == 0, err
    assert "Surgical review: Immediate" in out and "Snoozed" not in out
    assert "a new decision is needed" in out

    code, out, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    assert "Surgical review as of 2026-11-29: IMMEDIATE" in out and "Snoozed" not in out
    assert "standing since" in out and "a new decision is needed" in out
    row = _worklist(run)[CASE]
    assert row["status"] == "immediate"

    # decide agrees: closing or pausing still asks for the acknowledgement of that flag
    code, out, err = run("decide", CASE, "--kind", "patient_declined")
    assert code == 2 and "EMERGENCY" in err and "not recorded" in err
    assert _worklist(run)[CASE]["status"] == "immediate"

    # a decision naming it, the same day, clears it: the case takes that decision's status
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", "2027-01-10",
                         "--acknowledge-red-flags")
    assert code == 0, err
    assert "Surgical review: Snoozed" in out
    assert _worklist(run)[CASE]["status"] == "snoozed"
    assert _stored_decisions(target)[-1] == {"kind": "continue_conservative_care",
                                             "acknowledged_red_flags": ("saddle_anaesthesia",
                                                                        "urinary_retention_or_incontinence")}
    # the case lists what each decision acknowledged (the first one: nothing)
    code, out, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    decisions = out.split("\nDecisions\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(decisions) == 2 and "acknowledged" not in decisions[0]
    assert "(red flags acknowledged: Saddle" in decisions[1] and "urin" in decisions[1].lower()


def test_a_referral_names_the_flags_it_acts_on_and_closes_the_case(run, target):
    code, _, err = run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    assert code == 0, err
    assert _worklist(run)[CASE]["status"] == "immediate"
    code, out, err = run("decide", CASE, "--kind", "referred_for_surgical_opinion")
    assert code == 0, err
    assert "Surgical review: Closed" in out
    assert _worklist(run)[CASE]["status"] == "closed"
    assert _stored_decisions(target)[-1]["acknowledged_red_flags"] == ("saddle_anaesthesia",
                                                                      "urinary_retention_or_incontinence")


def test_a_decision_retried_with_its_write_key_is_the_same_record(run, target):
    """The write-key digest covers what the decision acknowledged: the same command run again
    (nothing changed meanwhile) is "already saved"."""
    key = "0b7e6a52-1c3d-4f8e-9a21-5d6c7e8f9a10"
    run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    args = ("decide", CASE, "--kind", "declined", "--acknowledge-red-flags", "--write-key", key)
    code, out, err = run(*args)
    assert code == 0, err
    code, out, err = run(*args)
    assert code == 0 and "Already saved" in out, err
    assert len(_stored_decisions(target)) == 1
