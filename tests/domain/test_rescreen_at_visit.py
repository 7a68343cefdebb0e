"""What the visit dialog says before a visit is saved (domain.triage.rescreen), from the
follow-up rule the README states: a muscle graded MRC 3 or less, weaker than before, is a
severe motor deficit reported at that visit (Immediate until a decision after it; rt12 F10),
so it is said as typed (gp14 G18); a "no" that clears an emergency or urgent flag answered
yes before is named so the window can ask first (gp14 G16)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.triage import rescreen
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
FULL = {"hip_flexion": 5, "knee_extension": 5, "ankle_dorsiflexion": 4, "great_toe_extension": 4,
        "plantar_flexion": 5, "ankle_eversion": 5}


def case(power=FULL, red_flags=None):
    d = copy.deepcopy(BASE)
    d.setdefault("examination", {})["power"] = dict(power)
    if red_flags:
        d["red_flags"] = {**d.get("red_flags", {}), **red_flags}
    c = parse_case(d)
    return c, c.intake.visit_date + dt.timedelta(days=14)


@pytest.mark.parametrize("grade, reported", [(5, False), (4, False), (3, True), (2, True), (0, True)])
def test_a_grade_of_3_or_less_weaker_than_before_is_reported(grade, reported):
    c, day = case()
    screen = rescreen(c, day, {}, {"ankle_dorsiflexion": grade})
    assert screen.reports_deficit is reported
    assert (screen.graded_weaker == ("ankle_dorsiflexion",)) is reported
    if reported:
        assert "severe_motor_deficit" in screen.new_escalation


def test_a_grade_of_3_already_standing_is_not_reported_again_at_the_same_grade():
    c, day = case({**FULL, "ankle_dorsiflexion": 3})
    assert not rescreen(c, day, {}, {"ankle_dorsiflexion": 3}).reports_deficit
    assert rescreen(c, day, {}, {"ankle_dorsiflexion": 2}).reports_deficit  # weaker again: reported


def test_no_grades_and_no_answers_report_nothing():
    c, day = case()
    screen = rescreen(c, day, {})
    assert not screen.reports_deficit and not screen.cleared and not screen.answered_yes


def test_a_no_clearing_a_standing_emergency_is_named():
    c, day = case(red_flags={"saddle_anaesthesia": "yes"})
    screen = rescreen(c, day, {"saddle_anaesthesia": "no"})
    assert screen.cleared == ("saddle_anaesthesia",)
    # unknown never clears (the flag stands), and a "no" to a question never answered yes clears nothing
    assert rescreen(c, day, {"saddle_anaesthesia": "unknown"}).cleared == ()
    assert rescreen(c, day, {"fever": "no"}).cleared == ()


def test_a_no_to_one_of_two_cauda_equina_answers_keeps_the_emergency_and_clears_nothing():
    c, day = case(red_flags={"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"})
    screen = rescreen(c, day, {"saddle_anaesthesia": "no"})
    assert screen.result.tier.value == "emergency"
    assert "urinary_retention_or_incontinence" not in screen.cleared


def test_a_flag_acknowledged_by_a_decision_is_not_unacknowledged():
    """The window asks before a "no" clears a flag only while no decision has acknowledged it
    (gp14 G16): a discharge acknowledging saddle numbness leaves nothing to ask about."""
    from radiculopathy_desktop.domain.followup import red_flags_unacknowledged, standing_red_flags
    from radiculopathy_desktop.domain.intake import Decision

    c, day = case(red_flags={"saddle_anaesthesia": "yes"})
    assert red_flags_unacknowledged(c, day)
    flags = standing_red_flags(c, day).flags
    decided = dataclasses.replace(c, decisions=(Decision(date=day, kind="resolved_discharged", by="Dr A",
                                                         acknowledged_red_flags=flags),))
    assert not red_flags_unacknowledged(decided, day)
