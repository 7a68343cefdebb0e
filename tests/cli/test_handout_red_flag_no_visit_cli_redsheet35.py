"""redsheet35 (H-UI-543): `handout` books no routine visit by default while an emergency or urgent
red flag stands and no referral is recorded (the red-flag rules' actions are for now or the same day,
resources/rules/red_flags.toml: GIRFT CES 2023, NICE NG234, ACP 2011; window35's assessment gives no
next visit then, H-FU-913). A routine sheet asked for by name prints no "Your next visit is on ..."
(EN, ES) but sends the patient to the red-flag sheet first, and the clinician is told on stderr; a
routine case keeps its date; a date given with --next-visit is printed."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words

#: the examples' own dates (their red flags were raised on or before it)
TODAY = dt.date(2026, 11, 30)
CASES = {"EX-EMERGENCY-CES": "emergency_cauda_equina", "EX-URGENT-FOOTDROP": "urgent_foot_drop",
         "EX-ROUTINE-L5": "routine_l5_acute"}
NEXT_VISIT = {"en": "Your next visit is on", "es": "Su próxima cita es el"}
NO_VISIT = {"en": "No routine visit is booked here yet", "es": "Todavía no tiene una cita de control aquí"}


_text = pdf_words


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)
    for name in CASES.values():
        assert run("import", str(resource_path("examples", f"{name}.json")))[0] == 0
    return run


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("case_id", list(CASES))
def test_no_routine_visit_is_printed_while_a_red_flag_stands(run, tmp_path, case_id, lang):
    out = tmp_path / "x.pdf"
    code, _, err = run("handout", case_id, "--lang", lang, "--sheets", "follow_up,warning_signs",
                       "--confirm-unrecognised", "--out", str(out))
    assert code == 0, err
    text = _text(out)
    if case_id == "EX-ROUTINE-L5":  # the boundary: no red flag, the routine date as before
        assert NEXT_VISIT[lang] in text and NO_VISIT[lang] not in text
        assert "no routine next visit is booked" not in err
        return
    assert NEXT_VISIT[lang] not in text
    assert NO_VISIT[lang] in text
    tier = "emergency" if "EMERGENCY" in case_id else "urgent"
    assert f"note: an {tier} red flag stands: no routine next visit is booked" in err
    if lang == "en" and tier == "emergency":
        assert text.index("Go to the emergency department now") < text.index(NO_VISIT["en"])


def test_a_next_visit_given_on_purpose_is_printed(run, tmp_path):
    out = tmp_path / "x.pdf"
    code, _, err = run("handout", "EX-EMERGENCY-CES", "--next-visit", "2026-12-01", "--sheets", "follow_up",
                       "--out", str(out))
    assert code == 0, err
    text = _text(out)
    assert "Your next visit is on 1 December 2026" in text and NO_VISIT["en"] not in text
    assert "no routine next visit is booked" not in err
