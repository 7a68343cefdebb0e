"""A daily dose far below any usual dose of a medicine WITHOUT a row is asked about (farbelow2,
H-MED-566..H-MED-570).

The finding: "diclofenac" with 0.15 typed (150 mg meant, as grams) or "celecoxib" 0.2 was read
silently: only the seven medicines with a row had a far-below bound (H-MED-510).

From the sources (resources/medicines/sources.toml), the smallest adult unit taken by mouth:
- meloxicam-5-capsule: meloxicam capsules 5 mg and 10 mg (openFDA label, Novitium); tablets 7.5, 15.
- ketorolac-tablets-label: ketorolac tromethamine tablets 10 mg; maximum 40 mg a day.
- celecoxib-50-capsule: celecoxib 50 mg oral capsule (RxNorm 686379); maximum 400 mg a day.
- diclofenac-25-unit: Zipsor 25 mg capsules (NDC 13913-008), Voltarol 25 mg; maximum 200 / uk 150.
- etodolac-200-capsule: etodolac capsules 200 mg; maximum 1000 mg a day.
- piroxicam-smpc: Piroxicam 10 mg Capsules (UK); maximum 20 mg a day (uk only).
- indomethacin-25-capsule: indomethacin capsules 25 mg; maximum 200 mg a day (uk only).
- ketoprofen-small-units: ketoprofen 12.5 mg tablet (RxNorm 199169), 25 mg capsules; maximum 200 (uk).
- keral-smpc: dexketoprofen 12.5 mg a dose (Keral SmPC 4.2); maximum 75 mg a day.
- aspirin-75-81-tablet: aspirin 75 mg (UK) and 81 mg (US) low-dose tablets; maximum 3900 / uk 3600.
- codeine-sulfate-label: codeine sulfate tablets 15, 30, 60 mg; maximum 360 / uk 240.
- dihydrocodeine-uk: dihydrocodeine tablets 30 mg; maximum 240 mg a day.
- duloxetine-20-capsule, amitriptyline-10-tablet, methocarbamol-500-tablet: 20, 10, 500 mg.
The bound is a tenth of the unit (drugs.toml [dose_check_far_below], far-below-tenth, a bound set by
this tool): just below it is "Check the dose", at it is not. Every label maximum read in grams is
below its bound, so each maximum typed in grams is asked about with its gram reading. Aspirin: a tenth
of 75 mg is 7.5, so 0.3 (300 mg meant) is asked about and the 75 / 81 mg antiplatelet dose never is.
Medicines dosed in a few mg or less (hydromorphone 1-2 mg, morphine and oxycodone solutions,
buprenorphine, fentanyl, colchicine, misoprostol) have no bound and never false-alarm.
"""

from __future__ import annotations

import pytest

