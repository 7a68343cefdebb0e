"""A visit an import adds that grades a muscle higher than the MRC 3/5 or less the tracker's
record of the SAME date grades it is refused without ``replace_records`` (red-team rt14 F8):
records carry a date, not the order they were typed, so on one date the higher grade cannot be
known to come after the weak one, and a severe motor deficit (NICE NG59 / the triage rule: MRC
3/5 or less is a red flag) must not be cleared by a merge slip. The same rule as a same-day
"no" to a red flag answered "yes" (README, import). On a later date it is a re-examination:
imported, and named with its reason. Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - D(days=20)


def _stored(store, grade=2, visits=None):
    store.import_cases([parse_case(case_dict("FD-1", care_start=INTAKE, visits=visits,
                                             power={"ankle_dorsiflexion": grade, "great_toe_extension": 5}))],
                       user="dr.a")


def _with_visit(store, on: dt.date, grade: int, replace=False):
    data = case_to_dict(store.get_case("FD-1"))
    data["visits"] = data.get("visits", []) + [{"date": on.isoformat(), "leg_nrs": 6,
                                                "power": {"ankle_dorsiflexion": grade}}]
    return store.import_cases([parse_case(data)], user="import", replace_records=replace)


def _import_audit(store) -> dict:
    return [e for e in store.audit() if e.action == "import"][-1].detail


@pytest.mark.parametrize("was, now", [(2, 5), (3, 4), (2, 3), (0, 5)])
def test_a_same_day_higher_grade_is_refused_then_replaced_on_purpose(store, was, now):
    _stored(store, was)
    assert store.review("FD-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    before = store.get_case("FD-1"), store.audit_count()
    with pytest.raises(UserError) as info:
        _with_visit(store, INTAKE, now)
    message = str(info.value)
    assert "nothing was imported" in message and "--replace-records" in message
    assert (f"case FD-1: a visit the file adds on {INTAKE.isoformat()} grades ankle dorsiflexion MRC {now} "
            f"where the tracker's record of the same date grades it {was}") in message
    assert (store.get_case("FD-1"), store.audit_count()) == before
    assert store.review("FD-1", ANCHOR).status == ReviewStatus.IMMEDIATE

    result = _with_visit(store, INTAKE, now, replace=True)
    replaced = {"case_id": "FD-1", "field": "power.ankle_dorsiflexion", "stored": was, "file": now,
                "on": INTAKE.isoformat()}
    assert replaced in result.replaced and replaced in _import_audit(store)["replaced_at_intake"]


@pytest.mark.parametrize("was, now", [(4, 5), (2, 2), (3, 3), (2, 1)])
def test_a_same_day_grade_that_clears_no_severe_deficit_is_imported(store, was, now):
    """Boundaries: MRC 4 is not a severe motor deficit; the same or a weaker grade clears nothing."""
    _stored(store, was)
    assert _with_visit(store, INTAKE, now).updated == ("FD-1",)


def test_a_same_day_higher_grade_than_a_stored_visits_is_refused(store):
    later = INTAKE + D(days=3)
    _stored(store, 5, visits=[{"date": later, "leg_nrs": 7, "power": {"ankle_dorsiflexion": 2}}])
    with pytest.raises(UserError, match=f"on {later.isoformat()} grades ankle dorsiflexion MRC 5"):
        _with_visit(store, later, 5)


def test_a_higher_grade_on_a_later_day_is_imported_and_named_with_its_reason(store):
    _stored(store, 2)
    on = INTAKE + D(days=1)
    result = _with_visit(store, on, 5)
    assert result.updated == ("FD-1",)
    reason = f"ankle dorsiflexion 2 -> 5 at a visit on {on.isoformat()} (MRC 2 on {INTAKE.isoformat()})"
    status = [c for c in result.changed if c["field"] == "status"]
    assert len(status) == 1 and status[0]["stored"] == "immediate"
    assert status[0]["changes"][0].startswith("no longer Immediate on ")
    assert "severe motor deficit (MRC 3/5 or less) graded higher: " + reason in status[0]["changes"][0]
    assert _import_audit(store)["changed"] == list(result.changed)


def test_a_later_higher_grade_that_leaves_the_case_immediate_is_still_named(store):
    """Two weak muscles: one re-graded 5 the next day, the other still 2: Immediate stays,
    the re-grade is named on its own."""
    store.import_cases([parse_case(case_dict("FD-1", care_start=INTAKE,
                                             power={"ankle_dorsiflexion": 2, "great_toe_extension": 2}))],
                       user="dr.a")
    on = INTAKE + D(days=1)
    result = _with_visit(store, on, 5)
    assert store.review("FD-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    assert [c for c in result.changed if c["field"] == "muscles_graded_higher"] == [
        {"case_id": "FD-1", "field": "muscles_graded_higher",
         "changes": [f"ankle dorsiflexion 2 -> 5 at a visit on {on.isoformat()} (MRC 2 on {INTAKE.isoformat()})"]}]
