"""A re-import that changes what the medicine alerts and the red-flag status are read from
is named, or refused when it would take a standing alert away (closing note 9, red-team rt12
F14). Both engines (the ``store`` fixture).

The medicine alert used is the gabapentin renal dose limit of its US label (Neurontin
prescribing information, Dosage and Administration, Table 1): creatinine clearance 15-29
mL/min allows 200-700 mg/day. The patient (45 years, female, 70 kg, serum creatinine
3.0 mg/dL) has a Cockcroft-Gault clearance of (140 - 45) x 70 x 0.85 / (72 x 3.0) = 26.2
mL/min, so 1800 mg/day is over the limit (REDUCE DOSE under the ``us`` profile), 701 is over
it and 700, the limit itself, is not. Ibuprofen with warfarin is an NSAID with an
anticoagulant (BNF interactions: avoid; serious bleeding risk), rated AVOID.

A re-screen at a later visit answering a red flag "no" clears it (by design: the one rule of
``intake.answers_after_rescreen``); answered on the very date the "yes" was recorded, the
order of the two records is not known, so the "yes" is not cleared by an import without
``--replace-records``.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import re

import pytest

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.storage.engine_common import MEDICINE_RULE_INPUTS, changed_summary

from tracker_support import ANCHOR, case_dict, import_file, refused_import

STORE_ENGINES = ("sqlite", "postgresql")
CES = "saddle_anaesthesia"


def _renal_case(case_id: str = "MED-1", dose: float = 1800, **conditions) -> dict:
    data = case_dict(case_id)
    data["patient"]["weight_kg"] = 70
    data["conditions"] = {"serum_creatinine": {"value": 3.0, "unit": "mg/dL"}, "ckd": False, **conditions}
    data["medicines"] = [{"name": "gabapentin", "daily_dose_mg": dose}, {"name": "paracetamol", "daily_dose_mg": 2000}]
    return data


_import, _refused = import_file, refused_import  # tracker_support: shared with test_import_alert_by_drug.py


def _import_audit(store) -> dict:
    return [e for e in store.audit() if e.action == "import"][-1].detail


def test_medicines_and_conditions_changed_are_named_in_the_result_and_the_audit(store):
    store.import_cases([parse_case(_renal_case(dose=300))], user="dr.a")
    data = _renal_case(dose=600, ckd=True)
    data["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 600}, {"name": "warfarin"}]
    result = _import(store, data)
    assert result.updated == ("MED-1",) and result.replaced == ()
    expected = [{"case_id": "MED-1", "field": "medicines",
                 "changes": ["added warfarin", "removed paracetamol", "dose of gabapentin 300 -> 600 mg/day"]},
                {"case_id": "MED-1", "field": "conditions", "changes": ["Chronic kidney disease no -> yes"]}]
    assert list(result.changed) == expected
    assert _import_audit(store)["changed"] == expected
    assert changed_summary(result.changed).splitlines() == [
        "case MED-1: medicines: added warfarin; removed paracetamol; dose of gabapentin 300 -> 600 mg/day",
        "  case MED-1: conditions: Chronic kidney disease no -> yes"]


@pytest.mark.parametrize("change, words", [
    ({"conditions": {"serum_creatinine": {"value": 1.2, "unit": "mg/dL"}}}, "serum creatinine 3 mg/dL -> 1.2 mg/dL"),
    ({"conditions": {"egfr": 25}}, "eGFR not recorded -> 25"),
    ({"conditions": {"alcohol_use": "above_limits"}}, "alcohol use unknown -> above_limits"),
    ({"patient": {"pregnancy_weeks": 12}}, "pregnancy not recorded -> 12 weeks"),
        ({"patient": {"pregnant": False}}, "pregnancy not recorded -> not pregnant"),
    ({"patient": {"weight_kg": 90}}, "weight 70 kg -> 90 kg"),
])
def test_each_condition_the_medicine_rules_read_is_named(store, change, words):
    """Creatinine, eGFR, alcohol, pregnancy and weight (Cockcroft-Gault) move the ratings."""
    store.import_cases([parse_case(_renal_case(dose=300))], user="dr.a")
    data = _renal_case(dose=300)
    for group, values in change.items():
        data[group].update(values)
    result = _import(store, data)
    assert [c["changes"] for c in result.changed if c["field"] == "conditions"] == [[words]]


def test_an_unchanged_intake_names_nothing(store):
    store.import_cases([parse_case(_renal_case())], user="dr.a")
    data = _renal_case()
    data["notes"] = "seen again"  # an ordinary update of a field no rule reads
    result = _import(store, data)
    assert result.updated == ("MED-1",) and result.changed == () and "changed" not in _import_audit(store)


@pytest.mark.parametrize("new_dose", [700, 300])
def test_a_dose_lowered_to_the_renal_limit_or_below_is_refused_as_a_lost_alert(store, new_dose):
    """1800 mg/day at a clearance of 26 mL/min is REDUCE DOSE; 700 (the limit) no longer is:
    rewriting the intake's dose would take the alert off the worklist without a word."""
    store.import_cases([parse_case(_renal_case())], user="dr.a")
    message = _refused(store, _renal_case(dose=new_dose))
    assert "case MED-1: the file's intake no longer raises the medicine alert 'REDUCE DOSE: gabapentin'" in message
    assert "(us profile;" in message


