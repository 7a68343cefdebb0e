"""Findings recorded at a visit reach the FHIR Bundle's coded data (red-team rt13 F4).

A receiving system reads Observations, not the Condition's note: a muscle graded weaker at a
visit (MRC 2 -> 1, the progression that makes a case Immediate again) must be an Observation
dated on that visit, and the red-flag answers (intake and visits) must be coded data, with
"unknown" never exported as "no" (FHIR R4 Observation: value[x] or dataAbsentReason, obs-6).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.reports import fhir

AS_OF = dt.date(2026, 11, 30)


def _observations(bundle_dict, code_prefix):
    bundle = Bundle.model_validate(bundle_dict)  # valid R4(B) resources, invariants included
    out = []
    for e in bundle.entry:
        r = e.resource
        if r.get_resource_type() == "Observation" and r.code.coding[0].code.startswith(code_prefix):
            out.append(r)
    return out


def _foot_drop_with_visits(examples, *visits):
    return dataclasses.replace(examples["urgent_foot_drop"], visits=tuple(visits))


def test_a_weaker_grade_at_a_visit_is_an_observation_dated_on_the_visit(examples):
    visit = FollowUpVisit(date=dt.date(2026, 11, 26), leg_nrs=6, power={"ankle_dorsiflexion": 1})
    power = _observations(fhir.case_bundle(_foot_drop_with_visits(examples, visit), AS_OF), "power-")
    ankle = sorted((o.effectiveDateTime.isoformat(), o.valueInteger) for o in power
                   if o.code.coding[0].code == "power-ankle_dorsiflexion")
    assert ankle == [("2026-11-20", 2), ("2026-11-26", 1)]
    # the intake's other muscles stay as graded at the intake; the visit graded only one
    assert sum(1 for o in power if o.effectiveDateTime.isoformat() == "2026-11-26") == 1


def test_a_visit_after_the_export_date_is_not_exported(examples):
    late = FollowUpVisit(date=dt.date(2026, 12, 5), power={"ankle_dorsiflexion": 0},
                         red_flags={"saddle_anaesthesia": "yes"})
    bundle = fhir.case_bundle(_foot_drop_with_visits(examples, late), AS_OF)
    dates = {o.effectiveDateTime.isoformat() for o in _observations(bundle, "power-") + _observations(bundle, "red-flag-")}
    assert dates == {"2026-11-20"}


def test_every_red_flag_answer_is_coded_and_unknown_is_never_no(examples):
    case = examples["urgent_foot_drop"]
    answers = dict(case.intake.red_flags)
    answers["fever"] = "unknown"
    case = dataclasses.replace(case, intake=dataclasses.replace(case.intake, red_flags=answers), visits=(
        FollowUpVisit(date=dt.date(2026, 11, 26), red_flags={"saddle_anaesthesia": "yes", "fever": "no"}),))
    flags = _observations(fhir.case_bundle(case, AS_OF), "red-flag-")
    intake = {o.code.coding[0].code.removeprefix("red-flag-"): o for o in flags
              if o.effectiveDateTime.isoformat() == "2026-11-20"}
    assert set(intake) == set(answers)
    assert intake["progressive_neurological_deficit"].valueBoolean is True
    assert intake["saddle_anaesthesia"].valueBoolean is False
    unknown = intake["fever"]
    assert unknown.valueBoolean is None and unknown.dataAbsentReason.coding[0].code == "unknown"
    at_visit = {o.code.coding[0].code.removeprefix("red-flag-"): o.valueBoolean for o in flags
                if o.effectiveDateTime.isoformat() == "2026-11-26"}
    assert at_visit == {"saddle_anaesthesia": True, "fever": False}  # only the questions asked again
    assert "Saddle (perineal) numbness" in intake["saddle_anaesthesia"].code.coding[0].display
