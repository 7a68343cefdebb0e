"""Both engines (the ``store`` fixture): a whole case written over a stored one enters the
visits and decisions it adds after every record the case holds, which keep their numbers
(README, follow-up visits: records carry the order they were entered in, rt12 F2). On the
clinic server that write is ``PgStore.save_case`` (an edit based on a revision); on the
SQLite file it is ``import_cases``. Without entry numbers a decision saved with the case
could be read as entered after a visit reporting a red flag on its date, and so hide it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)
FIRST, SECOND = ANCHOR - dt.timedelta(days=20), ANCHOR - dt.timedelta(days=2)


def _save_whole(store, engine: str, case) -> None:
    if engine == "postgresql":
        store.save_case(case, user="dr.a", based_on_revision=store.case_revision(case.case_id))
    else:
        store.import_cases([case], user="dr.a")


def test_records_added_by_a_whole_case_save_are_entered_after_those_held(store, engine):
    store.import_cases([make_case("W-1", care_start=INTAKE, visits=[{"date": FIRST, "leg_nrs": 6}])], user="dr.a")
    store.record_decision("W-1", Decision(FIRST, DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR - dt.timedelta(days=5),
                                          acknowledged_red_flags=()), user="dr.a")
    held = store.get_case("W-1")
    held_entries = [r.entry for r in (*held.visits, *held.decisions)]
    assert None not in held_entries
    # the edit adds, on one later date, a continue decision and a visit reporting saddle
    # anaesthesia, neither with an entry number (the order they were typed is not known)
    new_decision = Decision(SECOND, DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + dt.timedelta(days=30),
                            acknowledged_red_flags=())
    new_visit = FollowUpVisit(SECOND, leg_nrs=5, red_flags={"saddle_anaesthesia": "yes"})
    edited = dataclasses.replace(held, visits=(*held.visits, new_visit), decisions=(*held.decisions, new_decision))
    _save_whole(store, engine, edited)

    saved = store.get_case("W-1")
    assert [v.entry for v in saved.visits[:1]] + [d.entry for d in saved.decisions[:1]] == held_entries
    added = [saved.visits[1], saved.decisions[1]]
    assert all(r.entry is not None for r in added)
    assert min(r.entry for r in added) > max(held_entries)
    # a date's decision before its visit when the order is not known: never hides the flag
    assert saved.decisions[1].entry < saved.visits[1].entry
    assert store.review("W-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    # and a record saved one by one afterwards comes after them all
    store.add_visit("W-1", FollowUpVisit(ANCHOR, notes="phoned"), user="dr.a")
    last = store.get_case("W-1").visits[-1]
    assert last.entry > saved.visits[1].entry


def test_a_whole_case_save_that_adds_nothing_keeps_every_entry(store, engine):
    store.import_cases([make_case("W-2", care_start=INTAKE, visits=[{"date": FIRST, "leg_nrs": 6}])], user="dr.a")
    held = store.get_case("W-2")
    edited = dataclasses.replace(held, intake=dataclasses.replace(held.intake, clinician="Dr B"))
    _save_whole(store, engine, edited)
    assert [v.entry for v in store.get_case("W-2").visits] == [v.entry for v in held.visits]
