"""Which decisions must acknowledge standing red flags (domain.followup), written from the
rule: closing or pausing a case (resolved/discharged, continue conservative care, patient
declined) while an emergency or urgent red flag stands; a referral acts on it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, make_case  # noqa: E402

from radiculopathy_desktop.domain.followup import (  # noqa: E402
    DECISIONS_NEEDING_ACKNOWLEDGEMENT, red_flags_to_acknowledge, standing_red_flags)
from radiculopathy_desktop.domain.vocabulary import DECISIONS  # noqa: E402

D = dt.timedelta


def test_every_decision_but_referral_needs_acknowledgement():
    assert DECISIONS_NEEDING_ACKNOWLEDGEMENT == set(DECISIONS) - {"referred_for_surgical_opinion"}


@pytest.mark.parametrize("kind", sorted(DECISIONS))
def test_urgent_severe_weakness_is_named(kind):
    case = make_case("W", care_start=ANCHOR - D(days=5), power={"great_toe_extension": 2})
    standing = red_flags_to_acknowledge(case, kind, ANCHOR)
    if kind == "referred_for_surgical_opinion":
        assert standing is None
    else:
        assert standing is not None and standing.tier in ("urgent", "emergency")
        assert "severe_motor_deficit" in standing.flags
        assert any("weakness" in label.lower() for label in standing.labels)


def test_routine_case_and_a_date_before_the_intake_need_nothing():
    routine = make_case("R", care_start=ANCHOR - D(days=5))
    assert red_flags_to_acknowledge(routine, "resolved_discharged", ANCHOR) is None
    flagged = make_case("F", care_start=ANCHOR - D(days=5), red_flags={"saddle_anaesthesia": "yes"})
    assert standing_red_flags(flagged, ANCHOR - D(days=6)) is None  # not yet opened
    assert standing_red_flags(flagged, ANCHOR - D(days=5)).flags == ("saddle_anaesthesia",)


def test_an_earlier_decision_does_not_clear_what_stands():
    """A referral acknowledged the flag for the worklist, but discharging later still names it."""
    case = make_case("F", care_start=ANCHOR - D(days=20), red_flags={"history_of_cancer": "yes"},
                     decisions=[{"date": ANCHOR - D(days=19), "kind": "referred_for_surgical_opinion"}])
    standing = red_flags_to_acknowledge(case, "resolved_discharged", ANCHOR)
    assert standing is not None and standing.tier == "emergency" and standing.flags == ("history_of_cancer",)
