"""A total a day written after a strength ("ibuprofen 1200mg/day", "400mg per day", "400 mg a day")
is read as the daily total (route27; code: dose_in_name._TOTAL_A_DAY_RE, find_regimen).

Before route27 "ibuprofen 1200mg/day" was NOT RECOGNISED (its interactions unchecked, every row
"not fully checked"), and "ibuprofen 400mg per day" was recognised with no dose read and nothing
asked. "400mg daily" and "400mg od" were already read as once a day, so 400 mg a day: a total a
day after a strength is read the same way (the strength is the day's total). Anything that
could be read two ways is "check the dose", never a guess: a number of tablets beside it ("2 x
400mg/day": 400 or 800?), a second frequency ("400mg tds 1200mg/day"), "prn". A note that may
mean the medicine is not taken ("stopped", "was", "or", "?") still leaves it NOT RECOGNISED, and
no number in a note becomes the dose (rt26).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, read_recorded_dose

from tests.domain.test_combination_doses import _report


def _reading(name, dose=None):
    data = load_medicine_data()
    generics = data.resolve(name)[0]
    return generics, (read_recorded_dose(name, generics, dose, data) if generics else None)


@pytest.mark.parametrize("name, generic, mg", [
    ("ibuprofen 1200mg/day", "ibuprofen", 1200.0),
    ("ibuprofen 1200 mg / day", "ibuprofen", 1200.0),
    ("Ibuprofen 1200MG/DAY", "ibuprofen", 1200.0),
    ("ibuprofen 400mg per day", "ibuprofen", 400.0),
    ("ibuprofen 400 mg a day", "ibuprofen", 400.0),
    ("ibuprofen 1,2g/day", "ibuprofen", 1200.0),  # a decimal comma before the unit (rt26)
    ("ibuprofen 1.2 g per day", "ibuprofen", 1200.0),
    ("naproxen 500mg/day", "naproxen", 500.0),
    ("morphine 40mg/day", "morphine", 40.0),
    # the forms already read: the same daily total
    ("ibuprofen 400mg daily", "ibuprofen", 400.0),
    ("ibuprofen 400mg od", "ibuprofen", 400.0),
])
def test_a_total_a_day_after_a_strength_is_the_daily_dose(name, generic, mg):
    generics, reading = _reading(name)
    assert generics == (generic,)
    assert reading is not None and reading.read and reading.components == ((generic, mg),)


@pytest.mark.parametrize("name, why", [
    ("ibuprofen 2 x 400mg/day", "a total a day, and a number of tablets is written too"),
    ("ibuprofen 2 tabs 400mg per day", "a total a day, and a number of tablets is written too"),
    ("ibuprofen 400mg tds 1200mg/day", "2 different frequencies"),
    ("ibuprofen 400mg/day prn", "as needed"),
])
def test_a_total_a_day_that_could_be_read_two_ways_is_check_the_dose(name, why):
    generics, reading = _reading(name)
    assert generics == ("ibuprofen",)  # recognised: its interactions are checked
    assert not reading.read and why in reading.problem
    report = _report([(name, None)])
    assert any(c.rule == "check-dose" and c.medicines == (name,) for c in report.dose_checks)


def test_a_recorded_dose_wins_and_a_disagreement_is_asked_about():
    _g, agree = _reading("ibuprofen 1200mg/day", 1200.0)
    assert agree is None or not agree.conflict
    _g, differ = _reading("ibuprofen 400mg/day", 1200.0)
    assert differ.conflict and "1200 mg a day" in differ.conflict


@pytest.mark.parametrize("mg, status", [(3200.0, "keep"), (3600.0, "over")])
def test_the_total_read_is_checked_against_the_label_maximum_at_its_boundary(mg, status):
    # ibuprofen's us label maximum is 3200 mg a day (the data's row): at it nothing, above it "Reduce dose"
    report = _report([(f"ibuprofen {mg:g}mg/day", None)])
    over = [c for c in report.dose_checks if c.generic == "ibuprofen" and c.kind == "label_max"] + [
        r for r in report.row("ibuprofen").reasons if "Reduce dose" in r.text]
    assert bool(over) == (status == "over")


@pytest.mark.parametrize("name", [
    "ibuprofen (stopped) 1200mg/day", "ibuprofen 1200mg/day (stopped)", "ibuprofen 1200mg/day?",
    "ibuprofen (was 1200mg/day)", "ibuprofen 400 or 600mg/day", "ibuprofen 1200mg/day or naproxen",
])
def test_a_hostile_note_stays_not_recognised(name):
    assert _reading(name) == ((), None)


@pytest.mark.parametrize("name", ["ibuprofen (for pain, 1200mg/day)", "ibuprofen - 1200mg/day from GP"])
def test_a_number_in_a_note_never_becomes_the_dose(name):
    generics, reading = _reading(name)
    assert not generics or reading is None or not reading.read or reading.components != (("ibuprofen", 1200.0),)


def test_a_per_day_count_without_a_unit_is_unchanged():
    # rt26: "1200/day" is no number of times a day: still "check the dose"
    generics, reading = _reading("ibuprofen 1200/day")
    assert generics == ("ibuprofen",) and not reading.read
