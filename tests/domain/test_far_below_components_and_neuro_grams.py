"""A daily dose far below any usual dose, typed in grams (farbelow3, H-MED-590..H-MED-593).

1. Nortriptyline, carbamazepine, baclofen, venlafaxine and tapentadol get the far-below check the
   other medicines have (drugs.toml [dose_check_far_below.medicines.<generic>]). The smallest adult
   oral unit of each, from its source (resources/medicines/sources.toml):
   - nortriptyline-10-capsule: nortriptyline capsules 10 mg (openFDA NDC 63187-715); 25/50/75 mg too.
   - carbamazepine-100-tablet: carbamazepine chewable tablets 100 mg (NDC 13668-271, 51672-4041); 200 mg.
   - baclofen-5-tablet: "Each tablet ... contains 5 mg, 10 mg or 20 mg baclofen" (openFDA label).
   - venlafaxine-25-tablet: venlafaxine tablets 25 mg (NDC 57664-392, 55111-545); 37.5 and 75 mg too.
   - tapentadol-25-unit: Nucynta tablets 50, 75, 100 mg (openFDA); UK Palexia SR 25 mg [unverified].
   The bound is a tenth of the unit (far-below-tenth, a bound set by this tool): just below it is
   "Check the dose", at it and above it is not. None has a label maximum held here, so the slip is
   asked about as "a typing or unit slip?". Tizanidine (2 mg tablets) is below the 5 mg floor: never.
2. A combination product's components are checked against the same bound (the finding: a strength
   written in grams in the name, "paracetamol/codeine 0.5/0.03 2 tabs qds", was read as paracetamol
   4 mg and codeine 0.24 mg a day and said nothing). The least a product is read as is half a unit a
   day, and the loader refuses a listed product whose half unit of a component is below the bound,
   so no real dose of a listed product (co-codamol 8/500 half a tablet: codeine 4 mg) is asked about.
3. Dexibuprofen (dexibuprofen-smpc, Seractil UK SmPC 4.2): "The maximum single dose is 400mg, the
   maximum daily dose is 1200mg dexibuprofen". Its dose was "not checked"; 1200 is now at the maximum
   and 1201 above it. With ibuprofen it is two NSAIDs (rule nsaid-duplicate).
"""

from __future__ import annotations

import pytest

from helpers.medicines import assert_drugs_toml_refused, example_report as _report
from radiculopathy_desktop.domain.medications import dose_reductions, load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of

#: name as typed, the smallest adult oral unit from its source (mg), the generic
UNITS = [("nortriptyline", 10, "nortriptyline"), ("carbamazepine", 100, "carbamazepine"),
         ("baclofen", 5, "baclofen"), ("venlafaxine", 25, "venlafaxine"), ("tapentadol", 25, "tapentadol")]
#: dexibuprofen (dexibuprofen-smpc): half the 400 mg tablet, the Swiss 200 mg sachet; its maximum is held
DEXIBUPROFEN_UNIT = 200


def _below(report):
    return [c for c in report.dose_checks if c.kind == "below"]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("name, unit, generic", UNITS)
def test_just_below_a_tenth_of_the_smallest_unit_is_asked_and_at_or_above_it_is_not(name, unit, generic, profile):
    bound = unit / 10
    assert load_medicine_data().far_below[generic].bound == pytest.approx(bound)
    (check,) = _below(_report([(name, round(bound - 0.01, 3))], profile))
    assert check.generic == generic and check.medicines == (name,) and check.rule == "check-dose"
    assert f"is far below any usual dose of {generic}: a typing or unit slip?" in check.text
    assert f"(checked below {bound:g} mg a day: a tenth of the smallest adult tablet or capsule ({unit:g} mg)" \
        in check.text
    for mg in (bound, round(bound + 0.01, 3), unit):
        assert not _below(_report([(name, mg)], profile)), mg


@pytest.mark.parametrize("name, typed", [
    ("nortriptyline", 0.025), ("nortriptyline", 0.075),  # one 25 mg capsule, one 75 mg capsule, in grams
    ("carbamazepine", 0.2), ("carbamazepine", 0.4),  # one 200 mg tablet; 200 mg twice a day
    ("baclofen", 0.015), ("baclofen", 0.06),  # 5 mg three times a day; 20 mg three times a day
    ("venlafaxine", 0.075), ("venlafaxine", 0.225),
    ("tapentadol", 0.1), ("tapentadol", 0.4)])  # 50 mg twice a day; 100 mg four times a day
def test_a_usual_daily_dose_typed_in_grams_is_check_the_dose(name, typed):
    report = _report([(name, typed)], "uk")
    (alert,) = [a for a in medicine_alerts(report) if name in a.medicines and a.status_label == "Check the dose"]
    assert f"{name} {typed:g} mg a day is far below any usual dose of {name}" in alert.text
    # under uk carbamazepine is also "Avoid" (NICE does not offer antiepileptics for sciatica)
    assert "Check the dose" in [m.label for m in _marks_of(report)]
    assert dose_reductions(report) == (f"{name} {typed:g} mg/day: check the dose (far below any usual dose: "
                                       "typed in grams?)",)


