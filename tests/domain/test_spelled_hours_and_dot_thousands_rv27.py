"""Two dose misreads found by the rt27 red-team review (code: dose_in_name.find_regimen, strength_mg).

H1. "every four hours", "four hourly" (as UK leaflets and US labels write it: paracetamol "1 g every 4
to 6 hours, no more than 4 g in 24 hours", FDA OTC acetaminophen monograph / paracetamol SmPC 4.2) were
read as no frequency at all: the words were dropped as form words, so "paracetamol 1g every four hours"
(6 g a day, above the 4 g maximum) got no alert and the handout said "keep taking". Now the hours
are read from the reading's number words as from digits, and a word of hours the reading cannot
place ("every hour", "hourly", "two hrly") makes the dose one to check, never silence.

H2. "1.000 mg" and "1.200mg" (a dot between thousands, as Spanish and much of Europe write 1000) were
read as 1 mg and 1.2 mg: "gabapentin 1.200mg tds" (3600 mg a day) was shown as 3.6 mg. No tablet is
sold at 1.2 or 1.000 mg, so such a strength is asked about, never read either way. A decimal with a
leading zero ("0.125 mg") or with one or two decimals ("2.5 mg", "12.5 mg") is read as before.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, read_recorded_dose
from helpers.medicines import dose_asked as _asked, daily_read as _daily


def _reading(name):
    data = load_medicine_data()
    generics = data.resolve(name)[0]
    assert generics, f"{name!r} not recognised"
    return generics, read_recorded_dose(name, generics, None, data)


# ------------------------------------------------------------------------------- H1: hours in words
@pytest.mark.parametrize("name, generic, mg", [
    ("paracetamol 1g every four hours", "acetaminophen", 6000.0),  # 6 doses a day: above the 4 g maximum
    ("paracetamol 1g four hourly", "acetaminophen", 6000.0),
    ("paracetamol 1g every 4 hours", "acetaminophen", 6000.0),  # the digits, read as before
    ("oxycodone 10 mg every four hours", "oxycodone", 60.0),
    ("oxycodone 10mg every three hours", "oxycodone", 80.0),
    ("oxycodone 10mg every two hours", "oxycodone", 120.0),
    ("tramadol 100mg every three hours", "tramadol", 800.0),  # above the 400 mg label maximum
    ("ibuprofen 800mg every four hours", "ibuprofen", 4800.0),
    ("ibuprofen 400mg two every four hours", "ibuprofen", 4800.0),  # two tablets a dose
])
def test_hours_written_in_words_are_read_as_the_digits_are(name, generic, mg):
    assert _daily(name)[generic] == mg


@pytest.mark.parametrize("name", [
    "oxycodone 10mg every hour",  # an hour with no number: 24 a day is no tablet regimen to guess
    "oxycodone 10mg hourly",
    "paracetamol 1g hourly",
])
def test_a_word_of_hours_the_reading_cannot_place_is_a_dose_to_check(name):
    assert "could not be read" in _asked(name)


@pytest.mark.parametrize("name", ["fentanyl 25 micrograms/hour", "fentanyl 12 mcg per hour patch"])
def test_a_patch_rate_an_hour_is_its_strength_not_a_frequency(name):
    _g, reading = _reading(name)
    assert reading is None or "could not be read" not in (reading.problem or "")


# ------------------------------------------------------------------------ H2: a dot between thousands
@pytest.mark.parametrize("name", [
    "paracetamol 1.000 mg qds", "gabapentin 1.200mg tds", "ibuprofen 1.200 mg/day", "pregabalin 1.200 mg/day",
    "paracetamol 1.000mg every 4 hours",
])
def test_a_dot_then_three_digits_before_a_unit_is_asked_about(name):
    problem = _asked(name)
    assert "a dot between thousands" in problem


@pytest.mark.parametrize("name, generic, mg", [
    ("apixaban 2.5 mg bd", "apixaban", 5.0),  # one decimal: read as before
    ("paracetamol 0.5g qds", "acetaminophen", 2000.0),
    ("gabapentin 1,200mg tds", "gabapentin", 3600.0),  # the thousands comma, read as before
])
def test_ordinary_decimals_and_the_thousands_comma_are_read_as_before(name, generic, mg):
    assert _daily(name)[generic] == mg
