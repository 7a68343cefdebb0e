"""The patient's own opioid total is said, with its label, whatever else rates the medicine
(mme23, H-MED-409, H-MED-411).

mme22 gave the total its own label ("Reassess opioid dose" at 50-89 MME/day, "High opioid dose" at
90 or more; "... if for pain" beside methadone or buprenorphine), but only when the total was the
row's only reason. A patient on "Mezolar Matrix 50" (a fentanyl patch, 50 mcg/h x 2.4 = 120
MME/day) who also takes diazepam is rated Avoid for the opioid with a benzodiazepine, and the
worklist's mark read "Avoid: mezolar matrix 50. Review now ..." with no 120 MME/day, which the
case page gave. One rule (worklist_marks.opioid_total / total_sentence) now says it on the alert,
the mark and its JSON.

The points are CDC's (2016 recommendation 5, sources.toml cdc-2022-dosage): "carefully reassess
... when considering increasing dosage to >=50 MME/day, and should avoid increasing dosage to >=90
MME/day"; the fentanyl factor 2.4 is CDC 2022's MME table (cdc-2022-mme).

And a medicine the patient does not take (mme23 item 3): tramadol's row beside oxycodone 80 mg/day
(120 MME/day) is rated Avoid for adding an opioid at that total; it is labelled "Avoid", never the
patient's own "High opioid dose", which belongs to the medicines taken.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import (AlertSpan, _marks_of, marks_from_json, marks_words,
                                                         total_sentence)
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 12, 1)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _report(meds, profile="us"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1970-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n} for n, mg in meds]
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


DIAZEPAM = ("diazepam", 10)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("opioid, words", [
    (("morphine", 49), None),  # below 50: no total to say
    (("morphine", 50), "Reassess opioid dose: current opioids total 50 MME/day"),
    (("morphine", 89), "Reassess opioid dose: current opioids total 89 MME/day"),
    (("morphine", 90), "High opioid dose: current opioids total 90 MME/day"),
    (("Mezolar Matrix 50", None), "High opioid dose: current opioids total 120 MME/day"),
    (("methadone", 20), "High opioid dose if for pain: current opioids total 94 MME/day"),
])
def test_an_opioid_rated_avoid_with_diazepam_still_says_its_total_and_label(opioid, words, profile):
    report = _report([opioid, DIAZEPAM], profile)
    alerts = medicine_alerts(report)
    marks = _marks_of(report)
    (pair,) = [a for a in alerts if a.kind == "interaction"]
    # the benzodiazepine is said by the pair's alert ("morphine with diazepam"), rated Avoid, with no total
    assert pair.status_label == "Avoid" and pair.total == "" and pair.to_dict()["opioid_total"] is None
    if words is None:
        # spell28 (H-UI-433): below 50 MME the benzodiazepine is the row's only reason: said once, by the pair
        assert not [a for a in alerts if a.kind == "medicine"]
        assert "MME/day" not in marks_words(marks)
        return
    (row_alert,) = [a for a in alerts if a.kind == "medicine"]
    # mmefold34 (H-MED-706): the row's only reason of its own is the total, so it is labelled by the total (as
    # without diazepam), and no longer repeats the benzodiazepine the pair says (it read "Avoid" twice, mme23's
    # "(<total>): avoid for this patient: Taking diazepam (benzodiazepine) ..." on the row)
    label, amount = words.split(": current opioids total ")
    assert row_alert.status_label == label
    assert "benzodiazepine" not in row_alert.text and "diazepam" not in row_alert.text
    (row_mark,) = [m for m in marks if m.medicines == row_alert.medicines]
    # the alert (case page, banner, assess, summary) opens with the medicine and its reasons with the total
    assert row_alert.text.startswith(f"Taking {row_alert.medicines[0]}")
    assert f"current opioids total {amount}" in row_alert.text
    # the worklist's mark and the cases CSV's cell say it after the label and medicines
    assert row_mark.words().startswith(f"{label}: {row_alert.medicines[0]}. Current opioids total {amount}. Review now")
    assert marks_words(marks).count(f"total {amount}") == 1
    # JSON keeps it apart: label, amount and the sentence
    assert row_alert.to_dict()["opioid_total"] == {"label": label, "total": amount,
                                                   "words": f"Current opioids total {amount}."}


@pytest.mark.parametrize("mg, words", [(60, "Current opioids total 60 MME/day."),
                                       (120, "Current opioids total 120 MME/day.")])
def test_a_mark_labelled_by_the_total_says_the_amount_once_without_repeating_the_label(mg, words):
    report = _report([("morphine", mg)])
    (mark,) = _marks_of(report)
    assert mark.words().startswith(f"{mark.label}: morphine. {words} Review now")
    assert mark.words().count(mark.label) == 1
    (alert,) = medicine_alerts(report)
    assert f"({mark.label}:" not in alert.text  # the reasons open with the total already
    assert alert.to_dict()["opioid_total"]["words"] == words


def test_the_total_survives_the_stored_spans_and_an_old_span_without_it_still_reads():
    marks = _marks_of(_report([("Mezolar Matrix 50", None), DIAZEPAM]))
    stored = json.loads(json.dumps(AlertSpan(AS_OF, None, marks).to_json()))
    assert marks_from_json([stored], AS_OF) == marks
    # a span stored before the total was kept (3 fields): read with no total, not refused
    old = [stored[0], stored[1], [m[:3] for m in stored[2]]]
    assert [m.total for m in marks_from_json([old], AS_OF)] == [""] * len(marks)


def test_total_sentence_rule():
    assert total_sentence("Avoid", "") == ""
    assert total_sentence("Avoid", "High opioid dose: 120 MME/day") == \
        "High opioid dose: current opioids total 120 MME/day."
    assert total_sentence("High opioid dose", "High opioid dose: 120 MME/day") == "Current opioids total 120 MME/day."
    # the 90 label beside the 50 label's alert is still named (they differ)
    assert total_sentence("Reassess opioid dose", "High opioid dose: 90 MME/day").startswith("High opioid dose:")


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("mg, own", [(40, "Reassess opioid dose"), (80, "High opioid dose")])
def test_a_candidate_medicine_row_says_its_own_rating_not_the_patients_total_label(mg, own, profile):
    """Oxycodone 40 or 80 mg/day (60 or 120 MME/day, x 1.5): the oxycodone row carries the total's
    label; tramadol, not taken, is rated Avoid for adding an opioid and reads Avoid."""
    report = _report([("oxycodone", mg)], profile)
    rows = {row.drug: row for row in report.rows}
    assert rows["opioids"].currently_taking and rows["opioids"].status_label == own
    tramadol = rows["tramadol"]
    assert not tramadol.currently_taking and tramadol.status == "avoid"
    assert tramadol.status_label == "Avoid"
    assert "opioid dose" not in tramadol.status_label.lower()
