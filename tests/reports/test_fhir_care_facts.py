"""Imaging requested and self-management advice in the FHIR bundle (issue 16)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.care_facts import ImagingRecord, SelfManagementRecord
from radiculopathy_desktop.reports import fhir

AS_OF = dt.date(2026, 11, 21)


def _resources(bundle, kind):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def test_not_recorded_writes_nothing_and_recorded_facts_are_valid_resources(examples):
    base = examples["routine_l5_acute"]
    assert base.intake.imaging is None and base.intake.self_management is None
    bundle = Bundle.model_validate(fhir.case_bundle(base, AS_OF))
    assert _resources(bundle, "Procedure") == []
    assert not [r for r in _resources(bundle, "ServiceRequest") if r.category]

    day = base.intake.visit_date
    case = dataclasses.replace(base, intake=dataclasses.replace(
        base.intake, imaging=ImagingRecord(True, day, "mri", False, "suspected_serious_pathology"),
        self_management=SelfManagementRecord(True, day, True)))
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    imaging = [r for r in _resources(bundle, "ServiceRequest") if r.category]
    assert len(imaging) == 1
    assert imaging[0].code.text == "MRI of the lumbar spine" and imaging[0].authoredOn.isoformat() == day.isoformat()
    assert imaging[0].requester.display == "Non-specialist service"
    assert imaging[0].reasonCode[0].coding[0].code == "imaging-reason-suspected_serious_pathology"
    (advice,) = _resources(bundle, "Procedure")
    assert advice.status == "completed" and advice.note[0].text == "Printed handout given"


def test_recorded_no_is_explicit_not_done_and_no_imaging_gives_no_request(examples):
    base = examples["routine_l5_acute"]
    case = dataclasses.replace(base, intake=dataclasses.replace(
        base.intake, imaging=ImagingRecord(False), self_management=SelfManagementRecord(False)))
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    (advice,) = _resources(bundle, "Procedure")
    assert advice.status == "not-done" and advice.performedDateTime is None
    assert not [r for r in _resources(bundle, "ServiceRequest") if r.category]
