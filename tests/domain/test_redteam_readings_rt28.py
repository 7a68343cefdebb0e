"""Typed medicine strings the round-28 red team found read into a WRONG daily total with nothing said
(redteam28; code: dose_in_name.spell / find_regimen, medications._reading_from_regimen, _dose_band, _facts).

Every reading is right or asked about ("Check the dose"), never a wrong number taken silently:

- a fraction of a tablet (H-MED-490): "morphine 20mg 1/2 tab qds" was read as 80 mg a day (the "1/2" passed
  over, one tablet read); it is half a tablet, 40 mg. A fraction with no count word ("1/2 qds") or one that is no
  part of one tablet ("5/4 tab") is asked about.
- the Greek letter mu (H-MED-491): "morphine 10 μg qds" (U+03BC, not the micro sign U+00B5) lost its unit and was
  read as 10 mg, 40 mg a day; it is micrograms.
- micrograms for a medicine taken in mg (H-MED-492): "morphine 10mcg qds" was read as 0.04 mg a day, 0 MME, shown
  as fine; a medicine whose maximum or MME is checked in mg, written in micrograms, is almost surely mg mistyped,
  so it is asked about. Fentanyl and buprenorphine (classes.toml [dose_units]: micrograms) are not.
- aspirin (H-MED-493): the analgesic-dose bound of the data (rules.toml [[dose_class]], aspirin-uk-smpc /
  aspirin-fda-low-dose: more than 325 mg a day, or more than 325 mg in one dose) is met by two lines added up
  ("aspirin 75mg od" and "aspirin 300mg od": 375 mg a day) and by one line with a strength above 325 mg beside
  another ("aspirin 75mg + 600mg"); before, both were "low dose" or unknown and nothing was said.

Label maxima used for boundaries, as the data already holds them: tramadol 400 mg a day (tramadol-label),
paracetamol 4 g a day, naproxen 1000 mg a day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.dose_in_name import spell
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import DOSE_NOT_CHECKED_RULE, assess_medications, load_medicine_data
from helpers.medicines import dose_asked as _asked, daily_read as _daily, name_reading as _reading, typed_case

AS_OF = dt.date(2026, 3, 2)


def _case(meds, age=50, pregnancy=None):
    return parse_case(typed_case([(n, None) for n in meds], AS_OF, age=age, pregnancy_weeks=pregnancy))


def _report(meds, profile="uk", pregnancy=None):
    return assess_medications(_case(meds, pregnancy=pregnancy).intake, AS_OF, profile=profile)


def _name_checks(report, name):
    return [c for c in report.dose_checks if c.rule == "check-dose" and name in c.medicines]


# ------------------------------------------------------------------------------- fractions of a tablet
@pytest.mark.parametrize("name, expected", [
    ("morphine 20mg 1/2 tab qds", {"morphine": 40}),
    ("ibuprofen 400mg 1/2 tab tds", {"ibuprofen": 600}),
    ("pregabalin 300mg 1/2 tab bd", {"pregabalin": 300}),
    ("morphine 20mg 3/4 tablet qds", {"morphine": 60}),
    ("oxycodone 10mg 1/2 tablets bd", {"oxycodone": 10}),
    ("co-codamol 30/500 1/2 tab qds", {"codeine": 60, "acetaminophen": 1000}),
    # near misses read as before
    ("oxycodone 10mg 1.5 tabs qds", {"oxycodone": 60}),
    ("morphine 20mg 1 tab qds", {"morphine": 80}),
    ("co-codamol 30/500 2 qds", {"codeine": 240, "acetaminophen": 4000}),
    ("naproxen 500mg bd 2/52", {"naproxen": 1000}),
])
def test_a_fraction_of_a_tablet_is_that_part_of_the_strength(name, expected):
    assert _daily(name) == pytest.approx(expected)


def test_half_a_tablet_of_an_opioid_counts_half_the_mme():
    report = _report(["morphine 20mg 1/2 tab qds"])
    assert report.current_daily_mme == pytest.approx(40)  # was 80: twice the dose taken


@pytest.mark.parametrize("name, daily, over", [
    ("tramadol 200mg 1/2 tab qds", 400, False),  # at the 400 mg maximum (was read as 800: "Reduce dose")
    ("tramadol 200mg 3/4 tab qds", 600, True),  # above it
    ("tramadol 100mg 1/2 tab qds", 200, False),
])
def test_a_fraction_of_a_tablet_meets_the_label_maximum(name, daily, over):
    row = _report([name]).row("tramadol")
    assert row.current_daily_dose_mg == pytest.approx(daily)
    assert row.over_max is over


@pytest.mark.parametrize("name, words", [
    ("morphine 20mg 1/2 qds", "1/2"),  # no count word: part of a tablet or a second number?
    ("morphine 20mg 1/2 bd", "1/2"),
    ("morphine 20mg 5/4 tab qds", "5/4 tab"),  # no part of one tablet
    ("tramadol 50mg 1 1/2 tabs qds", "more than one number"),
])
def test_a_fraction_that_is_no_part_of_a_tablet_is_asked_about(name, words):
    assert words in _asked(name)
    report = _report([name])
    assert _name_checks(report, name)


def test_half_a_tablet_written_with_the_vulgar_fraction_is_half_a_tablet():
    # forms29 (H-MED-536): "½" was not read (the medicine not recognised); it is now half a tablet, as "1/2" is,
    # never one tablet (tests/domain/test_typed_forms_forms29.py has the boundaries)
    data = load_medicine_data()
    assert data.resolve("oxycodone 10mg ½ tab bd")[0] == ("oxycodone",)
    assert _reading("oxycodone 10mg ½ tab bd").components == (("oxycodone", 10.0),)


# ------------------------------------------------------------------------------- micrograms
def test_the_greek_mu_is_the_micro_sign():
    data = load_medicine_data()
    assert spell("morphine 10 \u03bcg qds", data.name_reading) == spell("morphine 10 \u00b5g qds", data.name_reading)


@pytest.mark.parametrize("name", ["morphine 10 \u03bcg qds", "morphine 10\u03bcg qds", "morphine 10 \u00b5g qds",
                                  "morphine 10mcg qds", "morphine 10 micrograms qds", "oxycodone 10 mcg bd",
                                  "naproxen 500mcg bd", "tramadol 100ug qds", "ibuprofen 400 mcg tds"])
def test_a_medicine_taken_in_mg_written_in_micrograms_is_asked_about(name):
    # "morphine 10 μg qds" was read as 40 mg a day (the Greek mu dropped), "morphine 10mcg qds" as 0.04 mg (0 MME)
    assert "written in micrograms" in _asked(name)
    report = _report([name])
    assert _name_checks(report, name)
    generic = load_medicine_data().resolve(name)[0][0]
    if generic in ("morphine", "oxycodone", "tramadol"):
        assert report.current_daily_mme is None  # not counted, and said


@pytest.mark.parametrize("name, mme", [
    ("fentanyl 25 \u03bcg/hr", 60), ("fentanyl 25\u03bcg/h patch", 60), ("fentanyl 25 mcg/hr", 60),
    ("morphine 10mg qds", 40), ("oxycodone 10mg qds", 60),
])
def test_micrograms_of_a_patch_and_mg_of_a_tablet_are_read_as_before(name, mme):
    assert _report([name]).current_daily_mme == pytest.approx(mme)


@pytest.mark.parametrize("name, generic, mg", [
    ("betnesol 500 micrograms 4 tablets daily", "betamethasone", 2.0),  # Betnesol is a 500 microgram tablet
    ("dexamethasone 500 micrograms bd", "dexamethasone", 1.0),
])
def test_a_steroid_sold_in_micrograms_is_read_as_written(name, generic, mg):
    assert _daily(name) == pytest.approx({generic: mg})


def test_buprenorphine_in_micrograms_is_not_asked_as_a_mistyped_mg():
    # buprenorphine is taken in micrograms (classes.toml [dose_units]): its own patch-strength check answers
    problem_free = _report(["buprenorphine 200mcg tds"])
    assert not any("written in micrograms" in c.text for c in problem_free.dose_checks)


# ------------------------------------------------------------------------------- aspirin
def _aspirin_notes(report):
    return {(n.rule, n.medicines) for n in report.current_notes if n.rule != DOSE_NOT_CHECKED_RULE}


def test_two_aspirin_lines_above_325_mg_a_day_are_an_analgesic_dose():
    names = ["aspirin 75mg od", "aspirin 300mg od"]  # 375 mg a day
    notes = _aspirin_notes(_report(names))
    assert ("aspirin-analgesic-dose", tuple(names)) in notes


def test_two_aspirin_lines_at_325_mg_a_day_are_low_dose():
    for names in (["aspirin 75mg od", "aspirin 250mg od"], ["aspirin 75mg od", "aspirin 75mg od"]):
        assert _aspirin_notes(_report(names)) == set()


def test_two_aspirin_lines_above_325_mg_a_day_get_the_nsaid_pregnancy_rule():
    names = ["aspirin 75mg od", "aspirin 300mg od"]
    rules = {rule for rule, _m in _aspirin_notes(_report(names, "uk", pregnancy=31))}
    assert "nsaid-pregnancy-30" in rules
    low = {rule for rule, _m in _aspirin_notes(_report(["aspirin 75mg od", "aspirin 250mg od"], "uk", pregnancy=31))}
    assert "nsaid-pregnancy-30" not in low


@pytest.mark.parametrize("name, above", [
    ("aspirin 75mg + 600mg", True),
    ("aspirin 75mg and 600mg", True),
    ("aspirin 75mg + 326mg", True),
    ("aspirin 75 mg + 1 g", True),
    ("aspirin 75mg + 325mg", False),  # each dose at most 325 mg: the day's total is not known
    ("aspirin 75mg and 300mg", False),
])
def test_one_aspirin_line_with_a_strength_above_325_mg_is_an_analgesic_dose(name, above):
    rules = {rule for rule, _m in _aspirin_notes(_report([name]))}
    assert ("aspirin-analgesic-dose" in rules) is above


# ------------------------------------------------------------------------------- a unit not read, a patch's rate
@pytest.mark.parametrize("name", ["fentanyl 25 mcg/hr qds", "fentanyl 25mcg patch qds", "fentanyl 12 mcg/hr qds",
                                  "fentanyl 25 mcg/hr bd", "fentanyl 25 qds", "butrans 5 bd"])
def test_a_patch_written_with_times_a_day_is_asked_about_never_read_as_mg(name):
    # "fentanyl 25 mcg/hr qds" was read as 100 mg of fentanyl a day: the rate's "25" taken as mg (its unit skipped)
    problem = _asked(name)
    assert "patch is changed every few days" in problem
    report = _report([name])
    assert _name_checks(report, name)
    generic = load_medicine_data().resolve(name)[0][0]
    row = report.row("opioids")
    assert row.current_daily_dose_mg is None
    if generic == "fentanyl":
        # the patch's rate, as before, in a total said as provisional: its dose is to check (opioidnum, H-MED-611)
        assert report.current_daily_mme is None
        assert report.mme_provisional.startswith(f"{60 if '25' in name else 30} MME/day, provisional: it counts {name}")


@pytest.mark.parametrize("name, mme", [("fentanyl 25 mcg/hr", 60), ("fentanyl 25mcg/hr patch every 72 hours", 60),
                                       ("fentanyl 25 every 72 hours", 60)])
def test_a_patch_with_its_change_interval_is_read_as_before(name, mme):
    report = _report([name])
    assert report.current_daily_mme == pytest.approx(mme)
    assert not _name_checks(report, name)


@pytest.mark.parametrize("name, expected", [
    ("buprenorphine 8mg od", {"buprenorphine": 8}),  # a strength in mg: no patch
    ("oxycodone 2.5 mg qds", {"oxycodone": 10}),
    ("paracetamol 1 g qds", {"acetaminophen": 4000}),
    ("naproxen 500 bd", {"naproxen": 1000}),
])
def test_a_number_with_its_unit_after_a_space_is_read_as_before(name, expected):
    assert _daily(name) == pytest.approx(expected)


@pytest.mark.parametrize("name", ["morphine 10 mcgs qds", "oxycodone 5 mcgs bd"])
def test_a_number_whose_unit_is_not_read_is_never_taken_as_mg(name):
    # "10 mcgs" (the unit with an s) was the bare number 10 read as mg
    assert _asked(name)
