"""readers31: tablets each time written with a slash before the hours ("ibuprofen 800mg 2 comp/6h") and two numbers
joined by "x" ("co-codamol 30/500 3 x 4") are read or asked, never silent (H-MED-623, H-MED-624).

Before: "ibuprofen 800mg 2 comp/6h" (2 tablets every 6 hours: 6,400 mg a day) was read as a count with no
frequency, so no dose was checked; "co-codamol 30/500 3 x 4" (12 tablets, 6 g of paracetamol a day) left "4" in
the name and said nothing.

Primary sources (resources/medicines/sources.toml):
- Motrin label (``ibuprofen-label``): "do not exceed 3200 mg total daily dose" (us); BNF ibuprofen 2400 mg a day
  for pain (uk, ``ibuprofen-bnf-max``).
- NHS co-codamol for adults (``nhs-co-codamol``): at most 8 co-codamol tablets in 24 hours (8 x 500 mg paracetamol
  = the 4000 mg acetaminophen label maximum, ``acetaminophen-label``).
- "c/8h" as every 8 hours, "comp" as comprimido (``spanish-prescription-wording``); q6h every 6 hours
  (``prescription-abbreviations``).
Boundaries at, below and above each maximum.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import dose_reductions

from helpers.medicines import (dose_check_texts as _checks, example_report as _report, recorded_reading as _reading,
                               report_row as _row)


# ------------------------------------------------------------------ a count, a slash and the hours (H-MED-623)
@pytest.mark.parametrize("name, profile, daily, over", [
    ("ibuprofen 800mg 2 comp/6h", "us", 6400, True),  # 8 tablets of 800 mg: twice the label's 3200 mg
    ("ibuprofen 800mg 2 comprimidos/6h", "us", 6400, True),
    ("ibuprofen 800mg 2 tabs / 6 h", "us", 6400, True),
    ("ibuprofen 800mg 1 comp/6h", "us", 3200, False),  # the label's 3200 mg: at
    ("ibuprofen 400mg 1 comp/8h", "us", 1200, False),  # an ordinary dose: fine, read as "1 comp c/8h" is
    ("ibuprofen 400mg 1 comprimido/8 horas", "uk", 1200, False),
    ("ibuprofen 800mg 1 tab/8h", "uk", 2400, False),  # the BNF's 2400 mg: at
    ("ibuprofen 400mg 2 tab/6h", "uk", 3200, True),  # above it
])
def test_a_count_with_a_slash_before_its_hours_is_read_and_checked(name, profile, daily, over):
    report = _report([(name, None)], profile=profile)
    row = _row(report, "ibuprofen")
    assert row.current_daily_dose_mg == daily and row.over_max is over
    assert any(r.rule == "dose-read-from-name" for r in row.reasons)
    assert any(f"current dose {daily} mg/day is above" in r.text for r in row.reasons) is over


def test_the_slash_reads_the_same_as_c_slash():
    assert _reading("ibuprofen 400mg 1 comp/8h").components == _reading("ibuprofen 400mg 1 comp c/8h").components


@pytest.mark.parametrize("name, asked", [
    ("ibuprofen 400mg 1 comp/5h", "not a whole number of times a day"),
    ("ibuprofen 400mg 1 comp/1h", "every hour"),
])
def test_hours_after_a_count_that_give_no_whole_frequency_are_asked(name, asked):
    reading = _reading(name)
    assert reading is not None and not reading.read and asked in reading.problem


def test_hours_after_a_strength_stay_a_rate():
    # a patch's rate ("25 mcg/72h": a 25 mcg/h patch worn 72 hours) is not "every 72 hours" of a count
    report = _report([("fentanyl 25mcg/72h", None)])
    assert report.current_daily_mme == pytest.approx(60.0)


# ------------------------------------------------------------------ two numbers joined by "x" (H-MED-624)
@pytest.mark.parametrize("name, tablets", [
    ("co-codamol 30/500 3 x 4", 12),  # 6 g of paracetamol if tablets a day
    ("co-codamol 30/500 2 x 4", 8),  # 4 g: at the maximum, still asked (4 days?)
    ("co-codamol 30/500 2x4", 8),
    ("ibuprofen 400mg 2 x 3", 6),
])
def test_two_numbers_joined_by_x_with_no_frequency_are_asked(name, tablets):
    reading = _reading(name)
    assert reading is not None and not reading.read
    a, b = name.split()[-3:][0::2] if " x " in name else name.split()[-1].split("x")
    assert f"may be {a} tablets {b} times a day, {b} tablets {a} times a day ({tablets} tablets a day" \
        in reading.problem
    assert f"or {a} tablets for {b} days" in reading.problem
    report = _report([(name, None)])
    assert any(name in t and "cannot be read" in t for t in _checks(report))


def test_x_with_its_frequency_is_read_as_before():
    # "2 x 4/day": 2 tablets 4 times a day, 8 tablets = 4000 mg of paracetamol, at the maximum
    reading = _reading("co-codamol 30/500 2 x 4/day")
    assert reading.read and reading.tablets == 8 and dict(reading.components)["acetaminophen"] == 4000
    report = _report([("co-codamol 30/500 2 x 4/day", None)])
    assert not any("of acetaminophen > max" in x for x in dose_reductions(report))
    # a range of tablets before its frequency is asked, as before
    assert "range of tablets" in _reading("co-codamol 30/500 1-2 qds").problem


@pytest.mark.parametrize("name", ["tylenol with codeine no 4 x 2", "ibuprofen 400mg x2", "ibuprofen 400mg 2x10mg"])
def test_a_product_number_a_count_alone_or_a_strength_is_no_n_x_m(name):
    reading = _reading(name)
    assert reading is None or "times a day, " not in reading.problem
