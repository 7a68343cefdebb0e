"""The assessment hands its triage to the surgical-review rule (issue 17: the review no
longer triages the same answers again). The review must come out exactly as when it
triages for itself, and must not take a triage made of other answers, other grades or an
age on the other side of the over-50 risk line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import Triaged, surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.triage import same_age_risk, triage_case
from radiculopathy_desktop.resources import resource_path

EXAMPLES = sorted(resource_path("examples").glob("*.json"))


def _load(name: str) -> dict:
    return json.loads((resource_path("examples") / name).read_text())


def _triaged(case, day):
    flags, power = case.red_flags_as_of(day), case.power_as_of(day)
    return Triaged(day, flags, power, triage_case(case, day, red_flags=flags, power=power))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_review_with_the_assessments_triage_equals_the_review_alone(path):
    case = parse_case(json.loads(path.read_text()))
    s = default_review_settings()
    start = case.intake.visit_date
    for days in (0, 1, 20, 43, 90, 400):
        day = start + dt.timedelta(days=days)
        assert surgical_review(case, day, s, triaged=_triaged(case, day)) == surgical_review(case, day, s)


def test_the_assessment_shows_the_review_made_without_sharing():
    for path in EXAMPLES:
        case = parse_case(json.loads(path.read_text()))
        day = case.intake.visit_date + dt.timedelta(days=50)
        assert assess_case(case, day).surgical_review == surgical_review(case, day)


def test_a_birthday_past_50_between_intake_and_review_is_triaged_again():
    # minor trauma is a fracture red flag over 50 only: 50 at the intake visit, 51 on the review day
    data = _load("urgent_minor_trauma_over_50.json")
    data["patient"]["birth_date"] = "1975-01-10"
    data["visit_date"] = data["care_start_date"] = "2026-01-05"
    data["onset_date"] = "2026-01-01"
    data.pop("treatments_tried", None)  # dated after this earlier intake visit
    case = parse_case(data)
    intake_day, review_day = dt.date(2026, 1, 5), dt.date(2026, 2, 20)
    assert case.patient.age_on(intake_day) == 50 and case.patient.age_on(review_day) == 51
    assert not same_age_risk(50, 51) and same_age_risk(51, 80) and same_age_risk(None, 50)
    at_review = _triaged(case, review_day)
    at_intake = triage_case(case, intake_day)
    assert at_review.result.tier != at_intake.tier  # the age line changes this triage
    s = default_review_settings()
    assert surgical_review(case, review_day, s, triaged=at_review) == surgical_review(case, review_day, s)


def test_a_triage_of_other_answers_or_grades_is_not_taken():
    case = parse_case(_load("urgent_foot_drop.json"))
    day = case.intake.visit_date + dt.timedelta(days=10)
    s = default_review_settings()
    alone = surgical_review(case, day, s)
    flags, power = case.red_flags_as_of(day), case.power_as_of(day)
    calm = parse_case({**_load("routine_l5_acute.json"), "visit_date": case.intake.visit_date.isoformat(),
                       "care_start_date": case.intake.visit_date.isoformat(),
                       "onset_date": case.intake.onset_date.isoformat()})
    routine = triage_case(calm, day)
    assert routine.tier != triage_case(case, day).tier
    other_flags = {**flags, "saddle_anaesthesia": "yes" if flags.get("saddle_anaesthesia") != "yes" else "no"}
    other_power = {**power, "great_toe_extension": 5 if power.get("great_toe_extension") != 5 else 2}
    for wrong in (Triaged(day, other_flags, power, routine), Triaged(day, flags, other_power, routine)):
        assert surgical_review(case, day, s, triaged=wrong) == alone
