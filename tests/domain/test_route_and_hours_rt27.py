"""Hours written as repeat lists write them, and a route right after the name (route27; code:
dose_in_name.find_regimen, _Q_RANGE, _HOURS; medications._ROUTE_AFTER_NAME_RE).

Before route27 "oxycodone 5mg q4-6hrs", "q 4-6 h", "q4hrs" and "q 4h" were NOT RECOGNISED (the
opioid's interactions unchecked); "q4-6h" was already a range of times: recognised, no daily dose,
"check the dose", no MME. Now "q4-6hrs" and "q 4-6 h" read exactly as "q4-6h", "q4hrs" and "q 4h"
as "q4h" (6 times a day), and "q4h prn" (as needed) gives no daily dose either. "enoxaparin sc"
(a route, no strength) was NOT RECOGNISED: now enoxaparin, given by injection, with no dose read.
"iv" right after a name is still never set aside ("tylenol iv" may be Tylenol No. 4, rt26).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, read_recorded_dose

from tests.domain.test_combination_doses import _report


def _reading(name, dose=None):
    data = load_medicine_data()
    generics = data.resolve(name)[0]
    return generics, (read_recorded_dose(name, generics, dose, data) if generics else None)


@pytest.mark.parametrize("name", [
    "oxycodone 5mg q4-6h", "oxycodone 5mg q4-6hrs", "oxycodone 5mg q4-6hr", "oxycodone 5mg q 4-6 h",
    "oxycodone 5mg q 4-6 hours", "oxycodone 5mg q4-6 hrs", "oxycodone 5mg Q4-6HRS",
])
def test_a_range_of_hours_however_written_is_check_the_dose_with_no_mme(name):
    generics, reading = _reading(name)
    assert generics == ("oxycodone",)
    assert not reading.read and "is a range of times" in reading.problem
    report = _report([(name, None)])
    assert report.current_daily_mme is None  # never a guessed number of doses
    assert any(c.rule == "check-dose" for c in report.dose_checks)


@pytest.mark.parametrize("name, mg", [
    ("oxycodone 5mg q4h", 30.0), ("oxycodone 5mg q4hrs", 30.0), ("oxycodone 5mg q4hr", 30.0),
    ("oxycodone 5mg q 4h", 30.0), ("oxycodone 5mg q 4 hours", 30.0), ("oxycodone 5mg every 4 hrs", 30.0),
    ("paracetamol 1g q6hr", 4000.0),
])
def test_every_n_hours_however_written_is_24_over_n_times_a_day(name, mg):
    generics, reading = _reading(name)
    assert reading.read and reading.components[0][1] == mg


@pytest.mark.parametrize("name", ["oxycodone 5mg q4h prn", "oxycodone 5mg q4hrs prn", "oxycodone 5mg q4-6hrs prn"])
def test_as_needed_every_n_hours_gives_no_daily_dose(name):
    generics, reading = _reading(name)
    assert generics == ("oxycodone",) and not reading.read
    assert _report([(name, None)]).current_daily_mme is None


def test_hours_that_are_no_whole_number_a_day_stay_asked_about():
    _g, reading = _reading("oxycodone 5mg q5hrs")
    assert not reading.read and "not a whole number of times a day" in reading.problem


@pytest.mark.parametrize("name", [
    "oxycodone 5mg q4-6hrs (stopped)", "oxycodone 5mg q4hrs?", "oxycodone or morphine 5mg q4hrs",
    "oxycodone (was 5mg q4hrs)",
])
def test_a_hostile_note_with_hours_stays_not_recognised(name):
    assert _reading(name) == ((), None)


@pytest.mark.parametrize("name, dose", [
    ("enoxaparin sc", None), ("enoxaparin s/c", None), ("Enoxaparin SC", None), ("enoxaparin subcut", None),
    ("enoxaparin subcutaneous", None), ("enoxaparin sc", 40.0),
])
def test_a_route_right_after_the_name_is_recognised_with_no_dose_read(name, dose):
    data = load_medicine_data()
    generics, reading = _reading(name, dose)
    assert generics == ("enoxaparin",) and data.by_injection(name)
    assert reading is None  # no dose is read from the name; a typed one is used as typed
    report = _report([(name, dose), ("ibuprofen", 1200)])
    assert report.row("ibuprofen").status == "avoid"  # the anticoagulant with an NSAID is checked


def test_an_opioid_with_a_route_after_its_name_is_not_counted():
    report = _report([("morphine sc", 40.0)])
    assert report.current_daily_mme is None
    assert any("given by injection" in c.text for c in report.dose_checks)


@pytest.mark.parametrize("name", [
    "tylenol iv", "enoxaparin iv", "enoxaparin sc (stopped)", "enoxaparin sc?", "enoxaparin sc or heparin",
    "enoxaparin scx",
])
def test_an_iv_or_a_hostile_note_after_the_name_stays_not_recognised(name):
    assert _reading(name) == ((), None)


def test_stored_marks_of_names_now_recognised_are_derived_again():
    """The worklist's Medicine alerts column, filter and CSV read marks stored when a case was
    saved: a case saved before route27 with "enoxaparin sc" and ibuprofen had no mark (the name was
    not recognised), and the medicine data digest does not change with code, so every stored mark
    is derived again once (DOSE_ALERTS_VERSION 12)."""
    from radiculopathy_desktop.domain.worklist_marks import _marks_of
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    for name in ("enoxaparin sc", "ibuprofen 1200mg/day"):
        other = ("ibuprofen", 1200) if name.startswith("enoxaparin") else ("apixaban", None)
        marks = _marks_of(_report([(name, None), other]))
        assert any(m.label == "Avoid" and name in m.medicines for m in marks), marks
    assert DOSE_ALERTS_VERSION >= 12
