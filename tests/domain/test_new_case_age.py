"""A new case (``parse_case(..., today=)``: import, assess) whose typed age contradicts
its birth date on the intake visit date is refused naming ``patient.age_years``; a stored
case (read without ``today``) is read as before, the birth date used (red-team rt5 F3).
Ages in whole years on the day, as the window's patient page counts them."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import ValidationError, age_disagreement, parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)


def _data(birth: str, age: int, visit: dt.date) -> dict:
    data = case_dict("N-1", care_start=visit)
    data["onset_date"] = (visit - dt.timedelta(days=3)).isoformat()
    data["patient"].update(birth_date=birth, age_years=age)
    return data


@pytest.mark.parametrize("birth, visit, right, wrong", [
    ("1976-11-29", dt.date(2026, 11, 29), 50, 49),  # the birthday itself
    ("1976-11-30", dt.date(2026, 11, 29), 49, 50),  # the day before
    ("1976-02-29", dt.date(2026, 2, 28), 49, 50),   # 29 February, not a leap year: not yet
    ("1976-02-29", dt.date(2026, 3, 1), 50, 49),    # from 1 March
    ("2000-02-29", dt.date(2024, 2, 29), 24, 23),   # on 29 February of a leap year
    ("2000-02-29", dt.date(2024, 2, 28), 23, 24),
])
def test_a_new_case_with_the_wrong_age_is_refused_on_the_intake_date(birth, visit, right, wrong):
    assert parse_case(_data(birth, right, visit), today=TODAY).patient.age_years == right
    with pytest.raises(ValidationError) as caught:
        parse_case(_data(birth, wrong, visit), today=TODAY)
    (error,) = caught.value.errors
    assert error.field == "patient.age_years"
    assert error.message == "patient.age_years: " + age_disagreement(dt.date.fromisoformat(birth), wrong, visit)
    assert f"makes the patient {right} on {visit.isoformat()}, but the age typed is {wrong}" in error.message


def test_a_stored_case_is_read_without_the_check_and_the_birth_date_is_used():
    case = parse_case(_data("1980-03-01", 67, dt.date(2026, 4, 12)))  # no today: a stored record
    assert case.patient.age_years == 67 and case.patient.age_on(dt.date(2026, 4, 12)) == 46


def test_the_age_error_comes_with_the_other_date_errors():
    data = _data("1980-03-01", 67, dt.date(2026, 4, 12))
    data["visit_date"] = data["care_start_date"] = "2026-12-01"  # after today too
    with pytest.raises(ValidationError) as caught:
        parse_case(data, today=TODAY)
    fields = [e.field for e in caught.value.errors]
    assert "visit_date" in fields and "patient.age_years" in fields
