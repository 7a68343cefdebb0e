"""avoid2 (H-MED-633..636, H-FMT-900..901): what avoidside (H-MED-600) and weekly (H-MED-605) left.

An NSAID with an anticoagulant raises the bleeding risk (BNF interactions; rules.toml ix-nsaid-anticoagulant): the NSAID
is the one to review, and the anticoagulant is kept: stopping it on its own raises the risk of clots and stroke
(anticoagulant-discontinuation). Every output that names the interaction says which is which:

* the FHIR export's DetectedIssue (DRG): every medicine stays ``implicated`` (FHIR R4 gives it no role, and each is
  implicated), ``detail`` says which to review and which to keep; no ``mitigation`` (FHIR R4: "an action that has been
  taken or is committed to"; the checks only advise);
* the lost-alert audit of a re-import names the NSAID to review and the anticoagulant kept, as the worklist does;
* the clinician's note on the handout says what the NSAID sheet says: which NSAID to keep taking, whether to keep taking
  them at all beside the apixaban, and to keep taking the apixaban;
* the GP case (ibuprofen 400 mg prn, naproxen, apixaban) reads each fact once: the pair alert and the duplicate, with no
  row alert repeating "Taking apixaban (anticoagulant): avoid NSAIDs" on each NSAID.

Methotrexate is taken once a week (MHRA Drug Safety Update 2020: fatal overdose from daily instead of weekly dosing;
the prescriber notes the day of the week): its "check the dose" asks for the one named day, never to check it "against
the maximum" (it has no daily maximum here), nor to type a daily dose. A daily frequency followed by once a week
("7.5mg bd once a week") is the weekly dose split over one day (15 mg a week), not 15 mg a day; "bd" alone stays asked.
"""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.reports import fhir
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.storage.engine_common import medicine_alerts_lost
from tests.reports.test_contraindicated_words_agree import AS_OF, case, window_alerts

GP = [("ibuprofen 400 mg prn", None), ("naproxen", None), ("apixaban 5mg bd", None)]
KEEP = ("keep apixaban 5mg bd: do not stop it without its prescriber (stopping an anticoagulant on its own raises the "
        "risk of clots and stroke).")


def _issues(c, code):
    bundle = Bundle.model_validate(fhir.case_bundle(c, AS_OF, profile="us"))
    statements = {e.fullUrl: e.resource.medicationCodeableConcept.text for e in bundle.entry
                  if e.resource.get_resource_type() == "MedicationStatement"}
    return [(i, [statements[r.reference] for r in i.implicated or ()]) for e in bundle.entry
            if (i := e.resource).get_resource_type() == "DetectedIssue" and i.code.coding[0].code == code], statements


# -- FHIR (H-FMT-900) --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("meds, review", [
    ([("naproxen", None), ("apixaban 5mg bd", None)], "stop or change naproxen unless"),
    (GP, "stop or change ibuprofen 400 mg prn and naproxen unless"),
])
def test_the_fhir_interaction_issue_names_the_nsaid_to_review_and_the_anticoagulant_to_keep(meds, review):
    issues, _ = _issues(case(meds), "DRG")
    (issue, implicated), = [(i, imp) for i, imp in issues if "anticoagulant" in i.detail]
    assert sorted(implicated) == sorted(n for n, _ in meds)  # every medicine of the interaction is implicated
    assert review in issue.detail and issue.detail.endswith(KEEP)
    assert not issue.mitigation  # nothing has been taken or committed to: the checks advise
    assert issue.severity == "high"


def test_a_fhir_interaction_with_no_side_to_keep_says_no_keep():
    issues, _ = _issues(case([("naproxen", None), ("lithium 400mg", None)]), "DRG")
    assert issues and all("keep" not in i.detail.lower() for i, _ in issues)


# -- lost-alert audit (H-FMT-901) --------------------------------------------------------------------------------------

