"""The case format: field-level validation, unknown kept apart from no, never a crash."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.intake import (
    ValidationError, case_to_dict, parse_case, parse_decision, parse_visit,
)
from radiculopathy_desktop.resources import resource_path

EXAMPLES = sorted(resource_path("examples").glob("*.json"))
SCHEMA = json.loads(resource_path("schemas", "case.schema.json").read_text())


def minimal(**over) -> dict:
    data = {
        "patient": {"id": "P-1", "age_years": 52, "sex": "male", "weight_kg": 80},
        "onset_date": "2026-10-01", "visit_date": "2026-10-15",
        "side": "left", "regions": ["lateral_leg"],
        "pain": {"leg_nrs": 6, "back_nrs": 3},
        "red_flags": {k: "no" for k in V.RED_FLAG_QUESTIONS},
    }
    data.update(over)
    return data


def fields(exc: ValidationError) -> set[str]:
    return {e.field for e in exc.errors}


def test_minimal_case_parses_with_defaults():
    case = parse_case(minimal())
    assert case.case_id == "P-1-2026-10-01"
    assert case.intake.care_start_date == dt.date(2026, 10, 15)  # defaults to the intake visit
    assert case.intake.examination.slr == "not_tested"
    assert case.intake.conditions.has("ckd") is None  # not recorded, not "no"


def test_unanswered_red_flag_is_unknown_not_no():
    data = minimal(red_flags={"fever": "no"})
    case = parse_case(data)
    assert case.intake.red_flag("fever") == "no"
    assert case.intake.red_flag("saddle_anaesthesia") == "unknown"


def test_visit_before_onset_names_both_fields():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(onset_date="2026-10-20", visit_date="2026-10-15"))
    assert "visit_date is before onset_date" in str(info.value)
    assert "visit_date" in fields(info.value)


@pytest.mark.parametrize("bad, message", [
    ("2026-02-30", "onset_date is not a real calendar date"),
    ("2026-13-01", "onset_date is not a real calendar date"),
    ("15/10/2026", "onset_date must be a date as YYYY-MM-DD"),
    (20261015, "onset_date must be a date as YYYY-MM-DD text"),
])
def test_impossible_or_malformed_dates(bad, message):
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(onset_date=bad))
    assert message in str(info.value)


def test_care_start_after_visit_rejected():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(care_start_date="2026-10-16"))
    assert fields(info.value) == {"care_start_date"}


@pytest.mark.parametrize("value, ok", [(0, True), (10, True), (-1, False), (11, False), (5.5, False), ("7", False), (True, False)])
def test_nrs_range(value, ok):
    data = minimal(pain={"leg_nrs": value, "back_nrs": 2})
    if ok:
        assert parse_case(data).intake.leg_nrs == value
    else:
        with pytest.raises(ValidationError) as info:
            parse_case(data)
        assert fields(info.value) == {"pain.leg_nrs"}


@pytest.mark.parametrize("grade, ok", [(0, True), (3, True), (5, True), (6, False), (-1, False)])
def test_mrc_power_grades(grade, ok):
    data = minimal(examination={"power": {"ankle_dorsiflexion": grade}})
    if ok:
        assert parse_case(data).intake.examination.power["ankle_dorsiflexion"] == grade
    else:
        with pytest.raises(ValidationError) as info:
            parse_case(data)
        assert "examination.power.ankle_dorsiflexion" in fields(info.value)


def test_red_flag_answer_must_be_yes_no_unknown():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(red_flags={"fever": "maybe"}))
    assert "red_flags.fever must be yes, no or unknown" in str(info.value)


def test_unknown_field_is_named():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(favourite_colour="blue"))
    assert "favourite_colour is not a known field" in str(info.value)


def test_every_error_is_reported_at_once():
    data = minimal(side="up", pain={"leg_nrs": 11, "back_nrs": "x"})
    data["patient"] = {"id": ""}
    with pytest.raises(ValidationError) as info:
        parse_case(data)
    assert {"side", "pain.leg_nrs", "pain.back_nrs", "patient.id", "patient.age_years"} <= fields(info.value)


def test_one_sided_with_bilateral_red_flag_is_inconsistent():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(red_flags={"bilateral_leg_symptoms": "yes"}))
    assert "side" in fields(info.value)


def test_creatinine_units_convert_to_mg_dl():
    case = parse_case(minimal(conditions={"serum_creatinine": {"value": 88.42, "unit": "umol/L"}}))
    assert case.intake.conditions.serum_creatinine_mg_dl == pytest.approx(1.0)


def test_pregnancy_for_male_rejected():
    data = minimal()
    data["patient"]["pregnancy_weeks"] = 20
    with pytest.raises(ValidationError) as info:
        parse_case(data)
    assert "patient.pregnancy_weeks" in fields(info.value)


def test_pregnancy_of_zero_weeks_for_male_rejected_too():
    # 0 weeks is a recorded pregnancy (None is "not recorded"): the clash is named for it too
    data = minimal()
    data["patient"].update(sex="male", pregnancy_weeks=0)
    with pytest.raises(ValidationError) as info:
        parse_case(data)
    assert "correct the sex or the pregnancy" in str(info.value)


@pytest.mark.parametrize("sex", ["female", "other", "unknown"])
def test_pregnancy_weeks_bounds_for_every_sex_that_allows_one(sex):
    from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_RANGE, pregnancy_allowed
    assert pregnancy_allowed(sex) and not pregnancy_allowed("male")
    lo, hi = PREGNANCY_WEEKS_RANGE
    for weeks in (lo, 20, 30, hi):
        data = minimal()
        data["patient"].update(sex=sex, pregnancy_weeks=weeks)
        assert parse_case(data).patient.pregnancy_weeks == weeks
    for weeks in (lo - 1, hi + 1, 20.5, "20"):
        data = minimal()
        data["patient"].update(sex=sex, pregnancy_weeks=weeks)
        with pytest.raises(ValidationError) as info:
            parse_case(data)
        assert "patient.pregnancy_weeks" in fields(info.value)


def test_continue_decision_needs_until_date_after_decision():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(decisions=[{"date": "2026-11-20", "kind": "continue_conservative_care"}]))
    assert "decisions[0].until" in fields(info.value)
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(decisions=[{"date": "2026-11-20", "kind": "continue_conservative_care", "until": "2026-11-20"}]))
    assert "decisions[0].until must be after decisions[0].date" in str(info.value)


def test_follow_up_visit_before_intake_rejected():
    with pytest.raises(ValidationError) as info:
        parse_case(minimal(visits=[{"date": "2026-10-01", "leg_nrs": 3}]))
    assert "visits[0].date is before visit_date" in str(info.value)


def test_parse_visit_reports_fields_relative_to_the_visit():
    case = parse_case(minimal())
    visit = parse_visit({"date": "2026-11-20", "leg_nrs": 4, "odi_percent": 30}, case)
    assert visit.leg_nrs == 4
    with pytest.raises(ValidationError) as info:
        parse_visit({"date": "2026-11-31", "leg_nrs": 12}, case)
    assert fields(info.value) == {"visit.date", "visit.leg_nrs"}


def test_parse_decision_validates_against_case():
    case = parse_case(minimal())
    d = parse_decision({"date": "2026-11-26", "kind": "referred_for_surgical_opinion", "by": "AB"}, case)
    assert d.kind == "referred_for_surgical_opinion"
    with pytest.raises(ValidationError):
        parse_decision({"date": "2026-11-26", "kind": "operate_now"}, case)


def test_with_visit_keeps_visits_in_date_order():
    case = parse_case(minimal(visits=[{"date": "2026-11-30", "leg_nrs": 3}]))
    later = case.with_visit(parse_visit({"date": "2026-11-10", "leg_nrs": 5}, case))
    assert [v.date.isoformat() for v in later.visits] == ["2026-11-10", "2026-11-30"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_parse_validate_against_schema_and_round_trip(path):
    data = json.loads(path.read_text())
    jsonschema.validate(data, SCHEMA)
    case = parse_case(data)
    assert parse_case(case_to_dict(case)) == case
    jsonschema.validate(case_to_dict(case), SCHEMA)


def test_schema_enumerations_match_the_vocabulary():
    props = SCHEMA["properties"]
    assert set(props["red_flags"]["properties"]) == set(V.RED_FLAG_QUESTIONS)
    assert props["regions"]["items"]["enum"] == list(V.SYMPTOM_REGIONS)
    assert set(props["examination"]["properties"]["power"]["properties"]) == set(V.MUSCLE_GROUPS)
    assert set(props["conditions"]["properties"]) >= set(V.BOOLEAN_CONDITIONS)
    assert props["decisions"]["items"]["properties"]["kind"]["enum"] == list(V.DECISIONS)
    assert props["treatments_tried"]["items"]["oneOf"][0]["enum"] == list(V.TREATMENTS)


# ---------------------------------------------------------------- property tests
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_never_crashes(value):
    try:
        parse_case(value)
    except ValidationError as exc:
        assert exc.errors and all(e.message for e in exc.errors)


BASE = json.loads((resource_path("examples") / "routine_s1_follow_up_due.json").read_text())


def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


ALL_PATHS = list(_paths(BASE))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), json_values)
def test_corrupting_any_field_gives_field_errors_not_crashes(path, value):
    data = copy.deepcopy(BASE)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        parse_case(data)
    except ValidationError as exc:
        assert exc.errors
        assert all(isinstance(e.field, str) and e.message for e in exc.errors)


def test_age_disagreement_only_when_both_are_given_and_differ_on_the_day():
    """Written from the rule: the age on a day is whole years since the birth date (the
    birthday itself counts); a typed age is only compared when a birth date is also given."""
    import datetime as dt

    from radiculopathy_desktop.domain.intake import age_disagreement

    born = dt.date(1960, 6, 15)
    assert age_disagreement(born, 65, dt.date(2026, 6, 14)) is None   # the day before the 66th birthday
    assert age_disagreement(born, 66, dt.date(2026, 6, 15)) is None   # on the birthday
    assert "makes the patient 65" in age_disagreement(born, 66, dt.date(2026, 6, 14))
    assert "age typed is 51" in age_disagreement(born, 51, dt.date(2026, 6, 15))
    assert age_disagreement(None, 51, dt.date(2026, 6, 15)) is None
    assert age_disagreement(born, None, dt.date(2026, 6, 15)) is None
    assert age_disagreement(born, 51, None) is None
    assert age_disagreement(dt.date(2027, 1, 1), 5, dt.date(2026, 6, 15)) is None  # reported as a date error instead
