"""fhirnsaid35 (H-MED-725): a combination's strength written with a decimal comma and no unit ("Zaldiar 37,5/325", as
Spanish writes it: its ficha técnica is "Zaldiar 37,5 mg/325 mg", sources.toml zaldiar-ft) is read as 37.5/325, the
one strength Zaldiar is made in. Decided by the digits after the comma: one or two (or any after a 0) are decimals;
three may be a thousands separator ("1,000") and are left as written (asked about), as before; "1,000 mg" with its
unit stays one thousand (rt26)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.dose_in_name import spell
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from tests.helpers.example_case import l5_case

AS_OF = dt.date(2026, 11, 25)


def _rows(name):
    report = assess_medications(l5_case([{"name": name}]).intake, AS_OF, profile="us")
    return {r.drug: r.current_daily_dose_mg for r in report.rows if r.currently_taking}, report


@pytest.mark.parametrize("typed, spelled", [
    ("Zaldiar 37,5/325", "zaldiar 37.5/325"),
    ("Zaldiar 37,50/325", "zaldiar 37.50/325"),  # two digits: a decimal
    ("tramadol/paracetamol 37,5 / 325", "tramadol/paracetamol 37.5/325"),
    ("x 325/37,5 c/8h", "x 325/37.5 c/8h"),  # after the slash too; "c/8h" is no strength
    ("x 0,125/2", "x 0.125/2"),  # after a 0, any digits
    # boundaries: three digits after a comma may be thousands: left as written
    ("Zaldiar 37,500/325", "zaldiar 37,500/325"),
    ("x 1,000/500", "x 1,000/500"),
    # unchanged: a unit after it (rt26), a strength with a dot, no comma
    ("paracetamol 1,000 mg", "paracetamol 1000 mg"),
    ("x 1,5 mg", "x 1.5 mg"),
    ("co-codamol 30/500", "co-codamol 30/500"),
    ("Zaldiar 37.5/325", "zaldiar 37.5/325"),
])
def test_the_strength_comma_is_read_by_the_digits_after_it(typed, spelled):
    assert spell(typed, load_medicine_data().name_reading) == spelled


@pytest.mark.parametrize("name", ["Zaldiar 37,5/325 1 c/8h", "Zaldiar 37.5/325 1 c/8h", "zaldiar 37,5/325 1 comp c/8h"])
def test_zaldiar_with_a_decimal_comma_is_read_as_its_one_strength(name):
    """1 tablet every 8 hours: 3 a day, tramadol 112.5 mg and paracetamol 975 mg (37.5 and 325 each)."""
    doses, _report = _rows(name)
    assert doses == {"tramadol": 112.5, "acetaminophen": 975.0}


def test_three_digits_after_the_comma_are_not_read_as_a_decimal():
    doses, report = _rows("Zaldiar 37,500/325 1 c/8h")
    assert doses == {"tramadol": None, "acetaminophen": None}  # not 112.5: asked about
    assert any(c.kind == "name" for c in report.dose_checks)
