"""Both engines (the ``store`` fixture): a visit that scores only back pain does not
re-confirm "Improving: keep under review" (rt16 F3, H-FU-230).

The improvement rule (``domain.instruments.improvement``; resources/rules/surgical_review.toml
[mcid]) cites Ostelo RW et al. Spine 2008;33:90-94 for the minimal important changes and
"leg pain as the primary outcome in sciatica: Peul WC et al. NEJM 2007;356:2245-56". Peul 2007's
abstract (read via repub.eur.nl/pub/35413): "The primary outcomes were the score on the Roland
Disability Questionnaire, the score on the visual-analogue scale for leg pain, and the
patient's report of perceived recovery" (leg pain and function, not back pain). The rule's
docstring: "Leg pain is the primary outcome in sciatica", "Function (ODI ... or RMDQ ...)
counts only with leg pain recorded and not worse than baseline", "Back pain alone never
counts as improvement." The status it feeds ([improving_status], NICE NG59 section 1.3:
"consider spinal decompression ... when non-surgical treatment has not improved pain or
function") holds while "the improvement was confirmed at a follow-up within the last
recheck_days" (28). So only a visit holding a score the rule judges improvement on (leg
pain, ODI or RMDQ, recorded at baseline too) re-confirms it; a back-pain-only visit is still
a follow-up for the clock. Boundaries: day 28 after the last judging visit (Improving) and
day 29 (not), with the back-pain-only visit 5 days before; an ODI-only visit renews it
(28 days after it: Improving; 29: not) only when the baseline holds an ODI to compare with.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import FollowUpVisit, ScorePoint, parse_case
from radiculopathy_desktop.domain.visits import visit_has_score, visit_judges_improvement
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
START = ANCHOR - D(days=100)
SCORED = START + D(days=40)       # leg pain 9 -> 5: improving (not at the resolution level, 2)
LATER = SCORED + D(days=24)       # a visit scoring only back pain, or only ODI
RECHECK = 28                      # improving_recheck_days, the default


def _statuses(store, case_id: str, as_of: dt.date) -> set:
    """The case's status by its review, its worklist row (stored facts) and the status counts."""
    review = store.review(case_id, as_of).status
    (row,) = [r for r in store.worklist(as_of, statuses=list(ReviewStatus)) if r.case_id == case_id]
    counts = {k for k, v in store.status_counts(as_of).items() if v}
    assert counts == {review}  # the only case
    return {review, row.status}


def _not_improving(day: dt.date) -> set:
    return {ReviewStatus.OVERDUE if (day - START).days > 84 else ReviewStatus.DUE}


def _store_with(store, later_visit: FollowUpVisit, odi: float | None = 40.0):
    data = case_dict("B-1", care_start=START, leg=9, odi=odi, visits=[{"date": SCORED, "leg_nrs": 5}])
    store.import_cases([parse_case(data)], user="dr.a")
    store.add_visit("B-1", later_visit, user="dr.b")
    return store


def test_back_pain_only_visit_does_not_renew_improving(store):
    _store_with(store, FollowUpVisit(LATER, back_nrs=2))
    assert _statuses(store, "B-1", SCORED + D(days=RECHECK)) == {ReviewStatus.IMPROVING}  # day 28: still
    day = SCORED + D(days=RECHECK + 1)  # day 29 after the leg pain score, 5 after the back pain one
    assert (day - LATER).days < RECHECK
    assert _statuses(store, "B-1", day) == _not_improving(day)
    review = store.review("B-1", day)
    assert review.facts.last_follow_up_date == SCORED
    assert review.facts.has_follow_up is True  # still a follow-up for the review clock
    assert "improving but not re-confirmed in the last 28 days" in review.reason


def test_odi_only_visit_renews_improving_for_28_days(store):
    _store_with(store, FollowUpVisit(LATER, odi_percent=36.0))  # baseline ODI 40: the rule compares it
    assert _statuses(store, "B-1", SCORED + D(days=RECHECK + 1)) == {ReviewStatus.IMPROVING}
    assert _statuses(store, "B-1", LATER + D(days=RECHECK)) == {ReviewStatus.IMPROVING}
    day = LATER + D(days=RECHECK + 1)
    assert _statuses(store, "B-1", day) == _not_improving(day)


def test_odi_only_visit_without_a_baseline_odi_does_not_renew_it(store):
    _store_with(store, FollowUpVisit(LATER, odi_percent=36.0), odi=None)  # nothing to compare it with
    assert _statuses(store, "B-1", SCORED + D(days=RECHECK)) == {ReviewStatus.IMPROVING}
    day = SCORED + D(days=RECHECK + 1)
    assert _statuses(store, "B-1", day) == _not_improving(day)


def test_a_leg_pain_score_renews_it_where_back_pain_did_not():
    """The domain rule alone: the back-pain-only visit then a leg pain visit."""
    data = case_dict("B-2", care_start=START, leg=9, visits=[{"date": SCORED, "leg_nrs": 5},
                                                             {"date": LATER, "back_nrs": 2},
                                                             {"date": LATER + D(days=2), "leg_nrs": 4}])
    case = parse_case(data)
    renewed = LATER + D(days=2)
    assert surgical_review(case, renewed + D(days=RECHECK)).status == ReviewStatus.IMPROVING
    assert surgical_review(case, renewed + D(days=RECHECK + 1)).status != ReviewStatus.IMPROVING


@pytest.mark.parametrize("scores, judges", [
    ({"back_nrs": 2}, False),
    ({"leg_nrs": 0}, True),
    ({"odi_percent": 0.0}, True),
    ({"rmdq": 3}, True),
    ({"back_nrs": 2, "leg_nrs": 3}, True),
])
def test_visit_judges_improvement(scores, judges):
    baseline = ScorePoint(START, 9, 4, 40.0, 12, True)
    visit = FollowUpVisit(LATER, **scores)
    assert visit_has_score(visit)  # every one is a follow-up for the clock
    assert visit_judges_improvement(visit, baseline) is judges
    no_function = ScorePoint(START, 9, 4, None, None, True)
    assert visit_judges_improvement(visit, no_function) is ("leg_nrs" in scores)
