"""typed35 (GP tryout): a "Check the dose" is always its own alert.

H-MED-717: the medicine check asks about a dose it cannot take as recorded (a typed daily dose the regimen in the name
contradicts, "oxycodone 20mg 3 x 4" with 40 mg a day typed: 3 x 4 is 12 tablets a day read either way, 12 x 20 mg =
240 mg, not 40; a regimen not read; "prn" with no most a day). That question was dropped from the alerts (the case
page's MEDICINE SAFETY box, the worklist marks, its JSON and CSV) whenever the same medicine's row alerted for another
reason (its opioid total: "Reassess opioid dose", 40 mg x 1.5 = 60 MME/day, CDC 2022 MME factor for oxycodone; an Avoid
pair with diazepam, FDA boxed warning on opioids with benzodiazepines; an NSAID beside an anticoagulant), or was folded
into that row's alert under its label. Each dose to check is now its own "Check the dose" alert beside any other.
Boundaries: a typed dose that agrees with the name (240 mg a day) asks nothing; a dose to check alone is one alert, as
before; the other alert keeps its own label.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts

from helpers.medicines import EXAMPLE_AS_OF, dose_check_texts, example_case, example_report

OXY = "oxycodone 20mg 3 x 4"
CHECK = "Check the dose"


def _labels(report, name):
    """The labels of the alerts naming ``name``, in the order every surface prints them."""
    return [a.status_label for a in medicine_alerts(report) if name in a.medicines]


def _check_alerts(report, name):
    return [a for a in medicine_alerts(report) if a.status_label == CHECK and name in a.medicines]


def _same_heads(report):
    # the pathway's "review" steps read alert_heads: the same alerts, the same order
    assert alert_heads(report) == tuple((a.medicines, a.status_label) for a in medicine_alerts(report))


@pytest.mark.parametrize("meds, other", [
    # 40 mg x 1.5 = 60 MME/day: the opioid total's own label (CDC 2022: reassess at 50 MME/day or more)
    ([(OXY, 40.0)], "Reassess opioid dose"),
    # an Avoid pair on the same row: the opioid with a benzodiazepine
    ([(OXY, 40.0), ("diazepam 5mg", 10.0)], "Avoid"),
])
def test_a_typed_dose_the_name_contradicts_is_its_own_alert_beside_another(meds, other):
    report = example_report(meds)
    (question,) = [t for t in dose_check_texts(report) if "the name says 3 x 4" in t]
    (alert,) = _check_alerts(report, OXY)
    assert alert.text == question and alert.medicines == (OXY,)
    assert "but the dose recorded is 40 mg a day" in alert.text
    labels = _labels(report, OXY)
    assert other in labels and labels.count(CHECK) == 1
    _same_heads(report)


def test_the_opioid_total_beside_it_stays_provisional():
    # the total still counts the typed 40 mg, said as provisional (opioidnum), never a settled 60 MME/day
    report = example_report([(OXY, 40.0)])
    assert report.current_daily_mme is None
    (total,) = [a for a in medicine_alerts(report) if a.status_label == "Reassess opioid dose"]
    assert "60 MME/day, provisional" in total.text


def test_a_typed_dose_that_agrees_with_the_name_asks_nothing():
    # boundary: 240 mg typed = 12 x 20 mg: nothing to check; 360 MME/day is the one alert
    report = example_report([(OXY, 240.0)])
    assert _check_alerts(report, OXY) == []
    assert _labels(report, OXY) == ["High opioid dose"]


@pytest.mark.parametrize("meds, other", [
    # no dose typed: "3 x 4" read either way is counted (360 MME/day, provisional) AND asked (which was meant?)
    ([(OXY, None)], "High opioid dose"),
    ([(OXY, None), ("diazepam 5mg", 10.0)], "Avoid"),
    # "prn" with no most a day: how much a day cannot be known (NSAID with an anticoagulant: Avoid pair)
    ([("ibuprofen 400mg prn", None), ("apixaban 5mg bd", None)], "Avoid"),
    ([("tramadol 50mg prn", None), ("diazepam 5mg", 10.0)], "Avoid"),
    # an unread regimen beside an Avoid pair
    ([("morphine 10mg q4-6h", None), ("diazepam 5mg", 10.0)], "Avoid"),
])
def test_an_unread_regimen_is_its_own_alert_beside_another(meds, other):
    name = meds[0][0]
    report = example_report(meds)
    (alert,) = _check_alerts(report, name)
    assert alert.text.startswith(f"Check the dose: {name}: no daily dose recorded")
    assert other in _labels(report, name)
    _same_heads(report)


@pytest.mark.parametrize("name", ["oxycodone 20mg prn", "oxycodone 20mg 3 x 4 per week"])
def test_a_dose_to_check_alone_is_one_alert_as_before(name):
    # boundary: nothing else alerts about it: one "Check the dose", said once
    report = example_report([(name, None)])
    assert _labels(report, name) == [CHECK]


def test_a_dose_to_check_on_the_row_is_said_apart_from_the_row_s_own_rating():
    # ibuprofen 40000 mg/day (12.5 times the 3200 mg label maximum: a likely slip) with heart failure (avoid NSAIDs):
    # the check was one reason of the row's "Avoid" alert; it is now its own "Check the dose", the Avoid its own
    d = example_case([("ibuprofen 400mg", 40000.0)])
    d.setdefault("conditions", {})["heart_failure"] = True
    report = assess_medications(parse_case(d).intake, EXAMPLE_AS_OF)
    avoid, check = medicine_alerts(report)
    assert (avoid.status_label, check.status_label) == ("Avoid", CHECK)
    assert "Heart failure" in avoid.text and "Check the dose" not in avoid.text
    assert "12.5 times the label maximum" in check.text and "Heart failure" not in check.text
    _same_heads(report)


def test_a_row_s_check_the_dose_names_only_the_check_it_says():
    # the fentanyl's strength is the row's check; the codeine's "bd x2" is its own question, its own alert
    report = example_report([("fentanyl 25mcg/24h", None), ("codeine 30mg bd x2", None)])
    checks = [a.medicines for a in medicine_alerts(report) if a.status_label == CHECK]
    assert checks == [("fentanyl 25mcg/24h",), ("codeine 30mg bd x2",)]
