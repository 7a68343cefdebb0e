"""What an import may not rewrite in a case the tracker holds (red-team rt10 F1, F5), both
engines (the ``store`` fixture).

- The intake's dates that place the case on the review clock (onset, intake visit, care
  start) are protected the same way as an intake red flag answered "yes".

- A red flag answered "yes" at the intake is as protected as a recorded visit: a file that
  answers it "no" or "unknown", or leaves it out, is refused whole (``UserError`` exit 2,
  nothing imported, the case and each flag named) unless ``replace_records``; replaced, it is
  listed in ``ImportResult.replaced`` and the import's audit entry.
- A case belongs to one patient: a file giving it to another patient ID is always refused;
  the same patient ID with another name, birth date or sex (the only way to correct them is a
  re-import) needs ``replace_records`` and is audited the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}


def _case(data: dict):
    return parse_case(data)


def _snapshot(store, case_id: str):
    return store.get_case(case_id), len(store.audit())


@pytest.mark.parametrize("answer", ["no", "unknown", None])
def test_a_red_flag_recorded_yes_at_intake_is_not_rewritten_by_an_import(store, answer):
    store.import_cases([_case(case_dict("CES-1", red_flags=CES))], user="dr.a")
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    before = _snapshot(store, "CES-1")
    rewritten = case_dict("CES-1", red_flags=CES)
    if answer is None:
        del rewritten["red_flags"]["saddle_anaesthesia"]
    else:
        rewritten["red_flags"]["saddle_anaesthesia"] = answer
    rewritten["red_flags"]["urinary_retention_or_incontinence"] = "no"
    other = case_dict("NEW-2")  # a new case in the same file: all or nothing
    with pytest.raises(UserError) as refused:
        store.import_cases([_case(other), _case(rewritten)], user="dr.b")
    message = refused.value.message
    assert refused.value.exit_code == 2 and "nothing was imported" in message
    intake = rewritten["visit_date"]
    # a flag left out of the file reads as "unknown" (not asked), as the case format says
    said = "'unknown'" if answer is None else repr(answer)
    assert (f"case CES-1: the file answers saddle_anaesthesia {said} where the tracker holds 'yes' "
            f"(recorded at the intake of {intake})") in message
    assert (f"case CES-1: the file answers urinary_retention_or_incontinence 'no' where the tracker holds 'yes' "
            f"(recorded at the intake of {intake})") in message
    assert "--replace-records" in message
    assert _snapshot(store, "CES-1") == before and not store.has_case("NEW-2")
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE


def test_replacing_an_intake_red_flag_on_purpose_is_listed_and_audited(store):
    store.import_cases([_case(case_dict("CES-1", red_flags=CES))], user="dr.a")
    rewritten = case_dict("CES-1", red_flags={**CES, "saddle_anaesthesia": "no"})
    result = store.import_cases([_case(rewritten)], user="dr.b", replace_records=True)
    assert result.updated == ("CES-1",)
    expected = ({"case_id": "CES-1", "field": "red_flags.saddle_anaesthesia", "stored": "yes", "file": "no",
                 "intake_date": rewritten["visit_date"]},)
    assert result.replaced == expected
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.user == "dr.b" and entry.detail["replaced_at_intake"] == list(expected)
    assert store.get_case("CES-1").intake.red_flags["saddle_anaesthesia"] == "no"
    # still Immediate: the other flag stands
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE


def test_other_intake_changes_and_new_flags_still_import(store):
    """Only a "yes" is protected: adding a red flag or answering an unknown one needs nothing,
    and a re-import of the tracker's own case is unchanged. (A baseline score is protected
    since red-team rt12 F4: tests/storage/test_import_protected_triage.py.)"""
    store.import_cases([_case(case_dict("C-1", red_flags={"fever": "yes", "history_of_cancer": "unknown"}))])
    changed = case_dict("C-1", red_flags={"fever": "yes", "history_of_cancer": "no",
                                                 "saddle_anaesthesia": "yes"})
    result = store.import_cases([_case(changed)])
    assert result.updated == ("C-1",) and result.replaced == ()
    again = store.import_cases([store.get_case("C-1")])
    assert again.unchanged == ("C-1",)


def test_a_case_never_moves_to_another_patient_id(store):
    store.import_cases([_case(case_dict("C-1", patient_id="P-1", name="Alex Example"))], user="dr.a")
    before = _snapshot(store, "C-1")
    moved = case_dict("C-1", patient_id="OTHER-2", name="Jo Other")
    for replace in (False, True):
        with pytest.raises(UserError) as refused:
            store.import_cases([_case(moved)], user="dr.b", replace_records=replace)
        message = refused.value.message
        assert refused.value.exit_code == 2 and "nothing was imported" in message
        assert ("case C-1: the tracker holds it for patient P-1 (Alex Example), the file gives it to patient "
                "OTHER-2 (Jo Other)") in message
        assert "a case belongs to one patient" in message and "case ID of its own" in message
        assert _snapshot(store, "C-1") == before
    assert store.get_case("C-1").patient.id == "P-1"


def test_a_patients_details_change_only_with_replace_records_and_is_audited(store):
    first = case_dict("C-1", patient_id="P-1", name="Alex Example")
    first["patient"].update(birth_date="1980-02-03", sex="male")
    first["patient"].pop("age_years")
    store.import_cases([_case(first)], user="dr.a")
    before = _snapshot(store, "C-1")
    other = case_dict("C-1", patient_id="P-1", name="Alexa Sample")
    other["patient"].update(birth_date="1981-02-03", sex="female")
    other["patient"].pop("age_years")
    with pytest.raises(UserError) as refused:
        store.import_cases([_case(other)], user="dr.b")
    message = refused.value.message
    assert refused.value.exit_code == 2
    assert "case C-1: the file gives patient P-1 the name 'Alexa Sample' where the tracker holds 'Alex Example'" \
        in message
    assert "case C-1: the file gives patient P-1 the birth date '1981-02-03' where the tracker holds '1980-02-03'" \
        in message
    assert "case C-1: the file gives patient P-1 the sex 'female' where the tracker holds 'male'" in message
    assert _snapshot(store, "C-1") == before
    # a birth date left out is a change too (it would erase what the tracker holds)
    erased = dataclasses.replace(_case(first), intake=dataclasses.replace(
        _case(first).intake, patient=dataclasses.replace(_case(first).patient, birth_date=None, age_years=46)))
    with pytest.raises(UserError, match="the birth date no value where the tracker holds '1980-02-03'"):
        store.import_cases([erased])
    # capitals and spaces of the name, and filling in what was unknown, are not changes
    same = case_dict("C-1", patient_id="P-1", name="alex  EXAMPLE")
    same["patient"].update(birth_date="1980-02-03", sex="male", weight_kg=80)
    same["patient"].pop("age_years")
    assert store.import_cases([_case(same)]).replaced == ()
    result = store.import_cases([_case(other)], user="dr.b", replace_records=True)
    assert [r["field"] for r in result.replaced] == ["patient.name", "patient.birth_date", "patient.sex"]
    assert result.replaced[0] == {"case_id": "C-1", "field": "patient.name", "stored": "alex EXAMPLE",  # two spaces read as one
                                  "file": "Alexa Sample"}
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["replaced_at_intake"] == list(result.replaced)
    assert store.get_case("C-1").patient.name == "Alexa Sample"


# --- the intake's clock dates (onset, intake visit, care start) ---------------------------
# docs/case-format.md: the surgical-review clock counts from care_start_date (which defaults
# to visit_date), the phase from onset_date. A re-import moving them would move the case in or
# out of the 6-12 week review window without anyone deciding it.

def _day(offset: int) -> str:
    return (ANCHOR + dt.timedelta(days=offset)).isoformat()


@pytest.mark.parametrize("field, new_offset", [
    ("care_start_date", -20),  # day 50 (Needs follow-up) to day 20: out of the review window
    ("care_start_date", -56),  # six days earlier: further into it
    ("care_start_date", -49),  # one day later: the smallest change is still a change
    ("onset_date", -58),  # one day earlier than stored (ANCHOR-57)
    ("onset_date", -56),  # one day later
    ("visit_date", -45),  # the intake moved (its red flags stand from it)
])
def test_a_clock_date_is_not_rewritten_by_an_import(store, field, new_offset):
    # care start ANCHOR-50 (day 50: Needs follow-up), onset ANCHOR-57, intake visit ANCHOR-10
    first = case_dict("C-1", intake=ANCHOR - dt.timedelta(days=10))
    store.import_cases([_case(first)], user="dr.a")
    status = store.review("C-1", ANCHOR).status
    assert status == ReviewStatus.NEEDS_FOLLOW_UP
    before = _snapshot(store, "C-1")
    moved = case_dict("C-1", intake=ANCHOR - dt.timedelta(days=10))
    moved[field] = _day(new_offset)
    with pytest.raises(UserError) as refused:
        store.import_cases([_case(case_dict("NEW-2")), _case(moved)], user="dr.b")
    message = refused.value.message
    assert refused.value.exit_code == 2 and "nothing was imported" in message
    assert f"case C-1: the file gives {field} '{_day(new_offset)}' where the tracker holds '{first[field]}'" \
        in message
    assert "--replace-records" in message
    assert _snapshot(store, "C-1") == before and not store.has_case("NEW-2")
    assert store.review("C-1", ANCHOR).status == status


def test_a_care_start_left_out_is_the_intake_date_and_moves_the_clock_only_if_it_differs(store):
    """The case format: care_start_date defaults to visit_date. A file leaving it out of a case
    whose care started before the intake changes the clock; one whose care started at the
    intake does not."""
    same = case_dict("SAME")  # care start == intake
    earlier = case_dict("EARLY", intake=ANCHOR - dt.timedelta(days=30))  # care start 50 days ago, intake 30
    store.import_cases([_case(same), _case(earlier)])
    for d in (same, earlier):
        d.pop("care_start_date")
    assert store.import_cases([_case(same)]).unchanged == ("SAME",)
    with pytest.raises(UserError) as refused:
        store.import_cases([_case(earlier)])
    assert (f"case EARLY: the file gives care_start_date '{_day(-30)}' where the tracker holds '{_day(-50)}' "
            "(the surgical-review clock counts from it)") in refused.value.message
    assert store.get_case("EARLY").intake.care_start_date == ANCHOR - dt.timedelta(days=50)


def test_replacing_a_clock_date_on_purpose_is_listed_audited_and_moves_the_case(store):
    store.import_cases([_case(case_dict("C-1"))], user="dr.a")  # day 50: in the review window
    assert store.review("C-1", ANCHOR).status == ReviewStatus.NEEDS_FOLLOW_UP
    moved = case_dict("C-1", care_start=ANCHOR - dt.timedelta(days=20))  # onset, intake and care start all move
    result = store.import_cases([_case(moved)], user="dr.b", replace_records=True)
    assert result.updated == ("C-1",)
    assert result.replaced == (
        {"case_id": "C-1", "field": "onset_date", "stored": _day(-57), "file": _day(-27)},
        {"case_id": "C-1", "field": "visit_date", "stored": _day(-50), "file": _day(-20)},
        {"case_id": "C-1", "field": "care_start_date", "stored": _day(-50), "file": _day(-20)},
    )
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.user == "dr.b" and entry.detail["replaced_at_intake"] == list(result.replaced)
    assert store.get_case("C-1").intake.care_start_date == ANCHOR - dt.timedelta(days=20)
    assert store.review("C-1", ANCHOR).status == ReviewStatus.NOT_DUE
    # the tracker's own case again: nothing to replace
    assert store.import_cases([store.get_case("C-1")]).unchanged == ("C-1",)