from helpers.medicines import example_report as _report, assert_drugs_toml_refused
from radiculopathy_desktop.domain.medications import (dose_reductions,
                                                      load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of

#: name as typed, the smallest adult unit from the source (mg), the generic, a profile it is read under
UNITS = [("meloxicam", 5, "meloxicam", "us"), ("ketorolac", 10, "ketorolac", "us"),
         ("celecoxib", 50, "celecoxib", "us"), ("diclofenac", 25, "diclofenac", "uk"),
         ("etodolac", 200, "etodolac", "us"), ("piroxicam", 10, "piroxicam", "uk"),
         ("indometacin", 25, "indomethacin", "uk"), ("ketoprofen", 12.5, "ketoprofen", "uk"),
         ("dexketoprofen", 12.5, "dexketoprofen", "uk"), ("aspirin", 75, "aspirin", "us"),
         ("codeine", 15, "codeine", "uk"), ("dihydrocodeine", 30, "dihydrocodeine", "uk"),
         ("duloxetine", 20, "duloxetine", "us"), ("amitriptyline", 10, "amitriptyline", "uk"),
         ("methocarbamol", 500, "methocarbamol", "us")]


def _below(report):
    return [c for c in report.dose_checks if c.kind == "below"]


@pytest.mark.parametrize("name, unit, generic, profile", UNITS)
def test_just_below_a_tenth_of_the_smallest_unit_is_asked_and_the_bound_is_not(name, unit, generic, profile):
    bound = unit / 10
    assert load_medicine_data().far_below[generic].bound == pytest.approx(bound)
    (check,) = _below(_report([(name, round(bound - 0.01, 3))], profile))
    assert check.generic == generic and check.medicines == (name,) and check.rule == "check-dose"
    assert f"is far below any usual dose of {generic}" in check.text
    assert f"tenth of the smallest adult tablet or capsule ({unit:g} mg)" in check.text
    assert "It is not converted" in check.text
    assert not _below(_report([(name, bound)], profile))


@pytest.mark.parametrize("name, typed, profile, meant", [
    ("diclofenac", 0.15, "uk", "0.15 g = 150 mg"), ("diclofenac", 0.2, "us", "0.2 g = 200 mg"),
    ("celecoxib", 0.2, "us", "0.2 g = 200 mg"), ("celecoxib", 0.4, "us", "0.4 g = 400 mg"),
    ("meloxicam", 0.015, "us", "0.015 g = 15 mg"), ("ketorolac", 0.04, "us", "0.04 g = 40 mg"),
    ("etodolac", 1, "us", "1 g = 1000 mg"), ("dexketoprofen", 0.075, "uk", "0.075 g = 75 mg"),
    ("piroxicam", 0.02, "uk", "0.02 g = 20 mg"), ("indometacin", 0.2, "uk", "0.2 g = 200 mg"),
    ("ketoprofen", 0.2, "uk", "0.2 g = 200 mg"),
    ("aspirin", 0.3, "uk", "0.3 g = 300 mg"), ("aspirin", 3.6, "uk", "3.6 g = 3600 mg"),
    ("aspirin", 3.9, "us", "3.9 g = 3900 mg"),
    ("codeine", 0.24, "uk", "0.24 g = 240 mg"), ("codeine", 0.36, "us", "0.36 g = 360 mg"),
    ("dihydrocodeine", 0.24, "uk", "0.24 g = 240 mg")])
def test_a_label_maximum_typed_in_grams_is_check_the_dose_naming_the_slip(name, typed, profile, meant):
    report = _report([(name, typed)], profile)
    (alert,) = [a for a in medicine_alerts(report) if name in a.medicines and a.status_label == "Check the dose"]
    assert f"{name} {typed:g} mg a day is far below any usual dose" in alert.text
    assert f"was it typed in grams? {meant}" in alert.text
    assert "above the label maximum" not in alert.text  # each is at most its maximum read in grams
    assert alert.status == "reduce_dose"
    assert [m.label for m in _marks_of(report)] == ["Check the dose"]
    assert dose_reductions(report) == (f"{name} {typed:g} mg/day: check the dose (far below any usual dose: "
                                       "typed in grams?)",)


def test_above_its_own_maximum_in_grams_says_so_and_a_maximum_of_another_profile_is_not_named():
    """UK diclofenac maximum 150 mg (voltarol-smpc): 0.2 read in grams is above it. Piroxicam's 20 mg
    maximum is a UK SmPC's (checked under uk only): under us the slip is asked about with no maximum."""
    text = _below(_report([("diclofenac", 0.2)], "uk"))[0].text
    assert "0.2 g = 200 mg, above the label maximum of 150 mg of diclofenac a day" in text
    text = _below(_report([("piroxicam", 0.02)], "us"))[0].text
    assert "a typing or unit slip?" in text and " g = " not in text
    # a medicine with no label maximum held (duloxetine) is asked about as a slip
    assert "a typing or unit slip?" in _below(_report([("duloxetine", 0.06)], "us"))[0].text


@pytest.mark.parametrize("name, mg", [
    ("aspirin", 75), ("aspirin", 81), ("aspirin 75mg od", None), ("aspirin", 7.5),  # antiplatelet; the bound
    ("meloxicam", 5), ("meloxicam 7.5mg od", None), ("ketorolac", 10), ("celecoxib", 50),
    ("diclofenac", 25), ("zorvolex", 18), ("tivorbex", 20), ("indomethacin", 25), ("ketoprofen", 12.5),
    ("dexketoprofen", 12.5), ("piroxicam", 10), ("etodolac", 200), ("codeine", 15),
    ("dihydrocodeine", 10),  # 5 mL of the 10 mg/5 mL oral solution
    ("duloxetine", 20), ("amitriptyline", 5), ("amitriptyline", 10), ("methocarbamol", 500)])
def test_the_smallest_real_daily_doses_are_never_asked_about(name, mg):
    report = _report([(name, mg)], "uk")
    assert not _below(report)
    assert not any("far below" in a.text for a in medicine_alerts(report))


@pytest.mark.parametrize("name, mg", [
    ("hydromorphone", 1), ("hydromorphone", 2), ("hydromorphone 1.3mg qds", None),
    ("morphine", 1), ("morphine", 2.5), ("oxycodone", 1), ("oxycodone", 2.5), ("methadone", 1),
    ("buprenorphine", 0.2), ("fentanyl 12 mcg/hr patch", None), ("colchicine", 0.5), ("misoprostol", 0.2)])
def test_medicines_dosed_in_a_few_mg_or_less_never_false_alarm(name, mg):
    generic = name.split()[0]
    assert generic not in load_medicine_data().far_below
    report = _report([(name, mg)])
    assert not _below(report)
    assert not any("far below" in a.text for a in medicine_alerts(report))


def test_a_product_given_by_injection_is_not_asked_about_with_a_unit_by_mouth():
    assert not _below(_report([("ketorolac 30mg IM", 0.5)]))
    assert _below(_report([("ketorolac", 0.5)]))


def test_a_daily_dose_read_from_the_name_is_asked_about_too():
    (check,) = _below(_report([("diclofenac 0.05mg tds", None)], "uk"))
    assert "diclofenac 0.05mg tds (0.15 mg a day read from the name) is far below" in check.text
    assert "0.15 g = 150 mg" in check.text


ENTRY = "[dose_check_far_below.medicines.codeine]\nsmallest_unit_mg = 15\nsource = [\"codeine-sulfate-label\"]\n"
ASPIRIN = "[dose_check_far_below.medicines.aspirin]\nsmallest_unit_mg = 75\n"


@pytest.mark.parametrize("old, new, match", [
    (ENTRY, ENTRY.replace("= 15", "= 3"), "below 5 mg"),  # H-MED-567: a unit of a few mg is refused
    (ENTRY, ENTRY.replace("codeine]", "hydromorphone]").replace("= 15", "= 2"), "below 5 mg"),
    # H-MED-569: aspirin's 3900 mg maximum typed 3.9 would not be below a bound of 3 (a 30 mg unit)
    (ASPIRIN, ASPIRIN.replace("= 75", "= 30"), "not above its maximum read in grams"),
    (ENTRY, ENTRY.replace("codeine]", "acetaminophen]"), "dosed by a row of its own"),
    (ENTRY, ENTRY.replace("codeine]", "unobtainium]"), "not a listed generic"),
    (ENTRY, ENTRY.replace('source = ["codeine-sulfate-label"]\n', ""), "has no source"),
    (ENTRY, ENTRY + "label_max_daily_mg = 360\n", "smallest_unit_mg and source only")])
def test_the_data_is_checked_as_it_is_read(tmp_path, old, new, match):
    def edit(text):
        assert old in text
        return text.replace(old, new)

    assert_drugs_toml_refused(tmp_path, edit, match)
