"""The baseline is the latest record of the intake's own day (rt21 F5; H-FU-352).

The product's same-day rule (``visits.SAME_DAY_TREND``, the window's same-day question): "Of
two records of one day, the later's scores stand for that day". Until rt21 F5 a second record
on the intake's own day was ignored for the baseline, so a corrected or re-measured score of
that day changed nothing: intake leg 7, re-recorded 3 the same day, then 3 on day 35 read
"improving 7->3" (keep under review) although nothing changed over 35 days; re-recorded 9
then 6 on day 35 read "not improving 7->6" (Due: decide about a surgical opinion).

Primary source of the improvement rule (``instruments.MCID_SOURCE``): Ostelo RW et al.
"Interpreting change scores for pain and functional status in low back pain: towards
international consensus regarding minimal important change". Spine 2008;33:90-94. Abstract:
"MIC is the improvement in clinical status of an individual patient" and "When the baseline
score is taken into account, a 30% improvement was considered a useful threshold". The change
is measured from the patient's status at the start of care; the clinician's corrected or
re-measured score of that day is that status, so it is the baseline (per score: a score the
later record leaves blank keeps the earlier one).

Boundaries: a same-day visit without scores (baseline unchanged), with scores (re-recorded),
two same-day visits (the later stands), a visit the day after (a follow-up, not the baseline).
The case view, the worklist's stored row and facts, the worklist of a past date, the CSV and a
row stored by the previous version (REVIEW_FACTS_VERSION 13) agree, on both engines.
"""

from __future__ import annotations

import csv
import datetime as dt

from radiculopathy_desktop.domain.followup import REVIEW_FACTS_VERSION, review_facts
from radiculopathy_desktop.domain.intake import (FollowUpVisit, baseline_rerecorded, baseline_scores, day_baseline,
                                                 parse_case)
from radiculopathy_desktop.domain.visits import SAME_DAY_TREND, baseline_rerecorded_words
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.reports import csv_export

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
START = ANCHOR - D(days=61)  # day 61 on ANCHOR: inside the review window (days 42-84)
LATER = START + D(days=35)


def _case(case_id: str, visits: list[dict], leg: int = 7, odi: float | None = 38.0):
    return parse_case(case_dict(case_id, care_start=START, leg=leg, odi=odi, visits=visits))


def _row(store, case_id, day=ANCHOR):
    return {r.case_id: r for r in store.worklist(day, statuses=list(ReviewStatus))}[case_id]


# ---- the domain rule, at its boundaries

def test_a_same_day_visit_without_scores_leaves_the_intakes_baseline():
    case = _case("B-0", [{"date": START, "notes": "red flags re-asked by phone",
                          "red_flags": {"saddle_anaesthesia": "no"}}])
    assert day_baseline(case.intake, case.visits) == baseline_scores(case.intake)
    assert baseline_rerecorded(case.intake, case.visits) == ()
    assert baseline_rerecorded_words(case) is None


def test_a_same_day_visit_with_scores_re_records_them_and_keeps_the_ones_it_leaves_blank():
    case = _case("B-1", [{"date": START, "leg_nrs": 3}])
    base = day_baseline(case.intake, case.visits)
    assert (base.leg_nrs, base.back_nrs, base.odi_percent, base.date) == (3, 4, 38.0, START)
    assert baseline_rerecorded(case.intake, case.visits) == (("leg_nrs", 7, 3),)
    assert baseline_rerecorded_words(case) == (
        "Baseline: leg pain 7 at intake, re-recorded 3 the same day. The later record of a day stands for "
        "that day; Progress is judged from it.")


def test_of_two_same_day_visits_the_later_stands():
    case = _case("B-2", [{"date": START, "leg_nrs": 9, "odi_percent": 60.0},
                         {"date": START, "leg_nrs": 3}])
    base = day_baseline(case.intake, case.visits)
    assert (base.leg_nrs, base.odi_percent) == (3, 60.0)
    assert "ODI 38% at intake, re-recorded 60% the same day" in baseline_rerecorded_words(case)


def test_a_visit_the_day_after_is_a_follow_up_not_the_baseline():
    case = _case("B-3", [{"date": START + D(days=1), "leg_nrs": 3}])
    assert day_baseline(case.intake, case.visits) == baseline_scores(case.intake)
    facts = review_facts(case, START + D(days=1))
    assert facts.has_follow_up and facts.improving is True  # 7 -> 3 over one day: judged


