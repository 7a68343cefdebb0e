"""A pregnancy answer recorded at a visit must be possible given the answers before it (red team
rt17 F11, gp17 F8): an end dated before the pregnancy it ends was recorded, weeks far from those
the standing pregnancy gives that day with no end in between, or a new pregnancy dated from
before the previous one ended were all saved, and the medicine rules read them. Only new input
is checked (a stored case stays readable).

Gestation advances one week a week (the weeks recorded on a date, plus the whole weeks since:
the product's rule, PregnancyOnDate); a dating scan revises an estimate by a week or two, so a
difference of up to PREGNANCY_WEEKS_REVISION (4) weeks is taken as a revision."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import (FollowUpVisit, PregnancyUpdate, ValidationError, parse_case,
                                                 pregnancy_update_errors)

INTAKE = dt.date(2026, 11, 19)
TODAY = dt.date(2027, 6, 1)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(weeks=25, visits=()):
    p = {"id": "PV", "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    return {"case_id": "PV-1", "patient": p, "onset_date": "2026-11-01", "visit_date": INTAKE.isoformat(),
            "side": "left", "regions": ["buttock"], "pain": {"leg_nrs": 6}, "red_flags": FLAGS,
            "medicines": [{"name": "ibuprofen", "daily_dose_mg": 1200}], "visits": list(visits)}


def _visit(day, **pregnancy):
    return {"date": day.isoformat(), "leg_nrs": 5, "pregnancy": pregnancy}


def _errors(weeks, *visits):
    try:
        parse_case(_case(weeks, visits), today=TODAY)
    except ValidationError as exc:
        return [e.field for e in exc.errors]
    return []


@pytest.mark.parametrize("ended, refused", [
    (INTAKE - dt.timedelta(days=1), True),   # the day before the pregnancy it ends was recorded
    (INTAKE, False),                         # the day it was recorded
    (INTAKE + dt.timedelta(days=1), False),
])
def test_an_end_before_the_pregnancy_was_recorded_is_refused(ended, refused):
    fields = _errors(25, _visit(INTAKE + dt.timedelta(days=5), pregnant=False, ended_on=ended.isoformat()))
    assert fields == (["visits[0].pregnancy.ended_on"] if refused else [])


@pytest.mark.parametrize("weeks, refused", [(20, True), (21, False), (25, False), (29, False), (30, True)])
def test_weeks_recorded_again_must_be_within_four_weeks_of_the_standing_pregnancy(weeks, refused):
    """25 weeks at the intake; three days later the standing pregnancy is 25 weeks: 21-29 is a
    revision, 20 or 30 contradicts it (record the end first)."""
    fields = _errors(25, _visit(INTAKE + dt.timedelta(days=3), pregnant=True, weeks=weeks))
    assert fields == (["visits[0].pregnancy.weeks"] if refused else [])


@pytest.mark.parametrize("weeks, refused", [(4, False), (5, False), (6, True)])
def test_a_new_pregnancy_cannot_date_from_before_the_previous_one_ended(weeks, refused):
    """Ended on 2026-12-01; a new pregnancy recorded three weeks later: counted from the last
    period, 5 weeks dates it from two weeks before the end (conception about two weeks after the
    period: allowed, at the boundary), 6 weeks from three weeks before it (refused)."""
    end = dt.date(2026, 12, 1)
    visit = end + dt.timedelta(weeks=3)
    fields = _errors(25, _visit(INTAKE + dt.timedelta(days=14), pregnant=False, ended_on=end.isoformat()),
                     _visit(visit, pregnant=True, weeks=weeks))
    began = visit - dt.timedelta(weeks=weeks)
    assert (began < end - dt.timedelta(days=14)) == refused
    assert fields == (["visits[1].pregnancy.weeks"] if refused else [])


def test_a_stored_case_holding_such_answers_stays_readable_and_a_held_visit_is_not_new():
    odd = _visit(INTAKE + dt.timedelta(days=3), pregnant=True, weeks=10)
    case = parse_case(_case(25, [odd]))  # stored: no today, no check
    assert case.visits[0].pregnancy == PregnancyUpdate(True, 10)
    parse_case(_case(25, [odd]), today=TODAY, held_visits=case.visits)  # re-imported as held: accepted


def test_a_visit_added_to_a_case_is_checked_the_same_way():
    case = parse_case(_case(25))
    with pytest.raises(ValidationError) as err:
        case.with_visit(FollowUpVisit(INTAKE + dt.timedelta(days=1), leg_nrs=5,
                                      pregnancy=PregnancyUpdate(False, None, INTAKE - dt.timedelta(days=50))))
    assert "before the pregnancy it ends was recorded" in str(err.value)
    ok = case.with_visit(FollowUpVisit(INTAKE + dt.timedelta(days=1), leg_nrs=5,
                                       pregnancy=PregnancyUpdate(False, None, INTAKE)))
    assert pregnancy_update_errors(ok, ok.visits) == []