def test_a_dose_still_over_the_limit_is_an_update_and_named(store):
    """The boundary: 701 mg/day is still over the 700 limit, so the alert stands."""
    store.import_cases([parse_case(_renal_case())], user="dr.a")
    result = _import(store, _renal_case(dose=701))
    assert result.replaced == ()
    assert [c["changes"] for c in result.changed] == [["dose of gabapentin 1800 -> 701 mg/day"]]


def test_the_kidney_test_left_out_is_refused_then_replaced_on_purpose(store):
    store.import_cases([parse_case(_renal_case())], user="dr.a")
    data = _renal_case()
    del data["conditions"]["serum_creatinine"]
    assert "'REDUCE DOSE: gabapentin'" in _refused(store, data)
    result = _import(store, data, replace_records=True)
    lost = [r for r in result.replaced if r["field"] == "medicine_alert"]
    assert [(r["stored"], r["file"], r["profiles"]) for r in lost] == [("REDUCE DOSE: gabapentin", None, ["us"])]
    assert _import_audit(store)["replaced_at_intake"] == list(result.replaced)
    assert [c["changes"] for c in result.changed] == [["serum creatinine 3 mg/dL -> not recorded"]]


def _warfarin_case(medicines) -> dict:
    data = case_dict("WAR-1")
    data["medicines"] = medicines
    return data


def test_warfarin_added_beside_an_nsaid_is_named_and_removed_is_refused(store):
    nsaid = {"name": "ibuprofen", "daily_dose_mg": 1200}
    store.import_cases([parse_case(_warfarin_case([nsaid]))], user="dr.a")
    result = _import(store, _warfarin_case([nsaid, {"name": "warfarin"}]))  # raises an alert: allowed, named
    assert [c["changes"] for c in result.changed] == [["added warfarin"]]
    message = _refused(store, _warfarin_case([nsaid]))
    # avoid2 (H-FMT-901): the lost alert names the NSAID to review and the anticoagulant kept, as the worklist does
    assert "no longer raises the medicine alert 'AVOID: ibuprofen (with warfarin: keep it)'" in message
    # spell28 (H-UI-433): ibuprofen's row had no reason but warfarin, which the pair says: one alert, not two
    assert "no longer raises the medicine alert 'AVOID: ibuprofen'" not in message


def _ces_case(visits=None) -> dict:
    return case_dict("CES-1", red_flags={CES: "yes"}, visits=visits)


