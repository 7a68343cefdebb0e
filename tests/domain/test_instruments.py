"""Instruments from REFERENCE.md "Instruments and licensing": STarT Back, ODI, RMDQ, NRS."""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.instruments import (
    InstrumentError, describe_nrs, improvement, instrument_metadata, odi_band, odi_percent, score_intake,
    score_odi, score_rmdq, score_start_back, score_start_back_answers, score_start_back_totals,
)
from radiculopathy_desktop.domain.intake import ScorePoint, StartBack, parse_case
from radiculopathy_desktop.domain.settings import default_review_settings

A, D = True, False  # agree, disagree


# --------------------------------------------------------------------------- STarT Back
@pytest.mark.parametrize("answers, total, distress, risk", [
    ([D, D, D, D, D, D, D, D, "not_at_all"], 0, 0, "low"),
    ([A, A, A, D, D, D, D, D, "moderately"], 3, 0, "low"),          # total 3: still low
    ([A, A, A, A, D, D, D, D, "slightly"], 4, 0, "medium"),          # total 4, distress 0
    ([A, D, D, D, A, A, A, D, "moderately"], 4, 3, "medium"),        # distress 3: not high
    ([D, D, D, D, A, A, A, D, "very_much"], 4, 4, "high"),           # item 9 "very much" counts
    ([D, D, D, D, A, A, A, A, "extremely"], 5, 5, "high"),
    ([A, A, A, A, A, A, A, A, "moderately"], 8, 4, "high"),          # "moderately" does not count
    ([A, A, A, A, A, A, A, A, "extremely"], 9, 5, "high"),
])
def test_start_back_scoring_from_answers(answers, total, distress, risk):
    r = score_start_back_answers(answers)
    assert (r.total, r.distress, r.risk) == (total, distress, risk)
    assert r.from_answers


@pytest.mark.parametrize("total, distress, risk", [(3, 3, "low"), (4, 3, "medium"), (4, 4, "high"), (9, 5, "high"),
                                                   (0, 0, "low"), (6, 2, "medium")])
def test_start_back_entered_as_numbers(total, distress, risk):
    r = score_start_back(StartBack(total=total, distress=distress))
    assert r.risk == risk and not r.from_answers


def test_start_back_impossible_numbers_are_rejected_or_flagged():
    with pytest.raises(InstrumentError):
        score_start_back_totals(2, 3)  # distress is part of the total
    r = score_start_back_totals(9, 3)  # items 1-4 give at most 4
    assert r.notes and "not possible" in r.notes[0]


def test_start_back_bad_answers_are_rejected_with_the_item():
    with pytest.raises(InstrumentError, match="item 9"):
        score_start_back_answers([A] * 8 + ["a lot"])
    with pytest.raises(InstrumentError, match="item 3"):
        score_start_back_answers([A, A, "yes", A, A, A, A, A, "slightly"])


def test_start_back_wording_ships_with_copyright_and_terms():
    meta = instrument_metadata("start_back")
    assert meta["wording_shipped"] is True
    assert "Keele University" in meta["copyright"]
    assert "non-commercial" in meta["terms"] and "copyright statement" in meta["terms"]
    assert [i["number"] for i in meta["items"]] == list(range(1, 10))
    assert {o["code"] for o in meta["items"][8]["options"] if o["scores"]} == {"very_much", "extremely"}


@pytest.mark.parametrize("name", ["odi", "rmdq"])
def test_licensed_questionnaire_wording_is_not_shipped(name):
    meta = instrument_metadata(name)
    assert meta["wording_shipped"] is False
    assert meta["why_not_shipped"] and meta["entry_as_numbers"]
    assert "items" not in meta  # no question text at all


# --------------------------------------------------------------------------- ODI
def test_odi_percent_from_all_ten_sections():
    assert odi_percent([2, 3, 2, 1, 3, 2, 2, 0, 3, 2]) == 40.0  # 20 / 50


def test_odi_percent_with_missing_sections_uses_answered_denominator():
    assert odi_percent([1, 1, 1, 1, 1, 1, 1, 1, 1, None]) == 20.0  # 9 / 45, exactly
    assert odi_percent([3, 3, 2, 2, 2, 2, 2, 2, None, None]) == pytest.approx(45.0)  # 18 / 40


def test_odi_needs_eight_sections():
    with pytest.raises(InstrumentError, match="at least 8"):
        odi_percent([1] * 7 + [None] * 3)


@pytest.mark.parametrize("percent, band", [
    (0, "minimal"), (20, "minimal"), (20.5, "moderate"), (21, "moderate"), (40, "moderate"),
    (40.01, "severe"), (60, "severe"), (61, "crippled"), (80, "crippled"), (80.5, "bed_bound"), (100, "bed_bound"),
])
def test_odi_bands_upper_limits_inclusive_and_non_integers_not_rounded_down(percent, band):
    assert odi_band(percent)[0] == band


def test_odi_from_nine_sections_bands_the_unrounded_value():
    r = score_odi(answers=[2, 2, 2, 2, 2, 2, 2, 2, 3, None])  # 19/45 = 42.2%
    assert r.band == "severe" and r.from_answers and r.answered == 9
    assert r.to_dict()["percent"] == 42.2


