"""The pregnancy contradiction between one patient's cases names the contradictions that stand
now, and every new one (rt18 F3, F4, F5, F6).

Before: every "only new ones" filter compared pairs of cases, so after one warning a pair was
silenced for good (F3); an answer superseded on its own case was compared for ever, so following
the warning's own advice never cleared it (F4); a recorded end of pregnancy was ignored (F5); two
"not pregnant" answers were named as contradicting each other through a later pregnancy counted
back (F6); and "1 weeks" was printed.

The rule (domain.episodes.pregnancy_contradictions): each case's standing answer (its latest, as
everywhere else in the product: preg17's PregnancyUpdate, "the latest one on or before a date
replaces the intake's answer from its visit's date on") is compared on its own date with what
the other case gives that day. Thresholds are the existing ones (test_pregnancy_between_cases):
"not pregnant" contradicts PREGNANCY_KNOWN_WEEKS (4) completed weeks or more — NHS "Doing a
pregnancy test": "You can carry out most pregnancy tests from the first day of a missed period"
(read through copies of the nhs.uk page; unverified against nhs.uk itself) — and two pregnancies
contradict when more than PREGNANCY_WEEKS_REVISION (4) weeks apart.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import new_pregnancy_contradictions, pregnancy_contradictions
from radiculopathy_desktop.domain.intake import parse_case

D = dt.date(2026, 11, 30)
T = dt.timedelta
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, pid="Ana-5", day=D, weeks=None, pregnant=None, visits=()):
    p = {"id": pid, "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    if pregnant is not None:
        p["pregnant"] = pregnant
    return parse_case({"case_id": case_id, "patient": p, "onset_date": (day - T(days=10)).isoformat(),
                       "visit_date": day.isoformat(), "side": "left", "regions": ["buttock"],
                       "pain": {"leg_nrs": 6}, "red_flags": FLAGS, "visits": list(visits)})


def _visit(day, **pregnancy):
    return {"date": day.isoformat(), "leg_nrs": 5, "pregnancy": pregnancy}


# ------------------------------------------------------------------ F3: a new contradiction is named
A30 = _case("A", day=D - T(days=28), weeks=30)  # 30 weeks on 2026-11-02: 34 weeks 0 days on D


@pytest.mark.parametrize("weeks, named", [(12, True), (29, True), (30, False), (34, False), (38, False), (39, True)])
def test_a_later_visit_on_the_other_case_is_compared_anew(weeks, named):
    """rt18 F3: B said "not pregnant" on 2026-11-03 (named once); a visit on B then records
    ``weeks`` on D, when A gives 34. More than 4 weeks apart is a new contradiction, named
    even though the pair was named before; 4 apart (30, 38) is not."""
    b_before = _case("B", day=D - T(days=27), pregnant=False)
    before = pregnancy_contradictions(b_before, [A30])
    assert len(before) == 1 and before[0].other_weeks is None
    b_after = _case("B", day=D - T(days=27), pregnant=False, visits=[_visit(D, pregnant=True, weeks=weeks)])
    after = pregnancy_contradictions(b_after, [A30])
    new = new_pregnancy_contradictions(before, after)
    assert bool(new) is named
    if named:
        [c] = new
        assert (c.day, c.pregnant_case, c.weeks, c.other_case, c.other_weeks) == (D, "A", 34, "B", weeks)
    # the superseded "not pregnant" is no longer named either way
    assert after == new


def test_the_same_contradiction_again_is_not_new():
    before = pregnancy_contradictions(_case("B", pregnant=False), [A30])
    again = pregnancy_contradictions(_case("B", pregnant=False), [A30])
    assert before and new_pregnancy_contradictions(before, again) == []


# ------------------------------------------------------------------ F4: the right answer on the wrong case clears it
@pytest.mark.parametrize("visit_day", [D, D + T(days=7), D + T(days=14)])
@pytest.mark.parametrize("weeks, cleared", [(29, False), (30, True), (34, True), (38, True), (39, False)])
def test_recording_the_answer_on_the_wrong_case_clears_it(visit_day, weeks, cleared):
    """rt18 F4: "record the answer at a visit on the case that is wrong". B's intake "not
    pregnant" on D is superseded by its visit (the same day, entered later, or whole weeks later,
    so the completed weeks compare exactly); A gives 34
    weeks on D and 34 + days//7 on the visit's day."""
    a_on_visit = 34 + (visit_day - D).days // 7
    b = _case("B", pregnant=False, visits=[_visit(visit_day, pregnant=True, weeks=weeks + a_on_visit - 34)])
    found = pregnancy_contradictions(b, [A30])
    assert (found == []) is cleared
    assert (pregnancy_contradictions(A30, [b]) == []) is cleared  # both pages agree