def test_the_lost_alert_audit_names_the_nsaid_to_review_and_the_anticoagulant_kept():
    before = case([("naproxen", None), ("apixaban 5mg bd", None)])
    after = case([("apixaban 5mg bd", None)])  # the file leaves the naproxen out: the alert is gone
    lost = medicine_alerts_lost(before, after)
    assert [words for _on, words, _lowered, _profiles in lost] == ["AVOID: naproxen (with apixaban 5mg bd: keep it)"]


def test_a_lost_alert_with_nothing_to_keep_lists_its_medicines_as_before():
    before = case([("naproxen", None), ("lithium 400mg", None)])
    lost = medicine_alerts_lost(before, case([("lithium 400mg", None)]))
    assert lost and all("keep" not in words and "naproxen" in words for _on, words, _l, _p in lost)


# -- clinician's note on the handout (H-MED-633) -----------------------------------------------------------------------

def _together_note(meds) -> str:
    notes = h.taken_now_notes(h.doses_from_engine(case(meds), AS_OF))
    (note,) = [n for n in notes if n.startswith("Taken together")]
    return note


def test_the_clinician_note_says_what_the_sheet_says_about_keeping_the_apixaban():
    note = _together_note(GP)
    assert "which one to keep taking, and also whether to keep taking them at all (they should not be taken with " \
           "apixaban 5mg bd)" in note
    assert note.endswith("it tells the patient to keep taking apixaban 5mg bd and not to stop it unless the doctor "
                         "who prescribed it says so.")


def test_two_nsaids_alone_still_ask_only_which_one_to_keep():
    note = _together_note(GP[:2])
    assert note.endswith("which one to keep taking.") and "apixaban" not in note and "at all" not in note


# -- methotrexate (H-MED-634, H-MED-635) -------------------------------------------------------------------------------

def _checks(name, mg=None):
    return [a.text for a in window_alerts(case([(name, mg)])) if a.text.startswith("Check the dose")]


@pytest.mark.parametrize("name", ["methotrexate 10mg prn", "methotrexate 2.5mg twice weekly",
                                  "metotrexato 2,5 mg 2 veces por semana", "methotrexate 7.5mg bd biweekly"])
def test_a_methotrexate_check_asks_for_the_one_weekly_day_not_a_maximum_or_a_daily_dose(name):
    (text,) = _checks(name)
    assert "methotrexate is usually taken once a week" in text
    if "bd" not in name:  # read from the name with no daily dose: the name reading's own wording
        assert "Confirm with the prescriber that methotrexate is taken once a week, on one named day" in text
    assert "against the maximum" not in text and "type the daily dose" not in text


def test_another_medicine_s_unread_regimen_still_asks_for_its_daily_dose():
    text = " ".join(a.text for a in window_alerts(case([("ibuprofen 400mg stat then tds", None)])))
    assert "type the daily dose in the dose field" in text


# mtx31 (H-MED-661): "2.5mg tds once weekly" (3 doses on one day) is asked to confirm the weekly total
# (tests/domain/test_methotrexate_split_day_mtx31.py); only twice on the one day stays a split weekly dose
@pytest.mark.parametrize("name", ["methotrexate 7.5mg bd once a week", "methotrexate 7.5mg bd weekly",
                                  "methotrexate 7.5mg bd on mondays",
                                  "metotrexato 7,5 mg cada 12 horas una vez por semana"])
def test_a_daily_frequency_followed_by_once_a_week_is_a_split_weekly_dose_not_a_daily_one(name):
    assert _checks(name) == []
    report = assess_medications(case([(name, None), ("naproxen", None)]).intake, AS_OF)
    assert all(m.recognised for m in report.current_medicines)
    # still methotrexate: its interaction with the NSAID is raised as for any weekly methotrexate
    assert any("methotrexate" in ix.text.lower() for ix in report.interactions)
    assert not any("mg a day" in a.text and "methotrexate" in a.text.lower() for a in window_alerts(case([(name, None)])))


