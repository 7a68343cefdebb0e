"""redflag36 (H-PATH-914, H-PATH-915): the ``handout`` command prints a routine next visit exactly when
the assessment suggests one (``monitoring.next_visit_decision``: the triage tier, and whether a referral
is awaited), whatever sheets are asked for.

Sources, as the triage data cites them (resources/rules/red_flags.toml): cauda equina is an emergency
(NICE CKS Sciatica red flags; GIRFT National Suspected CES Pathway 2023: "do not wait for the next
visit"); a progressive deficit is urgent, same day (Manchester spinal pathway, ACP 2011); night pain
alone does not raise the tier (NICE NG59 1.1.1, [notes]); the routine interval is the follow_up_interval
item's (seed summary 2: within 2 weeks at most at 65 or over). Ages 64 and 65.

* An emergency or urgent case printed with routine sheets only: the red-flag sheet is put first, no
  "Your next visit is on", and the clinician is told why on stderr.
* A case without a red flag: the emergency sheet ("you had signs that need a hospital check today") is
  refused as education, pointing to the warning-signs sheet; with that sheet the routine visit is
  printed, the date the assessment gives."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.reports.common import long_date

from helpers.cli_run import cli_runner, write_json
from helpers.pdf_text import pdf_words
from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case

FLAGS = {
    "emergency (cauda equina)": ({"saddle_anaesthesia": "yes"}, "emergency"),
    "urgent (progressive deficit)": ({"progressive_neurological_deficit": "yes"}, "urgent"),
    "soon/routine (night pain alone)": ({"night_or_rest_pain": "yes"}, "routine"),
    "no red flag": ({}, "routine"),
}
NEXT_VISIT = "Your next visit is on"


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)


def _imported(run, tmp_path, flags: dict, age: int) -> tuple[str, dict]:
    c = case(70, red_flags=flags)
    c["patient"]["age_years"] = age
    path = write_json(tmp_path, c, "case.json")
    code, _, err = run("import", path)
    assert code == 0, err
    code, out, err = run("assess", path, "--format", "json", "--as-of", TODAY.isoformat())
    assert code == 0, err
    return c["case_id"], json.loads(out)


@pytest.mark.parametrize("age", [64, 65])
@pytest.mark.parametrize("label", list(FLAGS))
def test_routine_sheets_only_print_the_assessments_next_visit(run, tmp_path, label, age):
    flags, tier = FLAGS[label]
    case_id, assessed = _imported(run, tmp_path, flags, age)
    assert assessed["triage"]["tier"] == tier
    out = tmp_path / "x.pdf"
    code, _, err = run("handout", case_id, "--sheets", "about_sciatica,follow_up", "--confirm-unrecognised",
                       "--out", str(out))
    assert code == 0, err
    text = pdf_words(out)
    suggested = assessed["monitoring"]["next_visit"]
    if tier == "routine":
        assert suggested is not None
        assert f"{NEXT_VISIT} {long_date(dt.date.fromisoformat(suggested), 'en')}" in text
        assert "no routine next visit is booked" not in err
    else:
        assert suggested is None
        assert NEXT_VISIT not in text
        assert f"note: an {tier} red flag stands: no routine next visit is booked" in err
        if tier == "emergency":
            assert text.index("Go to the emergency department now") < text.index("No routine visit is booked")


@pytest.mark.parametrize("age", [64, 65])
def test_the_emergency_sheet_is_not_education_and_the_routine_visit_stays(run, tmp_path, age):
    case_id, assessed = _imported(run, tmp_path, {}, age)
    out = tmp_path / "x.pdf"
    code, _, err = run("handout", case_id, "--sheets", "about_sciatica,emergency_now", "--out", str(out))
    assert code == 2 and not out.exists()
    assert "print 'warning_signs'" in err and "the routine next visit is kept" in err
    code, _, err = run("handout", case_id, "--sheets", "warning_signs,follow_up", "--out", str(out))
    assert code == 0, err
    text = pdf_words(out)
    assert f"{NEXT_VISIT} {long_date(dt.date.fromisoformat(assessed['monitoring']['next_visit']), 'en')}" in text
