"""A daily dose far below any usual dose is asked about, never converted (grams; H-MED-510..H-MED-513).

The finding: the dose field is mg a day. "paracetamol" with 4 typed (4 g meant) was read as 4 mg a
day and nothing said; likewise ibuprofen 1.2, gabapentin 1.8, naproxen 1 (grams meant).

From the sources (resources/medicines/sources.toml), the smallest adult tablet or capsule of each
medicine with a row (drugs.toml ``smallest_unit_mg``):
- acetaminophen-325-otc: US OTC Drug Facts, "Acetaminophen 325 mg" a tablet (regular strength).
- ibuprofen-200-otc: US OTC Drug Facts, "Ibuprofen 200 mg" a tablet.
- naproxen-220-otc: US OTC Drug Facts, "Naproxen sodium 220mg (naproxen 200mg)".
- gabapentin-100-capsule: Neurontin capsules 100, 300, 400 mg; the label's renal table gives
  100-300 mg a day below 15 mL/min, reduced in proportion to the clearance (half at 7.5: 50 mg).
- pregabalin-25-capsule: Lyrica 25 mg capsule; the label's renal table: 25-75 mg a day below 15.
- tramadol-50-tablet: tramadol hydrochloride 50 mg tablets.
- cyclobenzaprine-5-tablet: cyclobenzaprine 5 mg tablets; the label's dose is 5 mg three times a day.
The bound (drugs.toml ``[dose_check_far_below]``, source far-below-tenth) is a tenth of that unit,
a bound set by this tool [unverified]: a daily dose above 0 and below it is "Check the dose";
at the bound it is not. The label maxima (read in grams) are all below their bound, so each
maximum typed in grams is asked about.
Boundaries: just below the bound (asked), the bound (not), the smallest real doses the labels give
(not), each label maximum typed in grams (asked, with its gram reading).
"""

from __future__ import annotations

import pytest

