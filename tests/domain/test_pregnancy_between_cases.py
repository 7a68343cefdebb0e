"""A pregnancy recorded on one case of a patient and contradicted by another of her cases is
named (gp17 F5): "Start a new episode" for mia-2 saved "Not pregnant" beside her other open case
recording 33 weeks the same day, without a word. Each case's medicine checks read only its own
answer, so one of them was checking ibuprofen as for a woman who is not pregnant.

The rule (domain.episodes.pregnancy_contradictions), on the date of each pregnancy answer
recorded on either case:

* "not pregnant" on one case while the other gives at least PREGNANCY_KNOWN_WEEKS (4) weeks that
  day. NHS "Doing a pregnancy test": "You can carry out most pregnancy tests from the first day
  of a missed period" (read through copies of the nhs.uk page; unverified against nhs.uk itself):
  about 4 completed weeks from the first day of the last period, from which weeks are counted.
  Weeks are counted on from each record's date (PregnancyOnDate, preg16), or back from a later
  record; past the plausible end (42 weeks, ACOG via Williams Obstetrics: "42 completed weeks
  (294 days) or more") the case asks and is no longer counted as pregnant.
* pregnant on both, the weeks more than PREGNANCY_WEEKS_REVISION (4) apart (the visit's own
  rule for weeks recorded again).
* A pregnancy recorded as ended (a visit's "no longer pregnant") stands no further.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import PREGNANCY_KNOWN_WEEKS, pregnancy_contradictions
from radiculopathy_desktop.domain.intake import parse_case

D = dt.date(2026, 11, 30)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, pid="Mia-2", day=D, weeks=None, pregnant=None, visits=()):
    p = {"id": pid, "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    if pregnant is not None:
        p["pregnant"] = pregnant
    return parse_case({"case_id": case_id, "patient": p, "onset_date": (day - dt.timedelta(days=10)).isoformat(),
                       "visit_date": day.isoformat(), "side": "left", "regions": ["buttock"],
                       "pain": {"leg_nrs": 6}, "red_flags": FLAGS, "visits": list(visits)})


def _visit(day, **pregnancy):
    return {"date": day.isoformat(), "leg_nrs": 5, "pregnancy": pregnancy}


def test_the_gp17_case_a_new_episode_not_pregnant_beside_33_weeks_the_same_day():
    old = _case("Mia-2-2026-11-20", weeks=33)
    new = _case("mia-2-2026-11-30", pid="mia-2", pregnant=False)
    [c] = pregnancy_contradictions(new, [old])
    assert (c.day, c.pregnant_case, c.weeks, c.other_case, c.other_weeks) == (D, old.case_id, 33, new.case_id, None)
    text = c.text()
    assert "pregnant, 33 weeks at the intake of 2026-11-30" in text and "not pregnant" in text
    assert old.case_id in text and new.case_id in text and "record the answer at a visit" in text
    # either way round: the stored case's page names it too
    assert [x.to_audit() for x in pregnancy_contradictions(old, [new])] == [c.to_audit()]


@pytest.mark.parametrize("weeks, named", [(PREGNANCY_KNOWN_WEEKS - 1, False), (PREGNANCY_KNOWN_WEEKS, True),
                                          (PREGNANCY_KNOWN_WEEKS + 1, True)])
def test_not_pregnant_the_same_day_as_early_weeks_boundary(weeks, named):
    """At 3 weeks she may not know; from 4 (a missed period) the answers contradict."""
    found = pregnancy_contradictions(_case("B", pregnant=False), [_case("A", weeks=weeks)])
    assert bool(found) is named


@pytest.mark.parametrize("recorded, named", [(32, True), (33, False)])
def test_weeks_counted_on_from_the_record_up_to_the_plausible_end(recorded, named):
    """Recorded 70 days (10 weeks) before: 42 weeks on the day still runs; 43 is past the end (the case asks)."""
    old = _case("A", day=D - dt.timedelta(days=70), weeks=recorded)
    assert bool(pregnancy_contradictions(_case("B", pregnant=False), [old])) is named


@pytest.mark.parametrize("days_later, weeks, named", [(14, 6, True), (14, 5, False), (13, 5, False), (13, 6, True)])
def test_a_later_pregnancy_counted_back_to_an_earlier_not_pregnant(days_later, weeks, named):
    """'Not pregnant' on D; another case records pregnant later: counted back in completed weeks
    (6 weeks 14 days later: 4 on D; 5 weeks 13 days later: 3 weeks 1 day, so 3 completed)."""
    later = _case("A", day=D + dt.timedelta(days=days_later), weeks=weeks)
    found = pregnancy_contradictions(_case("B", pregnant=False), [later])
    assert bool(found) is named
    if named:
        assert found[0].day == D and found[0].pregnant_case == "A"


def test_a_recorded_end_stands_no_further():
    ended = _case("A", day=D - dt.timedelta(days=30), weeks=36,
                  visits=[_visit(D - dt.timedelta(days=7), pregnant=False, ended_on=(D - dt.timedelta(days=10)).isoformat())])
    assert pregnancy_contradictions(_case("B", pregnant=False), [ended]) == []
    running = _case("A", day=D - dt.timedelta(days=30), weeks=36)
    assert pregnancy_contradictions(_case("B", pregnant=False), [running])  # 40 weeks on D, no end recorded


def test_not_pregnant_before_the_pregnancy_began_is_no_contradiction():
    """A 'not pregnant' answer a year before another case's pregnancy."""
    assert pregnancy_contradictions(_case("B", day=D - dt.timedelta(days=365), pregnant=False),
                                    [_case("A", weeks=20)]) == []