@pytest.mark.parametrize("name, why", [
    ("methotrexate 7.5mg bd", "is written as 15 mg a day"),  # a daily frequency alone: the fatal error
    ("methotrexate 7.5mg once a week bd", "is written as 15 mg a day"),  # week words first: not read as split
    ("methotrexate 7.5mg bd twice a week", "is written as 15 mg a day"),  # two days a week
    ("methotrexate 7.5mg bd every 2 weeks", "is written as 15 mg a day"),  # not once a week
    ("methotrexate 7.5mg bd biweekly", "is written as 15 mg a day"),  # may be two days a week
])
def test_the_split_dose_boundaries_stay_asked(name, why):
    (text,) = _checks(name)
    assert why in text and "known fatal error" in text


def test_a_daily_dose_recorded_beside_a_split_name_is_still_asked():
    (text,) = _checks("methotrexate 7.5mg bd once a week", 15.0)
    assert "known fatal error" in text


# -- the GP case's alerts, each fact once (H-MED-636) ------------------------------------------------------------------

def test_the_gp_case_reads_each_fact_once_the_pair_and_the_duplicate():
    alerts = window_alerts(case(GP))
    # typed35 (H-MED-717): "prn" with no most a day is a dose to check, its own alert beside the Avoid pairs (N8: the
    # pairs hid it from the box and the worklist)
    assert [(a.kind, a.medicines, a.status_label) for a in alerts] == [
        ("interaction", ("ibuprofen 400 mg prn", "naproxen", "apixaban 5mg bd"), "Avoid"),
        ("interaction", ("ibuprofen 400 mg prn", "naproxen"), "Avoid"),
        ("note", ("ibuprofen 400 mg prn",), "Check the dose")]
    joined = " ".join(a.text for a in alerts)
    assert joined.count("bleeding risk") == 1 and "avoid NSAIDs" not in joined
    pair = alerts[0]
    assert "stop or change ibuprofen 400 mg prn and naproxen" in pair.text and pair.text.endswith(KEEP)
    report = assess_medications(case(GP).intake, AS_OF)
    assert alert_heads(report) == tuple((a.medicines, a.status_label) for a in medicine_alerts(report))


@pytest.mark.parametrize("meds", [
    [("naproxen", None), ("apixaban 5mg bd", None)],
    [("ibuprofen 400mg tds", None), ("naproxen 500mg bd", None), ("warfarin 5mg", None), ("apixaban 5mg bd", None)],
])
def test_no_nsaid_row_repeats_the_anticoagulant_pair(meds):
    alerts = window_alerts(case(meds))
    assert not [a for a in alerts if a.kind == "medicine"]
    assert sum(a.text.count("serious bleeding risk") for a in alerts) == 1


def test_a_row_reason_the_pair_does_not_say_is_kept():
    # two NSAIDs with an ACE inhibitor and a diuretic: the rows' "triple whammy" reason names the other two sides,
    # and the NSAIDs are not of them: each NSAID row keeps its reason, as before
    alerts = window_alerts(case([("ibuprofen 400mg tds", None), ("naproxen", None), ("lisinopril 10mg", None),
                                 ("furosemide 40mg", None)]))
    rows = [a for a in alerts if a.kind == "medicine"]
    assert {a.medicines for a in rows} == {("ibuprofen 400mg tds",), ("naproxen",)}
    assert all("triple whammy" in a.text for a in rows)


def test_an_nsaid_row_keeps_a_reason_of_its_own_and_drops_only_the_pairs():
    # 24 weeks pregnant: NSAIDs are avoided from 20 weeks (FDA 2020; rules.toml nsaid-pregnancy-20), a fact no pair
    # says: the NSAID rows stay, with that reason, and without the anticoagulant reason the pair says
    alerts = window_alerts(case(GP, weeks=24))
    rows = [a for a in alerts if a.kind == "medicine"]
    assert rows and {n for a in rows for n in a.medicines} == {"ibuprofen 400 mg prn", "naproxen"}
    assert all("pregnan" in a.text.lower() for a in rows)
    assert not any("avoid NSAIDs (serious bleeding risk)" in a.text for a in rows)
    assert " ".join(a.text for a in alerts).count("bleeding risk") == 1