from helpers.medicines import assert_drugs_toml_refused

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (dose_reductions,
                                                      far_below_question, load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.domain.test_dose_far_above_maximum import AS_OF, _case, _report

#: generic as typed, the smallest adult unit from the source (mg), the row's generic
UNITS = [("paracetamol", 325, "acetaminophen"), ("ibuprofen", 200, "ibuprofen"), ("naproxen", 200, "naproxen"),
         ("gabapentin", 100, "gabapentin"), ("pregabalin", 25, "pregabalin"), ("tramadol", 50, "tramadol"),
         ("cyclobenzaprine", 5, "cyclobenzaprine")]


def _below(report):
    return [c for c in report.dose_checks if c.kind == "below"]


@pytest.mark.parametrize("name, unit, generic", UNITS)
def test_just_below_a_tenth_of_the_smallest_unit_is_asked_and_the_bound_is_not(name, unit, generic):
    bound = unit / 10
    assert load_medicine_data().far_below[generic].bound == pytest.approx(bound)
    report = _report([(name, bound - 0.01)])
    (check,) = _below(report)
    assert check.generic == generic and check.medicines == (name,) and check.rule == "check-dose"
    assert f"is far below any usual dose of {generic}" in check.text
    assert "It is not converted" in check.text
    assert not _below(_report([(name, bound)]))


@pytest.mark.parametrize("name, mg", [
    ("paracetamol", 325), ("ibuprofen", 200), ("naproxen", 200),  # one smallest adult tablet a day
    ("gabapentin", 100), ("gabapentin", 50),  # the renal table's lowest, and half of it at 7.5 mL/min
    ("pregabalin", 25), ("cyclobenzaprine", 5), ("tramadol", 25), ("tramadol", 50)])
def test_the_smallest_real_daily_doses_the_labels_give_are_never_asked_about(name, mg):
    report = _report([(name, mg)])
    assert not _below(report)
    assert not [a for a in medicine_alerts(report) if a.status_label == "Check the dose"]


@pytest.mark.parametrize("name, typed, profile, meant", [
    ("paracetamol", 4, "us", "4 g = 4000 mg"), ("paracetamol", 4, "uk", "4 g = 4000 mg"),
    ("ibuprofen", 1.2, "us", "1.2 g = 1200 mg"), ("ibuprofen", 3.2, "us", "3.2 g = 3200 mg"),
    ("naproxen", 1, "us", "1 g = 1000 mg"), ("naproxen", 1.5, "us", "1.5 g = 1500 mg"),
    ("gabapentin", 1.8, "us", "1.8 g = 1800 mg"), ("gabapentin", 3.6, "us", "3.6 g = 3600 mg"),
    ("pregabalin", 0.15, "us", "0.15 g = 150 mg"), ("pregabalin", 0.6, "us", "0.6 g = 600 mg"),
    ("tramadol", 0.4, "us", "0.4 g = 400 mg"), ("cyclobenzaprine", 0.03, "us", "0.03 g = 30 mg")])
def test_a_daily_dose_typed_in_grams_up_to_the_maximum_is_check_the_dose_naming_the_slip(name, typed, profile, meant):
    report = _report([(name, typed)], profile)
    (alert,) = [a for a in medicine_alerts(report) if name in a.medicines and a.status_label == "Check the dose"]
    assert f"{name} {typed} mg a day is far below any usual dose" in alert.text
    assert f"was it typed in grams? {meant}" in alert.text
    assert "above the label maximum" not in alert.text  # each is at most its maximum read in grams
    # still an alert, rated as serious as a dose to reduce, on the worklist's marks and dose list
    assert alert.status == "reduce_dose"
    assert [m.label for m in _marks_of(report)] == ["Check the dose"]
    assert (name,) in [tuple(names) for names, lab in alert_heads(report) if lab == "Check the dose"]
    assert dose_reductions(report) == (f"{name} {typed} mg/day: check the dose (far below any usual dose: "
                                       "typed in grams?)",)


def test_never_converted_the_row_keeps_the_dose_typed_and_no_reduce_dose():
    report = _report([("paracetamol", 4)], "uk")
    row = next(r for r in report.rows if r.currently_taking and "paracetamol" in r.current_medicines)
    assert row.current_daily_dose_mg == 4 and row.dose_to_check and not row.over_max
    assert "4000 mg/day" not in " ".join(r.text for r in row.reasons)
    assert "Reduce dose" not in [a.status_label for a in medicine_alerts(report)]


def test_in_grams_above_the_maximum_says_so_and_above_the_slip_bound_no_gram_reading():
    """UK ibuprofen maximum 2400 mg (BNF): 3.2 read in grams is above it. Paracetamol's slip bound is
    3 x 4000 = 12000 mg (drugs.toml [dose_check_slip]): 12 read in grams is within it, 13 is not."""
    text = _below(_report([("ibuprofen", 3.2)], "uk"))[0].text
    assert "3.2 g = 3200 mg, above the label maximum of 2400 mg of ibuprofen a day" in text
    text = _below(_report([("paracetamol", 12)], "us"))[0].text
    assert "12 g = 12000 mg, above the label maximum of 4000 mg of acetaminophen a day" in text
    text = _below(_report([("paracetamol", 13)], "us"))[0].text
    assert "a typing or unit slip?" in text and " g = " not in text


def test_each_product_is_checked_on_its_own_not_the_total():
    """paracetamol typed 4 (4 g meant) beside co-codamol 30/500 8 tablets a day (4000 mg of paracetamol):
    the total is 4004 mg, above no bound, but the 4 is asked about (8 g meant in all)."""
    report = _report([("paracetamol", 4), ("co-codamol 30/500 2 tablets qds", None)], "uk")
    assert [c.medicines for c in _below(report)] == [("paracetamol",)]


def test_a_daily_dose_read_from_the_name_is_asked_about_too():
    report = _report([("tramadol 0.1mg qds", None)])
    (check,) = _below(report)
    assert "tramadol 0.1mg qds (0.4 mg a day read from the name) is far below" in check.text
    assert "0.4 g = 400 mg" in check.text


@pytest.mark.parametrize("name, mg", [
    ("buprenorphine", 0.4),  # sublingual micrograms: two 200 microgram tablets a day
    ("buprenorphine 10 mcg/hr patch", None), ("fentanyl 25 mcg/hr patch", None),
    ("misoprostol", 0.8),  # 800 micrograms a day
    ("colchicine", 0.5), ("colchicine", 1),
    ("prednisone", 1), ("dexamethasone", 0.5), ("aspirin", 75), ("arthrotec 50/200 bd", None)])
def test_medicines_with_legitimately_tiny_doses_never_false_alarm(name, mg):
    report = _report([(name, mg)])
    assert not _below(report)
    assert not any("far below" in a.text for a in medicine_alerts(report))


def test_far_below_question_is_none_at_zero_none_and_without_a_bound():
    data = load_medicine_data()
    assert far_below_question("paracetamol", "acetaminophen", None, data=data) is None
    assert far_below_question("paracetamol", "acetaminophen", 0, data=data) is None
    assert far_below_question("colchicine", "colchicine", 0.5, data=data) is None
    assert far_below_question("paracetamol", "acetaminophen", 4, data=data).startswith("Check the dose: paracetamol 4")


@pytest.mark.parametrize("lang, says, never", [
    ("en", "Your record says you take acetaminophen 4 mg a day. That is far less than any usual amount",
     ("keep taking", "far more")),
    ("es", "Su historia dice que toma paracetamol 4 mg al día. Es mucho menos de lo habitual",
     ("siga tomando", "mucho más"))])
def test_a_sheet_asks_to_check_the_dose_saying_far_less_never_keep_taking(lang, says, never):
    req = h.request_for_case(parse_case(_case([("paracetamol", 4)])), AS_OF, clinic_name="Clinic",
                             clinic_contact="555", lang=lang, sheets=["med_acetaminophen"], profile="uk")
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert says in text
    for words in never:
        assert words not in text
    # the clinician's note under the sheet says the same, never "far above the usual amount"
    notes = " ".join(h.dose_notices(req))
    assert "recorded dose is far below the usual amount (perhaps grams written as milligrams)" in notes
    assert "far above" not in notes


@pytest.mark.parametrize("old, new, match", [
    ("smallest_unit_mg = 325\n", "smallest_unit_mg = 39\n", "not above its maximum read in grams"),  # 3.9 < 4 g
    ("check_below_fraction_of_smallest_unit = 0.1\n", "check_below_fraction_of_smallest_unit = 1\n",
     "between 0 and 1"),
    ('smallest_unit_source = ["acetaminophen-325-otc"]\n', "", "has no source")])
def test_the_data_is_checked_as_it_is_read(tmp_path, old, new, match):
    def edit(text):
        assert old in text
        return text.replace(old, new)

    assert_drugs_toml_refused(tmp_path, edit, match)
