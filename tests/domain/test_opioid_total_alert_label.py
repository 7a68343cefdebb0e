"""The opioid-total alert says what it asks, not "Avoid" (mme22, H-MED-353, H-MED-354).

mme21 rated the rules opioid-mme-50/-90 "avoid" so that they reach every alert surface; the label
then read "AVOID: morphine" for a stable patient on morphine 30mg bd (60 MME/day), which a
colleague may read as "stop the morphine". The alert now carries the rule's own label
(rules.toml ``alert_label``), decided in one place (domain/worklist_marks) for every surface.

The words are CDC's asks. CDC 2016 recommendation 5 (the numbers; read in CDC's 2016 CDS
implementation guide, sources.toml cdc-2022-dosage): "should carefully reassess evidence of
individual benefits and risks when considering increasing dosage to >=50 morphine milligram
equivalents (MME)/day, and should avoid increasing dosage to >=90 MME/day or carefully justify a
decision to titrate dosage to >=90 MME/day" -> "Reassess opioid dose" at 50 to 89, "High opioid
dose" at 90 or more. CDC 2022 recommendation 5: "opioid therapy should not be discontinued
abruptly, and clinicians should not rapidly reduce opioid dosages from higher dosages" -> never
"Avoid" (read as "stop").

Methadone and buprenorphine (sources.toml cdc-2022-methadone): CDC's letter to ASAM (January 2018,
as quoted by the AMA): the dosage thresholds should not "guide dosing of medication-assisted
treatment for opioid-use disorder" -> the alert says "if for pain" and why, in itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import MedicineDataError, _alert_label_of, assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import (_label_order, _marks_of, alert_label, medicines_label,
                                                         strongest_label)
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 12, 1)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
HIGH, REASSESS = "High opioid dose", "Reassess opioid dose"
HIGH_OUD, REASSESS_OUD = "High opioid dose if for pain", "Reassess opioid dose if for pain"


def _report(meds, profile="us"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1970-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n} for n, mg in meds]
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


def _total_alerts(report):
    return [a for a in medicine_alerts(report) if "current opioids total" in a.text]


def _labels_everywhere(report) -> set[str]:
    """The label of the total's alert on each surface's source: the alert (case page, banner, CLI
    case, summary, FHIR read medicine_alerts), its head (pathway), the worklist marks (column, CSV),
    and the medicine table's row."""
    every = [a.status_label for a in medicine_alerts(report)]
    assert [label for _names, label in alert_heads(report)] == every  # one label, one order
    assert [m.label for m in _marks_of(report)] == every
    at = [n for n, a in enumerate(medicine_alerts(report)) if "current opioids total" in a.text]
    rows = {row.status_label for row in report.rows if row.currently_taking and row.status == "avoid"}
    return {every[n] for n in at} | rows


@pytest.mark.parametrize("mg, label", [
    (49, None), (50, REASSESS), (51, REASSESS), (89, REASSESS), (90, HIGH), (91, HIGH),
])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_label_at_the_cdc_points_just_below_at_and_above(mg, label, profile):
    report = _report([("morphine", mg)], profile)
    if label is None:
        assert _total_alerts(report) == [] and medicines_label(_marks_of(report), ()) == ""
        return
    assert _labels_everywhere(report) == {label}
    assert medicines_label(_marks_of(report), ()) == label
    assert "Avoid" not in {a.status_label for a in medicine_alerts(report)}


def test_the_stable_patient_on_morphine_30mg_bd_never_reads_avoid():
    """The brief's patient: 60 MME/day, stable. Every label says reassess, none says avoid, and
    the alert's text no longer opens "avoid for this patient"."""
    report = _report([("morphine 30mg bd", None)])
    (alert,) = _total_alerts(report)
    assert alert.status_label == REASSESS
    assert "avoid for this patient" not in alert.text
    assert alert.text.startswith("Taking morphine 30mg bd 60 mg/day: Opioid dose: current opioids total 60 MME/day")
    (mark,) = _marks_of(report)
    # its total said once, without repeating the label (mme23)
    assert mark.words().startswith("Reassess opioid dose: morphine 30mg bd. Current opioids total 60 MME/day. "
                                   "Review now with the prescriber; do not stop morphine 30mg bd suddenly")


def test_a_fentanyl_patch_and_mixed_opioids_at_the_points():
    """CDC 2022 table: fentanyl transdermal mcg/h x 2.4 (37.5 -> 90); codeine x 0.15, tramadol x 0.2."""
    assert _labels_everywhere(_report([("fentanyl 25 mcg/h patch", None)])) == {REASSESS}
    assert _labels_everywhere(_report([("fentanyl 37.5 mcg/h patch", None)])) == {HIGH}
    # codeine 200 (30) + tramadol 100 (20) = 50: one alert naming both, reassess
    report = _report([("codeine", 200), ("tramadol", 100)])
    (alert,) = _total_alerts(report)
    assert alert.medicines == ("codeine", "tramadol") and alert.status_label == REASSESS
    assert "avoid for this patient" not in alert.text


def test_order_ninety_sorts_with_avoid_fifty_after_check_the_dose():
    """The decision (worklist_marks._label_order): 90 or more just after Avoid, above Reduce dose;
    50 to 89 after Check the dose, still an alert (a caution would reach no alert surface)."""
    order = _label_order()
    assert order.index("Avoid") < order.index(HIGH) < order.index("Reduce dose")
    assert order.index("Avoid") < order.index(HIGH_OUD) < order.index("Reduce dose")
    assert order.index("Check the dose") < order.index(REASSESS)
    assert order.index("Check the dose") < order.index(REASSESS_OUD)
    assert strongest_label({REASSESS, "Check the dose"}) == "Check the dose"
    assert strongest_label({HIGH, "Reduce dose"}) == HIGH
    assert strongest_label({HIGH, "Avoid"}) == "Avoid"