def test_a_same_day_no_at_an_added_visit_does_not_clear_the_intake_yes(store):
    store.import_cases([parse_case(_ces_case())], user="dr.a")
    intake = dt.date.fromisoformat(_ces_case()["visit_date"])
    same_day = _ces_case(visits=[{"date": intake, "leg_nrs": 5, "red_flags": {CES: "no"}}])
    message = _refused(store, same_day)
    assert (f"case CES-1: a visit the file adds on {intake} answers no to the red flag(s) Saddle (perineal) "
            "numbness or altered sensation that the tracker's record answers yes on the same date") in message
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    result = _import(store, same_day, replace_records=True)
    assert [(r["field"], r["stored"], r["file"]) for r in result.replaced] == [
        ("red_flags", f"yes on {intake}", f"no at a visit of {intake}")]
    assert result.changed[0]["field"] == "status"


def test_a_re_screen_the_next_day_clears_the_red_flag_and_says_so(store):
    store.import_cases([parse_case(_ces_case())], user="dr.a")
    intake = dt.date.fromisoformat(_ces_case()["visit_date"])
    later = intake + dt.timedelta(days=1)  # the boundary: the first day the order is known
    data = _ces_case(visits=[{"date": later, "leg_nrs": 5, "red_flags": {CES: "no"}}])
    result = _import(store, data)
    assert result.replaced == () and result.updated == ("CES-1",)
    [status] = [c for c in result.changed if c["field"] == "status"]
    day = dt.date.fromisoformat(status["on"])
    assert day >= later
    now = surgical_review(parse_case(data), day).status
    assert now != ReviewStatus.IMMEDIATE and (status["stored"], status["file"]) == ("immediate", now.value)
    assert status["changes"] == [f"no longer Immediate on {day} (now {now.label}): the red flag(s) Saddle (perineal) "
                                 f"numbness or altered sensation (yes on {intake}) answered no at a visit on {later}"]
    assert _import_audit(store)["changed"] == list(result.changed)


def test_a_re_screen_answered_unknown_clears_nothing_and_names_nothing(store):
    store.import_cases([parse_case(_ces_case())], user="dr.a")
    intake = dt.date.fromisoformat(_ces_case()["visit_date"])
    data = _ces_case(visits=[{"date": intake + dt.timedelta(days=2), "leg_nrs": 5, "red_flags": {CES: "unknown"}}])
    result = _import(store, data)
    assert result.changed == ()
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE


def test_a_no_the_same_day_as_a_stored_visit_yes_is_refused(store):
    """The same rule for a "yes" recorded at a stored visit: a "no" of its date is refused,
    while the intake's earlier "no" is not a red flag to clear."""
    intake = dt.date.fromisoformat(case_dict("V-1")["visit_date"])
    yes_day = intake + dt.timedelta(days=5)
    stored = case_dict("V-1", visits=[{"date": yes_day, "leg_nrs": 6, "red_flags": {CES: "yes"}}])
    store.import_cases([parse_case(stored)], user="dr.a")
    data = copy.deepcopy(stored)
    data["visits"].append({"date": yes_day.isoformat(), "leg_nrs": 6, "red_flags": {CES: "no"}})
    assert "answers yes on the same date" in _refused(store, data)


def test_the_lost_alert_check_skips_only_intakes_equal_in_everything_the_medicine_engine_reads():
    """The check is skipped when the intake differs in nothing the medicine engine reads
    (a note, a score): that list must hold every intake field the engine's code reads."""
    from radiculopathy_desktop.domain import medications

    source = inspect.getsource(medications)
    read = set(re.findall(r"\bintake\.(\w+)", source))
    read.discard("visit_date")  # the date a stored case's marks are taken on (case_dose_reductions), not a rule input
    # the pregnancy on the assessment date: the patient's weeks moved on from the intake's visit date
    assert "pregnancy_on" in read and {"patient", "visit_date"} <= set(MEDICINE_RULE_INPUTS)
    read.discard("pregnancy_on")
    assert read and read <= set(MEDICINE_RULE_INPUTS), read - set(MEDICINE_RULE_INPUTS)
    assert not re.search(r"=\s*intake\s*$", source, re.M)  # read under another name: the check would miss it
