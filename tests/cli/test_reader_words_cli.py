"""What the command line prints for a reader says what the window says (sn16).

1. A paused review: `case` (text), `decide` and `visit` said "Snoozed", the worklist's filter
   word, to whoever reads the printout. Now they say "Review deferred until <date> by <who>"
   (followup.status_for_reader, the words of the referral summary and the FHIR export); the
   machine values are unchanged: `case --format json` keeps review.status "snoozed" and
   label "Snoozed", the worklist JSON its "snoozed" status (documented in docs/csv-columns.md).
   Boundaries: the day before the until date, the until date, the day after.
2. A cauda equina question answered Unknown: `assess` and `case` printed "Ask now: ..." without
   saying that cauda equina syndrome has not been excluded, which the window said. The rule
   data's action now leads with it (resources/rules/red_flags.toml [ask_now] lead; NICE CKS
   Sciatica, interpreting red flags: "Red flags should be explicitly looked for. For example,
   the person may not report symptoms such as perineal numbness unless asked.").
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

CASE = "EX-ROUTINE-S1-DUE"
UNTIL = dt.date(2027, 1, 10)
DECIDED = dt.date(2026, 11, 29)
WORDS = "Review deferred until 2027-01-10 by Dr Ames"
LEAD = "Cauda equina syndrome has not been excluded. Ask now:"


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: DECIDED)
    run = cli_runner(capsys, "--data-dir", str(tmp_path / "data"))
    code, _, err = run("import", str(resource_path("examples", "routine_s1_follow_up_due.json")))
    assert code == 0, err
    return run


def _decide(run):
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", UNTIL.isoformat(),
                         "--date", DECIDED.isoformat(), "--by", "Dr Ames")
    assert code == 0, err
    return out


def test_decide_and_visit_confirm_a_paused_review_in_a_readers_words(run):
    out = _decide(run)
    assert f"Surgical review: {WORDS}." in out and "Snoozed" not in out
    code, out, err = run("visit", CASE, "--date", DECIDED.isoformat(), "--leg-nrs", "5")
    assert code == 0, err
    assert f"Surgical review: {WORDS}." in out and "Snoozed" not in out


@pytest.mark.parametrize("as_of, deferred", [(UNTIL - dt.timedelta(days=1), True), (UNTIL, False),
                                             (UNTIL + dt.timedelta(days=1), False)],
                         ids=["day-before", "until-date", "day-after"])
def test_case_prints_review_deferred_and_its_json_keeps_the_machine_values(run, as_of, deferred):
    _decide(run)
    code, out, err = run("case", CASE, "--as-of", as_of.isoformat())
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("Surgical review as of"))
    assert "Snoozed" not in out and "SNOOZED" not in out
    if deferred:
        assert line == f"Surgical review as of {as_of.isoformat()}: {WORDS}"
    else:
        assert "deferred" not in line and line.split(": ", 1)[1].isupper()  # the clock's own status, in capitals
    code, out, err = run("case", CASE, "--as-of", as_of.isoformat(), "--format", "json")
    assert code == 0, err
    review = json.loads(out)["review"]
    assert (review["status"], review["label"] == "Snoozed") == (("snoozed", True) if deferred
                                                                 else (review["status"], False))
    code, out, err = run("worklist", "--status", "all", "--as-of", as_of.isoformat(), "--format", "json")
    assert code == 0, err
    row = next(r for r in json.loads(out)["rows"] if r["case_id"] == CASE)
    assert (row["status"] == "snoozed") is deferred


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_assess_says_not_excluded_for_an_unknown_cauda_equina_answer(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    run = cli_runner(capsys)
    path = resource_path("examples", "routine_ces_questions_unanswered.json")
    code, out, err = run("assess", str(path), "--as-of", "2026-11-21", "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out)
        data = data[0] if isinstance(data, list) else data
        actions = [a["text"] for a in data["triage"]["actions"]]
        assert actions[0].startswith(LEAD)
    else:
        flat = " ".join(out.split())
        assert LEAD in flat and "if any is yes, this is an emergency" in flat


def test_case_of_an_unknown_cauda_equina_answer_says_not_excluded(run):
    code, _, err = run("import", str(resource_path("examples", "routine_ces_questions_unanswered.json")))
    assert code == 0, err
    code, out, err = run("case", "EX-ROUTINE-CES-UNANSWERED", "--as-of", DECIDED.isoformat())
    assert code == 0, err
    assert LEAD in " ".join(out.split())
