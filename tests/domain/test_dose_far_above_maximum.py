"""A dose far above a label maximum is asked about, and every dose above a label maximum has
one label (gp18 F9; H-MED-319, H-MED-320).

From the sources (resources/medicines/sources.toml):
- Ibuprofen, US prescription label (Motrin): "do not exceed 3200 mg total daily dose" (us);
  BNF adult maximum for pain 2400 mg a day (uk profile_max).
- Acetaminophen, US OTC labeling (21 CFR 201.326): "do not exceed 4000 mg in 24 hours";
  paracetamol UK SmPC 4.2: "under no circumstances must the daily dose of paracetamol exceed
  four grams in 24 hours".
- Codeine sulfate US label: "do not exceed 360 mg in 24 hours"; codeine phosphate UK SmPC 4.2:
  "maximum daily dose of codeine should not exceed 240 mg".
Every label says "do not exceed" the maximum: the dose is lowered to it ("Reduce dose"), the
same for every medicine, unless another reason rates the medicine itself "Avoid".

The typing-slip bound (drugs.toml ``[dose_check_slip]``) is NOT a number any source gives: it
is this tool's choice, three times the label maximum (two products of one medicine each at its
maximum reach twice it, a real dose; an extra zero typed in a usual dose reaches ten times it).
gp18 F9: "ibuprofen 4000mg qds" (16 g a day, 5x the US and 6.7x the UK maximum) was "Avoid ...
above the label maximum", taken at face value.
Boundaries: the maximum (nothing), just above (Reduce dose), three times it (still Reduce dose),
just above three times (Check the dose).
"""

from __future__ import annotations

