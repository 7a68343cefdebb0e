"""nxm (H-MED-675..678): an "N x M" written with no frequency ("co-codamol 30/500 3 x 4") is still asked (3 tablets
4 times a day, 4 tablets 3 times a day, or 3 tablets for 4 days?), but its daily dose is checked either way.

Both orders give N x M tablets a day. Before, the entry gave only "Check the dose" even when every reading of it was
above the daily maximum: "co-codamol 30/500 3 x 4" is 12 tablets a day read either way, 6,000 mg of paracetamol
against the 4,000 mg maximum; "ibuprofen 400mg 3 x 4" is 4,800 mg against 3,200 mg (us) or 2,400 mg (uk).

The arithmetic, from the maxima the data holds (resources/medicines/sources.toml):
- acetaminophen-label (21 CFR 201.326) and nhs-co-codamol: 4,000 mg of paracetamol a day = 8 co-codamol tablets
  (500 mg each); 8 tablets at, 9 (4,500 mg) one tablet over;
- codeine: 360 mg a day under us (codeine-sulfate-label), 240 mg under uk (the UK SmPC): 12 x 30 mg = 360;
- ibuprofen-label: 3,200 mg (us) = 8 x 400 mg; ibuprofen-bnf-max: 2,400 mg (uk) = 6 x 400 mg, 7 tablets one over;
- ultracet-label: at most 8 tablets a day (tramadol 37.5/acetaminophen 325 a tablet);
- [dose_check_slip]: three times the label maximum (12,000 mg of paracetamol) is a likely slip, asked about today.
"""

from __future__ import annotations

import itertools

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import case_dose_reductions, load_medicine_data, read_recorded_dose
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_case, example_report


def _report(meds, profile="us"):
    return example_report([m if isinstance(m, tuple) else (m, None) for m in meds], profile=profile)


def _above(report):
    """(generic, mg a day, limit) of each dose check above a maximum (not the question)."""
    return {(c.generic, c.daily_mg, c.limit_mg, c.rule, c.what) for c in report.dose_checks if c.kind != "name"}


def _question(report, name):
    (check,) = [c for c in report.dose_checks if c.kind == "name" and c.medicines == (name,)]
    return check.text


def _alerts(report, name):
    """The alerts naming ``name`` (the recorded name, as the alerts keep it: lower case)."""
    return [a for a in medicine_alerts(report) if name.lower() in a.medicines]


def _alert(report, name, about=""):
    (alert,) = [a for a in _alerts(report, name) if about in a.text]
    return alert


# ------------------------------------------------------------------ every reading above the maximum (H-MED-675)
@pytest.mark.parametrize("profile, para", [("us", "acetaminophen"), ("uk", "paracetamol")])
def test_co_codamol_3_x_4_is_above_the_paracetamol_maximum_either_way(profile, para):
    name = "co-codamol 30/500 3 x 4"
    report = _report([name], profile)
    assert ("acetaminophen", 6000.0, 4000.0, "over-label-max", "") in _above(report)
    alert = _alert(report, name, about=f"mg of {para} a day")
    assert alert.status == "reduce_dose"
    assert (f"\"3 x 4\" read either way (3 tablets 4 times a day or 4 tablets 3 times a day) is 12 tablets a day = "
            f"6000 mg of {para} a day, above the label maximum of 4000 mg of {para} a day") in alert.text
    # still asked: which was meant (and the third reading) is named, never guessed
    assert "Which was meant (or 3 tablets for 4 days) is still to be confirmed" in alert.text
    assert "above the maximum of" in _question(report, name)


def test_co_codamol_3_x_4_codeine_at_the_us_maximum_above_the_uk_one():
    # 12 x 30 mg = 360 mg of codeine: the US label's 360 mg (at: not above), the UK SmPC's 240 mg (above)
    us, uk = _report(["co-codamol 30/500 3 x 4"], "us"), _report(["co-codamol 30/500 3 x 4"], "uk")
    assert not any(g == "codeine" for g, *_ in _above(us))
    assert "within the maximum: codeine 360 mg a day" in _question(us, "co-codamol 30/500 3 x 4")
    assert ("codeine", 360.0, 240.0, "over-label-max", "") in _above(uk)


