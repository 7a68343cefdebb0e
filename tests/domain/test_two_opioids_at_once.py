"""Two different opioids taken at once, and milligrams never added across medicines (opi18, gp17 F6).

Primary sources (resources/medicines/sources.toml):
- CDC 2022 (Dowell et al., MMWR Recomm Rep 2022;71(3)), the MME table's footnote: "Multiply the
  dose for each opioid by the conversion factor to determine the dose in MMEs" (codeine 0.15,
  oxycodone 1.5, tramadol 0.2); clinicians reassess at 50 MME/day or more and offer naloxone.
  The MME, not the milligrams, is what adds up across opioids: 240 mg of codeine is 36 MME and
  40 mg of oxycodone is 60 MME, 96 MME in all, never "280 mg".
- FDA Drug Safety Communication, 9 April 2019: serious harm in patients who are physically
  dependent on opioid pain medicines "suddenly having these medicines discontinued or the dose
  rapidly decreased ... serious withdrawal symptoms, uncontrolled pain, psychological distress,
  and suicide": the alert never says "stop it" for an opioid.

gp17 F6: codeine 240 mg (tylenol no. 3 x2 qds) with oxycodone 40 mg (Percocet 10/325 1 tab qid)
raised no alert about two opioids; the table said "taking 280 mg/day" beside 96 MME.
One combination product (co-codamol) is ONE opioid; two products of one opioid (Tylenol #3 with
co-codamol: codeine twice) is the existing rule of two codeine products, not this one.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import alert_marks
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
TWO = "ix-two-different-opioids"


def case(meds, **patient):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80, **patient)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose is not None else {})} for n, dose in meds]
    return parse_case(d)


def report(meds, profile="uk"):
    return assess_medications(case(meds).intake, AS_OF, profile=profile)


def two_opioid_alerts(rep):
    return [a for a in medicine_alerts(rep) if a.kind == "interaction" and "Two different opioids" in a.text]


GP17 = [("tylenol no. 3 x2 qds", None), ("percocet 10/325 1 tab qid", None)]


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_codeine_with_oxycodone_is_an_alert_naming_both_products_the_ingredients_and_the_mme(profile):
    rep = report(GP17, profile)
    [alert] = two_opioid_alerts(rep)
    assert alert.status == "avoid"
    assert alert.medicines == ("tylenol no. 3 x2 qds", "percocet 10/325 1 tab qid")
    assert "codeine and oxycodone" in alert.text
    assert "together 96 MME/day" in alert.text  # 240 x 0.15 + 40 x 1.5
    assert "naloxone" in alert.text
    # what to do, never "stop it": a sudden stop harms a physically dependent patient (FDA 2019)
    assert "do not stop" in alert.action and "suddenly" in alert.action
    assert "stop or change it" not in alert.text and "stop or change them" not in alert.text
    assert "Dowell" in alert.source and "9 April 2019" in alert.source


@pytest.mark.parametrize("meds, mme", [
    # just below, at and just above CDC's 50 MME/day: two opioids are named at every total
    ([("codeine", 40), ("hydrocodone", 43.9)], "49.9"),  # 6 + 43.9
    ([("codeine", 40), ("hydrocodone", 44)], "50"),      # 6 + 44
    ([("codeine", 40), ("hydrocodone", 44.1)], "50.1"),  # 6 + 44.1
    ([("codeine", 60), ("tramadol", 100)], "29"),       # tramadol is an opioid: 9 + 20
])
def test_two_opioids_are_named_whatever_their_total(meds, mme):
    [alert] = two_opioid_alerts(report(meds))
    assert f"together {mme} MME/day" in alert.text


def test_a_dose_not_known_makes_the_total_unknown_never_a_smaller_number():
    [alert] = two_opioid_alerts(report([("codeine", 240), ("oxycodone", None)]))
    assert "cannot be worked out" in alert.text and "MME/day" not in alert.text.split("cannot")[0]


@pytest.mark.parametrize("meds", [
    [("co-codamol 30/500", 240)],                       # one combination product: one opioid
    [("oxycodone", 20), ("oxycontin", 40)],             # two products of one opioid, no combination
    [("tylenol #3", None), ("co-codamol 30/500", None)],  # codeine twice: its own rule
    [("codeine", 60), ("paracetamol", 2000)],           # one opioid
])
def test_one_opioid_is_never_two_different_opioids(meds):
    rep = report(meds)
    assert not two_opioid_alerts(rep)
    assert TWO not in {i.rule for i in rep.interactions}


def test_codeine_twice_keeps_the_rule_of_two_codeine_products():
    rep = report([("tylenol #3", None), ("co-codamol 30/500", None)])
    # fold33 (H-MED-699): the pair is one line at the stronger rating (two acetaminophen products), which carries the
    # codeine rule's reason and its source too, so the rule of two codeine products still says its hazard
    (line,) = [i for i in rep.interactions if set(i.medicines) == {"tylenol #3", "co-codamol 30/500"}
               and i.rule == "ix-two-acetaminophen-products"]
    assert "Two products containing codeine" in line.text
    data = load_medicine_data()
    codeine_rule = next(r for r in data.interactions if r.id == "ix-two-codeine-products")
    assert all(c in line.source for c in codeine_rule.source.split("; "))


def test_two_products_of_one_plain_opioid_keep_the_caution_to_add_them_up():
    rep = report([("oxycodone", 20), ("oxycontin", 40)])
    [ix] = [i for i in rep.interactions if i.rule == "ix-two-opioids"]
    assert ix.severity == "caution"


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_alert_reaches_the_review_step_and_the_worklist(profile):
    c = case(GP17)
    rep = assess_medications(c.intake, AS_OF, profile=profile)
    heads = alert_heads(rep)
    assert (("tylenol no. 3 x2 qds", "percocet 10/325 1 tab qid"), "Avoid") in heads
    marks = alert_marks(c, AS_OF, profile)
    assert any(set(m.medicines) == {"tylenol no. 3 x2 qds", "percocet 10/325 1 tab qid"}
               and "do not stop" in m.action for m in marks)


# ----------------------------------------------------------------- milligrams never added across medicines
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_opioid_row_never_adds_milligrams_of_two_opioids(profile):
    rep = report(GP17, profile)
    [row] = [r for r in rep.rows if r.drug == "opioids"]
    assert row.current_daily_dose_mg is None  # was 280 (240 codeine + 40 oxycodone)
    assert row.current_daily_mme == 96
    [reason] = [r for r in row.reasons if r.rule == "doses-per-medicine"]
    assert "codeine 240 mg/day, oxycodone 40 mg/day" in reason.text
    assert "together 96 MME/day" in reason.text
    assert "280" not in json.dumps(row.to_dict())


def test_milligrams_of_one_opioid_in_two_products_still_add_up():
    """Codeine twice is one active ingredient: 120 mg + 8 tablets of 30/500 (240 mg) = 360 mg."""
    rep = report([("codeine", 120), ("co-codamol 30/500", 240)], "us")
    [row] = [r for r in rep.rows if r.drug == "opioids"]
    assert row.current_daily_dose_mg == 360
    assert not [r for r in row.reasons if r.rule == "doses-per-medicine"]


@pytest.mark.parametrize("prednisone, prednisolone, above", [
    (40, 20, False),   # each below the studied course's 60 mg first day
    (60, 20, False),   # one at it
    (61, 20, True),    # one just above it
])
def test_two_steroids_are_each_checked_and_never_added(prednisone, prednisolone, above):
    """Goldberg 2015 taper 60/40/20 mg (the row's 60 mg): each medicine against it, never the sum."""
    rep = report([("prednisone", prednisone), ("prednisolone", prednisolone)], "us")
    [row] = [r for r in rep.rows if r.drug == "prednisone"]
    assert row.current_daily_dose_mg is None
    texts = " ".join(r.text for r in row.reasons)
    assert f"prednisone {prednisone} mg/day, prednisolone {prednisolone} mg/day" in texts
    assert ("above the studied sciatica course" in texts) is above
    if above:
        assert f"Current dose {prednisone} mg/day of prednisone" in texts


def test_the_medicine_data_says_why_an_opioid_is_never_stopped_at_once():
    data = load_medicine_data()
    why, source = data.stopped_gradually(("codeine", "acetaminophen"))
    assert "withdrawal" in why and "9 April 2019" in source
    assert data.stopped_gradually(("ibuprofen",)) is None


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_alert_reaches_the_referral_summary_and_fhir(profile):
    """The summary's medicine-safety section and a FHIR DetectedIssue carry it, as other alerts do."""
    import re

    from radiculopathy_desktop.reports import fhir, summary

    c = case(GP17)
    html, _ = summary.summary_html(summary.SummaryRequest(c, AS_OF, profile=profile))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Two different opioids at once (codeine and oxycodone): together 96 MME/day" in text
    assert "280 mg" not in text
    bundle = fhir.case_bundle(c, AS_OF, profile=profile)
    issues = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"]
    assert any("Two different opioids at once" in (i.get("detail") or "") for i in issues)
