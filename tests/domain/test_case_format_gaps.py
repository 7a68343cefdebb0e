"""The case format says what it means (issue 12 section 8).

* pain.back_nrs can be "not recorded" (null or left out): leg pain is the primary
  outcome in sciatica and some presentations have no back pain score.
* The front of the knee is a region, mapped to L3/L4 (the L3 dermatome runs over the
  anterior thigh to the knee, L4 over the knee and medial leg: ISNCSCI key sensory points
  L3 medial femoral condyle, L4 medial malleolus).
* Minor trauma is recordable without osteoporosis: ACR Appropriateness Criteria, Low
  Back Pain (2021), Variant 6 counts low-velocity trauma, osteoporosis, older age and
  chronic steroid use. Minor trauma fires the fracture rule with osteoporosis or age over
  50; prolonged steroid use fires it alone.
* Examination sensation, plantar response and clonus are part of the format.
* The documentation lists every value of the format the engine produces or reads.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import case_to_dict, parse_case
from radiculopathy_desktop.domain.roots import suggest_roots
from radiculopathy_desktop.domain.triage import triage_intake
from radiculopathy_desktop.resources import resource_path

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads(resource_path("schemas", "case.schema.json").read_text())
VISIT = dt.date(2026, 4, 1)


def data(**over) -> dict:
    d = {
        "patient": {"id": "F-1", "age_years": 40, "sex": "male"},
        "onset_date": "2026-03-20", "visit_date": VISIT.isoformat(), "side": "right",
        "regions": ["anterior_thigh"], "pain": {"leg_nrs": 6, "back_nrs": 2},
        "red_flags": {k: "no" for k in V.RED_FLAG_QUESTIONS},
    }
    d.update(over)
    return d


# --------------------------------------------------------------------------- back pain not recorded
@pytest.mark.parametrize("pain", [{"leg_nrs": 6, "back_nrs": None}, {"leg_nrs": 6}])
def test_back_pain_may_be_not_recorded(pain):
    raw = data(pain=pain)
    jsonschema.validate(raw, SCHEMA)
    case = parse_case(raw)
    assert case.intake.back_nrs is None
    assert parse_case(case_to_dict(case)) == case
    a = assess_case(case, VISIT).to_dict()
    assert a["instruments"]["back_nrs"] is None and a["instruments"]["leg_nrs"]["score"] == 6


def test_leg_pain_is_still_required():
    with pytest.raises(Exception) as info:
        parse_case(data(pain={"back_nrs": 3}))
    assert "pain.leg_nrs is required" in str(info.value)


# --------------------------------------------------------------------------- anterior knee
def test_front_of_knee_is_a_region_pointing_to_l3_and_l4():
    assert "anterior_knee" in V.SYMPTOM_REGIONS
    result = suggest_roots(("anterior_knee",))
    assert set(result.likely) == {"L3", "L4"}
    case = parse_case(data(regions=["anterior_knee"]))
    assert case.intake.regions == ("anterior_knee",)
    jsonschema.validate(data(regions=["anterior_knee"]), SCHEMA)


# --------------------------------------------------------------------------- minor trauma (ACR Variant 6)
@pytest.mark.parametrize("age, osteoporosis, tier", [
    (50, None, "routine"),    # age 50 is not over 50
    (51, None, "urgent"),     # older age counts without osteoporosis
    (40, True, "urgent"),     # osteoporosis counts at any age
    (40, False, "routine"),
    (40, None, "routine"),    # not recorded is not yes, and minor trauma alone is not enough
])
def test_minor_trauma_with_age_or_osteoporosis(age, osteoporosis, tier):
    red = {k: "no" for k in V.RED_FLAG_QUESTIONS} | {"minor_trauma": "yes"}
    raw = data(red_flags=red, patient={"id": "F-1", "age_years": age, "sex": "female"})
    if osteoporosis is not None:
        raw["conditions"] = {"osteoporosis": osteoporosis}
    result = triage_intake(parse_case(raw).intake)
    assert result.tier == tier
    if tier == "urgent":
        assert result.headline() == "suspected vertebral fracture"


def test_prolonged_steroid_use_with_minor_trauma_fires_the_fracture_rule():
    # ACR 2021 Variant 6 counts chronic steroid use with low-velocity trauma; alone it is a note (red-team B6)
    red = {k: "no" for k in V.RED_FLAG_QUESTIONS} | {"prolonged_corticosteroid_use": "yes"}
    assert triage_intake(parse_case(data(red_flags=red)).intake).tier == "routine"
    red["minor_trauma"] = "yes"
    assert triage_intake(parse_case(data(red_flags=red)).intake).tier == "urgent"


def test_significant_trauma_no_longer_claims_to_cover_minor_trauma():
    assert "minor" not in V.RED_FLAG_QUESTIONS["significant_trauma"].lower()
    assert "Minor trauma" in V.RED_FLAG_QUESTIONS["minor_trauma"]


# --------------------------------------------------------------------------- examination fields
@pytest.mark.parametrize("key, value", [("sensation", "reduced"), ("plantar", "extensor"), ("clonus", "present")])
def test_examination_fields_validate_and_round_trip(key, value):
    raw = data(examination={key: value})
    jsonschema.validate(raw, SCHEMA)
    case = parse_case(raw)
    assert getattr(case.intake.examination, key) == value
    assert case_to_dict(case)["examination"][key] == value


def test_an_unknown_examination_value_is_named():
    with pytest.raises(Exception) as info:
        parse_case(data(examination={"plantar": "up"}))
    assert "examination.plantar must be one of" in str(info.value)


# --------------------------------------------------------------------------- the documentation
def test_case_format_doc_names_every_vocabulary_value():
    text = (DOCS / "case-format.md").read_text(encoding="utf-8")
    for values in (V.RED_FLAG_QUESTIONS, V.SYMPTOM_REGIONS, V.MUSCLE_GROUPS, V.DECISIONS, V.PLANTAR_RESULTS,
                   V.CLONUS_RESULTS, V.SENSORY_RESULTS):
        for code in values:
            assert f"`{code}`" in text, code
    assert "`back_nrs`" in text and "not recorded" in text


def test_imaging_decision_values_are_documented():
    from radiculopathy_desktop.domain.guideline import IMAGING_DECISIONS
    text = (DOCS / "assessment-output.md").read_text(encoding="utf-8")
    for code in IMAGING_DECISIONS:
        assert f"`{code}`" in text, code
    assert "would consider surgery" in text


def test_assessment_output_doc_names_every_review_status_and_tier():
    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.domain.triage import TIERS
    text = (DOCS / "assessment-output.md").read_text(encoding="utf-8")
    for status in STATUS_ORDER:
        assert f"`{status.value}`" in text and status.label in text
    for tier in TIERS:
        assert f"`{tier}`" in text
