"""One open case per patient on both engines (gp14 G10): ``open_cases`` and the import's check.

G10: a new intake for a patient who already had an open case (not discharged or declined)
made a second open episode silently; the worklist then showed two rows for one patient.
The store now answers "which cases of this patient are open" (``domain.episodes``, one rule)
and, asked to (``open_case_as_of``), refuses a new case while one is open unless it is a
deliberate new episode (``new_episode``), which the import's audit entry records as such.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists
from radiculopathy_desktop.domain.vocab import ReviewStatus
from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")

DISCHARGE = {"kind": "resolved_discharged", "acknowledged_red_flags": []}


def _case(case_id, patient_id="P-1", **kw):
    return make_case(case_id, patient_id=patient_id, name="Ann Able", **kw)


def _recurrence(case_id="EX-NEW", patient_id="P-1"):
    return _case(case_id, patient_id, care_start=ANCHOR - dt.timedelta(days=2))


def test_open_cases_names_the_patients_open_cases_only(store):
    store.import_cases([_case("EX-OPEN", care_start=ANCHOR - dt.timedelta(days=60)),
                        _case("EX-SHUT", care_start=ANCHOR - dt.timedelta(days=300),
                              decisions=[{**DISCHARGE, "date": ANCHOR - dt.timedelta(days=200)}]),
                        _case("EX-OTHER", patient_id="P-2")], user="dr.a")
    found = store.open_cases("P-1", ANCHOR)
    assert [(o.case_id, o.status) for o in found] == [("EX-OPEN", ReviewStatus.NEEDS_FOLLOW_UP)]
    assert found[0].intake_date == ANCHOR - dt.timedelta(days=60)
    assert store.open_cases("P-1", ANCHOR, exclude="EX-OPEN") == []
    assert store.open_cases("P-NOBODY", ANCHOR) == []


def test_a_new_case_while_one_is_open_is_refused_and_nothing_is_saved(store):
    store.import_cases([_case("EX-OPEN")], user="dr.a")
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([_recurrence()], user="dr.a", open_case_as_of=ANCHOR)
    assert [o.case_id for o in caught.value.open_cases] == ["EX-OPEN"]
    assert "new case EX-NEW: patient P-1 already has an open case: case EX-OPEN" in str(caught.value)
    assert not store.has_case("EX-NEW")
    # without the check (the demo, migrate-from): as before
    assert store.import_cases([_recurrence()], user="dr.a").added == ("EX-NEW",)


def test_a_deliberate_new_episode_is_added_and_recorded_as_such(store):
    store.import_cases([_case("EX-OPEN")], user="dr.a")
    result = store.import_cases([_recurrence()], user="dr.b", open_case_as_of=ANCHOR, new_episode=True)
    assert result.added == ("EX-NEW",)
    assert [(n["case_id"], [o["case_id"] for o in n["open_cases"]]) for n in result.new_episodes] == \
        [("EX-NEW", ["EX-OPEN"])]
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.user == "dr.b"
    [item] = entry.detail["new_episode_while_open"]
    assert item["case_id"] == "EX-NEW" and item["patient_id"] == "P-1"
    assert item["open_cases"][0]["case_id"] == "EX-OPEN" and item["open_cases"][0]["status"] == "needs_follow_up"


@pytest.mark.parametrize("offset, refused", [(-1, False), (0, False), (1, True)])
def test_a_case_discharged_by_the_date_does_not_stand_in_the_way(store, offset, refused):
    """The discharge dated the day before or on the date: closed; dated after it: still open."""
    store.import_cases([_case("EX-OLD", care_start=ANCHOR - dt.timedelta(days=90),
                              decisions=[{**DISCHARGE, "date": ANCHOR + dt.timedelta(days=offset)}])], user="dr.a")
    if refused:
        with pytest.raises(OpenCaseExists):
            store.import_cases([_recurrence()], user="dr.a", open_case_as_of=ANCHOR)
    else:
        assert store.import_cases([_recurrence()], user="dr.a", open_case_as_of=ANCHOR).added == ("EX-NEW",)
        entry = [e for e in store.audit() if e.action == "import"][-1]
        assert "new_episode_while_open" not in entry.detail


def test_two_open_new_cases_of_one_patient_in_one_import_are_refused(store):
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([_case("EX-A", care_start=ANCHOR - dt.timedelta(days=80)), _recurrence("EX-B")],
                           user="dr.a", open_case_as_of=ANCHOR)
    assert "new case EX-B: patient P-1 already has an open case: case EX-A" in str(caught.value)
    assert not store.has_case("EX-A")
    # the first closed in the same file: the second is the only open one
    closed = _case("EX-A", care_start=ANCHOR - dt.timedelta(days=80),
                   decisions=[{**DISCHARGE, "date": ANCHOR - dt.timedelta(days=5)}])
    assert store.import_cases([closed, _recurrence("EX-B")], user="dr.a", open_case_as_of=ANCHOR).added == \
        ("EX-A", "EX-B")


def test_updating_the_open_case_itself_is_not_a_second_episode(store):
    store.import_cases([_case("EX-OPEN")], user="dr.a")
    again = _case("EX-OPEN", visits=[{"date": ANCHOR - dt.timedelta(days=1), "leg_nrs": 4}])
    assert store.import_cases([again], user="dr.a", open_case_as_of=ANCHOR).updated == ("EX-OPEN",)


def test_an_open_new_case_of_an_earlier_batch_counts_too(store):
    """Batches of one case: the first new case is written before the second is judged."""
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([_case("EX-A", care_start=ANCHOR - dt.timedelta(days=80)), _recurrence("EX-B")],
                           user="dr.a", batch_size=1, open_case_as_of=ANCHOR)
    assert "new case EX-B: patient P-1 already has an open case: case EX-A" in str(caught.value)
    assert not store.has_case("EX-A")  # all or nothing


def test_a_new_episode_beside_named_cases_is_refused_beside_another(store):
    """The window passes the open cases the clinician was shown: one opened since (another
    workstation) is refused, not passed silently; beside exactly those, it is added."""
    store.import_cases([_case("EX-SHOWN", care_start=ANCHOR - dt.timedelta(days=60))], user="dr.a")
    store.import_cases([_case("EX-SINCE", care_start=ANCHOR - dt.timedelta(days=20))], user="dr.c")
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([_recurrence()], user="dr.b", open_case_as_of=ANCHOR, new_episode={"EX-SHOWN"})
    assert {o.case_id for o in caught.value.open_cases} == {"EX-SHOWN", "EX-SINCE"}
    assert not store.has_case("EX-NEW")
    result = store.import_cases([_recurrence()], user="dr.b", open_case_as_of=ANCHOR,
                                new_episode={"EX-SHOWN", "EX-SINCE"})
    assert result.added == ("EX-NEW",)
    assert sorted(o["case_id"] for o in result.new_episodes[0]["open_cases"]) == ["EX-SHOWN", "EX-SINCE"]
