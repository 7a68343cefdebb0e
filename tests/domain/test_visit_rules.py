"""The rules of domain/visits.py, written from what they must mean clinically, with boundaries.

* What makes a follow-up visit a record (rt13 F7): anything seen or done; a date, or a date
  and a clinician's name, records nothing (it would count as a follow-up with nothing seen).
* The MRC scale (Medical Research Council, Aids to the examination of the peripheral nervous
  system): 5 normal power, 4 movement against some resistance, 3 against gravity only.
  A grade of 4 lower than the grade standing before (or where none was recorded) is said;
  5 is not weakness, and 3 or less belongs to the severe-deficit rule (domain.followup).
* Cauda equina questions (saddle anaesthesia, sphincter disturbance, sexual dysfunction,
  bilateral symptoms): unknown is not no, so closing a case (discharge, declined) over them
  needs a confirmation; continuing care or a referral does not.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.care_facts import ImagingRecord, SelfManagementRecord
from radiculopathy_desktop.domain.intake import (FollowUpVisit, TreatmentTried,
                                                 ValidationError, parse_case, parse_visit)
from radiculopathy_desktop.domain.visits import (unanswered_to_confirm, visit_records_something, weaker_muscles,
                                                 weaker_muscles_message)
from radiculopathy_desktop.domain.vocab import DecisionKind

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

DAY = ANCHOR - dt.timedelta(days=1)
INTAKE = ANCHOR - dt.timedelta(days=40)


def _case(power=None, red_flags=None, visits=None):
    return parse_case(case_dict("V-1", care_start=INTAKE, power=power or {"knee_extension": 5, "plantar_flexion": 4},
                                red_flags=red_flags, visits=visits))


@pytest.mark.parametrize("visit", [
    FollowUpVisit(DAY, leg_nrs=0),  # a score of 0 is a score
    FollowUpVisit(DAY, back_nrs=3),
    FollowUpVisit(DAY, odi_percent=0.0),
    FollowUpVisit(DAY, rmdq=0),
    FollowUpVisit(DAY, red_flags={"saddle_anaesthesia": "no"}),
    FollowUpVisit(DAY, red_flags={"fever": "unknown"}),  # asked, not known: an answer recorded
    FollowUpVisit(DAY, power={"knee_extension": 5}),
    FollowUpVisit(DAY, treatments_tried=(TreatmentTried("nsaid"),)),
    FollowUpVisit(DAY, notes="Telephone review"),
    FollowUpVisit(DAY, imaging=ImagingRecord(requested=False)),
    FollowUpVisit(DAY, self_management=SelfManagementRecord(given=True)),
])
def test_anything_seen_or_done_is_a_record(visit):
    assert visit_records_something(visit)


@pytest.mark.parametrize("visit", [FollowUpVisit(DAY), FollowUpVisit(DAY, clinician="Dr A"),
                                   FollowUpVisit(DAY, notes="  \n ")])
def test_a_date_a_name_or_blank_notes_record_nothing(visit):
    assert not visit_records_something(visit)


def test_parse_visit_and_import_refuse_a_visit_recording_nothing():
    case = _case()
    with pytest.raises(ValidationError) as exc:
        parse_visit({"date": DAY.isoformat(), "clinician": "Dr A"}, case, today=ANCHOR)
    assert exc.value.errors[0].field == "visit" and "Nothing is recorded for this visit" in exc.value.errors[0].message
    data = case_dict("V-2", care_start=INTAKE, visits=[{"date": DAY}])
    with pytest.raises(ValidationError) as exc:
        parse_case(data, today=ANCHOR)
    assert any(DAY.isoformat() in e.message and e.field == "visits" for e in exc.value.errors)
    parse_case(data)  # a stored case holding one stays readable
    with pytest.raises(ValidationError):
        case.with_visit(FollowUpVisit(DAY))  # the stores' way in


@pytest.mark.parametrize("before,grade,said", [
    (5, 4, True),   # weaker, still MRC 4: said
    (4, 4, False),  # the same grade: nothing new
    (3, 4, False),  # better: nothing
    (5, 5, False),  # normal
    (5, 3, False),  # MRC 3: the severe-deficit rule re-raises the case instead
    (None, 4, True),  # newly graded weak (another root)
    (None, 5, False),
])
def test_weaker_muscle_boundaries(before, grade, said):
    power = {"plantar_flexion": 5}
    if before is not None:
        power["knee_extension"] = before
    case = _case(power=power)
    weaker = weaker_muscles(case, FollowUpVisit(DAY, power={"knee_extension": grade}))
    assert bool(weaker) is said
    if said:
        was = f"{before} at the intake" if before is not None else "not graded before"
        assert weaker_muscles_message(weaker).startswith(f"Knee extension graded 4 ({was}): if the weakness is "
                                                         "progressing, answer 'progressive neurological deficit'")


def test_the_grade_compared_is_the_one_standing_from_the_last_visit_before():
    earlier = ANCHOR - dt.timedelta(days=10)
    case = _case(power={"knee_extension": 5}, visits=[{"date": earlier, "leg_nrs": 5, "power": {"knee_extension": 4}}])
    assert weaker_muscles(case, FollowUpVisit(DAY, power={"knee_extension": 4})) == ()
    (w,) = weaker_muscles(_case(power={"knee_extension": 5}, visits=[
        {"date": earlier, "leg_nrs": 5, "power": {"knee_extension": 5}}]), FollowUpVisit(DAY, power={"knee_extension": 4}))
    assert w.describe() == f"knee extension graded 4 (5 at the visit of {earlier.isoformat()})"


@pytest.mark.parametrize("kind,asks", [(DecisionKind.RESOLVED_DISCHARGED, True), (DecisionKind.PATIENT_DECLINED, True),
                                       (DecisionKind.CONTINUE_CONSERVATIVE_CARE, False),
                                       (DecisionKind.REFERRED_FOR_SURGICAL_OPINION, False)])
def test_closing_over_unanswered_cauda_equina_questions(kind, asks):
    case = _case(red_flags={"saddle_anaesthesia": "unknown", "bilateral_leg_symptoms": "unknown", "fever": "unknown"})
    got = unanswered_to_confirm(case, kind, DAY)
    if asks:
        assert "saddle_anaesthesia" in got and "bilateral_leg_symptoms" in got
        assert "fever" not in got  # not a cauda equina question
    else:
        assert got == ()
    assert unanswered_to_confirm(_case(), kind, DAY) == ()  # all answered: nothing to confirm
