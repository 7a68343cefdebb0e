"""One open case per patient: the rule for "this patient already has an open case" (gp14 G10).

Not a guideline rule: it is the product's own status rule (domain/followup.py). A case is
open on a date when its surgical-review status that day is anything but Closed; a
decision closes it (referred, patient declined, resolved/discharged) from its own date on,
"continue conservative care until" does not, and a red flag raised after a closing decision
reopens it (the worklist shows it as Immediate). Boundaries: a discharge dated the day
before, on and after the date asked about.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists, describe_open_cases, open_case, open_cases
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402


def _case(case_id="EX-1", **kw):
    return parse_case(case_dict(case_id, patient_id="P-1", name="Ann Able", **kw))


def test_a_case_without_a_decision_is_open_with_its_intake_date_and_status():
    found = open_case(_case(), ANCHOR)
    assert found is not None
    assert (found.case_id, found.patient_id, found.status) == ("EX-1", "P-1", ReviewStatus.NEEDS_FOLLOW_UP)
    assert found.intake_date == ANCHOR - dt.timedelta(days=50)
    assert found.describe() == f"case EX-1 (intake {found.intake_date.isoformat()}, status Needs follow-up)"


@pytest.mark.parametrize("kind", ["resolved_discharged", "patient_declined", "referred_for_surgical_opinion"])
@pytest.mark.parametrize("offset, is_open", [(-1, False), (0, False), (1, True)])
def test_a_closing_decision_closes_the_case_from_its_own_date(kind, offset, is_open):
    """Dated the day before or on the date asked about: closed; the day after: not known yet, open."""
    case = _case(decisions=[{"date": ANCHOR + dt.timedelta(days=offset), "kind": kind,
                             "acknowledged_red_flags": []}])
    assert (open_case(case, ANCHOR) is not None) is is_open


def test_continue_conservative_care_leaves_the_case_open():
    case = _case(decisions=[{"date": ANCHOR - dt.timedelta(days=1), "kind": "continue_conservative_care",
                             "until": ANCHOR + dt.timedelta(days=20), "acknowledged_red_flags": []}])
    assert open_case(case, ANCHOR).status is ReviewStatus.SNOOZED


def test_a_red_flag_after_the_discharge_reopens_the_case():
    """The worklist shows it as Immediate: it is open work, not a closed episode."""
    case = _case(decisions=[{"date": ANCHOR - dt.timedelta(days=10), "kind": "resolved_discharged",
                             "acknowledged_red_flags": []}],
                 visits=[{"date": ANCHOR - dt.timedelta(days=2), "leg_nrs": 5,
                          "red_flags": {"saddle_anaesthesia": "yes"}}])
    assert open_case(case, ANCHOR).status is ReviewStatus.IMMEDIATE


@pytest.mark.parametrize("offset, counted", [(-1, True), (0, True), (1, False)])
def test_a_case_whose_intake_is_after_the_date_is_not_counted(offset, counted):
    case = _case(care_start=ANCHOR + dt.timedelta(days=offset))
    assert (open_case(case, ANCHOR) is not None) is counted


def test_open_cases_leave_out_the_case_itself_and_the_closed_ones_newest_first():
    old = _case("EX-OLD", care_start=ANCHOR - dt.timedelta(days=200))
    closed = _case("EX-SHUT", decisions=[{"date": ANCHOR - dt.timedelta(days=1), "kind": "resolved_discharged",
                                          "acknowledged_red_flags": []}])
    new = _case("EX-NEW", care_start=ANCHOR - dt.timedelta(days=3))
    found = open_cases([old, closed, new], ANCHOR, exclude="EX-NEW")
    assert [o.case_id for o in found] == ["EX-OLD"]
    assert [o.case_id for o in open_cases([old, closed, new], ANCHOR)] == ["EX-NEW", "EX-OLD"]
    assert describe_open_cases("P-1", found).startswith("patient P-1 already has an open case: case EX-OLD (intake ")


def test_the_refusal_names_each_open_case_and_how_to_go_on():
    found = open_cases([_case("EX-OLD")], ANCHOR)
    error = OpenCaseExists([("EX-NEW", "P-1", found)])
    assert error.exit_code == 2
    assert "nothing was saved" in str(error) and "--new-episode" in str(error)
    assert "new case EX-NEW: patient P-1 already has an open case: case EX-OLD (intake" in str(error)
    assert error.open_cases == tuple(found)
    assert "choose to start a new episode" in str(OpenCaseExists([("EX-NEW", "P-1", found)], where="window"))