import shutil

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (MedicineDataError, assess_medications, default_data_dir,
                                                      dose_reductions, load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from helpers.medicines import EXAMPLE_AS_OF as AS_OF, example_case as _case, example_report as _report


def _labels(report, name):
    return [a.status_label or a.status for a in medicine_alerts(report) if name in a.medicines]


# --------------------------------------------------------------------------- item 1: a likely typing slip
@pytest.mark.parametrize("generic, profile, label_max", [
    ("ibuprofen", "us", 3200), ("ibuprofen", "uk", 2400),
    ("paracetamol", "us", 4000), ("paracetamol", "uk", 4000),
    ("codeine", "us", 360), ("codeine", "uk", 240)])
def test_three_times_the_maximum_is_reduce_dose_and_just_above_is_check_the_dose(generic, profile, label_max):
    bound = 3 * label_max
    for mg in (label_max + 1, bound - 1, bound):
        report = _report([(generic, mg)], profile)
        assert _labels(report, generic) == ["Reduce dose"], (mg, medicine_alerts(report))
        assert not [c for c in report.dose_checks if c.kind == "check"]
    report = _report([(generic, bound + 1)], profile)
    alerts = [a for a in medicine_alerts(report) if generic in a.medicines]
    assert [a.status_label for a in alerts] == ["Check the dose"]
    # still an alert, rated as serious as a dose to reduce, and on the worklist's dose list
    assert alerts[0].status == "reduce_dose"
    assert "A typing or unit slip?" in alerts[0].text and f"{bound + 1} mg/day" in alerts[0].text
    assert f"label maximum of {label_max} mg" in alerts[0].text
    assert "above the label maximum of" not in " ".join(alerts[0].reasons).replace(
        f"times the label maximum of {label_max}", "")  # never also worded as a dose to lower
    assert [c.kind for c in report.dose_checks] == ["check"]
    # opioidnum (H-MED-612): the slip check's own words
    assert dose_reductions(report) == (f"{generic} {bound + 1} mg/day: check the dose (far above the label maximum: "
                                       "a typing or unit slip?)",)
    assert [m.label for m in _marks_of(report)] == ["Check the dose"]
    row = next(r for r in report.rows if r.currently_taking and generic in r.current_medicines)
    assert row.dose_to_check and not row.over_max


def test_the_finding_ibuprofen_4000mg_qds_is_asked_about_under_both_profiles():
    for profile, times in (("uk", "6.6 times"), ("us", "5 times")):
        report = _report([("ibuprofen 4000mg qds", None)], profile)
        alert = next(a for a in medicine_alerts(report) if "ibuprofen 4000mg qds" in a.medicines)
        assert alert.status_label == "Check the dose"
        assert f"16000 mg/day is {times} the label maximum" in alert.text
        assert ("ibuprofen 4000mg qds", "Check the dose") in [(m[0], lab) for m, lab in alert_heads(report)]


def test_paracetamol_from_two_products_at_twice_the_maximum_is_a_real_dose_to_reduce():
    """gp18's own list: paracetamol 1 g qds with co-codamol 30/500 2 qds = 8 g a day (2x)."""
    report = _report([("paracetamol 1g qds", None), ("co-codamol 30/500 2 qds", None)], "uk")
    alert = next(a for a in medicine_alerts(report) if a.kind == "medicine" and "paracetamol 1g qds" in a.medicines)
    assert alert.status_label == "Reduce dose" and "8000 mg/day" in alert.text
    assert "typing" not in alert.text
    # the action is to lower the paracetamol, never to taper it; the codeine co-codamol also holds is
    # named as the reason for care (rt19 F3), not the paracetamol
    assert alert.action.startswith("Reduce the dose to the adjusted maximum or below.")
    assert "do not stop co-codamol" not in alert.action and "also contains codeine" in alert.action


def test_a_sheet_for_a_likely_slip_asks_to_check_the_dose_never_too_high_or_keep_taking():
    req = h.request_for_case(parse_case(_case([("ibuprofen 4000mg qds", None)])), AS_OF, clinic_name="Clinic",
                             clinic_contact="555", lang="en", sheets=["med_nsaid"], profile="uk")
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    # sheet2 (H-UI-505): 16000 mg is far above the 2400 mg maximum: the box is headed as the overdose it may be
    assert "Your recorded dose is far too high: contact your prescriber today" in text
    assert "Your record says you take ibuprofen 16000 mg a day" in text
    assert "keep taking" not in text and "too high for you" not in text


# --------------------------------------------------------------------------- item 2: one label above a maximum
@pytest.mark.parametrize("generic, profile, mg", [
    ("ibuprofen", "us", 3201), ("ibuprofen", "uk", 2401), ("paracetamol", "uk", 4001),
    ("naproxen", "us", 1501), ("codeine", "us", 361), ("codeine", "uk", 241), ("tramadol", "us", 401)])
def test_every_dose_just_above_its_label_maximum_is_reduce_dose_everywhere(generic, profile, mg):
    report = _report([(generic, mg)], profile)
    assert _labels(report, generic) == ["Reduce dose"]
    assert [lab for names, lab in alert_heads(report) if generic in names] == ["Reduce dose"]
    assert [m.label for m in _marks_of(report)] == ["Reduce dose"]
    assert len(dose_reductions(report)) == 1 and f"{generic} {mg} mg/day" in dose_reductions(report)[0]
    reason = next(r for row in report.rows for r in row.reasons if r.rule == "over-label-max")
    assert reason.severity == "reduce_dose" and reason.text.startswith("Reduce dose")


def test_a_reason_to_avoid_the_medicine_itself_still_makes_it_avoid():
    """NSAID with heart failure (the existing rule) above the maximum: Avoid, and the dose too."""
    d = _case([("ibuprofen", 3201)])
    d["conditions"]["heart_failure"] = True
    report = assess_medications(parse_case(d).intake, AS_OF, profile="us")
    row = report.row("ibuprofen")
    assert row.status == "avoid" and row.over_max
    assert any(r.rule == "over-label-max" and r.severity == "reduce_dose" for r in row.reasons)


@pytest.mark.parametrize("value", ["2", "1.5", "true", '"3"'])
def test_a_slip_bound_at_or_below_twice_the_maximum_is_refused(tmp_path, value):
    d = tmp_path / "data"
    shutil.copytree(default_data_dir(), d)
    text = (d / "drugs.toml").read_text(encoding="utf-8")
    assert "check_above_times_label_max = 3\n" in text
    (d / "drugs.toml").write_text(text.replace("check_above_times_label_max = 3\n",
                                               f"check_above_times_label_max = {value}\n"), encoding="utf-8")
    load_medicine_data.cache_clear()
    try:
        with pytest.raises(MedicineDataError, match="dose_check_slip"):
            load_medicine_data(str(d))
    finally:
        load_medicine_data.cache_clear()


@pytest.mark.parametrize("generic, mg, stepwise", [("tramadol", 401, True), ("codeine", 361, True),
                                                   ("gabapentin", 3601, False), ("ibuprofen", 3201, False)])
def test_an_opioid_to_reduce_is_lowered_step_by_step_and_nothing_else_is_told_so(generic, mg, stepwise):
    """FDA Drug Safety Communication, 9 April 2019: serious harm when opioids are "suddenly ...
    discontinued or the dose rapidly decreased". Tramadol above 400 mg was "Avoid ... taper with
    the prescriber"; as "Reduce dose" it keeps the step by step. A gabapentinoid lowered to its
    maximum is not delayed, and an NSAID has no withdrawal."""
    alert = next(a for a in medicine_alerts(_report([(generic, mg)])) if generic in a.medicines)
    assert alert.status_label == "Reduce dose"
    assert ("step by step with the prescriber" in alert.action) is stepwise
    if stepwise:
        assert "fda-opioid-tapering-2019" in load_medicine_data().sources and "9 April 2019" in alert.source