@pytest.mark.parametrize("profile, limit", [("us", 3200.0), ("uk", 2400.0)])
def test_ibuprofen_400_3_x_4_is_above_the_maximum_either_way(profile, limit):
    name = "ibuprofen 400mg 3 x 4"
    report = _report([name], profile)
    assert ("ibuprofen", 4800.0, limit, "over-label-max", "") in _above(report)
    alert = _alert(report, name, about="above the label maximum")
    assert alert.status == "reduce_dose" and "is 12 tablets a day = 4800 mg of ibuprofen a day" in alert.text
    # typed35 (H-MED-717): which was meant is still its own "Check the dose" beside it, never folded into it
    (asked,) = [a for a in _alerts(report, name) if a.status_label == "Check the dose"]
    assert asked.text == _question(report, name)


@pytest.mark.parametrize("written", ["3 x 4", "3x4", "3 X 4", "3X4", "3 × 4", "3×4", "4 x 3"])
def test_every_way_of_writing_x_gives_the_same_check(written):
    name = f"ibuprofen 400mg {written}"
    report = _report([name], "uk")
    assert ("ibuprofen", 4800.0, 2400.0, "over-label-max", "") in _above(report)
    assert _alert(report, name, about="above the label maximum").status == "reduce_dose"
    # typed35 (H-MED-717): and the question of which was meant, its own "Check the dose"
    assert [a.status_label for a in _alerts(report, name)] == ["Reduce dose", "Check the dose"]


# ------------------------------------------------------------------ boundaries: at the maximum, one tablet over
@pytest.mark.parametrize("name, profile, over", [
    ("co-codamol 30/500 2 x 4", "us", False),  # 8 tablets: 4000 mg, at the maximum
    ("co-codamol 30/500 4 x 2", "uk", False),
    ("co-codamol 30/500 3 x 3", "us", True),   # 9 tablets: 4500 mg, one tablet over
    ("co-codamol 30/500 3x3", "uk", True),
    ("ibuprofen 400mg 2 x 4", "us", False),    # 3200 mg: at the US label's maximum
    ("ibuprofen 400mg 3 x 3", "us", True),     # 3600 mg
    ("ibuprofen 400mg 2 x 3", "uk", False),    # 2400 mg: at the BNF maximum
    ("ibuprofen 400mg 1 x 7", "uk", True),     # 2800 mg: one tablet over
    ("ibuprofen 400mg 7×1", "uk", True),
])
def test_at_the_maximum_is_asked_one_tablet_over_is_reduce_dose(name, profile, over):
    report = _report([name], profile)
    assert bool(_above(report)) is over
    question = _question(report, name)
    if over:
        assert all(a.status == "reduce_dose" for a in _alerts(report, name)) and _alerts(report, name)
        assert "above the maximum of" in question
    else:
        # none above: still asked which was meant, and said to be within the maximum whichever it is
        assert _alert(report, name).status_label == "Check the dose"
        assert "within the maximum" in question and "which was meant is still to be confirmed" in question


def test_both_orders_always_give_the_same_daily_dose_so_the_same_verdict():
    # N tablets M times a day and M tablets N times a day are both N x M tablets: with the daily maxima the data holds
    # (no maximum of one dose), the two readings can never differ in verdict. Every pair the reader asks about
    data = load_medicine_data()
    for a, b in itertools.product(range(1, 5), range(1, 13)):
        name = f"ibuprofen 400mg {a} x {b}"
        reading = read_recorded_dose(name, ("ibuprofen",), None, data)
        assert reading is not None and not reading.read, name
        totals = {r.components for r in reading.either_way}
        assert totals == {(("ibuprofen", 400.0 * a * b),)}, name
        assert len(reading.either_way) == (1 if a == b else 2)


