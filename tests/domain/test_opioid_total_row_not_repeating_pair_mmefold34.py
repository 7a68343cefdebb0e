"""mmefold34 (H-MED-706, H-MED-707): one hazard said once when the opioid row carries the patient's total.

Morphine 60 mg/day with diazepam 10 mg/day: the morphine row is rated Avoid for the benzodiazepine (CDC 2022, FDA
Drug Safety Communication 31 August 2016: opioid with a benzodiazepine) and carries the opioid total (50 MME/day or
more, CDC; rules.toml opioid-mme-50). The pair's alert ("Taking morphine with diazepam: Opioid with a
benzodiazepine ...") says the benzodiazepine. Below 50 MME the row's benzodiazepine reason was folded into the pair
(spell28, H-UI-433), but at 50 or more the row was kept whole because it carried the total, so the benzodiazepine
was said twice ("AVOID: morphine. AVOID: morphine and diazepam together ..." on the worklist; two AVOID alerts in
assess) and the clinician counted two problems.

Now the total is a reason of the row's own like any other: the row says the total alone under its own label
("Reassess opioid dose" 50-89, "High opioid dose" 90 or more, CDC 2016 recommendation 5, sources.toml
cdc-2022-dosage), as it does without diazepam, and the pair alone says the benzodiazepine. A second reason of the
row's own rated Avoid (Beers 2023: an opioid at 65 or over with a history of falls, rules.toml opioid-beers-falls)
stays, and keeps the row Avoid with the total beside it. Nothing is lost: every source, the total and the
do-not-stop-suddenly text are still said by some alert.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of, marks_words
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 12, 1)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
DIAZEPAM = ("diazepam", 10)
#: mg of morphine a day (x 1 MME) -> the total's label (None: below 50, no total)
BOUNDS = [(49, None), (50, "Reassess opioid dose"), (89, "Reassess opioid dose"), (90, "High opioid dose")]


def _report(meds, *, born="1970-01-01", falls=False, profile="us"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=born, sex="male", weight_kg=80)
    if falls:
        d.setdefault("conditions", {})["falls_history"] = True
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n} for n, mg in meds]
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


def _sources(alerts) -> set[str]:
    return {s.strip() for a in alerts for s in a.source.split("; ") if s.strip()}


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("mg, label", BOUNDS)
def test_morphine_with_diazepam_is_one_avoid_for_the_pair_and_the_total_under_its_own_label(mg, label, profile):
    report = _report([("morphine", mg), DIAZEPAM], profile=profile)
    alerts = medicine_alerts(report)
    # the benzodiazepine with the opioid is one Avoid: the pair's (under uk, NICE's own note on diazepam alone, a
    # benzodiazepine not offered for sciatica, is another matter and stays)
    avoid = [a for a in alerts if a.status_label == "Avoid" and "morphine" in a.medicines]
    assert [(a.kind, a.medicines) for a in avoid] == [("interaction", ("morphine", "diazepam"))]
    rows = [a for a in alerts if a.kind == "medicine"]
    words = marks_words(_marks_of(report))
    if label is None:
        assert rows == [] and "MME/day" not in words
        return
    (row,) = rows
    assert row.status_label == label and row.medicines == ("morphine",)
    assert f"current opioids total {mg} MME/day" in row.text
    assert "benzodiazepine" not in row.text
    # the do-not-stop-suddenly action is on the total's alert and on the pair's
    assert "do not stop morphine suddenly" in row.action
    assert "do not stop morphine or diazepam suddenly" in avoid[0].action
    # the worklist's words: Avoid once (the pair), the total once
    assert words.count("Avoid: morphine") == 1 and words.count(f"total {mg} MME/day") == 1
    assert words.startswith("Avoid: morphine and diazepam together (review both with the prescriber).")
    # the same alert with diazepam as without it: the total's alert does not change with the pair beside it
    (alone,) = medicine_alerts(_report([("morphine", mg)], profile=profile))
    assert (row.text, row.status_label, row.total, row.source) == (alone.text, alone.status_label, alone.total,
                                                                   alone.source)


@pytest.mark.parametrize("mg, label", BOUNDS[1:])
def test_nothing_is_lost_every_source_and_the_total_are_still_said(mg, label):
    report = _report([("morphine", mg), DIAZEPAM])
    alerts = medicine_alerts(report)
    (opioid_row,) = [r for r in report.rows if r.drug == "opioids"]
    said = _sources(alerts)
    # every source of every reason of the row (the benzodiazepine's and the total's) is said by an alert
    for reason in opioid_row.reasons_at_least("avoid"):
        for part in reason.source.split("; "):
            assert part.strip() in said, part[:80]
    # the CDC advice of the total (reassess / avoid increasing, naloxone, no rapid cut) is said
    text = " ".join(a.text for a in alerts)
    assert "offer naloxone" in text and "cut it rapidly" in text and f"current opioids total {mg} MME/day" in text
    assert label in {a.status_label for a in alerts}
    # the medicine table (the case page's rows) keeps every reason, the benzodiazepine's included
    assert any("benzodiazepine" in r.text for r in opioid_row.reasons)


@pytest.mark.parametrize("mg, label", BOUNDS)
def test_a_reason_of_the_rows_own_stays_avoid_with_the_total_beside_it(mg, label):
    """Age 80 with a history of falls (Beers 2023: avoid opioids): the row's own Avoid reason stays, the total
    beside it (mme23), and still not the benzodiazepine, which the pair says."""
    report = _report([("morphine", mg), DIAZEPAM], born="1946-01-01", falls=True)
    alerts = medicine_alerts(report)
    (row,) = [a for a in alerts if a.kind == "medicine"]
    assert row.status_label == "Avoid"
    assert "history of falls" in row.text and "Beers 2023 says avoid opioids" in row.text
    assert "benzodiazepine" not in row.text
    if label is None:
        assert row.total == "" and "MME/day" not in row.text
    else:
        assert row.text.startswith(f"Taking morphine {mg} mg/day ({label}: current opioids total {mg} MME/day): "
                                   "avoid for this patient: ")
    assert [a.medicines for a in alerts if a.kind == "interaction"] == [("morphine", "diazepam")]


@pytest.mark.parametrize("meds", [
    [("morphine", 60), DIAZEPAM],
    [("morphine", 90), DIAZEPAM],
    [("morphine", 60), DIAZEPAM, ("gabapentin", 900)],
    [("codeine", 240), ("tramadol", 200), DIAZEPAM],  # one total on two rows, folded into one alert (mme21)
    [("Mezolar Matrix 50", None), DIAZEPAM],
])
def test_the_heads_agree_with_the_alerts(meds):
    report = _report(meds)
    assert alert_heads(report) == tuple((a.medicines, a.status_label) for a in medicine_alerts(report))
    assert "benzodiazepine" not in " ".join(a.text for a in medicine_alerts(report) if a.kind == "medicine")


def test_two_opioids_with_diazepam_say_one_total_and_one_pair():
    report = _report([("codeine", 240), ("tramadol", 200), DIAZEPAM])  # 36 + 40 = 76 MME/day
    alerts = medicine_alerts(report)
    (row,) = [a for a in alerts if a.kind == "medicine"]
    assert row.medicines == ("codeine", "tramadol") and row.status_label == "Reassess opioid dose"
    assert marks_words(_marks_of(report)).count("total 76 MME/day") == 1