def test_a_pregnancy_recorded_at_a_visit_contradicts_the_other_case():
    """The visit's answer counts as the intake's does (preg17's one rule)."""
    old = _case("A", day=D - dt.timedelta(days=20), pregnant=False, visits=[_visit(D - dt.timedelta(days=6),
                                                                                    pregnant=True, weeks=33)])
    [c] = pregnancy_contradictions(_case("B", pregnant=False), [old])
    assert c.pregnant_case == "A" and "at the visit of" in c.pregnant_words and c.weeks == 33


@pytest.mark.parametrize("other_weeks, named", [(29, False), (28, True), (37, False), (38, True)])
def test_weeks_more_than_four_apart_on_one_day(other_weeks, named):
    found = pregnancy_contradictions(_case("B", weeks=other_weeks), [_case("A", weeks=33)])
    assert bool(found) is named
    if named:
        assert {found[0].weeks, found[0].other_weeks} == {33, other_weeks}


def test_only_one_patients_cases_and_never_the_case_itself():
    assert pregnancy_contradictions(_case("B", pid="Mia-3", pregnant=False), [_case("A", weeks=33)]) == []
    assert pregnancy_contradictions(_case("A", weeks=33), [_case("A", weeks=33)]) == []
    # capitals and compatibility forms are one patient (the open-case rule's patient_key)
    assert pregnancy_contradictions(_case("B", pid="ＭＩＡ-2", pregnant=False), [_case("A", weeks=33)])


def test_unknown_is_no_answer():
    assert pregnancy_contradictions(_case("B"), [_case("A", weeks=33)]) == []


def test_the_standing_answer_is_named_once():
    """The latest answer per case stands (rt18 F4): B's intake "not pregnant" is superseded by its
    own later visit saying the same, so the one contradiction named is the visit's, 33 weeks on A."""
    old = _case("A", day=D - dt.timedelta(days=14), weeks=30)
    new = _case("B", pregnant=False, visits=[_visit(D + dt.timedelta(days=7), pregnant=False)])
    found = pregnancy_contradictions(new, [old])
    assert len(found) == 1 and found[0].day == D + dt.timedelta(days=7) and found[0].weeks == 33


# ---------------------------------------------------------------- counts said right (gp17 F12)
def test_the_capitals_warning_counts_the_patients_the_list_shows():
    """gp17 F12: "the patient list shows two patients" with three IDs (Mia-2, mia-2, MIA-2);
    since id18 the list groups one patient's IDs, so the warning says they are one patient."""
    from radiculopathy_desktop.domain.episodes import patient_id_variants_warning

    one = patient_id_variants_warning("mia-2", ["Mia-2"])
    assert "differs from stored patient Mia-2 only in capitals" in one and "these are one patient" in one
    two = patient_id_variants_warning("MIA-2", ["Mia-2", "mia-2"])
    assert "differs from stored patients Mia-2, mia-2 only in capitals" in two and "these are one patient" in two
    assert "two patients" not in one and "three patients" not in two


def test_ordinals_and_counts():
    from radiculopathy_desktop.domain.episodes import count_words, ordinal_words

    assert [ordinal_words(n) for n in (2, 3, 10, 11, 12, 13, 21, 22, 23, 111)] == [
        "second", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "111th"]
    assert [count_words(n) for n in (2, 3, 10, 11)] == ["two", "three", "ten", "11"]
