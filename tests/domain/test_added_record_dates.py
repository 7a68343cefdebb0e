"""A follow-up visit or decision added to a case cannot be dated after today.

A visit or decision records something that has happened; a date ahead is a typo (a
year or month slip), and it would move the surgical-review clock. Only a decision's
``until`` (continue conservative care until, then review again) lies ahead.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import ValidationError, parse_case, parse_decision, parse_visit
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

TODAY = dt.date(2026, 3, 2)


def _case():
    return parse_case({"format_version": 1, "patient": {"id": "P-1", "age_years": 50},
                       "onset_date": "2026-01-20", "visit_date": "2026-02-01", "care_start_date": "2026-02-01",
                       "side": "left", "regions": ["buttock"], "pain": {"leg_nrs": 6, "back_nrs": 3},
                       "red_flags": {k: "no" for k in RED_FLAG_QUESTIONS}})


@pytest.mark.parametrize("day, ok", [(TODAY - dt.timedelta(days=1), True), (TODAY, True),
                                     (TODAY + dt.timedelta(days=1), False), (dt.date(2027, 6, 1), False)])
def test_visit_dated_after_today_refused(day, ok):
    data = {"date": day.isoformat(), "leg_nrs": 5}
    if ok:
        assert parse_visit(data, _case(), today=TODAY).date == day
    else:
        with pytest.raises(ValidationError) as exc:
            parse_visit(data, _case(), today=TODAY)
        assert [e.field for e in exc.value.errors] == ["visit.date"]
        assert "after today" in exc.value.errors[0].message
    # without a today (an import of a whole record) the date is not judged against the clock
    assert parse_visit(data, _case()).date == day


@pytest.mark.parametrize("day, ok", [(TODAY, True), (TODAY + dt.timedelta(days=1), False)])
def test_decision_dated_after_today_refused_but_until_may_lie_ahead(day, ok):
    data = {"date": day.isoformat(), "kind": "continue_conservative_care", "until": "2027-01-10"}
    if ok:
        decision = parse_decision(data, _case(), today=TODAY)
        assert decision.until == dt.date(2027, 1, 10)
    else:
        with pytest.raises(ValidationError) as exc:
            parse_decision(data, _case(), today=TODAY)
        assert [e.field for e in exc.value.errors] == ["decision.date"]


def test_impossible_visit_date_refused_not_corrected():
    with pytest.raises(ValidationError) as exc:
        parse_visit({"date": "2026-02-30", "leg_nrs": 5}, _case(), today=TODAY)
    assert exc.value.errors[0].field == "visit.date" and "not a real calendar date" in exc.value.errors[0].message