def test_a_score_first_recorded_on_the_intakes_day_is_said_as_recorded():
    case = _case("B-4", [{"date": START, "odi_percent": 30.0}], odi=None)
    assert day_baseline(case.intake, case.visits).odi_percent == 30.0
    assert "ODI not recorded at intake, recorded 30% the same day" in baseline_rerecorded_words(case)


def test_the_same_day_words_say_the_intakes_day_sets_the_baseline():
    assert "later's scores stand for that day" in SAME_DAY_TREND
    assert "its scores become the baseline" in SAME_DAY_TREND
    assert REVIEW_FACTS_VERSION >= 14


# ---- every reader, both engines

def test_a_re_recorded_lower_score_then_the_same_is_not_improving_everywhere(store, tmp_path):
    """Intake 7, re-recorded 3 the same day, 3 on day 35: no change, Due (it read Improving 7->3)."""
    store.import_cases([_case("SC", [{"date": START, "leg_nrs": 3, "odi_percent": 20.0},
                                     {"date": LATER, "leg_nrs": 3, "odi_percent": 20.0}])], user="dr.a")
    review = store.review("SC", ANCHOR)
    assert review.improvement.improving is False and review.status is ReviewStatus.DUE
    row = _row(store, "SC")
    assert (row.improving, row.status, row.baseline_leg_nrs, row.latest_leg_nrs) == (False, ReviewStatus.DUE, 3, 3)
    past = _row(store, "SC", LATER + D(days=5))  # a past reading day: the history or exact path
    assert (past.improving, past.baseline_leg_nrs) == (False, 3)
    out = tmp_path / "cases.csv"
    csv_export.export_cases_csv(store, out, ANCHOR, list(ReviewStatus), profile="uk")
    [line] = [r for r in csv.DictReader(out.open(encoding="utf-8-sig")) if r["case_id"] == "SC"]
    assert (line["trend"], line["baseline_leg_nrs"], line["status"]) == ("not improving", "3", "due")
    exact = csv_export.row_from_case(store.get_case("SC"), ANCHOR)
    assert (exact["trend"], exact["baseline_leg_nrs"]) == ("not improving", 3)


def test_a_re_recorded_higher_score_then_a_lower_one_is_improving(store):
    """Intake 7, re-recorded 9 the same day, 6 on day 35: 9 -> 6 improved (it read Due 7->6)."""
    store.import_cases([_case("SB", [{"date": START, "leg_nrs": 9, "odi_percent": 60.0},
                                     {"date": LATER, "leg_nrs": 6, "odi_percent": 36.0}])], user="dr.a")
    assert store.review("SB", ANCHOR).improvement.improving is True
    row = _row(store, "SB")
    assert (row.improving, row.baseline_leg_nrs, row.latest_leg_nrs) == (True, 9, 6)


def test_a_visit_added_on_the_intakes_day_rewrites_the_stored_baseline(store):
    store.import_cases([_case("SD", [])], user="dr.a")
    assert _row(store, "SD").baseline_leg_nrs == 7
    store.add_visit("SD", FollowUpVisit(date=START, leg_nrs=3), user="dr.a")
    row = _row(store, "SD")
    assert (row.baseline_leg_nrs, bool(row.has_follow_up), row.improving) == (3, False, None)
    store.add_visit("SD", FollowUpVisit(date=START + D(days=1), leg_nrs=2), user="dr.a")  # the day after
    assert _row(store, "SD").baseline_leg_nrs == 3


def _as_stored_by_version_13(store, case_id: str) -> None:
    """What a database written before rt21 F5 holds: the intake's own leg pain, an older key."""
    sql = "UPDATE cases SET baseline_leg_nrs = 7, improving = 1, facts_key = 'facts-version-13' WHERE case_id = "
    if hasattr(store, "_db"):
        store._db.conn.execute(sql + "?", (case_id,))
        store._db.conn.commit()
    else:
        with store._tx() as conn:
            conn.execute(sql + "%s", (case_id,))


def test_facts_stored_by_the_previous_version_are_right_and_recomputed_on_refresh(store):
    store.import_cases([_case("SC", [{"date": START, "leg_nrs": 3}, {"date": LATER, "leg_nrs": 3}])], user="dr.a")
    _as_stored_by_version_13(store, "SC")
    stale = _row(store, "SC")  # the exact path: never the old baseline or status
    assert (stale.improving, stale.baseline_leg_nrs) == (False, 3)
    assert store.refresh_stale_review_facts() == 1
    row = _row(store, "SC")
    assert (row.improving, row.baseline_leg_nrs, row.status) == (False, 3, ReviewStatus.DUE)
    assert store.refresh_stale_review_facts() == 0
