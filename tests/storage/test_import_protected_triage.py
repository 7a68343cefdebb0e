"""An import may not erase a red flag the stored intake raised through its examination, the
patient's age or a condition, any more than a "yes" answer (red-team rt11 F1); what
``--replace-records`` removes is named (rt11 F13). Both engines (the ``store`` fixture).

The red flags come from the rule table (resources/rules/red_flags.toml, from its sources):
- severe motor deficit: any MRC grade of 3/5 or less (4/5 is not);
- upper motor neurone signs: a brisk reflex, an extensor plantar or clonus;
- suspected vertebral fracture: minor trauma with age over 50 (age in whole years > 50).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
SEVERE = "severe motor deficit (MRC 3/5 or less)"
FRACTURE = "suspected vertebral fracture"
UMN = "upper motor neurone signs"


def _refused(store, data: dict) -> str:
    before = store.get_case(data["case_id"]), len(store.audit())
    with pytest.raises(UserError) as refused:
        store.import_cases([parse_case(data)], user="dr.b")
    assert refused.value.exit_code == 2 and "nothing was imported" in refused.value.message
    assert "--replace-records" in refused.value.message
    assert (store.get_case(data["case_id"]), len(store.audit())) == before
    return refused.value.message


@pytest.mark.parametrize("grade", [4, 5])
def test_a_muscle_graded_3_at_intake_is_not_regraded_away_by_an_import(store, grade):
    store.import_cases([parse_case(case_dict("MRC-1", power={"ankle_dorsiflexion": 3}))], user="dr.a")
    assert store.review("MRC-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    message = _refused(store, case_dict("MRC-1", power={"ankle_dorsiflexion": grade}))
    assert f"case MRC-1: the file's intake no longer raises the red flag '{SEVERE}'" in message
    assert store.review("MRC-1", ANCHOR).status == ReviewStatus.IMMEDIATE


def test_grade_4_to_5_raises_no_flag_and_imports(store):
    """The boundary: MRC 4/5 is not a severe deficit, so regrading it is an ordinary update."""
    store.import_cases([parse_case(case_dict("MRC-2", power={"ankle_dorsiflexion": 4}))], user="dr.a")
    result = store.import_cases([parse_case(case_dict("MRC-2", power={"ankle_dorsiflexion": 5}))], user="dr.b")
    assert result.updated == ("MRC-2",) and result.replaced == ()


def test_upper_motor_neurone_signs_are_not_erased_by_an_import(store):
    data = case_dict("UMN-1")
    data["examination"].update({"reflexes": {"patellar": "brisk"}, "plantar": "extensor"})
    store.import_cases([parse_case(data)], user="dr.a")
    assert store.review("UMN-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    data["examination"].update({"reflexes": {"patellar": "normal"}, "plantar": "flexor"})
    message = _refused(store, data)
    assert f"no longer raises the red flag '{UMN}" in message


def _trauma(age: int | None = None, birth_date: str | None = None) -> dict:
    data = case_dict("FX-1", red_flags={"minor_trauma": "yes"})
    data["patient"].pop("age_years")
    if age is not None:
        data["patient"]["age_years"] = age
    if birth_date is not None:
        data["patient"]["birth_date"] = birth_date
    return data


@pytest.mark.parametrize("new_age", [50, 35])
def test_the_age_that_makes_minor_trauma_a_red_flag_is_not_rewritten(store, new_age):
    """Minor trauma fires the fracture rule over 50: 51 -> 50 (the boundary) or 35 would drop it."""
    store.import_cases([parse_case(_trauma(51))], user="dr.a")
    assert store.review("FX-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    message = _refused(store, _trauma(new_age))
    assert f"the age {new_age} at the intake of" in message and "where the tracker holds 51" in message
    assert f"no longer raises the red flag '{FRACTURE}'" in message


def test_a_birth_date_filled_in_that_contradicts_the_stored_age_is_a_change(store):
    store.import_cases([parse_case(_trauma(72))], user="dr.a")
    message = _refused(store, _trauma(birth_date="1990-01-01"))
    assert "where the tracker holds 72" in message and f"'{FRACTURE}'" in message


def test_an_age_change_that_keeps_the_flag_is_still_a_patient_detail(store):
    store.import_cases([parse_case(_trauma(72))], user="dr.a")
    message = _refused(store, _trauma(60))
    assert "the age 60" in message and FRACTURE not in message


def test_a_birth_date_that_agrees_with_the_stored_age_fills_it_in(store):
    data = _trauma(72)
    store.import_cases([parse_case(data)], user="dr.a")
    intake = dt.date.fromisoformat(data["visit_date"])
    born = intake.replace(year=intake.year - 73) + dt.timedelta(days=1)  # 72 on the intake's day
    result = store.import_cases([parse_case(_trauma(birth_date=born.isoformat()))], user="dr.b")
    assert result.updated == ("FX-1",) and result.replaced == ()


def test_replacing_a_raised_flag_on_purpose_is_listed_and_audited(store):
    store.import_cases([parse_case(case_dict("MRC-3", power={"ankle_dorsiflexion": 2}))], user="dr.a")
    data = case_dict("MRC-3", power={"ankle_dorsiflexion": 5})
    result = store.import_cases([parse_case(data)], user="dr.b", replace_records=True)
    assert result.replaced == ({"case_id": "MRC-3", "field": "red_flag_raised", "stored": SEVERE, "file": None,
                                "intake_date": data["visit_date"], "on": data["visit_date"]},)
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["replaced_at_intake"] == list(result.replaced)
    assert store.review("MRC-3", ANCHOR).status != ReviewStatus.IMMEDIATE


def test_a_flag_raised_by_the_file_and_a_later_rescreen_still_import(store):
    """Raising a flag is never refused, and a follow-up visit the file adds may re-screen
    (answers at a visit are the clinician's record of that day, as `visit` takes them)."""
    store.import_cases([parse_case(case_dict("UP-1"))], user="dr.a")
    result = store.import_cases([parse_case(case_dict("UP-1", power={"ankle_dorsiflexion": 3}))], user="dr.b")
    assert result.updated == ("UP-1",) and store.review("UP-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    later = ANCHOR - dt.timedelta(days=10)
    data = case_dict("UP-1", power={"ankle_dorsiflexion": 3},
                     visits=[{"date": later, "leg_nrs": 3, "power": {"ankle_dorsiflexion": 5}}])
    result = store.import_cases([parse_case(data)], user="dr.b")
    assert result.updated == ("UP-1",) and result.replaced == ()


def test_records_removed_with_replace_records_are_named_and_audited(store):
    """rt11 F13: a visit that raised a red flag, removed on purpose, is named (not only counted)."""
    visit_day = ANCHOR - dt.timedelta(days=20)
    decision_day = ANCHOR - dt.timedelta(days=5)
    held = case_dict("RM-1", visits=[{"date": visit_day, "leg_nrs": 6, "red_flags": {"fever": "yes"}},
                                     {"date": visit_day + dt.timedelta(days=2), "leg_nrs": 5}],
                     decisions=[{"date": decision_day, "kind": "referred_for_surgical_opinion", "by": "Dr A"}])
    store.import_cases([parse_case(held)], user="dr.a")
    assert store.review("RM-1", ANCHOR).status == ReviewStatus.CLOSED  # referred
    result = store.import_cases([parse_case(case_dict("RM-1"))], user="dr.b", replace_records=True)
    assert result.removed == (
        {"case_id": "RM-1", "record": "visit", "date": visit_day.isoformat(), "red_flags": ["fever"]},
        {"case_id": "RM-1", "record": "visit", "date": (visit_day + dt.timedelta(days=2)).isoformat()},
        {"case_id": "RM-1", "record": "decision", "date": decision_day.isoformat(), "kind": "referred_for_surgical_opinion"})
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["removed_records"] == list(result.removed)
    assert store.review("RM-1", ANCHOR).status != ReviewStatus.CLOSED  # the referral went with the file
    # without the option the same file is refused, as before
    store.import_cases([parse_case(held)], user="dr.a", replace_records=True)
    with pytest.raises(UserError):
        store.import_cases([parse_case(case_dict("RM-1"))], user="dr.b")


def test_an_emergency_lowered_to_urgent_by_a_reimport_is_refused(store):
    """rt12 F1: spinal infection with a neurological deficit is an emergency, without one it is
    urgent; the same rule still fires after the re-import, at a lower tier."""
    data = case_dict("INF-1", red_flags={"fever": "yes", "iv_drug_use": "yes"}, power={"ankle_dorsiflexion": 4})
    store.import_cases([parse_case(data)], user="dr.a")
    triaged = store.review("INF-1", ANCHOR)
    assert triaged.status == ReviewStatus.IMMEDIATE
    data["examination"]["power"] = {"ankle_dorsiflexion": 5}
    message = _refused(store, data)
    assert "case INF-1: the file's intake lowers (EMERGENCY -> URGENT (same day)" in message


@pytest.mark.parametrize("field, group, value", [("leg_nrs", "pain", 10), ("odi_percent", "function", 72.0),
                                                 ("odi_percent", "function", None)])
def test_a_baseline_score_is_not_rewritten_by_an_import(store, field, group, value):
    """rt12 F4: improvement is judged against the intake's scores; a higher baseline made a
    case that is not improving "Improving" and took it out of the review group."""
    store.import_cases([parse_case(case_dict("BS-1", leg=8, odi=52.0))], user="dr.a")
    data = case_dict("BS-1", leg=8, odi=52.0)
    if value is None:
        del data[group][field]
    else:
        data[group][field] = value
    message = _refused(store, data)
    assert f"case BS-1: the file gives the intake's {group}.{field}" in message
    result = store.import_cases([parse_case(data)], user="dr.b", replace_records=True)
    assert any(r["field"] == f"{group}.{field}" for r in result.replaced)


def test_a_baseline_score_filled_in_is_not_a_change(store):
    """Boundary of rt13 F1: no follow-up value of the score exists, so filling in the
    intake's judges nothing already recorded."""
    store.import_cases([parse_case(case_dict("BS-2", odi=None))], user="dr.a")
    result = store.import_cases([parse_case(case_dict("BS-2", odi=40.0))], user="dr.b")
    assert result.updated == ("BS-2",) and result.replaced == ()


@pytest.mark.parametrize("in_file_only", [False, True])
def test_a_baseline_filled_in_beside_follow_up_values_is_protected(store, in_file_only):
    """rt13 F1: the intake had no RMDQ, two follow-up visits did (14, 13): not improving, Due.
    A re-import filling in RMDQ 22 at the intake turned it "Improving" (out of the review
    group) with "1 updated". The follow-up values may be stored or arrive in the same file."""
    visits = [{"date": ANCHOR - dt.timedelta(days=30), "leg_nrs": 7, "rmdq": 14},
              {"date": ANCHOR - dt.timedelta(days=5), "leg_nrs": 7, "rmdq": 13}]
    stored = case_dict("BS-3", leg=7, odi=None, visits=None if in_file_only else visits)
    store.import_cases([parse_case(stored)], user="dr.a")
    data = case_dict("BS-3", leg=7, odi=None, visits=visits)
    data["function"]["rmdq"] = 22
    if in_file_only:  # the same file adds the visits and fills in the baseline
        before = store.review("BS-3", ANCHOR).status
    message = _refused(store, data)
    assert "case BS-3: the file gives the intake's function.rmdq 22 where the tracker holds no value" in message
    if not in_file_only:
        assert store.review("BS-3", ANCHOR).status != ReviewStatus.IMPROVING
    else:
        assert store.review("BS-3", ANCHOR).status == before
    result = store.import_cases([parse_case(data)], user="dr.b", replace_records=True)
    assert any(r["field"] == "function.rmdq" and r["stored"] is None and r["file"] == 22 for r in result.replaced)
