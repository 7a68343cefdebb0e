"""rt12 F2 and F11 at the command line, on both engines.

F2: a closing or pausing decision acknowledging the cauda equina flags, then a visit ON THE
SAME DAY answering them "yes" again: README ("red flag reported again") says the case is
Immediate until a decision is recorded after that visit. `visit` says Immediate (never
"Closed"), and `worklist` agrees.

F11: `decide --until` more than one year after the decision date is refused with the limit
and why (README, "Decisions"); one year exactly is accepted.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import example_runner, worklist_status

TODAY = dt.date(2026, 11, 30)
DAY = "2026-11-25"
CASE = "EX-EMERGENCY-CES"
CES = ("saddle_anaesthesia=yes", "urinary_retention_or_incontinence=yes")


@pytest.fixture
def run(target, capsys, monkeypatch):
    return example_runner(target, capsys, monkeypatch, TODAY, "emergency_cauda_equina.json")


def _status(run) -> str:
    return worklist_status(run, CASE, TODAY)


@pytest.mark.parametrize("kind, until", [("resolved_discharged", None), ("patient_declined", None),
                                         ("continue_conservative_care", "2027-01-20")])
def test_a_same_day_visit_reporting_cauda_equina_again_is_immediate(run, kind, until):
    # the example leaves two cauda equina questions unanswered: closing it is confirmed (rt13 F3)
    confirm = ["--close-with-unanswered-red-flags"] if until is None else []
    code, out, err = run("decide", CASE, "--kind", kind, *(["--until", until] if until else []), "--date", DAY,
                         "--by", "Dr A", "--acknowledge-red-flags", *confirm)
    assert code == 0, err
    assert _status(run) != "immediate"
    code, out, err = run("visit", CASE, "--date", DAY, "--leg-nrs", "8", *[a for f in CES for a in ("--red-flag", f)])
    assert code == 0, err
    assert "Surgical review: Immediate." in out
    assert ("standing since 2026-11-25: reported at a visit entered after the decision of 2026-11-25; "
            "a new decision is needed") in out
    assert "Closed" not in out and "Snoozed" not in out
    assert _status(run) == "immediate"
    # a decision recorded now (after the visit), acknowledging them, stands for them
    code, out, err = run("decide", CASE, "--kind", kind, *(["--until", until] if until else []), "--date", DAY,
                         "--by", "Dr A", "--acknowledge-red-flags", *confirm)
    assert code == 0, err
    assert _status(run) != "immediate"


@pytest.mark.parametrize("until, accepted", [("2027-11-25", True),    # one year after the decision
                                             ("2027-11-26", False),   # a day more
                                             ("2036-11-01", False)])  # rt12 F11: a slip of the year
def test_decide_until_more_than_a_year_ahead_is_refused(run, until, accepted):
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", until, "--date", DAY,
                         "--by", "Dr A", "--acknowledge-red-flags")
    if accepted:
        assert code == 0, err
        assert f"until {until}" in out
        return
    assert code != 0
    assert "more than one year after the decision of 2026-11-25" in err
    assert "latest 2026-11-25" not in err and "latest 2027-11-25" in err
    assert "worklist" in err  # why: it would keep the case off the worklist
    code, out, err = run("case", CASE, "--format", "json")
    assert json.loads(out)["case"].get("decisions") in (None, [])  # nothing recorded
