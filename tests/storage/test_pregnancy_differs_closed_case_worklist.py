"""The worklist and Medicine alerts with a closed case beside a pregnancy, on both engines (misc20).

A closed case's old "not pregnant" (recorded before her pregnancy) no longer makes "pregnancy
differs": her pregnant case's row is not marked and the closed case is not listed; a closed case's
pregnancy still lists her open "not pregnant" case (rt20: "the pregnancy outlives the case"). The
candidate query is unchanged: open or closed is the domain rule's, read from each case's decisions
(``domain.episodes.open_case``), which SQL cannot see (fxd19); both engines ask the one rule.

FDA Drug Safety Communication, 15 Oct 2020 (fda.gov), its title: "FDA recommends avoiding use of
NSAIDs in pregnancy at 20 weeks or later because they can result in low amniotic fluid".
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
EVERY = list(ReviewStatus)
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]


def _case(case_id, care_start, *, weeks=None, pregnant=None, medicine="ibuprofen", closed_on=None):
    d = case_dict(case_id, care_start=care_start, patient_id="Mia-9",
                  decisions=None if closed_on is None else [
                      {"date": closed_on, "kind": "resolved_discharged", "acknowledged_red_flags": []}])
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is not None:
        d["patient"]["pregnant"] = pregnant
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": 1200.0}]
    return parse_case(d)


def _rows(store, statuses, **kw):
    rows = store.worklist(ANCHOR, statuses=statuses, profile="us", **kw)
    return {r.case_id: r for r in rows}


def test_last_years_closed_not_pregnant_case_does_not_mark_her_pregnant_case(store):
    store.import_cases([_case("OLD", ANCHOR - D(days=300), pregnant=False, closed_on=ANCHOR - D(days=200))])
    store.import_cases([_case("NEW", ANCHOR - D(days=5), weeks=31, medicine=None)], new_episode=True)
    rows = _rows(store, EVERY)
    assert "Pregnancy differs" not in rows["NEW"].pregnancy[0]
    assert "Pregnancy differs" not in (rows["OLD"].pregnancy[0] if rows["OLD"].pregnancy else "")
    listed = _rows(store, EVERY, medicine_alerts_only=True)
    assert "OLD" not in listed
    assert store.medicine_alert_count(ANCHOR, EVERY, profile="us") == len(listed)


def test_the_same_case_still_open_marks_both_and_is_listed(store):
    """Boundary: not closed, the old "not pregnant" is what its checks read now (rt20 F1)."""
    store.import_cases([_case("OLD", ANCHOR - D(days=300), pregnant=False)])
    store.import_cases([_case("NEW", ANCHOR - D(days=5), weeks=31, medicine=None)], new_episode=True)
    rows = _rows(store, OPEN)
    assert "Pregnancy differs" in rows["NEW"].pregnancy[0]
    assert "OLD" in _rows(store, OPEN, medicine_alerts_only=True)


def test_a_closed_cases_pregnancy_still_lists_her_open_not_pregnant_case(store):
    store.import_cases([_case("PREG", ANCHOR - D(days=14), weeks=29, medicine=None, closed_on=ANCHOR - D(days=1))])
    store.import_cases([_case("NOTP", ANCHOR - D(days=200), pregnant=False)], new_episode=True)
    listed = _rows(store, OPEN, medicine_alerts_only=True)
    assert set(listed) == {"NOTP"}
    # since fxk20 (rt21 F2/F7) the mark carries the rating she would have at the closed case's weeks
    [mark] = listed["NOTP"].medicine_alerts
    assert mark.label == "Contraindicated if pregnant" and "ibuprofen" in " ".join(mark.medicines)
    assert store.medicine_alert_count(ANCHOR, OPEN, profile="us") == 1
