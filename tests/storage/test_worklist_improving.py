"""The worklist's SQL agrees with the engine on the new statuses, day by day.

"Improving: keep under review" and "Ask red-flag questions" (issue 12 sections 4 and 5):
the stored-facts query, the counts and the engine give the same status on the window's
edges and on the improvement's recheck edge.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
from tracker_support import ANCHOR, make_case
#: One suite, two engines (tests/storage/conftest.py): tests using ``store`` also run on the clinic server.
STORE_ENGINES = ("sqlite", "postgresql")

D = dt.timedelta


def _cases():
    start = ANCHOR - D(days=100)
    return [
        # improving 7 -> 4 at day 35
        make_case("IMP", care_start=start, visits=[{"date": start + D(days=35), "leg_nrs": 4}]),
        # improving, then stalled at day 80
        make_case("STALL", care_start=start, visits=[{"date": start + D(days=35), "leg_nrs": 5},
                                                     {"date": start + D(days=70), "leg_nrs": 3},
                                                     {"date": start + D(days=80), "leg_nrs": 3}]),
        # improving and re-confirmed at day 70
        make_case("LATE", care_start=start, visits=[{"date": start + D(days=35), "leg_nrs": 5},
                                                    {"date": start + D(days=70), "leg_nrs": 3}]),
        # a cauda equina question never answered
        make_case("ASK", care_start=start, red_flags={"saddle_anaesthesia": "unknown"}),
        # ... and one closed: closing wins (referred)
        make_case("ASK-CLOSED", care_start=start, red_flags={"saddle_anaesthesia": "unknown"},
                  decisions=[{"date": start + D(days=5), "kind": "referred_for_surgical_opinion"}]),
    ]


@pytest.mark.parametrize("n", [41, 42, 63, 64, 84, 85, 98, 99])
def test_worklist_statuses_equal_the_engine_on_each_edge(store, n):
    cases = _cases()
    store.import_cases(cases)
    as_of = ANCHOR - D(days=100) + D(days=n)
    rows = {r.case_id: r for r in store.worklist(as_of, statuses=[s.value for s in ReviewStatus])}
    counts = store.status_counts(as_of)
    expected: dict[ReviewStatus, int] = {}
    for case in cases:
        if case.intake.visit_date > as_of:
            continue
        engine = surgical_review(case, as_of, store.get_settings())
        assert rows[case.case_id].status == engine.status, (case.case_id, n)
        assert rows[case.case_id].reason == engine.reason
        expected[engine.status] = expected.get(engine.status, 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected


def test_the_new_statuses_have_their_own_counts(store):
    store.import_cases(_cases())
    as_of = ANCHOR - D(days=100) + D(days=50)
    counts = store.status_counts(as_of)
    assert counts[ReviewStatus.IMPROVING] == 3  # all three improved by day 35; none has stalled yet
    assert counts[ReviewStatus.ASK_RED_FLAGS] == 1
    assert counts[ReviewStatus.CLOSED] == 1
    shown = [r.case_id for r in store.worklist(as_of)]  # the default worklist shows both
    assert shown[0] == "ASK" and {"IMP", "LATE", "STALL"} <= set(shown)


@pytest.mark.sqlite_only("makes facts stale with SQLite SQL; the server's exact path is covered by the property test's other settings")
def test_facts_from_an_older_rule_version_are_still_right_and_can_be_refreshed(store):
    cases = _cases()
    store.import_cases(cases)
    as_of = ANCHOR - D(days=100) + D(days=50)
    before = {r.case_id: r.status for r in store.worklist(as_of, statuses=[s.value for s in ReviewStatus])}
    # what a database written by the previous version holds: another facts key, old meanings
    store._db.conn.execute("UPDATE cases SET facts_key = 'older-version', immediate = 0, improving = 0")
    store._db.conn.commit()
    stale = {r.case_id: r.status for r in store.worklist(as_of, statuses=[s.value for s in ReviewStatus])}
    assert stale == before  # the exact path recomputes them: never a wrong status
    assert store.refresh_stale_review_facts() == len(cases)
    assert store.refresh_stale_review_facts() == 0
    fresh = {r.case_id: r.status for r in store.worklist(as_of, statuses=[s.value for s in ReviewStatus])}
    assert fresh == before