def test_odi_answers_win_over_a_discordant_entered_percent():
    r = score_odi(percent=10, answers=[2] * 10)
    assert r.percent == 40.0 and r.notes


def test_odi_out_of_range_is_rejected():
    with pytest.raises(InstrumentError):
        odi_band(101)


# --------------------------------------------------------------------------- RMDQ, NRS
def test_rmdq_is_shown_raw_without_a_band():
    r = score_rmdq(14)
    assert r.band is None and r.to_dict()["maximum"] == 24
    assert "No agreed severity bands" in r.note
    with pytest.raises(InstrumentError):
        score_rmdq(25)


@pytest.mark.parametrize("score, category", [(0, "none"), (1, "mild"), (3, "mild"), (4, "moderate"),
                                             (6, "moderate"), (7, "severe"), (10, "severe")])
def test_nrs_words(score, category):
    assert describe_nrs(score).category == category


def test_nrs_descriptions_are_the_rules_words_for_the_whole_scale_worded_once():
    """Issue 17: the eleven descriptions of the 0-10 scale are worded once when the module
    loads (the rule :func:`_word_nrs` over the whole scale) and looked up, so a pain score
    costs no wording per patient; every score gives the rule's words and the same record
    each time; out-of-range, fractional and boolean scores are refused as before."""
    from radiculopathy_desktop.domain.instruments import _word_nrs

    for score in range(11):
        got = describe_nrs(score)
        assert got == _word_nrs(score) and got is describe_nrs(score)
        assert got.label == ("No pain (0/10)" if score == 0 else f"{got.category.capitalize()} pain ({score}/10)")
    for bad in (-1, 11, 2.5, True, "5", None):
        with pytest.raises(InstrumentError):
            describe_nrs(bad)


# --------------------------------------------------------------------------- whole intake; MCID
def test_score_intake_scores_everything_and_is_json_ready():
    intake = parse_case({
        "patient": {"id": "I-1", "age_years": 45}, "onset_date": "2026-10-01", "visit_date": "2026-10-20",
        "side": "left", "regions": ["lateral_leg"], "pain": {"leg_nrs": 8, "back_nrs": 3},
        "red_flags": {k: "no" for k in V.RED_FLAG_QUESTIONS},
        "start_back": {"answers": [True, False, True, True, True, True, True, False, "very_much"]},
        "function": {"odi_answers": [3, 2, 3, 2, 3, 3, 2, None, 2, 3], "rmdq": 15},
    }).intake
    s = score_intake(intake)
    assert s.start_back.risk == "high" and s.start_back.total == 7
    assert s.odi.band == "severe" and s.odi.percent == pytest.approx(51.11, abs=0.01)
    assert s.rmdq.score == 15 and s.leg_nrs.category == "severe" and s.back_nrs.category == "mild"
    json.dumps(s.to_dict())


def _point(day, leg, odi=None, rmdq=None, base=False):
    import datetime as dt
    return ScorePoint(dt.date(2026, 1, day), leg, None, odi, rmdq, base)


def test_improvement_against_mcid_still_works():
    s = default_review_settings()
    base = _point(1, 8, odi=50)
    assert improvement(base, [_point(20, 6, odi=45)], s).improving is True   # 2 NRS points
    assert improvement(base, [_point(20, 7, odi=41)], s).improving is False  # 1 point, ODI 9
    assert improvement(base, [_point(20, 7, odi=40)], s).improving is True   # ODI 10
    assert improvement(base, [], s).improving is None


def test_mixed_signals_leg_pain_worse_counts_as_not_improving():
    """ODI better by the MCID but leg pain 8 -> 10: not improving (never sorted as getting better)."""
    import datetime as _dt
    from radiculopathy_desktop.domain.instruments import improvement as _improvement
    from radiculopathy_desktop.domain.intake import ScorePoint
    from radiculopathy_desktop.domain.settings import default_review_settings
    base = ScorePoint(_dt.date(2026, 1, 1), 8, 5, 50.0, None, True)
    later = ScorePoint(_dt.date(2026, 2, 20), 10, 5, 30.0, None, False)
    result = _improvement(base, [later], default_review_settings())
    assert result.improving is False
    assert any("worse by 2 points" in r for r in result.reasons)
    assert any("leg pain is worse than at baseline" in r for r in result.reasons)


def test_leg_pain_better_and_nothing_worse_is_improving():
    import datetime as _dt
    from radiculopathy_desktop.domain.instruments import improvement as _improvement
    from radiculopathy_desktop.domain.intake import ScorePoint
    from radiculopathy_desktop.domain.settings import default_review_settings
    base = ScorePoint(_dt.date(2026, 1, 1), 8, 5, 50.0, None, True)
    later = ScorePoint(_dt.date(2026, 2, 20), 6, 6, 52.0, None, False)  # back +1, ODI +2: below MCID
    assert _improvement(base, [later], default_review_settings()).improving is True
