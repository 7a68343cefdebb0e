"""What the app believes about today (rt20 F1, F2): a case whose medicine checks read her not
pregnant on the day (a "not pregnant" recorded before this pregnancy began, or the question never
asked) while another open case of the same patient records her pregnant that day is read as a
contradiction is: the other case's weeks, the alerts her own medicines would carry at them, the
mark and the listing (``domain.episodes.pregnancy_differs``).

Before fxd19 only two answers disagreeing on their own dates counted: a "not pregnant" dated before
conception agreed with the other case on that date, so it stood as "not pregnant today" and the
case's ibuprofen read as safe beside a case at 31 weeks.

Primary source of the NSAID thresholds the alerts come from (resources/medicines): FDA Drug Safety
Podcast on the Drug Safety Communication of 15 October 2020 (fda.gov): "We recommend avoiding
NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in NSAID
prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in heart
issues in the unborn baby." So: nothing at 19 weeks, Avoid at 20, Contraindicated at 30.

The other case must give at least ``PREGNANCY_KNOWN_WEEKS`` (4) weeks on the day (fx18's
threshold: a home test is reliable from the first day of a missed period, NHS "Doing a pregnancy
test" [unverified against nhs.uk itself, as the constant says]).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import (PREGNANCY_DIFFERS_REASON, PREGNANCY_KNOWN_WEEKS,
                                                   PREGNANCY_NOT_ASKED_REASON, pregnancy_differs)
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.worklist_marks import pregnancy_differs_marks

D = dt.date(2026, 11, 30)
T = dt.timedelta
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, day, pid="Ana-5", weeks=None, pregnant=None, medicines=("ibuprofen",), visits=()):
    p = {"id": pid, "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    if pregnant is not None:
        p["pregnant"] = pregnant
    return parse_case({"case_id": case_id, "patient": p, "onset_date": (day - T(days=10)).isoformat(),
                       "visit_date": day.isoformat(), "side": "left", "regions": ["buttock"],
                       "pain": {"leg_nrs": 6}, "red_flags": FLAGS, "visits": list(visits),
                       "medicines": [{"name": m, "daily_dose_mg": 1200} for m in medicines]})


def _visit(day, **pregnancy):
    return {"date": day.isoformat(), "leg_nrs": 5, "pregnancy": pregnancy}


@pytest.mark.parametrize("answered", [dt.date(2026, 3, 1), dt.date(2026, 5, 15), dt.date(2025, 6, 1)])
def test_a_not_pregnant_answered_before_this_pregnancy_is_read_at_the_other_case_s_weeks(answered):
    """rt20 F1's three dates (and one a year older): "not pregnant" on B, long before A's 31 weeks
    recorded today; B's ibuprofen carries Contraindicated (30 weeks and over), with the reason."""
    b = _case("B", answered, pregnant=False)
    a = _case("A", D, weeks=31, medicines=())
    d = pregnancy_differs(b, [a], D, "uk")
    assert d is not None and d.if_case == "A" and d.if_weeks == 31 and d.listed
    assert [(x.status_label, x.medicines) for x in d.if_pregnant] == [("Contraindicated", ("ibuprofen",))]
    assert d.reason == PREGNANCY_DIFFERS_REASON
    [mark] = pregnancy_differs_marks(d)
    assert mark.label == "Contraindicated if pregnant" and "31 weeks" in mark.action
    assert mark.action.lower().startswith(PREGNANCY_DIFFERS_REASON)
    assert f"not pregnant at the intake of {answered.isoformat()}" in d.text()
    assert "not pregnant" in d.warning and "case B" in d.warning and "31 weeks" in d.warning
    assert "case A records 31 weeks pregnant" in d.short()
    # and the pregnant case's row is marked too (both rows, as for a contradiction), not listed
    da = pregnancy_differs(a, [b], D, "uk")
    assert da is not None and not da.listed and "case B" in da.short()


@pytest.mark.parametrize("weeks, label", [(19, None), (20, "Avoid"), (29, "Avoid"), (30, "Contraindicated")])
def test_the_fda_boundaries_through_a_stale_answer(weeks, label):
    b = _case("B", D - T(days=300), pregnant=False)
    d = pregnancy_differs(b, [_case("A", D, weeks=weeks, medicines=())], D, "us")
    assert d is not None and d.if_weeks == weeks
    assert [x.status_label for x in d.if_pregnant] == ([] if label is None else [label])
    assert d.listed is (label is not None)


@pytest.mark.parametrize("weeks, marked", [(PREGNANCY_KNOWN_WEEKS - 1, False), (PREGNANCY_KNOWN_WEEKS, True),
                                           (PREGNANCY_KNOWN_WEEKS + 1, True)])