@pytest.mark.parametrize("name, mg", [
    ("nortriptyline", 10), ("nortriptyline 10mg nocte", None), ("carbamazepine", 100), ("carbamazepine", 200),
    ("baclofen", 5), ("baclofen 5mg tds", None), ("venlafaxine", 25), ("venlafaxine", 37.5),
    ("tapentadol", 25), ("tapentadol 50mg bd", None),
    ("tizanidine", 2), ("tizanidine", 0.5)])  # tizanidine: below the 5 mg floor, never given a bound
def test_the_smallest_real_daily_doses_are_never_asked_about(name, mg):
    assert "tizanidine" not in load_medicine_data().far_below
    report = _report([(name, mg)], "uk")
    assert not _below(report)
    assert not any("far below" in a.text for a in medicine_alerts(report))


def test_a_combination_whose_strength_was_written_in_grams_is_asked_about_for_each_component():
    report = _report([("paracetamol/codeine 0.5/0.03 2 tabs qds", None)], "uk")
    texts = {c.generic: c.text for c in _below(report)}
    assert set(texts) == {"acetaminophen", "codeine"}
    assert ("the paracetamol in paracetamol/codeine 0.5/0.03 2 tabs qds (4 mg a day read from the name) is far "
            "below any usual dose of paracetamol: was it typed in grams? 4 g = 4000 mg") in texts["acetaminophen"]
    assert ("the codeine in paracetamol/codeine 0.5/0.03 2 tabs qds (0.24 mg a day read from the name) is far "
            "below any usual dose of codeine: was it typed in grams? 0.24 g = 240 mg") in texts["codeine"]
    assert {m.label for m in _marks_of(report)} == {"Check the dose"}
    assert set(dose_reductions(report)) == {
        "paracetamol/codeine 0.5/0.03 2 tabs qds 4 mg/day of paracetamol: check the dose (far below any usual "
        "dose: typed in grams?)",
        "paracetamol/codeine 0.5/0.03 2 tabs qds 0.24 mg/day of codeine: check the dose (far below any usual "
        "dose: typed in grams?)"}


@pytest.mark.parametrize("name, asked", [
    # paracetamol's bound is a tenth of its row's 325 mg unit: 32.5 mg a day
    ("paracetamol/codeine 32.4/15 1 tab od", {"acetaminophen"}),
    ("paracetamol/codeine 32.5/15 1 tab od", set()),
    ("paracetamol/codeine 500/1.4 1 tab od", {"codeine"}),  # codeine: a tenth of 15 mg
    ("paracetamol/codeine 500/1.5 1 tab od", set())])
def test_a_component_at_the_boundary(name, asked):
    assert {c.generic for c in _below(_report([(name, None)], "uk"))} == asked


@pytest.mark.parametrize("name, mg", [
    ("co-codamol 8/500", 4),  # half a tablet a day: codeine 4 mg, paracetamol 250 mg
    ("co-codamol 8/500 1 tab od", None), ("co-dydramol 10/500", 5), ("ultracet", 37.5),
    ("tylenol #3", 30), ("arthrotec 50 bd", None), ("nurofen plus 2 tabs tds", None)])
def test_a_real_dose_of_a_combination_product_is_never_asked_about(name, mg):
    for profile in ("us", "uk"):
        assert not _below(_report([(name, mg)], profile))


def test_a_listed_combination_whose_half_unit_is_below_a_bound_is_refused(tmp_path):
    old = "[combination_products.co-codamol]\nsold_as = [[8, 500],"

    def edit(text):
        assert old in text
        return text.replace(old, "[combination_products.co-codamol]\nsold_as = [[2, 500], [8, 500],")

    assert_drugs_toml_refused(tmp_path, edit, "half a unit holds 1 mg of codeine, below its far-below bound")


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_dexibuprofen_is_checked_against_its_smpc_maximum(profile):
    at = _report([("dexibuprofen", 1200)], profile)
    assert not at.dose_checks
    assert not any("Dose not checked" in n.text for n in at.current_notes)
    over = _report([("dexibuprofen", 1201)], profile)
    assert [(c.kind, c.generic, c.limit_mg) for c in over.dose_checks] == [("label_max", "dexibuprofen", 1200)]
    assert dose_reductions(over) == ("dexibuprofen 1201 mg/day > max 1200 mg/day",)
    assert "Seractil" in over.dose_checks[0].source


def test_dexibuprofen_far_below_its_unit_and_its_maximum_typed_in_grams():
    assert load_medicine_data().far_below["dexibuprofen"].bound == DEXIBUPROFEN_UNIT / 10
    (check,) = _below(_report([("dexibuprofen", 19.99)], "uk"))
    assert "tenth of the smallest adult tablet or capsule (200 mg)" in check.text
    assert not _below(_report([("dexibuprofen", 20)], "uk"))
    assert not _below(_report([("dexibuprofen", 150)], "uk"))  # half a 300 mg tablet
    (check,) = _below(_report([("dexibuprofen", 1.2)], "uk"))
    assert "was it typed in grams? 1.2 g = 1200 mg" in check.text
    assert "1.6 g = 1600 mg, above the label maximum of 1200 mg of dexibuprofen a day" in \
        _below(_report([("dexibuprofen", 1.6)], "us"))[0].text


def test_dexibuprofen_with_ibuprofen_is_two_nsaids():
    report = _report([("dexibuprofen", 600), ("ibuprofen", 400)], "uk")
    (alert,) = [a for a in medicine_alerts(report) if "Two NSAIDs together" in a.text]
    assert set(alert.medicines) == {"dexibuprofen", "ibuprofen"}
