"""A regimen or count read from a medicine's name never reads a dose too low or wrong (fx17;
red team rt17 findings 2, 3, 4, 5, 7, 9; code: domain/dose_in_name.find_regimen and
medications.read_recorded_dose; data: drugs.toml ``[name_reading]``).

Before: "co-codamol 30/500 3 qds" was read as 4 tablets (the bare 3 dropped; really 12, paracetamol
6 g, shown OK); "ultracet 2 q4h" as 6 tablets (really 12); "paracetamol 2 qds" as 8 mg a day;
"hydromorphone .5mg q4h" as 5 mg a dose; "pregabalin 400mg mane nocte" as once a day (really 800 mg,
over the 600 maximum); "tylenol 3 tabs tds" as 9 tablets of Tylenol #3 (the 3 used as product number
AND count); a correct recorded dose flagged; a single medicine's "check the dose" citing the
co-codamol / Ultracet sources.

Primary sources (resources/medicines/sources.toml):
- Prescription abbreviations (BNF 'Guidance on prescribing', read in copies [unverified]): "q.d.s.
  quater die sumendus, four times a day"; "o.m. omni mane, every morning; o.n. omni nocte, every
  night"; "q4h ... every 4 ... hours"; pharmacy Latin tables: "nocte et mane: night and morning"
  (``prescription-abbreviations``).
- NHS, Co-codamol for adults: "the maximum dose is 8 co-codamol tablets in 24 hours" (500 mg
  paracetamol a tablet: 4000 mg) (``nhs-co-codamol``); acetaminophen label: "do not exceed 4000 mg
  in 24 hours" (``acetaminophen-label``).
- Ultracet label: "2 tablets every 4 to 6 hours as needed up to a maximum of 8 tablets per day"
  (``ultracet-label``).
- Lyrica (pregabalin) label: neuropathic pain "150-600 mg/day" (``pregabalin-label``).
Boundaries just below, at and just above each maximum.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.dose_in_name import find_regimen, spell
from radiculopathy_desktop.domain.medications import dose_reductions, load_medicine_data, recorded_dose_words

from helpers.medicines import example_report as _report, recorded_reading as _reading, report_row as _row


def _data():
    return load_medicine_data()


def _checks(report):
    rows = [r for row in report.rows for r in row.reasons if r.rule == "check-dose"]
    return rows + [n for n in report.current_notes if n.rule == "check-dose"]


# ------------------------------------------------------------------ a bare count before a frequency
@pytest.mark.parametrize("name, tablets, over", [
    ("co-codamol 30/500 1 qds", 4, False),
    ("co-codamol 30/500 2 tds", 6, False),  # just below 8
    ("co-codamol 30/500 2 qds", 8, False),  # at the 8 tablets, paracetamol 4000 mg
    ("co-codamol 30/500 3 tds", 9, True),  # just above
    ("co-codamol 30/500 3 qds", 12, True),  # rt17: was 4 tablets, 2000 mg, OK
    ("co-codamol 30/500 two qds", 8, False),  # was 4
    ("co-codamol 30/500 2 every 4 hours", 12, True),  # was 6
])
def test_a_bare_count_before_the_frequency_of_a_combination_is_counted(name, tablets, over):
    """NHS: 'the maximum dose is 8 co-codamol tablets in 24 hours'; 'q.d.s. ... four times a day'."""
    report = _report([(name, None)], profile="uk")
    row = _row(report, "acetaminophen")
    assert row.current_daily_dose_mg == tablets * 500
    assert any(f"as {tablets} tablets a day of 30/500" in r.text for r in row.reasons)
    assert row.over_max is over
    assert any("> max 4000" in x for x in dose_reductions(report)) is over


@pytest.mark.parametrize("name, tablets, over", [
    ("ultracet 1 q4h", 6, False),  # below
    ("ultracet 2 qds", 8, False),  # at the label's 8 tablets
    ("ultracet 3 tds", 9, True),  # just above
    ("ultracet 2 q4h", 12, True),  # rt17: was 6 tablets of "ultracet 2"
])
def test_ultracet_bare_count_is_held_to_its_own_eight_tablets(name, tablets, over):
    """Ultracet: '2 tablets every 4 to 6 hours as needed up to a maximum of 8 tablets per day'."""
    report = _report([(name, None)])
    assert report.row("tramadol").current_daily_dose_mg == tablets * 37.5
    assert any(c.rule == "over-product-max" for c in report.dose_checks) is over
    assert "ultracet 2 is made in" not in " ".join(r.text for r in report.row("tramadol").reasons)


@pytest.mark.parametrize("name", ["paracetamol 2 qds", "tramadol 2 qds", "pregabalin 2 bd", "naproxen 1 bd",
                                  "paracetamol two qds", "paracetamol qds 2", "hydromorphone 4 q4h"])
def test_a_bare_count_is_never_read_as_a_strength_in_mg(name):
    """'paracetamol 2 qds' is two tablets four times a day (4 g with 500 mg tablets), never 8 mg:
    with no strength written, the dose is asked for, naming what to type."""
    reading = _reading(name)
    assert reading is not None and not reading.read
    assert "dose field" in reading.problem
    words = recorded_dose_words(name, None)
    assert "check the dose" in words and "read from the name" not in words
    report = _report([(name, None)], profile="uk")
    assert not any(r.rule == "dose-read-from-name" for row in report.rows for r in row.reasons)
    assert any(name in c.text for c in _checks(report))


@pytest.mark.parametrize("name, daily", [
    ("paracetamol 500mg 1 qds", 2000),
    ("paracetamol 500mg 2 tds", 3000),  # below 4000
    ("paracetamol 500mg 2 qds", 4000),  # at
    ("paracetamol 500mg 3 tds", 4500),  # above
])
def test_a_bare_count_with_a_written_strength_is_counted(name, daily):
    """Acetaminophen label: 'do not exceed 4000 mg in 24 hours'."""
    report = _report([(name, None)])
    row = _row(report, "acetaminophen")
    assert row.current_daily_dose_mg == daily
    assert row.over_max is (daily > 4000)


def test_a_strength_written_without_mg_is_still_read_when_it_cannot_be_a_count():
    """cmb17's "naproxen 500 bd" (1000 mg, Naprosyn's ongoing maximum) is kept; the words say bd."""
    reading = _reading("naproxen 500 bd")
    assert reading.read and reading.components == (("naproxen", 1000.0),)
    assert reading.from_name == "bd"


def test_a_number_after_the_frequency_is_never_dropped():
    reading = _reading("co-codamol 30/500 qds 2")
    assert not reading.read and "cannot place (2)" in reading.problem


# ------------------------------------------------------------------ a leading dot
def test_a_leading_dot_keeps_its_decimal_point():
    """'hydromorphone .5mg q4h' is 0.5 mg six times a day, 3 mg (never 5 mg a dose, 30 mg)."""
    assert spell("hydromorphone .5mg q4h", _data().name_reading) == "hydromorphone 0.5mg q4h"
    reading = _reading("hydromorphone .5mg q4h")
    assert reading.read and reading.components == (("hydromorphone", 3.0),)


# ------------------------------------------------------------------ times of day added up
@pytest.mark.parametrize("name, daily, over", [
    ("pregabalin 150mg mane nocte", 300, False),
    ("pregabalin 300mg mane nocte", 600, False),  # at the label's 600 mg
    ("pregabalin 300mg mane and nocte", 600, False),
    ("pregabalin 325mg mane nocte", 650, True),  # just above
    ("pregabalin 400mg mane nocte", 800, True),  # rt17: was once a day, 400 mg
])
def test_mane_nocte_is_twice_a_day(name, daily, over):
    """'o.m. omni mane, every morning; o.n. omni nocte, every night': both is twice a day.
    Lyrica: '150-600 mg/day'."""
    report = _report([(name, None)])
    row = _row(report, "pregabalin")
    assert row.current_daily_dose_mg == daily
    assert row.over_max is over


@pytest.mark.parametrize("name, tablets", [
    ("co-codamol 30/500 2 tabs mane 2 tabs nocte", 4),  # rt17: was 2
    ("co-codamol 30/500 1 tab mane 2 tabs nocte", 3),
    ("co-codamol 30/500 2 mane 2 nocte", 4),
])
def test_a_count_for_each_time_of_day_is_added_up(name, tablets):
    reading = _reading(name)
    assert reading.read and reading.tablets == tablets


@pytest.mark.parametrize("name", ["co-codamol 30/500 2 tabs mane nocte", "pregabalin 75mg od nocte",
                                  "pregabalin 75mg bd nocte", "pregabalin 75mg mane mane"])
def test_frequencies_that_cannot_be_added_up_are_check_the_dose(name):
    reading = _reading(name)
    assert reading is not None and not reading.read and "dose field" in reading.problem


# ------------------------------------------------------------------ Tylenol N and a count
@pytest.mark.parametrize("name", ["tylenol 3 tabs tds", "tylenol 4 tabs qds"])
def test_tylenol_n_with_a_count_is_ambiguous_and_names_both(name):
    """The number is the product number (#3: codeine 30 mg / acetaminophen 300 mg) or the count of
    plain Tylenol, never both: the dose is asked for, naming the two readings."""
    for mg in (None, 2700.0):
        reading = _reading(name, mg)
        said = reading.conflict if mg else reading.problem  # a recorded dose is counted and asked about
        assert reading.read is bool(mg)
        assert "two ways" in said and "codeine, acetaminophen" in said
        assert "\"tylenol\" (acetaminophen)" in said
    report = _report([(name, None)], profile="uk")
    assert not [c for c in report.dose_checks if c.rule == "over-label-max"]
    assert report.row("opioids").current_daily_dose_mg in (None, 0)


def test_tylenol_with_its_number_and_a_count_is_still_read():
    """cmb17's readings kept: "tylenol #3 3 tablets tds" is 9 tablets of 30/300."""
    assert _reading("tylenol #3 3 tablets tds").tablets == 9
    assert _reading("tylenol #3 x2 tds").tablets == 6


# ------------------------------------------------------------------ a right record is not flagged
def test_a_right_recorded_dose_agrees_with_a_bare_count():
    """'co-codamol 30/500 2 qds' is 8 tablets: 4000 mg of paracetamol recorded agrees."""
    assert not _checks(_report([("co-codamol 30/500 2 qds", 4000)]))
    assert recorded_dose_words("co-codamol 30/500 2 qds", 4000) == (
        " 4000 mg a day (8 tablets a day of 30/500: codeine 240 mg, acetaminophen 4000 mg)")
    assert any("8 tablets a day" in c.text for c in _checks(_report([("co-codamol 30/500 2 qds", 2000)])))


# ------------------------------------------------------------------ sources of the rule that applied
def test_a_single_medicines_check_cites_only_the_frequency_reading():
    data = _data()
    report = _report([("ibuprofen 800mg qds", 800)], profile="uk")
    (check,) = [c for c in report.dose_checks if c.rule == "check-dose"]
    assert data.name_reading.source in check.source
    assert data.combination_source not in check.source and "co-codamol" not in check.source
    combo = _report([("co-codamol 30/500 2 tablets qds", 360)])
    (check,) = [c for c in combo.dose_checks if c.rule == "check-dose"]
    assert data.combination_source in check.source


def test_the_regimen_words_are_all_accounted_for():
    reading = _data().name_reading
    rest, regimen = find_regimen(spell("co-codamol 30/500 3 qds", reading), reading)
    assert rest == "co-codamol 30/500" and regimen.count == 3 and regimen.bare_count == "3 qds"


@pytest.mark.parametrize("name", ["co-codamol 30/500 1-2 qds", "co-codamol 30/500 1 or 2 qds",
                                  "paracetamol 500mg 1-2 qds"])
def test_a_bare_range_of_tablets_is_check_the_dose(name):
    reading = _reading(name)
    assert not reading.read and "is a range of tablets" in reading.problem


def test_a_sold_strength_written_with_a_dash_before_a_frequency_is_not_a_count():
    """"co-codamol 30-500 2 qds": 30-500 is the sold strength 30/500, the 2 the count (8 tablets)."""
    assert _reading("co-codamol 30\u2013500 2 qds").tablets == 8
    assert _reading("co-codamol 30-500 qds").tablets == 4


@pytest.mark.parametrize("name, mg, counted", [
    ("co-codamol 30/500 qds 2", 4000, 4000),  # a stray number: the recorded 8 tablets still counted
    ("tylenol 3 tabs tds", 2700, 2700),  # ambiguous name: the recorded acetaminophen still counted
])
def test_a_recorded_dose_beside_a_name_that_cannot_be_read_is_counted_and_asked(name, mg, counted):
    """A recorded dose is never dropped because the name is unclear (that would read it too low)."""
    report = _report([(name, mg)])
    assert _row(report, "acetaminophen").current_daily_dose_mg == counted
    assert any(name in c.text for c in _checks(report))
