"""path34 (H-FU-912, tryout33 F7): after a referral for a surgical opinion the pathway books no
routine next visit, so the patient's sheets never print one the app made up ("Your next visit is on
17 December 2026", four times). They say what the pathway says: no routine visit is booked here, the
patient is waiting for the surgical opinion, call sooner if worse, and do not wait if a warning sign
starts, in English and Spanish. Boundaries: a date the clinician gives is printed; no referral, or a
referral followed by "continue conservative care", prints the suggested visit as before."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided

REFERRED_ON = TODAY - dt.timedelta(days=5)
REFERRAL = decided("referred_for_surgical_opinion", date=REFERRED_ON.isoformat())
#: the sheets with a "next visit" paragraph (the extra-care sheet is printed at 65 or over)
VISIT_SHEETS = ("warning_signs", "exercise_plan", "follow_up", "extra_care")
NEXT = {"en": "Your next visit is on", "es": "Su próxima cita es el"}
AWAITING = {"en": "No routine visit is booked here: you are waiting for a surgical opinion",
            "es": "No tiene una cita de control aquí: está esperando la opinión de cirugía"}


def _text(c: dict, lang: str, **more) -> tuple[h.HandoutRequest, str]:
    req = h.request_for_case(parse_case(c), TODAY, clinic_name="Riverside", clinic_contact="555 0100", lang=lang,
                             sheets=list(VISIT_SHEETS), **more)
    return req, "\n".join(t for s in h.filled_sheets(req) for t in s.texts())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_after_a_referral_no_sheet_invents_a_next_visit(lang):
    req, text = _text(case(70, decisions=[REFERRAL]), lang)
    assert req.next_follow_up_date is None and req.awaiting_opinion == REFERRED_ON
    assert NEXT[lang] not in text
    assert text.count(AWAITING[lang]) == len(VISIT_SHEETS)  # each sheet that named a visit says the wait
    if lang == "en":
        assert "call Riverside on 555 0100: you may need to be seen sooner" in text
        assert 'do not wait for that appointment: do straight away what the sheet called "Warning signs" says' in text
        assert "Do not wait for that appointment if any sign on this sheet starts." in text
    assert "{" not in text  # every placeholder filled, none left empty-handed
    notice = h.awaiting_opinion_notice(req)
    assert notice.startswith(f"referred for a surgical opinion on {REFERRED_ON.isoformat()}: no routine next visit")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_date_the_clinician_gives_is_printed_after_a_referral(lang):
    booked = TODAY + dt.timedelta(days=9)
    req, text = _text(case(70, decisions=[REFERRAL]), lang, next_follow_up=booked)
    assert req.next_follow_up_date == booked and req.awaiting_opinion is None
    assert text.count(f"{NEXT[lang]} {h.long_date(booked, lang)}") == len(VISIT_SHEETS)
    assert AWAITING[lang] not in text
    assert h.awaiting_opinion_notice(req) is None


@pytest.mark.parametrize("decisions", [
    [],
    [REFERRAL, decided("continue_conservative_care", date=TODAY.isoformat(),
                       until=(TODAY + dt.timedelta(days=21)).isoformat())],
], ids=["no-referral", "referral-then-continue"])
def test_without_a_referral_awaited_the_suggested_visit_is_printed(decisions):
    req, text = _text(case(70, decisions=decisions), "en")
    assert req.next_follow_up_date is not None and req.awaiting_opinion is None
    assert text.count(f"Your next visit is on {h.long_date(req.next_follow_up_date)}") == len(VISIT_SHEETS)
    assert "No routine visit is booked" not in text


def test_a_sheet_printing_the_next_visit_must_say_what_follows_a_referral():
    """The format refuses a section printing {next_follow_up_date} with no awaiting_opinion paragraphs."""
    data = {"id": "follow_up", "title": "T", "audience": "patient", "lang": "en", "reviewed": dt.date(2026, 12, 3),
            "sources": ["nice-ng59"],
            "sections": [{"heading": "Your next visit", "paragraphs": ["Your next visit is on {next_follow_up_date}."]}]}
    with pytest.raises(hc.HandoutFormatError, match="need awaiting_opinion"):
        hc.parse_sheet(data)
    data["sections"][0]["awaiting_opinion"] = ["No routine visit is booked here."]
    # redsheet35: and what it says while a red flag stands without a referral (H-UI-542)
    with pytest.raises(hc.HandoutFormatError, match="awaiting_opinion and red_flag_now go together"):
        hc.parse_sheet(data)
    data["sections"][0]["red_flag_now"] = ["No routine visit is booked here yet."]
    # sheets36 (H-FMT-909): and the heading printed above it, never "Your next visit"
    with pytest.raises(hc.HandoutFormatError, match="red_flag_now and red_flag_now_heading go together"):
        hc.parse_sheet(data)
    data["sections"][0]["red_flag_now_heading"] = "Next steps"
    assert hc.parse_sheet(data).sections[0].awaiting_opinion == ("No routine visit is booked here.",)
    assert hc.parse_sheet(data).sections[0].red_flag_now == ("No routine visit is booked here yet.",)