def test_real_cases_are_ordered_so_on_every_surface():
    """Morphine beside naproxen above its maximum (Reduce dose) or an ibuprofen slip (Check the
    dose): at 60 MME the dose comes first; at 100 MME the high opioid dose does."""
    for other, mg, expected in (
            (("naproxen", 2000), 60, ["Reduce dose", REASSESS]), (("naproxen", 2000), 100, [HIGH, "Reduce dose"]),
            (("ibuprofen 4000mg qds", None), 60, ["Check the dose", REASSESS]),
            (("ibuprofen 4000mg qds", None), 90, [HIGH, "Check the dose"])):
        report = _report([("morphine", mg), other])
        assert [a.status_label for a in medicine_alerts(report)] == expected
        assert [label for _n, label in alert_heads(report)] == expected
        assert [m.label for m in _marks_of(report)] == expected
        assert medicines_label(_marks_of(report), ()) == expected[0]


def test_another_reason_at_avoid_keeps_the_severity_word():
    """The rule's own label is used only when the total alone makes the rating: any other avoid
    reason is the stronger ask ("Avoid" stands)."""
    from radiculopathy_desktop.domain.medications import Reason

    total = Reason("High opioid dose: ...", "avoid", "", (), "opioid-mme-90")
    other = Reason("Kidney ...", "avoid", "", (), "opioid-renal")
    assert alert_label("Avoid", [total]) == HIGH
    assert alert_label("Avoid", [Reason("x", "avoid", "", (), "opioid-mme-90@uk")]) == HIGH
    assert alert_label("Avoid", [total, other]) == "Avoid"
    assert alert_label("Avoid", []) == "Avoid"
    # a real case: morphine 60 with gabapentin (Beers 2023 / FDA 2019: avoid combining) stays Avoid
    report = _report([("morphine", 60), ("gabapentin", 1800)])
    assert report.row("opioids").status_label == "Avoid"
    # mmefold34 (H-MED-706): its alerts say the gabapentinoid once, by the pair (Avoid), and the row's alert keeps
    # only its own reason, the total, under the total's label (it said "Avoid" twice for the one combination)
    assert [(a.kind, a.status_label) for a in medicine_alerts(report)] == [("interaction", "Avoid"),
                                                                           ("medicine", "Reassess opioid dose")]


@pytest.mark.parametrize("mg, label", [(49, None), (50, REASSESS_OUD), (89, REASSESS_OUD), (90, HIGH_OUD)])
def test_with_buprenorphine_the_alert_itself_says_the_thresholds_are_for_pain(mg, label):
    """Morphine with a buprenorphine patch (no CDC factor: not counted): the label and the text say
    the thresholds are for pain, not guidance for opioid use disorder treatment."""
    report = _report([("morphine", mg), ("BuTrans 10 micrograms/hour patch", None)])
    if label is None:
        assert _total_alerts(report) == []
        return
    (alert,) = _total_alerts(report)
    assert _labels_everywhere(report) == {label}
    assert "not guidance for methadone or buprenorphine treating opioid use disorder" in alert.text
    assert "whose treatment programme sets the dose" in alert.text
    assert "never stop it or cut it rapidly" in alert.text or "do not stop it or cut it rapidly" in alert.text


@pytest.mark.parametrize("mg, label", [(10.6, None), (10.7, REASSESS_OUD), (19, REASSESS_OUD), (19.2, HIGH_OUD),
                                       (200, HIGH_OUD)])
def test_methadone_at_treatment_doses_is_not_told_the_pain_thresholds_as_its_dose(mg, label):
    """Methadone x 4.7 (CDC 2022 table): 10.6 mg = 49.8, 10.7 = 50.3, 19 = 89.3, 19.2 = 90.2 MME/day."""
    report = _report([("methadone", mg)])
    alerts = _total_alerts(report)
    if label is None:
        assert alerts == []
        return
    (alert,) = alerts
    assert alert.status_label == label and _labels_everywhere(report) == {label}
    assert "CDC's MME thresholds are for pain and are not guidance for methadone or buprenorphine" in alert.text
    # one line, no second alert contradicting it: the programme note stays a note (info), not an alert
    assert [a.status_label for a in medicine_alerts(report)] == [label]


def test_the_uk_wording_keeps_the_us_source_note_with_the_methadone_label():
    (alert,) = _total_alerts(_report([("methadone", 30)], "uk"))
    assert alert.status_label == HIGH_OUD
    assert "from the US CDC guideline: no UK source for them was read" in alert.text


@pytest.mark.parametrize("entry, sev, error", [
    ({"alert_label": "X"}, "avoid", "go together"),
    ({"alert_sorts_after": "Avoid"}, "avoid", "go together"),
    ({"alert_label": "X", "alert_sorts_after": "Avoid"}, "caution", "makes no alert"),
    ({"alert_label": "X", "alert_sorts_after": "Caution"}, "avoid", "must be one of"),
    ({"alert_label": "Avoid", "alert_sorts_after": "Avoid"}, "avoid", "already a severity label"),
])
def test_the_data_refuses_a_label_that_cannot_be_ranked(entry, sev, error):
    with pytest.raises(MedicineDataError, match=error):
        _alert_label_of("rules.toml: rule 'x'", entry, sev)
    assert _alert_label_of("w", {}, "caution") == (None, None)
