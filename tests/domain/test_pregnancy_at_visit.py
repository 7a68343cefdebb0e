"""A pregnancy recorded at a follow-up visit (preg17, H-MED-254).

Before, a pregnancy could be recorded only at the intake: a pregnancy that began during care
was never checked, and one that ended (birth, loss) kept its warnings, unless the case was
re-imported with --replace-records. A visit now records ``pregnancy`` ({"pregnant": true,
"weeks": N} or {"pregnant": false, "ended_on": D}); the latest on or before a date wins from
its visit's date on, and its weeks move on from that date.

Primary source of the thresholds (rules.toml ``nsaid-pregnancy-20`` / ``-30``, cited as
``fda-nsaid-pregnancy-2020``), FDA Drug Safety Communication, 15 October 2020 (FDA Drug Safety
Podcast text): "We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than the
30 weeks currently described in NSAID prescribing information. At around 30 weeks, NSAIDs can
cause a problem that may result in heart issues in the unborn baby."

The plausible end of a pregnancy: "42 completed weeks (294 days) or more from the first day
of the last menstrual period" (ACOG, as quoted in Williams Obstetrics; ``acog-postterm``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import (
    PregnancyUpdate,
    ValidationError,
    case_to_dict,
    parse_case,
    parse_visit,
    pregnancy_records,
    pregnancy_status_from_records,
)
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.stored_case import case_from_stored
from radiculopathy_desktop.domain.visits import visit_records_something
from radiculopathy_desktop.resources import resource_path

EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
VISIT = dt.date.fromisoformat(EXAMPLE["visit_date"])
AVOID_20 = "avoid NSAIDs from 20 weeks"
CONTRA_30 = "do not use NSAIDs from 30 weeks"


def case_with(intake_weeks=None, visits=(), pregnant=None, sex="female"):
    """The example taking ibuprofen 1200 mg/day, with the intake's answer and ``visits``
    (each (days after the intake, pregnancy dict or None, extra fields))."""
    data = copy.deepcopy(EXAMPLE)
    data["patient"].pop("pregnancy_weeks", None)
    data["patient"]["sex"] = sex
    if intake_weeks is not None:
        data["patient"]["pregnancy_weeks"] = intake_weeks
    if pregnant is not None:
        data["patient"]["pregnant"] = pregnant
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    data["visits"] = []
    for days, pregnancy, *extra in visits:
        v = {"date": (VISIT + dt.timedelta(days=days)).isoformat(), "notes": "seen"}
        if pregnancy is not None:
            v["pregnancy"] = pregnancy
        for more in extra:
            v.update(more)
        data["visits"].append(v)
    return data


def ibuprofen(case, day):
    row = assess_medications(case.intake_as_of(day), day).row("ibuprofen")
    return row.status, " ".join(r.text for r in row.reasons)


def errors(data):
    with pytest.raises(ValidationError) as exc:
        parse_case(data)
    return {e.field: e.message for e in exc.value.errors}


# --------------------------------------------------------------------------- from the visit's date on
def test_a_pregnancy_begun_during_care_counts_from_its_visit_date_not_the_day_before():
    case = parse_case(case_with(visits=[(30, {"pregnant": True, "weeks": 21})]))
    update = VISIT + dt.timedelta(days=30)
    before, on, after = update - dt.timedelta(days=1), update, update + dt.timedelta(days=1)
    assert case.pregnancy_status(before).answer == "unknown"   # the day before: what was recorded then
    assert ibuprofen(case, before)[0] == "ok"
    assert case.pregnancy_on(on).weeks == 21                     # on the day: the update
    assert ibuprofen(case, on)[0] == "avoid" and AVOID_20 in ibuprofen(case, on)[1]
    assert case.pregnancy_on(after).weeks == 21 and ibuprofen(case, after)[0] == "avoid"
    assert case.pregnancy_on(on).words == f"Pregnant, 21 weeks on {on.isoformat()} (at the visit)"
    assert case.pregnancy_on(after).words == (f"Pregnant, 21 weeks on {after.isoformat()} "
                                              f"(21 at the visit on {on.isoformat()})")


@pytest.mark.parametrize("days, weeks, status, says", [
    (13, 19, "caution", "Pregnant, 19 weeks"),      # 19 weeks: just below the FDA's 20
    (14, 20, "avoid", AVOID_20),                    # 20 weeks: at
    (20, 20, "avoid", AVOID_20),                    # 20+6: just above
    (83, 29, "avoid", AVOID_20),                    # 29+6: just below 30
    (84, 30, "contraindicated", CONTRA_30),         # 30 weeks: at
    (91, 31, "contraindicated", CONTRA_30),         # 31 weeks: just above
])
def test_weeks_recorded_at_a_visit_reach_the_fda_20_and_30_week_rules_counted_from_that_visit(
        days, weeks, status, says):
    # 5 weeks at the intake; 18 weeks at a visit 40 days later (a dating scan): counted from the
    # intake the weeks would be 10-19 behind; counted from the visit they are those of the scan
    case = parse_case(case_with(5, visits=[(40, {"pregnant": True, "weeks": 18})]))
    day = VISIT + dt.timedelta(days=40 + days)
    assert case.pregnancy_on(day).weeks == weeks
    got, text = ibuprofen(case, day)
    assert got == status and says in text and f"Pregnant, {weeks} weeks" in text
    assessed = assess_case(case, day).to_dict()["patient"]
    assert assessed["pregnancy_weeks"] == weeks
    assert assessed["pregnancy_recorded"] == {"weeks": 18, "at": "visit",
                                              "date": (VISIT + dt.timedelta(days=40)).isoformat()}


def test_a_pregnancy_that_ended_lifts_its_warnings_from_the_visit_on_and_a_past_date_still_sees_it():
    # 29 weeks at the intake; the visit 30 days later records the birth 3 days before it
    ended = VISIT + dt.timedelta(days=27)
    case = parse_case(case_with(29, visits=[(30, {"pregnant": False, "ended_on": ended.isoformat()})]))
    update = VISIT + dt.timedelta(days=30)
    assert ibuprofen(case, update - dt.timedelta(days=1))[0] == "contraindicated"  # 33 weeks as recorded then
    assert ibuprofen(case, ended)[0] == "contraindicated"  # counted from the visit, not the end date
    status = case.pregnancy_status(update)
    assert status.answer == "no" and status.at_visit and status.ended_on == ended
    assert ibuprofen(case, update)[0] == "ok"
    assert status.words == f"Not pregnant (recorded at the visit of {update.isoformat()}, ended {ended.isoformat()})"
    patient = assess_case(case, update).to_dict()["patient"]
    assert patient["pregnant"] == "no" and patient["pregnancy_weeks"] is None
    assert patient["pregnancy_recorded"] == {"at": "visit", "date": update.isoformat(), "ended_on": ended.isoformat()}
    assert assess_case(case, update - dt.timedelta(days=1)).to_dict()["patient"]["pregnancy_weeks"] == 33


def test_the_latest_update_wins_and_one_date_goes_by_the_order_entered():
    case = parse_case(case_with(visits=[
        (10, {"pregnant": True, "weeks": 12}, {"entry": 5}),
        (10, {"pregnant": False}, {"entry": 4}),      # entered first on that day
        (50, {"pregnant": True, "weeks": 3}),
    ]))
    day10 = VISIT + dt.timedelta(days=10)
    assert case.pregnancy_on(day10).weeks == 12
    assert case.pregnancy_on(VISIT + dt.timedelta(days=49)).weeks == 17
    assert case.pregnancy_on(VISIT + dt.timedelta(days=50)).weeks == 3


def test_a_visit_without_a_pregnancy_answer_changes_nothing():
    case = parse_case(case_with(18, visits=[(30, None)]))
    assert case.pregnancy_on(VISIT + dt.timedelta(days=30)).weeks == 22
    assert not case.pregnancy_on(VISIT + dt.timedelta(days=30)).at_visit


def test_the_plausible_end_is_counted_from_the_visit_that_recorded_the_weeks():
    case = parse_case(case_with(visits=[(7, {"pregnant": True, "weeks": 30})]))
    update = VISIT + dt.timedelta(days=7)
    at_42 = case.pregnancy_on(update + dt.timedelta(weeks=12, days=6))   # 42+6: not past
    past = case.pregnancy_on(update + dt.timedelta(weeks=13))             # 43: past
    assert at_42.weeks == 42 and not at_42.beyond_plausible_end
    assert past.beyond_plausible_end and past.rule_weeks == 42
    assert f"Pregnancy recorded at 30 weeks on {update.isoformat()}" in past.ask_text
    # recording the answer at a visit ends the question
    data = case_with(visits=[(7, {"pregnant": True, "weeks": 30}), (7 + 13 * 7, {"pregnant": False})])
    assert parse_case(data).pregnancy_status(update + dt.timedelta(weeks=13)).answer == "no"


# --------------------------------------------------------------------------- the format
def test_round_trip_canonical_and_stored():
    ended = (VISIT + dt.timedelta(days=20)).isoformat()
    case = parse_case(case_with(24, visits=[(20, {"pregnant": False, "ended_on": ended}),
                                            (40, {"pregnant": True, "weeks": 0}),
                                            (41, {"pregnant": False})]))
    assert [v.pregnancy for v in case.visits] == [
        PregnancyUpdate(False, None, dt.date.fromisoformat(ended)), PregnancyUpdate(True, 0), PregnancyUpdate(False)]
    written = case_to_dict(case)
    assert [v["pregnancy"] for v in written["visits"]] == [
        {"pregnant": False, "ended_on": ended}, {"pregnant": True, "weeks": 0}, {"pregnant": False}]
    assert parse_case(written) == case
    assert case_from_stored(json.loads(json.dumps(written))) == case
    assert "pregnancy" not in case_to_dict(parse_case(case_with(visits=[(3, None)])))["visits"][0]


@pytest.mark.parametrize("pregnancy, field, says", [
    ({"pregnant": True}, "visits[0].pregnancy.weeks", "required when pregnant"),
    ({"weeks": 12}, "visits[0].pregnancy.pregnant", "is required"),
    ({"pregnant": None, "weeks": 12}, "visits[0].pregnancy.pregnant", "is required"),
    ({"pregnant": "yes", "weeks": 12}, "visits[0].pregnancy.pregnant", "must be true, false"),
    ({"pregnant": False, "weeks": 12}, "visits[0].pregnancy.weeks", "no weeks of pregnancy"),
    ({"pregnant": True, "weeks": 12, "ended_on": "2026-01-01"}, "visits[0].pregnancy.ended_on", "pregnant: false"),
    ({"pregnant": True, "weeks": 45}, "visits[0].pregnancy.weeks", "between 0 and 44"),
    ({"pregnant": True, "weeks": -1}, "visits[0].pregnancy.weeks", "between 0 and 44"),
    ({"pregnant": True, "weeks": 12.5}, "visits[0].pregnancy.weeks", "whole"),
    ({"pregnant": False, "breastfeeding": True}, "visits[0].pregnancy.breastfeeding", "not a known field"),
    ("yes", "visits[0].pregnancy", "must be an object"),
])
def test_contradictions_and_wrong_values_are_refused_on_their_field(pregnancy, field, says):
    found = errors(case_with(visits=[(10, pregnancy)]))
    assert field in found and says in found[field], found


def test_the_weeks_range_boundaries_are_the_intakes():
    for weeks in (0, 44):
        assert parse_case(case_with(visits=[(10, {"pregnant": True, "weeks": weeks})])).visits[0].pregnancy.weeks == weeks


def test_an_end_date_after_the_visit_is_refused_on_the_day_after_not_on_the_day():
    on_the_day = (VISIT + dt.timedelta(days=10)).isoformat()
    assert parse_case(case_with(visits=[(10, {"pregnant": False, "ended_on": on_the_day})]))
    found = errors(case_with(visits=[(10, {"pregnant": False,
                                           "ended_on": (VISIT + dt.timedelta(days=11)).isoformat()})]))
    assert "after the visit" in found["visits[0].pregnancy.ended_on"]


def test_a_pregnancy_at_a_visit_for_a_male_patient_is_refused_but_not_pregnant_is_allowed():
    found = errors(case_with(sex="male", visits=[(10, {"pregnant": True, "weeks": 12})]))
    assert "male patient" in found["visits[0].pregnancy"]
    assert parse_case(case_with(sex="male", visits=[(10, {"pregnant": False})]))


def test_a_visit_recording_only_a_pregnancy_answer_is_a_record():
    data = case_with()
    case = parse_case(data)
    day = (VISIT + dt.timedelta(days=5)).isoformat()
    visit = parse_visit({"date": day, "pregnancy": {"pregnant": True, "weeks": 8}}, case,
                        today=VISIT + dt.timedelta(days=5))
    assert visit_records_something(visit) and visit.pregnancy == PregnancyUpdate(True, 8)
    with pytest.raises(ValidationError):
        parse_visit({"date": day}, case, today=VISIT + dt.timedelta(days=5))


# --------------------------------------------------------------------------- the stored records
def test_the_stored_records_give_the_same_answer_as_the_case_on_every_day():
    cases = [
        parse_case(case_with()),
        parse_case(case_with(pregnant=False)),
        parse_case(case_with(18)),
        parse_case(case_with(18, visits=[(30, {"pregnant": False}), (60, {"pregnant": True, "weeks": 4}),
                                         (60, None), (90, {"pregnant": True, "weeks": 30})])),
        parse_case(case_with(pregnant=False, visits=[(0, {"pregnant": True, "weeks": 40})])),
    ]
    for case in cases:
        records = json.loads(json.dumps(pregnancy_records(case)))
        for days in range(-3, 500, 3):
            day = VISIT + dt.timedelta(days=days)
            want, got = case.pregnancy_status(day), pregnancy_status_from_records(records, day)
            assert (got.answer, got.on_date and got.on_date.weeks, got.on_date and got.on_date.rule_weeks) == (
                want.answer, want.on_date and want.on_date.weeks, want.on_date and want.on_date.rule_weeks), day
    assert pregnancy_records(cases[0]) is None
