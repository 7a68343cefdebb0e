"""`visit` on a date the case already has a record of warns on stderr, and names a pregnancy that
differs within the day; it is saved all the same (two visits a day can be real), on both engines
(gp18 F4: a second 2026-11-30 visit put 31 weeks over the 29 recorded that morning, without a word).
The rule is ``domain.visits.records_on`` / ``same_day_pregnancy_change``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

INTAKE = ANCHOR - dt.timedelta(days=49)  # 22 weeks then: 29 weeks on ANCHOR


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    go = cli_runner(capsys, *target)
    d = case_dict("SD-1", care_start=INTAKE)
    d["patient"]["pregnancy_weeks"] = 22
    assert go("import", write_json(tmp_path, [d], "sd.json"))[0] == 0
    assert go("visit", "SD-1", "--date", ANCHOR.isoformat(), "--leg-nrs", "7", "--pregnant-weeks", "29")[0] == 0
    return go


def test_a_second_visit_that_day_is_warned_and_saved(run):
    code, out, err = run("visit", "SD-1", "--date", ANCHOR.isoformat(), "--leg-nrs", "6", "--pregnant-weeks", "31")
    assert code == 0 and "Visit of" in out and "(2 follow-up visits)" in out
    assert (f"warning: case SD-1 already has a visit of {ANCHOR.isoformat()} (leg pain 7/10, pregnant, 29 weeks): "
            "this visit is a second record of that day (saved).") in err
    assert (f"The pregnancy differs within the day: the visit of {ANCHOR.isoformat()} records pregnant, 29 weeks; "
            "this answer says pregnant, 31 weeks; ask her which is right.") in err


@pytest.mark.parametrize("options, warned, pregnancy", [
    (("--date", (ANCHOR - dt.timedelta(days=1)).isoformat(), "--leg-nrs", "6"), False, False),  # the day before
    (("--date", ANCHOR.isoformat(), "--leg-nrs", "6", "--pregnant-weeks", "29"), True, False),  # the same weeks
    (("--date", ANCHOR.isoformat(), "--leg-nrs", "6"), True, False),  # no pregnancy answer
    (("--date", INTAKE.isoformat(), "--leg-nrs", "6", "--pregnant-weeks", "23"), True, True),  # the intake's day
])
def test_boundaries(run, options, warned, pregnancy):
    code, out, err = run("visit", "SD-1", *options)
    assert code == 0
    assert ("already has" in err) is warned
    assert ("The pregnancy differs within the day" in err) is pregnancy
    if warned and options[1] == INTAKE.isoformat():
        assert f"already has the intake of {INTAKE.isoformat()} (leg pain 7/10, back pain 4/10, ODI 40%, pregnant, 22 weeks)" in err
