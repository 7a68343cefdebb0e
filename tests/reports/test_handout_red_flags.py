"""A patient with a standing emergency or urgent red flag is not handed the routine,
reassuring handout (red-team rt8 F3).

Written from the sources, not from the code: NICE NG59 (recommendation 1.1.1: exclude
alternative diagnoses, the red flags) and the GIRFT national suspected cauda equina
pathway (suspected CES is an emergency: same-day emergency assessment and MRI) say these
patients need assessment now. A sheet that opens "Will it get better? Yes ... most people do
not need an operation" or "rarely a sign of something serious" contradicts that. The
examples name their tier (``emergency_*``, ``urgent_*``, ``routine_*``), so the expected
sheet comes from the example, not from the rule under test.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import replace

import pytest

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

CLINIC, CONTACT = "Riverside Health Centre", "0161 555 0134"
REASSURANCE = {  # what a red-flag patient must not read as the handout's message
    "en": ("Will it get better", "rarely a sign of something serious", "Most people do not need an operation"),
    "es": ("¿Se me va a pasar", "pocas veces es señal de algo grave", "Casi nadie necesita una operación"),
}


def _as_of(case) -> dt.date:
    return max([case.intake.visit_date, *(v.date for v in case.visits), *(d.date for d in case.decisions)])


def _request(case, **kw):
    return h.request_for_case(case, kw.pop("as_of", _as_of(case)), clinic_name=CLINIC, clinic_contact=CONTACT, **kw)


def _text(req, tmp_path) -> str:
    from pypdf import PdfReader

    out = tmp_path / "h.pdf"
    h.write_handout_pdf(req, out)
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("name", ["emergency_cauda_equina", "emergency_bilateral_side_answers_the_question",
                                  "emergency_infection_with_deficit", "emergency_mscc_cancer_with_radicular_pain",
                                  "emergency_infection_any_deficit"])
def test_an_emergency_patients_default_handout_is_the_emergency_sheet_alone(examples, name):
    req = _request(examples[name])
    assert req.sheets == ("emergency_now",)
    assert set(req.left_out) >= set(h.GENERAL_SHEETS)  # nothing routine printed behind it
    notice = h.red_flag_notice(req)
    assert notice.startswith("EMERGENCY red flag standing") and "Act on the red flag now" in notice


@pytest.mark.parametrize("name", ["urgent_foot_drop", "urgent_fracture_risk", "urgent_minor_trauma_over_50",
                                  "urgent_suspected_malignancy", "urgent_upper_motor_neurone_signs",
                                  "urgent_fever_at_follow_up_visit"])
def test_an_urgent_patients_default_handout_is_the_same_day_sheet(examples, name):
    req = _request(examples[name])
    assert req.sheets == ("urgent_today",)
    assert h.red_flag_notice(req).startswith("URGENT red flag standing")


def test_routine_patients_get_the_routine_handout_and_no_red_flag_sheet(examples):
    for name, case in examples.items():
        if not name.startswith("routine_"):
            continue
        try:
            req = _request(case, confirm_unrecognised=True)
        except UserError:
            continue  # e.g. a medicine sheet refused for its own reason
        assert not set(req.sheets) & set(hc.RED_FLAG_SHEETS.values()), name
        assert req.red_flags is None, name
        assert (h.red_flag_notice(req) is None) is (not req.ask_first), name  # only an incomplete screen is named
        assert set(h.GENERAL_SHEETS) <= set(req.sheets), name


@pytest.mark.parametrize("lang", hc.LANGUAGES)
def test_the_printed_emergency_handout_sends_the_patient_to_hospital_and_does_not_reassure(
        qapp_offscreen, examples, tmp_path, lang):
    case = examples["emergency_cauda_equina"]
    text = _text(_request(case, lang=lang, country="uk"), tmp_path)
    assert ("Go to the nearest A&E now" if lang == "en" else "Vaya ahora al servicio de urgencias") \
        in text
    assert "999" in text  # the clinic's country decides the number
    assert case.patient.name in text
    for phrase in REASSURANCE[lang]:
        assert phrase not in text, phrase
    routine = _text(_request(examples["routine_s1_follow_up_due"], lang=lang, country="uk"), tmp_path)
    assert all(phrase in routine for phrase in REASSURANCE[lang])  # the phrases are the sheets' own words


def test_named_sheets_still_follow_the_red_flag_sheet_and_a_wrong_one_is_refused(examples):
    ces = examples["emergency_cauda_equina"]
    req = _request(ces, sheets=["about_sciatica"])
    assert req.sheets == ("emergency_now", "about_sciatica")  # the clinician's choice, after it
    assert req.left_out == ()
    with pytest.raises(UserError, match="standing red flag is emergency"):
        _request(ces, sheets=["urgent_today"])
    with pytest.raises(UserError, match="no emergency or urgent red flag stands"):
        _request(examples["routine_s1_follow_up_due"], sheets=["emergency_now"])


def test_a_decision_does_not_take_the_instruction_away_but_a_visit_clearing_the_flag_does(examples):
    """Referring the patient acknowledges the flag for the worklist; the patient still has
    the signs, so the handout still says what to do. A later visit recording the signs as
    gone (answered "no") ends it."""
    ces = examples["emergency_cauda_equina"]
    day = _as_of(ces)
    referred = replace(ces, decisions=(*ces.decisions, Decision(
        date=day, kind="referred_for_surgical_opinion", by="Dr Demo",
        acknowledged_red_flags=tuple(h.standing_red_flags(ces, day).flags))))
    assert _request(referred, as_of=day).sheets == ("emergency_now",)
    cleared_flags = {code: "no" for code in ces.intake.red_flags}
    later = day + dt.timedelta(days=14)
    cleared = replace(ces, visits=(*ces.visits, FollowUpVisit(date=later, leg_nrs=3, red_flags=cleared_flags)))
    assert h.standing_red_flags(cleared, later) is None
    assert "emergency_now" not in _request(cleared, as_of=later).sheets


def test_an_incomplete_red_flag_screen_is_named_before_the_reassuring_handout_is_given(examples):
    """The cauda equina questions unanswered ("Ask red-flag questions"): NICE NG59 and the
    GIRFT pathway ask them at every assessment; the routine sheets' "Will it get better?
    Yes" assumes they were answered "no". The handout still prints (the warning-signs sheet
    is what the patient needs if a sign appears) but the clinician is told what to ask."""
    req = _request(examples["routine_ces_questions_unanswered"])
    notice = h.red_flag_notice(req)
    assert notice.startswith("red-flag screen incomplete: ask about") and "saddle numbness" in notice
    assert "warning_signs" in req.sheets
    assert h.red_flag_notice(_request(examples["routine_l5_acute"])) is None  # a complete screen: no note


# --------------------------------------------------------------------------- the case as it stands today (rt9 F12, F4)
def test_a_red_flag_recorded_after_the_sheets_date_still_leads_when_it_stands_today(examples):
    """Red-team rt9 F12: the sheet dated the day before the spinal-infection flag (visit of
    2026-11-12) was the routine, reassuring handout. The flags standing today decide."""
    fever = examples["urgent_fever_at_follow_up_visit"]
    before, flag_day, today = dt.date(2026, 11, 11), dt.date(2026, 11, 12), dt.date(2026, 11, 28)
    req = _request(fever, as_of=before, today=today)
    assert req.sheets == ("urgent_today",) and req.date == before  # the date printed is the one asked for
    notice = h.red_flag_notice(req)
    assert notice.startswith("URGENT red flag standing")
    assert (f"the red flag recorded on {flag_day.isoformat()} stands today, although the sheet is dated "
            f"{before.isoformat()}, before it") in notice
    on_the_day = h.red_flag_notice(_request(fever, as_of=flag_day, today=today))
    assert on_the_day.startswith("URGENT red flag standing") and "before it" not in on_the_day
    # without today (the window: the sheet is dated today) nothing changes
    assert _request(fever, as_of=today).sheets == ("urgent_today",)


def test_a_referral_is_named_and_the_emergency_sheet_still_leads(examples):
    """Red-team rt9 F4: the referral closes the case on the worklist; the handout, given to
    the patient, still leads with the emergency sheet, and the clinician is told why."""
    ces = examples["emergency_cauda_equina"]
    day = _as_of(ces) + dt.timedelta(days=1)
    flags = h.standing_red_flags(ces, day)
    assert h.decided_despite_flag(ces, flags, day) is None  # no decision yet: nothing to say
    assert "referral" not in h.red_flag_notice(_request(ces, as_of=day))
    for kind, words in (("referred_for_surgical_opinion", "A referral for a surgical opinion"),
                        ("resolved_discharged", "A decision that the case is resolved or discharged")):
        decided = replace(ces, decisions=(Decision(date=day, kind=kind, by="Dr Demo",
                                                   acknowledged_red_flags=tuple(flags.flags)),))
        req = _request(decided, as_of=day)
        assert req.sheets == ("emergency_now",)
        assert (f"{words} was recorded on {day.isoformat()}; the emergency sheet still leads because the red flag "
                "stands (a decision does not clear it; a later visit answering its questions \u201cno\u201d does)"
                ) in h.red_flag_notice(req)
    # a decision from before the flag was raised says nothing about it
    earlier = replace(ces, decisions=(Decision(date=ces.intake.visit_date - dt.timedelta(days=1),
                                               kind="continue_conservative_care", by="Dr Demo",
                                               until=day + dt.timedelta(days=30)),))
    assert h.decided_despite_flag(earlier, flags, day) is None
    # nor does one recorded the same day without acknowledging it (made before the flag came in)
    unaware = replace(ces, decisions=(Decision(date=ces.intake.visit_date, kind="continue_conservative_care",
                                               by="Dr Demo", until=day + dt.timedelta(days=30),
                                               acknowledged_red_flags=()),))
    assert h.decided_despite_flag(unaware, flags, day) is None