def test_the_known_weeks_threshold_today(weeks, marked):
    """Below 4 weeks she may not know: a "not pregnant" is no disagreement; at and above it is."""
    b = _case("B", D - T(days=200), pregnant=False)
    assert (pregnancy_differs(b, [_case("A", D, weeks=weeks)], D, "us") is not None) is marked


def test_pregnancy_never_asked_beside_a_case_recording_her_pregnant():
    """rt20 F2: the intake says "Pregnancy not asked: the medicine checks take the patient as not
    pregnant"; so the same treatment, with its own reason."""
    b = _case("B", D - T(days=3))
    assert b.pregnancy_status(D).answer == "unknown"
    a = _case("A", D - T(days=10), weeks=31, medicines=())
    d = pregnancy_differs(b, [a], D, "uk")
    assert d is not None and d.listed and d.if_weeks == 32 and d.reason == PREGNANCY_NOT_ASKED_REASON
    [mark] = pregnancy_differs_marks(d)
    assert mark.label == "Contraindicated if pregnant"
    assert mark.action.startswith("Pregnancy not asked on this case; another case records her pregnant. ")
    assert "never asked about a pregnancy" in d.text() and "never asked" in d.warning
    # the not-asked reason is this case's, not the pregnant case's
    assert pregnancy_differs(a, [b], D, "uk").reason == PREGNANCY_DIFFERS_REASON


def test_two_not_pregnant_or_not_asked_never_differ():
    b = _case("B", D - T(days=300), pregnant=False)
    assert pregnancy_differs(b, [_case("A", D, pregnant=False)], D, "us") is None
    assert pregnancy_differs(_case("C", D), [b], D, "us") is None


def test_an_ended_pregnancy_clears_it():
    """fx18: a pregnancy recorded as ended on the pregnant case stands no further."""
    b = _case("B", D - T(days=300), pregnant=False)
    a = _case("A", D - T(days=60), weeks=30, visits=[_visit(D - T(days=5), pregnant=False,
                                                            ended_on=(D - T(days=7)).isoformat())])
    assert pregnancy_differs(b, [a], D, "us") is None
    # the day before it ended, it stood
    assert pregnancy_differs(b, [a], D - T(days=8), "us") is not None


def test_a_later_answer_on_the_stale_case_clears_it():
    """fx18: recording the right answer on the wrong case clears it (31 weeks recorded on B)."""
    b = _case("B", D - T(days=300), pregnant=False, visits=[_visit(D, pregnant=True, weeks=31)])
    assert pregnancy_differs(b, [_case("A", D - T(days=7), weeks=30)], D, "us") is None


def test_fewer_weeks_beyond_the_revision_is_read_at_the_more():
    """A stale pregnancy counted on to fewer weeks than the other case gives: read at the more, only
    when more than PREGNANCY_WEEKS_REVISION (4) apart (a dating scan moves weeks a little)."""
    a = _case("A", D, weeks=30)
    assert pregnancy_differs(_case("B", D - T(days=7 * 10), weeks=16), [a], D, "us") is None  # 26 vs 30
    d = pregnancy_differs(_case("B", D - T(days=7 * 10), weeks=15), [a], D, "us")  # 25 vs 30
    assert d is not None and d.if_weeks == 30 and d.listed


def test_past_the_plausible_end_the_other_case_no_longer_counts():
    b = _case("B", D - T(days=400), pregnant=False)
    a = _case("A", D - T(days=7 * 12), weeks=30)  # 42 weeks today: the plausible end
    assert pregnancy_differs(b, [a], D, "us") is not None
    assert pregnancy_differs(b, [a], D + T(days=7), "us") is None  # 43 weeks: past it, it asks


def test_another_person_is_never_read():
    b = _case("B", D - T(days=300), pid="Bea-9", pregnant=False)
    assert pregnancy_differs(b, [_case("A", D, weeks=31)], D, "us") is None


def test_as_of_leaves_out_a_visit_dated_after_the_day():
    """rt20 F7: a worklist as of 2026-11-15 cited a visit of 11-25. E4: A not pregnant 11-01 with
    ibuprofen; B not pregnant 11-10, its visit of 11-25 records 31 weeks."""
    a = _case("A", dt.date(2026, 11, 1), pregnant=False)
    b = _case("B", dt.date(2026, 11, 10), pregnant=False,
              visits=[_visit(dt.date(2026, 11, 25), pregnant=True, weeks=31)])
    assert pregnancy_differs(a, [b], dt.date(2026, 11, 15), "us") is None
    assert pregnancy_differs(b, [a], dt.date(2026, 11, 15), "us") is None
    assert pregnancy_differs(a, [b], dt.date(2026, 11, 25), "us") is not None
