"""redflag31 (tryout31 D1) at the command line, on both engines.

A red-flag question answered "unknown" at a follow-up visit is not answered: the patient
cannot say now, so an earlier "no" no longer excludes it. For a cauda equina question
(saddle anaesthesia, bladder or bowel dysfunction, bilateral symptoms, sexual
dysfunction: NICE CKS Sciatica, red flags; resources/rules/red_flags.toml ``ask_now``)
the case must ask it now, as an "unknown" at intake does, on the visit's answer, the case
page, the worklist and its count. A later visit answering "no" clears it; a "yes"
escalates. An "unknown" for a question that is not a cauda equina one is noted (never
"no red flags") but is not an "ask now".

Before the fix ``visit EX-ROUTINE-L5 --red-flag saddle_anaesthesia=unknown`` answered
"Surgical review: Not due" and the worklist kept the case under Due.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import example_runner, worklist_row

TODAY = dt.date(2026, 12, 2)
CASE = "EX-ROUTINE-L5"  # every red flag answered "no" at the intake of 2026-11-19


@pytest.fixture
def run(target, capsys, monkeypatch):
    return example_runner(target, capsys, monkeypatch, TODAY, "routine_l5_acute.json")


def _row(run) -> dict:
    return worklist_row(run, CASE, TODAY)


def _visit(run, day: str, *flags: str) -> str:
    code, out, err = run("visit", CASE, "--date", day, "--leg-nrs", "7", *[a for f in flags for a in ("--red-flag", f)])
    assert code == 0, err
    return out


def test_unknown_saddle_numbness_at_a_visit_after_no_at_intake_asks_it_now(run):
    before = _row(run)["status"]
    assert before != "ask_red_flags"
    out = _visit(run, "2026-12-02", "saddle_anaesthesia=unknown")
    assert "Not due" not in out
    assert "Ask red-flag questions" in out and "saddle" in out.lower()
    row = _row(run)
    assert row["status"] == "ask_red_flags"
    assert "saddle" in json.dumps(row).lower()
    code, page, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    assert "ASK RED-FLAG QUESTIONS" in page.upper() and "red flags not known: saddle_anaesthesia" in page


def test_no_at_a_later_visit_clears_it(run):
    _visit(run, "2026-11-26", "saddle_anaesthesia=unknown")
    assert _row(run)["status"] == "ask_red_flags"
    out = _visit(run, "2026-12-02", "saddle_anaesthesia=no")
    assert "Ask red-flag questions" not in out
    assert _row(run)["status"] != "ask_red_flags"


def test_yes_at_a_visit_escalates(run):
    _visit(run, "2026-11-26", "saddle_anaesthesia=unknown")
    out = _visit(run, "2026-12-02", "saddle_anaesthesia=yes")
    assert "Surgical review: Immediate." in out
    assert _row(run)["status"] == "immediate"


def test_unknown_for_a_flag_that_is_not_cauda_equina_is_not_ask_now_nor_no(run):
    before = _row(run)["status"]
    _visit(run, "2026-12-02", "fever=unknown")
    assert _row(run)["status"] == before  # fever is not a question to ask now (not cauda equina)
    code, page, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    assert "red flags not known: fever" in page  # the visit row says it was not answered
