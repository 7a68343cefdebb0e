"""A same-day "no" does not clear a red flag answered "yes" on that date without an explicit
correction (tryout36 F1; hazards H-FU-918, H-FU-919): one rule in ``domain.followup`` that the
command line's ``visit``, the window's visit dialog and ``import`` apply.

Why the yes stands: NICE NG59 (Low back pain and sciatica in over 16s, 1.1 "Assessment":
red flags explicitly looked for; suspected cauda equina syndrome warrants immediate
admission) and the GIRFT national suspected cauda equina pathway (2023: any one of
saddle anaesthesia, sphincter disturbance, bilateral symptoms is an emergency referral),
as cited by resources/rules/red_flags.toml (sources "nice-ng59", "girft-ces"). Two records
of one day carry no order (rt14 F4), so a "no" of that day cannot be taken as the later answer;
a "no" at a LATER visit is a re-screen and clears the flag (unchanged)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import (red_flag_correction_note, red_flag_noes_against_yes,
                                                   red_flag_tier, same_day_red_flag_noes,
                                                   same_day_red_flag_refusal, with_red_flag_correction)
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import Tier

DAY = dt.date(2026, 12, 3)
CES = ("saddle_anaesthesia", "urinary_retention_or_incontinence", "faecal_incontinence_or_loss_of_rectal_sensation",
       "bilateral_leg_symptoms", "new_sexual_dysfunction")


def _case(flags: dict, visits=(), day: dt.date = DAY) -> object:
    answers = {q: "no" for q in CES + ("fever", "history_of_cancer", "night_or_rest_pain")}
    answers.update(flags)
    return parse_case({
        "format_version": 1, "case_id": "SD-1", "patient": {"id": "P-SD", "name": "Invented", "age_years": 44,
                                                            "sex": "female"},
        "onset_date": (day - dt.timedelta(days=7)).isoformat(), "visit_date": day.isoformat(),
        "care_start_date": day.isoformat(), "side": "left", "regions": ["buttock", "lateral_leg"],
        "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": answers, "visits": list(visits)})


def _no(flag: str, day: dt.date = DAY) -> FollowUpVisit:
    return FollowUpVisit(date=day, red_flags={flag: "no"})


def test_the_triage_data_gives_the_tiers_the_tests_use():
    # resources/rules/red_flags.toml: cauda equina EMERGENCY (NICE NG59, GIRFT), infection URGENT,
    # night pain alone does not raise the tier
    assert red_flag_tier("saddle_anaesthesia") == Tier.EMERGENCY
    assert red_flag_tier("fever") == Tier.URGENT
    assert red_flag_tier("night_or_rest_pain") == Tier.ROUTINE


@pytest.mark.parametrize("flag, tier", [("saddle_anaesthesia", "EMERGENCY"),
                                        ("faecal_incontinence_or_loss_of_rectal_sensation", "EMERGENCY"),
                                        ("fever", "URGENT")])
def test_same_day_no_against_an_intake_yes_is_refused_naming_the_tier(flag, tier):
    case = _case({flag: "yes"})
    assert same_day_red_flag_noes(case, _no(flag)) == (flag,)
    words = same_day_red_flag_refusal(case, _no(flag), "--correct-red-flag")
    assert words.startswith("nothing was saved") and f"({tier})" in words
    assert "the yes stands" in words and "--correct-red-flag" in words


def test_a_routine_tier_flag_follows_the_same_rule_without_a_tier_word():
    # import refuses every red-flag question's same-day "no" (one rule): so does a visit
    case = _case({"night_or_rest_pain": "yes"})
    words = same_day_red_flag_refusal(case, _no("night_or_rest_pain"), "X")
    assert words is not None and "(ROUTINE)" not in words and "(EMERGENCY)" not in words


def test_a_no_on_a_later_day_is_a_re_screen_not_refused():
    case = _case({"saddle_anaesthesia": "yes"})
    later = _no("saddle_anaesthesia", DAY + dt.timedelta(days=1))
    assert same_day_red_flag_noes(case, later) == ()
    assert same_day_red_flag_refusal(case, later, "X") is None
    assert red_flag_noes_against_yes(case, later) == [(("saddle_anaesthesia",), DAY)]  # named, not refused
    # and once saved it clears the flag (the re-screen rule, unchanged)
    assert case.with_visit(later).red_flags_as_of(later.date)["saddle_anaesthesia"] == "no"


def test_a_yes_at_a_stored_visit_of_the_same_day_counts_and_a_no_in_between_ends_it():
    earlier = DAY - dt.timedelta(days=5)
    case = _case({}, visits=[{"date": DAY.isoformat(), "red_flags": {"fever": "yes"}}])
    assert same_day_red_flag_noes(case, _no("fever")) == ("fever",)
    # a yes of an earlier day that a later stored "no" ended: nothing to clear, nothing refused
    case = _case({"fever": "yes"}, day=earlier,
                 visits=[{"date": (earlier + dt.timedelta(days=1)).isoformat(), "red_flags": {"fever": "no"}}])
    assert red_flag_noes_against_yes(case, _no("fever")) == []


def test_a_no_to_a_flag_answered_no_is_not_a_correction():
    case = _case({"saddle_anaesthesia": "yes"})
    assert same_day_red_flag_noes(case, _no("fever")) == ()


def test_the_correction_is_kept_in_the_notes_with_who_made_it():
    case = _case({"saddle_anaesthesia": "yes"})
    visit = FollowUpVisit(date=DAY, red_flags={"saddle_anaesthesia": "no"}, notes="re-examined")
    kept = with_red_flag_correction(case, visit, "Dr A")
    assert kept.notes.startswith("re-examined\nRed-flag correction: ")
    assert "(EMERGENCY)" in kept.notes and "by Dr A" in kept.notes and DAY.isoformat() in kept.notes
    assert kept.notes.endswith(red_flag_correction_note(("saddle_anaesthesia",), DAY, "Dr A"))
    unchanged = _no("saddle_anaesthesia", DAY + dt.timedelta(days=1))
    assert with_red_flag_correction(case, unchanged, "Dr A") is unchanged
