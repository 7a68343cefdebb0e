"""Imaging requested and self-management advice (issue 16): not recorded is never no."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.care_facts import (
    IMAGING_MODALITIES, IMAGING_REASONS, ImagingRecord, SelfManagementRecord, describe_imaging,
    describe_self_management,
)
from radiculopathy_desktop.domain.intake import ValidationError, case_to_dict, parse_case, parse_visit
from radiculopathy_desktop.resources import resource_path

SCHEMA = json.loads(resource_path("schemas", "case.schema.json").read_text())


def minimal(**over) -> dict:
    data = {
        "patient": {"id": "P-1", "age_years": 52, "sex": "male"},
        "onset_date": "2026-10-01", "visit_date": "2026-10-15",
        "side": "left", "regions": ["lateral_leg"],
        "pain": {"leg_nrs": 6, "back_nrs": 3},
        "red_flags": {k: "no" for k in V.RED_FLAG_QUESTIONS},
    }
    data.update(over)
    return data


def test_a_case_without_the_fields_reads_not_recorded_never_no():
    case = parse_case(minimal(visits=[{"date": "2026-11-01", "leg_nrs": 4}]))
    assert case.intake.imaging is None and case.intake.self_management is None
    assert case.visits[0].imaging is None and case.visits[0].self_management is None
    assert describe_imaging(None) == "not recorded"
    assert describe_self_management(None) == "not recorded"
    # and writing the case back does not invent a "no"
    out = case_to_dict(case)
    assert "imaging" not in out and "self_management" not in out
    assert "imaging" not in out["visits"][0]


def test_imaging_requested_round_trips_and_validates_against_the_schema():
    data = minimal(imaging={"requested": True, "date": "2026-10-16", "modality": "mri", "by_specialist": False,
                            "reason": "suspected_serious_pathology", "note": "night pain"},
                   self_management={"given": True, "printed_handout": True})
    jsonschema.validate(data, SCHEMA)
    case = parse_case(data)
    assert case.intake.imaging == ImagingRecord(True, dt.date(2026, 10, 16), "mri", False,
                                                "suspected_serious_pathology", "night pain")
    # the date defaults to the record's date
    assert case.intake.self_management == SelfManagementRecord(True, dt.date(2026, 10, 15), True)
    assert parse_case(case_to_dict(case)) == case
    jsonschema.validate(case_to_dict(case), SCHEMA)
    assert describe_imaging(case.intake.imaging) == (
        "MRI requested 2026-10-16 by non-specialist service; suspected serious underlying pathology")
    assert describe_self_management(case.intake.self_management) == "given 2026-10-15, printed handout given"


def test_recorded_no_is_kept_apart_from_not_recorded():
    case = parse_case(minimal(imaging={"requested": False}, self_management={"given": False}))
    assert case.intake.imaging == ImagingRecord(False)
    assert case.intake.self_management == SelfManagementRecord(False)
    assert describe_imaging(case.intake.imaging) == "none requested"
    assert describe_self_management(case.intake.self_management) == "not given"
    assert parse_case(case_to_dict(case)) == case


@pytest.mark.parametrize("imaging, field, words", [
    ({}, "imaging.requested", "required"),
    ({"requested": "yes"}, "imaging.requested", "true, false"),
    ({"requested": True}, "imaging.modality", "required when imaging was requested"),
    ({"requested": True, "modality": "pet"}, "imaging.modality", "must be one of"),
    ({"requested": True, "modality": "mri", "reason": "curiosity"}, "imaging.reason", "must be one of"),
    ({"requested": True, "modality": "mri", "date": "2026-10-14"}, "imaging.date", "before the date of the record"),
    ({"requested": True, "modality": "mri", "date": "2026-02-30"}, "imaging.date", "not a real calendar date"),
    ({"requested": False, "modality": "mri"}, "imaging.modality", "requested is false"),
    ({"requested": True, "modality": "mri", "by": "GP"}, "imaging.by", "not a known field"),
])
def test_bad_imaging_is_a_clear_field_error(imaging, field, words):
    with pytest.raises(ValidationError) as exc:
        parse_case(minimal(imaging=imaging))
    assert any(e.field == field and words in e.message for e in exc.value.errors), exc.value.errors


@pytest.mark.parametrize("advice, field, words", [
    ({}, "self_management.given", "required"),
    ({"given": False, "printed_handout": True}, "self_management.printed_handout", "given is false"),
    ({"given": True, "date": "2026-10-01"}, "self_management.date", "before the date of the record"),
    ({"given": True, "printed_handout": "yes"}, "self_management.printed_handout", "true, false"),
])
def test_bad_self_management_is_a_clear_field_error(advice, field, words):
    with pytest.raises(ValidationError) as exc:
        parse_case(minimal(self_management=advice))
    assert any(e.field == field and words in e.message for e in exc.value.errors), exc.value.errors


def test_a_visit_records_imaging_and_advice_and_errors_name_the_visit():
    case = parse_case(minimal())
    visit = parse_visit({"date": "2026-11-20", "leg_nrs": 5,
                         "imaging": {"requested": True, "modality": "mri", "by_specialist": True,
                                     "reason": "considering_intervention"},
                         "self_management": {"given": True, "printed_handout": False}}, case)
    assert visit.imaging == ImagingRecord(True, dt.date(2026, 11, 20), "mri", True, "considering_intervention")
    assert visit.self_management == SelfManagementRecord(True, dt.date(2026, 11, 20), False)
    later = case.with_visit(visit)
    assert later.visits[0].imaging == visit.imaging
    jsonschema.validate(case_to_dict(later), SCHEMA)
    with pytest.raises(ValidationError) as exc:
        parse_visit({"date": "2026-11-20", "leg_nrs": 5, "imaging": {"requested": True}}, case)
    assert [e.field for e in exc.value.errors] == ["visit.imaging.modality"]


def test_schema_enumerations_match_the_vocabulary():
    props = SCHEMA["properties"]
    assert props["imaging"]["properties"]["modality"]["enum"] == list(IMAGING_MODALITIES)
    assert props["imaging"]["properties"]["reason"]["enum"] == list(IMAGING_REASONS)
    visit = props["visits"]["items"]["properties"]
    assert visit["imaging"] == props["imaging"] and visit["self_management"] == props["self_management"]
