"""A pregnancy recorded at the intake moves on with time (preg16, H-MED-205).

``patient.pregnancy_weeks`` is the gestation on the intake's visit date. Before, it was read
as the weeks on every later date, so a woman recorded at 18 weeks never reached the NSAID
20-week advice at a later visit. The weeks on a date are now the weeks recorded plus the
whole weeks elapsed since the visit date.

Primary source of the thresholds (rules.toml ``nsaid-pregnancy-20`` / ``-30``, cited as
``fda-nsaid-pregnancy-2020``), FDA Drug Safety Communication, 15 October 2020 (FDA Drug Safety
Podcast text): "We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than the
30 weeks currently described in NSAID prescribing information. At around 30 weeks, NSAIDs can
cause a problem that may result in heart issues in the unborn baby."

The plausible end of a pregnancy: "The international definition of prolonged pregnancy,
endorsed by the American College of Obstetricians and Gynecologists, is 42 completed weeks
(294 days) or more from the first day of the last menstrual period" (Williams Obstetrics,
Postterm pregnancy). Past 42 weeks on a date the pregnancy is neither dropped nor taken as
running for ever: the warnings stay and the clinician is asked.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import (
    PREGNANCY_PLAUSIBLE_END_WEEKS,
    ValidationError,
    case_to_dict,
    parse_case,
)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.stored_case import case_from_stored
from radiculopathy_desktop.resources import resource_path

EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
VISIT = dt.date.fromisoformat(EXAMPLE["visit_date"])
AVOID_20 = "avoid NSAIDs from 20 weeks"
CONTRA_30 = "do not use NSAIDs from 30 weeks"
ASK = "Ask whether she is still pregnant or breastfeeding"


def pregnant_case(weeks, medicines=(("ibuprofen", 1200),), **patient):
    data = copy.deepcopy(EXAMPLE)
    data["patient"]["pregnancy_weeks"] = weeks
    data["patient"].update(patient)
    if weeks is None:
        del data["patient"]["pregnancy_weeks"]
    data["medicines"] = [{"name": n, "daily_dose_mg": d} for n, d in medicines]
    return parse_case(data)


def ibuprofen(case, day):
    row = assess_medications(case.intake_as_of(day), day).row("ibuprofen")
    return row.status, " ".join(r.text for r in row.reasons)


@pytest.mark.parametrize("days, weeks, status, says", [
    (6, 18, "caution", "Pregnant, 18 weeks"),      # 18+6: still 18 completed weeks
    (7, 19, "caution", "Pregnant, 19 weeks"),      # 19 weeks: just below the FDA's 20
    (14, 20, "avoid", AVOID_20),                   # 20 weeks: at
    (21, 21, "avoid", AVOID_20),                   # 21 weeks: just above
    (77, 29, "avoid", AVOID_20),                   # 29 weeks: just below 30
    (84, 30, "contraindicated", CONTRA_30),        # 30 weeks: at
    (91, 31, "contraindicated", CONTRA_30),        # 31 weeks: just above
])
def test_18_weeks_at_the_intake_reach_the_fda_20_and_30_week_rules_by_elapsed_time(days, weeks, status, says):
    case = pregnant_case(18)
    day = VISIT + dt.timedelta(days=days)
    assert case.intake.pregnancy_on(day).weeks == weeks
    got_status, text = ibuprofen(case, day)
    assert got_status == status and says in text
    assert f"Pregnant, {weeks} weeks" in text
    if status == "avoid":
        assert CONTRA_30 not in text


def test_the_day_before_a_boundary_is_below_it():
    case = pregnant_case(18)
    assert ibuprofen(case, VISIT + dt.timedelta(days=13))[0] == "caution"  # 19+6
    assert ibuprofen(case, VISIT + dt.timedelta(days=83))[0] == "avoid"  # 29+6


def test_the_medicine_alert_the_banner_and_summary_show_follows_the_date():
    case = pregnant_case(18)
    at_intake = medicine_alerts(assess_medications(case.intake, VISIT))
    later = medicine_alerts(assess_medications(case.intake, VISIT + dt.timedelta(weeks=12)))
    assert at_intake == ()  # caution only: not an alert
    assert [a.status for a in later] == ["contraindicated"] and CONTRA_30 in later[0].text


def test_the_assessment_reports_the_weeks_on_its_date_and_as_recorded():
    case = pregnant_case(18)
    out = assess_case(case, VISIT + dt.timedelta(days=15)).to_dict()["patient"]
    assert out["pregnancy_weeks"] == 20 and out["pregnant"] == "yes"
    assert out["pregnancy_recorded"] == {"weeks": 18, "date": VISIT.isoformat()}
    assert "pregnancy_note" not in out


@pytest.mark.parametrize("days, beyond", [
    ((PREGNANCY_PLAUSIBLE_END_WEEKS - 18) * 7 + 6, False),   # 42+6: 42 completed weeks, not past
    ((PREGNANCY_PLAUSIBLE_END_WEEKS - 18 + 1) * 7, True),    # 43 weeks: past
    (400, True),                                              # more than a year on
])
def test_past_the_plausible_end_the_warning_stays_and_the_clinician_is_asked(days, beyond):
    assert PREGNANCY_PLAUSIBLE_END_WEEKS == 42
    case = pregnant_case(18)
    day = VISIT + dt.timedelta(days=days)
    pregnancy = case.intake.pregnancy_on(day)
    assert pregnancy.beyond_plausible_end is beyond
    status, text = ibuprofen(case, day)
    assert status == "contraindicated" and CONTRA_30 in text  # never silently dropped
    alert = medicine_alerts(assess_medications(case.intake, day))[0]
    patient = assess_case(case, day).to_dict()["patient"]
    if beyond:
        asked = f"Pregnancy recorded at 18 weeks on {VISIT.isoformat()}"
        assert asked in text and ASK in text and f"Pregnant, {pregnancy.weeks} weeks" not in text
        assert asked in alert.text and ASK in alert.text
        assert ASK in patient["pregnancy_note"]
    else:
        assert ASK not in text and "pregnancy_note" not in patient


def test_the_other_pregnancy_rules_also_ask_past_the_end():
    case = pregnant_case(30, medicines=(("gabapentin", 900), ("codeine", 120)))
    day = VISIT + dt.timedelta(weeks=20)
    report = assess_medications(case.intake, day)
    texts = [r.text for row in report.rows for r in row.reasons if "regnan" in r.text]
    assert texts and all(ASK in t for t in texts), texts


def test_a_date_before_the_intake_counts_back_and_never_below_zero():
    case = pregnant_case(2)
    assert case.intake.pregnancy_on(VISIT - dt.timedelta(days=1)).weeks == 1
    assert case.intake.pregnancy_on(VISIT - dt.timedelta(days=100)).weeks == 0


def test_a_pregnancy_recorded_past_42_at_the_intake_is_taken_as_recorded_that_day():
    case = pregnant_case(43)
    assert not case.intake.pregnancy_on(VISIT).beyond_plausible_end
    assert case.intake.pregnancy_on(VISIT + dt.timedelta(days=1)).beyond_plausible_end


# ---------------------------------------------------------------- the answer "not pregnant"
def test_not_pregnant_is_kept_through_the_format_and_the_stored_reading():
    case = pregnant_case(None, pregnant=False)
    assert case.patient.pregnant is False and case.patient.pregnancy_answer == "no"
    data = case_to_dict(case)
    assert data["patient"]["pregnant"] is False and "pregnancy_weeks" not in data["patient"]
    assert parse_case(data) == case
    assert case_from_stored(json.loads(json.dumps(data))) == case
    assert assess_case(case, VISIT).to_dict()["patient"]["pregnant"] == "no"


def test_not_asked_and_older_files_keep_their_meaning():
    unknown = pregnant_case(None)
    assert unknown.patient.pregnant is None and unknown.patient.pregnancy_answer == "unknown"
    assert "pregnant" not in case_to_dict(unknown)["patient"]
    older = pregnant_case(24)  # weeks without the answer, as every file before
    assert older.patient.pregnant is True and older.patient.pregnancy_answer == "yes"
    assert "pregnant" not in case_to_dict(older)["patient"]  # written as before: the weeks say it
    assert pregnant_case(24, pregnant=True) == older
    stored = case_from_stored(json.loads(json.dumps(case_to_dict(older))))
    assert stored == older


@pytest.mark.parametrize("patient, field, words", [
    ({"pregnancy_weeks": 20, "pregnant": False}, "patient.pregnant", "not pregnant has no weeks"),
    ({"pregnant": True}, "patient.pregnancy_weeks", "pregnant is true but"),
    ({"pregnant": "no"}, "patient.pregnant", "patient.pregnant"),
    ({"pregnant": True, "pregnancy_weeks": 10, "sex": "male"}, "patient.pregnancy_weeks", "male patient"),
])
def test_contradictions_are_refused_naming_the_field(patient, field, words):
    data = copy.deepcopy(EXAMPLE)
    del data["patient"]["pregnancy_weeks"]
    data["patient"].update(patient)
    with pytest.raises(ValidationError) as info:
        parse_case(data)
    errors = {e.field: e.message for e in info.value.errors}
    assert field in errors and words in errors[field], errors


def test_the_plausible_end_is_the_cited_one():
    """The 42 weeks in the code are the product data's cited source (sources.toml ``acog-postterm``):
    ACOG Practice Bulletin 146 (2014), read in its abstract (src18): "Postterm pregnancy refers to a
    pregnancy that has reached or extended beyond 42 0/7 weeks of gestation from the last menstrual
    period (LMP)". Its use as the plausible end of a recorded pregnancy is the tool's own."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    text = load_medicine_data().sources["acog-postterm"]
    assert f"reached or extended beyond {PREGNANCY_PLAUSIBLE_END_WEEKS} 0/7 weeks of gestation" in text
    assert f"{PREGNANCY_PLAUSIBLE_END_WEEKS} completed weeks" in text and "this tool's own use" in text
    assert "[unverified" not in text
