"""A file mixing records with and without `entry`, or giving two records one `entry`, never
reads a same-date visit as entered before a decision (red-team rt14 F1). docs/case-format.md,
`visits[].entry`: records the file numbers keep that order; a record without a number is read
the way that never hides a red flag reported again: a visit without one after every numbered
decision of its date or earlier, a decision without one before every numbered visit of its
date or later; two records with one number are refused (the tracker never writes that). The
`import` command's reading (``legacy_decisions=False``); both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INTAKE = ANCHOR - D(days=30)
DAY = ANCHOR - D(days=10)
CLOSED = {"resolved_discharged": ReviewStatus.CLOSED, "patient_declined": ReviewStatus.CLOSED,
          "continue_conservative_care": ReviewStatus.SNOOZED}


def _decision(kind: str = "resolved_discharged", entry: int | None = None, on: dt.date = DAY) -> dict:
    d = {"date": on.isoformat(), "kind": kind, "by": "Dr A", "acknowledged_red_flags": sorted(CES)}
    if kind == "continue_conservative_care":
        d["until"] = (on + D(days=60)).isoformat()
    if entry is not None:
        d["entry"] = entry
    return d


def _visit(entry: int | None = None, on: dt.date = DAY, flags: dict | None = CES) -> dict:
    v = {"date": on.isoformat(), "leg_nrs": 5}
    if flags:
        v["red_flags"] = dict(flags)
    if entry is not None:
        v["entry"] = entry
    return v


def _import(store, visits, decisions, case_id="MIX-1"):
    data = case_dict(case_id, care_start=INTAKE, red_flags=CES, visits=visits, decisions=decisions)
    return store.import_cases([parse_case(data)], user="import", acknowledge_red_flags=True,
                              legacy_decisions=False, one_case_per_episode=True)


def _status(store, case_id="MIX-1"):
    review = store.review(case_id, ANCHOR)
    listed = {r.case_id: r.status for r in store.worklist(ANCHOR, statuses=list(ReviewStatus))}
    assert listed[case_id] == review.status  # the worklist's stored facts agree with the case view
    return review.status


@pytest.mark.parametrize("kind", sorted(CLOSED))
@pytest.mark.parametrize("number", [1, 5, 90000])
def test_a_visit_without_entry_on_a_numbered_decisions_date_is_read_after_it(store, kind, number):
    """rt14 F1 as found: the decision exported with its `entry`, the re-report added by hand."""
    _import(store, [_visit()], [_decision(kind, entry=number)])
    assert _status(store) == ReviewStatus.IMMEDIATE
    case = store.get_case("MIX-1")
    assert case.visits[0].entry > case.decisions[0].entry


@pytest.mark.parametrize("kind", sorted(CLOSED))
def test_a_decision_without_entry_on_a_numbered_visits_date_is_read_before_it(store, kind):
    _import(store, [_visit(entry=3)], [_decision(kind)])
    assert _status(store) == ReviewStatus.IMMEDIATE
    case = store.get_case("MIX-1")
    assert case.decisions[0].entry < case.visits[0].entry


def test_a_visit_without_entry_the_day_before_a_numbered_decision_is_covered_by_it(store):
    """Boundary: only the decision's own date is in doubt; an earlier visit was seen by it."""
    _import(store, [_visit(on=DAY - D(days=1))], [_decision(entry=4)])
    assert _status(store) == ReviewStatus.CLOSED
    case = store.get_case("MIX-1")
    assert case.visits[0].entry < case.decisions[0].entry


def test_a_visit_without_entry_the_day_after_a_numbered_decision_is_immediate(store):
    _import(store, [_visit(on=DAY + D(days=1))], [_decision(entry=4)])
    assert _status(store) == ReviewStatus.IMMEDIATE


def test_numbered_records_keep_the_files_order_around_an_unnumbered_visit(store):
    """Numbered: CES visit (2) then the discharge (3); a visit without a number of the
    decision's date that asks nothing goes after the decision, the numbered ones keep theirs."""
    _import(store, [_visit(entry=2), _visit(flags=None)], [_decision(entry=3)])
    assert _status(store) == ReviewStatus.CLOSED  # the numbered re-report was entered before the decision
    case = store.get_case("MIX-1")
    numbered = next(v for v in case.visits if v.red_flags)
    plain = next(v for v in case.visits if not v.red_flags)
    assert numbered.entry < case.decisions[0].entry < plain.entry


@pytest.mark.parametrize("visit_entry, decision_entry", [(5, 5), (1, 1)])
def test_a_decision_and_a_visit_with_one_entry_are_refused(store, visit_entry, decision_entry):
    with pytest.raises(UserError) as info:
        _import(store, [_visit(entry=visit_entry)], [_decision(entry=decision_entry)])
    message = str(info.value)
    assert "nothing was imported" in message and "MIX-1" in message
    assert f"the same entry order ({visit_entry})" in message
    assert f"the visit of {DAY.isoformat()}" in message and f"the decision of {DAY.isoformat()}" in message
    assert not store.has_case("MIX-1")


def test_two_visits_with_one_entry_are_refused(store):
    with pytest.raises(UserError, match=r"the same entry order \(7\)"):
        _import(store, [_visit(entry=7, on=DAY - D(days=2)), _visit(entry=7)], [])
    assert not store.has_case("MIX-1")


def test_consecutive_entries_are_not_a_tie(store):
    """Boundary: 5 and 6 are an order (the visit before the decision: it covers the visit)."""
    _import(store, [_visit(entry=5)], [_decision(entry=6)])
    assert _status(store) == ReviewStatus.CLOSED


def test_a_number_the_file_repeats_on_a_record_the_tracker_holds_is_not_a_tie(store):
    """The stored decision keeps the tracker's order; the new visit goes after it, whatever
    number the file gives it (only new records are ordered by the file)."""
    _import(store, [], [_decision(entry=1)])
    stored = store.get_case("MIX-1").decisions[0]
    data = case_dict("MIX-1", care_start=INTAKE, red_flags=CES, visits=[_visit(entry=stored.entry)],
                     decisions=[_decision(entry=stored.entry)])
    store.import_cases([parse_case(data)], user="import", acknowledge_red_flags=True, legacy_decisions=False)
    case = store.get_case("MIX-1")
    assert case.visits[0].entry > case.decisions[0].entry == stored.entry
    assert _status(store) == ReviewStatus.IMMEDIATE
