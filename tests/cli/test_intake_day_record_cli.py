"""A record dated on the intake's own day: the case page and the summary call it what it is
(rt21 F9) and name the baseline it re-records (rt21 F5), on both engines.

Before: `case SA` listed "2026-10-01  follow-up  7 ..." under Visits, directly below "no scored
follow-up visit since baseline"; the summary listed it without a kind. And a leg pain
re-recorded that day changed neither the status nor a word on the page. The rule
(``visits.SAME_DAY_TREND``): a visit on the intake's day is not a follow-up; of two records of
one day the later's scores stand for that day, so they are the baseline.

Boundaries: a visit on the intake's day (its kind says so), one the day after (a follow-up);
a same-day visit with another score (the baseline line) and with the same (no line).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.summary import SummaryRequest, summary_html

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

D = dt.timedelta
START = ANCHOR - D(days=61)


def _cases() -> list[dict]:
    return [
        case_dict("SA", care_start=START, leg=7, odi=38.0, visits=[{"date": START, "leg_nrs": 7, "odi_percent": 38.0}]),
        case_dict("SC", care_start=START, leg=7, odi=38.0, visits=[{"date": START, "leg_nrs": 3},
                                                                   {"date": START + D(days=35), "leg_nrs": 3}]),
        case_dict("SN", care_start=START, leg=7, odi=38.0, visits=[{"date": START + D(days=1), "leg_nrs": 7}]),
    ]


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    go = cli_runner(capsys, *target)
    assert go("import", write_json(tmp_path, _cases(), "cases.json"))[0] == 0
    return go


def _visit_lines(out: str) -> list[str]:
    block = out.split("\nVisits\n", 1)[1].split("\nDecisions\n", 1)[0]
    return [line for line in block.splitlines()[1:] if line.strip()]


def test_a_visit_on_the_intakes_day_is_not_called_a_follow_up(run):
    code, out, _ = run("case", "SA")
    assert code == 0
    assert "no scored follow-up visit since baseline" in out
    lines = _visit_lines(out)
    assert lines[0].split()[:2] == [START.isoformat(), "baseline"]
    assert lines[1].split()[:3] == [START.isoformat(), "same", "day"]
    assert lines[1].endswith("same day as intake (not a follow-up)")
    assert "follow-up  " not in "\n".join(lines)
    assert "Baseline:" not in out  # the same scores again: the intake's baseline stands


def test_a_visit_the_day_after_is_a_follow_up(run):
    code, out, _ = run("case", "SN")
    assert code == 0
    lines = _visit_lines(out)
    assert lines[1].split()[:2] == [(START + D(days=1)).isoformat(), "follow-up"]
    assert "same day as intake" not in out


def test_the_case_page_names_the_re_recorded_baseline_and_the_worklist_measures_from_it(run):
    code, out, _ = run("case", "SC")
    assert code == 0
    assert "  Baseline: leg pain 7 at intake, re-recorded 3 the same day. The later record of a day stands" in out
    assert "NOT IMPROVING" in out.upper() and "decide about a surgical opinion" in out
    lines = _visit_lines(out)
    # rt22 F11 (changed on purpose): the superseded intake row is not labelled "baseline"
    assert [line.split()[1] for line in lines] == ["intake", "same", "follow-up"]
    code, table, _ = run("worklist", "--status", "all")
    [row] = [line for line in table.splitlines() if " SC " in f" {line} "]
    assert "3->3" in row and "not improving" in row


def test_the_summary_names_the_intake_day_visit_and_the_baseline():
    cases = {c["case_id"]: parse_case(c) for c in _cases()}
    html, _ = summary_html(SummaryRequest(cases["SC"], ANCHOR))
    # gp20 F11: the same-day record gives the leg pain the baseline is judged from, the intake its back pain and ODI
    assert f"{START.isoformat()} (baseline for leg pain) same day as intake (not a follow-up)" in html
    assert f"{START.isoformat()} intake, re-recorded the same day (baseline for back pain, ODI)" in html  # rt22 F11
    assert "Baseline: leg pain 7 at intake, re-recorded 3 the same day." in html
    assert "Trend against baseline: <b>not improving</b>" in html
    after, _ = summary_html(SummaryRequest(cases["SN"], ANCHOR))
    assert "same day as intake" not in after and "Baseline:" not in after


def test_the_visit_command_says_a_score_on_the_intakes_day_is_the_baseline(run):
    code, _, err = run("visit", "SN", "--date", START.isoformat(), "--leg-nrs", "4")
    assert code == 0
    assert "On the intake's day it is not a follow-up: its scores are the baseline Progress is judged from" in err
    code, _, err = run("visit", "SN", "--date", (START + D(days=1)).isoformat(), "--leg-nrs", "4")  # the day after
    assert code == 0 and "the baseline" not in err
    code, out, _ = run("case", "SN")
    assert "Baseline: leg pain 7 at intake, re-recorded 4 the same day." in out
