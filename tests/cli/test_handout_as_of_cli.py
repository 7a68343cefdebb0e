"""`handout` and the case as it stands today (red-team rt9 F2, F12, F4).

- F2: a medicine taken now at or below its maximum gets "keep taking your current dose", and
  the command names it on stderr (Neurontin label: reduce or stop gradually over at least a
  week).
- F12: ``--as-of`` is the date printed on the sheet. The red flags standing today decide the
  lead sheet (a flag recorded after ``--as-of`` still leads, and stderr says so); a date
  before the intake or after today is refused (exit 2, nothing written).
- F4: after a referral that acknowledges a cauda equina flag (NICE NG59, GIRFT pathway:
  emergency assessment), the emergency sheet still leads, and the command says a referral
  was recorded and why the sheet still leads; a later visit answering the questions "no"
  gives the routine handout.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

TODAY = dt.date(2026, 11, 28)
CES = resource_path("examples", "emergency_cauda_equina.json")  # intake 2026-11-21, CES flags
FEVER = resource_path("examples", "urgent_fever_at_follow_up_visit.json")  # intake 2026-10-01, fever 2026-11-12
ROUTINE = resource_path("examples", "routine_l5_acute.json")


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    data = tmp_path / "data"
    run = cli_runner(capsys, "--data-dir", str(data), fresh_output=True)
    for f in (CES, FEVER):
        assert run("import", str(f))[0] == 0
    return run


def test_the_command_names_the_medicine_kept_at_its_current_dose(run, tmp_path):
    d = json.loads(ROUTINE.read_text(encoding="utf-8"))
    d = copy.deepcopy(d)
    d["case_id"] = "EX-ON-GABAPENTIN"
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 3600}]  # the label maximum
    d["conditions"] = {**d.get("conditions", {}), "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    f = tmp_path / "gaba.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    assert run("import", str(f))[0] == 0
    out = tmp_path / "gaba.pdf"
    code, _, err = run("handout", "EX-ON-GABAPENTIN", "--out", str(out))
    assert code == 0
    assert "med_gabapentinoid: taken now (gabapentin 3600 mg a day); the sheet says to keep taking the current " \
           "dose as prescribed unless you change it, and not to stop it suddenly" in err
    text = _text(out)
    assert "keep taking gabapentin 3600 mg a day, as prescribed, unless your clinician changes it" in text
    assert "start 300 mg" not in text and "We start with a low dose" not in text
    es = tmp_path / "gaba-es.pdf"
    assert run("handout", "EX-ON-GABAPENTIN", "--lang", "es", "--out", str(es))[0] == 0
    assert "siga tomando gabapentina 3600 mg al día" in _text(es)


def test_as_of_before_a_red_flag_still_leads_with_it_and_says_so(run, tmp_path):
    out = tmp_path / "fever.pdf"
    code, _, err = run("handout", "EX-URGENT-FEVER-VISIT", "--as-of", "2026-11-11", "--out", str(out))
    assert code == 0
    assert "URGENT red flag standing" in err
    assert "the red flag recorded on 2026-11-12 stands today, although the sheet is dated 2026-11-11, before it; " \
           "the handout leads with \u201cYou need to be checked today" in err
    text = _text(out)
    assert "You need to be checked today" in text and "Will it get better" not in text
    assert "11 November 2026" in text  # the date printed is still the one asked for
    # on the flag's own day and after: the sheet leads, with no "before it" wording
    same = tmp_path / "same.pdf"
    code, _, err = run("handout", "EX-URGENT-FEVER-VISIT", "--as-of", "2026-11-12", "--out", str(same))
    assert code == 0 and "URGENT red flag standing" in err and "before it" not in err


@pytest.mark.parametrize("as_of, ok", [("2026-11-20", False), ("2026-11-21", True),  # the intake day
                                       ("2026-11-28", True), ("2026-11-29", False)])  # today, tomorrow
def test_as_of_from_the_intake_day_to_today_is_accepted_and_nothing_outside(run, tmp_path, as_of, ok):
    out = tmp_path / "ces.pdf"
    code, _, err = run("handout", "EX-EMERGENCY-CES", "--as-of", as_of, "--out", str(out))
    if ok:
        assert code == 0 and "Go to the emergency department now" in err and out.exists()
        return
    assert code == 2 and not out.exists()
    if as_of < "2026-11-21":
        assert f"--as-of {as_of} is before this case's intake (2026-11-21)" in err and "Nothing was written" in err
    else:
        assert f"--as-of {as_of} is after today (2026-11-28)" in err and "Nothing was written" in err


def test_a_referral_does_not_take_the_emergency_sheet_away_and_the_command_says_why(run, tmp_path):
    code, _, err = run("decide", "EX-EMERGENCY-CES", "--kind", "referred_for_surgical_opinion", "--date",
                       "2026-11-27", "--by", "Dr A", "--acknowledge-red-flags")
    assert code == 0, err
    out = tmp_path / "referred.pdf"
    code, _, err = run("handout", "EX-EMERGENCY-CES", "--out", str(out))
    assert code == 0
    assert "EMERGENCY red flag standing" in err
    assert "A referral for a surgical opinion was recorded on 2026-11-27; the emergency sheet still leads because " \
           "the red flag stands (a decision does not clear it; a later visit answering its questions \u201cno\u201d " \
           "does)" in err
    assert "Go to the nearest emergency department now" in _text(out)
    # a later visit answering the cauda equina questions "no": the routine handout, no referral note
    code, _, err = run("visit", "EX-EMERGENCY-CES", "--date", "2026-11-28", "--leg-nrs", "4",
                       "--red-flag", "saddle_anaesthesia=no", "urinary_retention_or_incontinence=no",
                       "faecal_incontinence_or_loss_of_rectal_sensation=no", "bilateral_leg_symptoms=no",
                       "new_sexual_dysfunction=no")
    assert code == 0, err
    cleared = tmp_path / "cleared.pdf"
    code, _, err = run("handout", "EX-EMERGENCY-CES", "--out", str(cleared))
    assert code == 0 and "red flag standing" not in err and "referral" not in err
    assert "Will it get better" in _text(cleared)