# ------------------------------------------------------------------ with the other products of the medicine
@pytest.mark.parametrize("paracetamol, over", [(None, False), (500, True)])
def test_other_products_of_the_medicine_count_toward_the_maximum(paracetamol, over):
    meds = [("co-codamol 30/500 2 x 4", None)] + ([("paracetamol", paracetamol)] if paracetamol else [])
    report = _report(meds)
    above = _above(report)
    if over:
        assert ("acetaminophen", 4500.0, 4000.0, "over-label-max", "") in above
        text = next(c.text for c in report.dose_checks if c.rule == "over-label-max")
        assert "with paracetamol 500 mg/day also taken, 4500 mg of acetaminophen a day in all" in text
    else:
        assert not above


# ------------------------------------------------------------------ far above: the slip check and the patient's box
def test_far_above_the_maximum_either_way_is_the_slip_check():
    # 12 x 4 = 48 tablets: 24000 mg of paracetamol, six times the maximum (above the 12000 mg slip bound)
    name = "co-codamol 30/500 12 x 4"
    report = _report([name])
    far = [c for c in report.dose_checks if c.far_above_max]
    assert {(c.generic, c.daily_mg) for c in far} == {("acetaminophen", 24000.0), ("codeine", 1440.0)}
    assert {a.status_label for a in _alerts(report, name)} == {"Check the dose"}
    # each far-above check says so; typed35 (H-MED-717): the name's own question (which was meant?) is its own alert too
    question = _question(report, name)
    assert [a.text for a in _alerts(report, name)].count(question) == 1
    assert all("far above the maximum" in a.text for a in _alerts(report, name) if a.text != question)


def test_a_product_maximum_in_tablets_is_checked_either_way():
    # Ultracet: at most 8 tablets a day; 3 x 3 = 9 (tramadol 337.5, acetaminophen 2925: both within their own maxima)
    over = _report(["ultracet 3 x 3"])
    assert {(c.generic, c.rule) for c in over.dose_checks if c.kind != "name"} == {("tramadol", "over-product-max")}
    assert "above the product's own label maximum of 8 tablets a day" in _alert(over, "ultracet 3 x 3",
                                                                               about="product's own label").text
    assert not _above(_report(["ultracet 2 x 4"]))  # 8 tablets: at


# ------------------------------------------------------------------ what is left as before (H-MED-676)
@pytest.mark.parametrize("name", [
    "co-codamol 30/500 2 tabs 3 x 4",  # another count beside it: the daily dose is not known either way
    "ibuprofen 400mg 3 x 4 prn",       # as needed: no daily dose
    "ibuprofen 3 x 4",                 # no strength
    "methotrexate 2.5mg 3 x 4",        # once a week: asked as such, no daily maximum
])
def test_no_either_way_check_when_the_daily_dose_is_not_known(name):
    report = _report([name])
    assert not _above(report)
    assert _alert(report, name).status_label == "Check the dose"


def test_a_recorded_dose_is_used_as_before():
    # 2000 mg recorded beside "3 x 4": the recorded dose is the dose (4 tablets), as before
    report = _report([("co-codamol 30/500 3 x 4", 2000)])
    assert not any(c.rule == "over-label-max" for c in report.dose_checks)


def test_a_medicine_without_a_label_maximum_is_never_said_within_a_maximum():
    # oxycodone: only a bound far above any usual dose (no label maximum); 12 x 20 mg is never "within the maximum"
    question = _question(_report(["oxycodone 20mg 3 x 4"]), "oxycodone 20mg 3 x 4")
    assert "within the maximum" not in question and "oxycodone has no label maximum here" in question


# ------------------------------------------------------------------ stored marks (the worklist's dose alerts)
def test_the_stored_dose_alerts_say_the_maximum_and_the_question():
    lines = case_dose_reductions(parse_case(example_case([("co-codamol 30/500 3 x 4", None)])), ("us", "uk"))
    assert lines["us"] == ("co-codamol 30/500 3 x 4 6000 mg/day of acetaminophen > max 4000 mg/day",
                           "co-codamol 30/500 3 x 4: check the dose (the regimen in its name cannot be read)")
    assert "co-codamol 30/500 3 x 4 360 mg/day of codeine > max 240 mg/day" in lines["uk"]