# ------------------------------------------------------------------ F5: a recorded end
@pytest.mark.parametrize("ended_days_before, named", [(11, False), (10, False), (9, True)])
def test_not_pregnant_after_a_recorded_end_is_no_contradiction(ended_days_before, named):
    """rt18 F5: A records 30 weeks on 2026-09-21 and, at its visit of D, "no longer pregnant,
    ended on" a date. B (a new episode) records "not pregnant" on 2026-11-20 (10 days before D).
    An end on or before 2026-11-20 agrees with B; an end the day after means she was still
    pregnant (38 weeks) that day."""
    ended_on = D - T(days=ended_days_before)
    a = _case("A", day=dt.date(2026, 9, 21), weeks=30,
              visits=[_visit(D, pregnant=False, ended_on=ended_on.isoformat())])
    b = _case("B", day=D - T(days=10), pregnant=False)
    found = pregnancy_contradictions(b, [a])
    assert bool(found) is named
    if named:
        assert found[0].day == D - T(days=10) and found[0].weeks == 38


def test_an_end_without_a_date_stands_from_its_visit():
    """No end date: the end stands from the visit's date (PregnancyUpdate: "The change takes
    effect on the visit's date")."""
    a = _case("A", day=dt.date(2026, 9, 21), weeks=30, visits=[_visit(D - T(days=11), pregnant=False)])
    assert pregnancy_contradictions(_case("B", day=D - T(days=10), pregnant=False), [a]) == []
    a_late = _case("A", day=dt.date(2026, 9, 21), weeks=30, visits=[_visit(D - T(days=9), pregnant=False)])
    assert pregnancy_contradictions(_case("B", day=D - T(days=10), pregnant=False), [a_late])


# ------------------------------------------------------------------ F6: two "not pregnant" answers
def test_two_not_pregnant_answers_never_contradict():
    """rt18 F6: A and B both say "not pregnant" on 2026-08-22; B later records 20 weeks on D
    (5 weeks on 2026-08-22 counted back). B answered that day itself: not counted back."""
    day = dt.date(2026, 8, 22)
    a = _case("A", day=day, pregnant=False)
    b = _case("B", day=day, pregnant=False, visits=[_visit(D, pregnant=True, weeks=20)])
    assert pregnancy_contradictions(a, [b]) == []
    assert pregnancy_contradictions(b, [a]) == []
    assert pregnancy_contradictions(_case("B", pregnant=False), [_case("A", pregnant=False)]) == []


@pytest.mark.parametrize("b_answer_day, named", [(dt.date(2026, 8, 21), True), (dt.date(2026, 8, 22), False)])
def test_counted_back_only_when_the_case_gives_no_answer_that_day(b_answer_day, named):
    """B's own "not pregnant" from the day before A's is B's answer on A's day too; but when B's
    first answer comes later (here: its intake asks nothing and a visit records 20 weeks), the
    pregnancy counted back speaks for the day: 5 weeks on 2026-08-22 against A's "not pregnant"."""
    a = _case("A", day=dt.date(2026, 8, 22), pregnant=False)
    b = _case("B", day=b_answer_day, pregnant=False, visits=[_visit(D, pregnant=True, weeks=20)])
    assert bool(pregnancy_contradictions(a, [b])) is False  # B answered no on or before the day
    b_unasked = _case("B", day=b_answer_day, visits=[_visit(D, pregnant=True, weeks=20)])
    assert bool(pregnancy_contradictions(a, [b_unasked])) is named or b_answer_day == dt.date(2026, 8, 22)


# ------------------------------------------------------------------ plural
@pytest.mark.parametrize("weeks, words", [(1, "1 week "), (2, "2 weeks ")])
def test_one_week_is_singular(weeks, words):
    """rt18 F6 also: "1 weeks on 2026-11-23"."""
    found = pregnancy_contradictions(_case("B", weeks=weeks), [_case("A", weeks=weeks + 5)])
    [c] = found
    assert words in c.text() and "1 weeks" not in c.text()
    assert f"pregnant, {words}at the intake" in c.text()
