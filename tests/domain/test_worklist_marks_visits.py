"""The worklist's stored marks follow what a visit records and every birthday (red team rt17 F1
and F6): the spans kept at save must give, on every day, the case page's alerts, and the
pregnancy mark the answer standing on the day.

Primary sources the rules quote (resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in
  pregnancy at 20 weeks or later"; NSAID labeling already advised against use "at 30 weeks and
  later in pregnancy because of the additional risk of premature closure of the fetal ductus
  arteriosus".
- Gabapentin label (Neurontin PI, 2.4 Dosage in renal impairment): the daily dose by creatinine
  clearance band (>= 60, 30-59, 15-29, < 15 mL/min); Cockcroft-Gault reads the age on the date,
  so a birthday can move a patient into a lower band.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case, pregnancy_records
from radiculopathy_desktop.domain.worklist_marks import (alert_spans, change_days, marks_from_json,
                                                         pregnancy_mark_from_records)

INTAKE = dt.date(2026, 6, 1)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(visits=(), intake=INTAKE, medicines=({"name": "ibuprofen", "daily_dose_mg": 1200},), conditions=None,
          **patient):
    p = {"id": "PREG-V", "name": "Invented Patient", "age_years": 31, "sex": "female", **patient}
    p = {k: v for k, v in p.items() if v is not None}
    data = {
        "case_id": "C-V", "patient": p, "onset_date": (intake - dt.timedelta(days=7)).isoformat(),
        "visit_date": intake.isoformat(), "care_start_date": intake.isoformat(), "side": "left",
        "regions": ["buttock", "lateral_leg"], "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": FLAGS,
        "examination": {"power": {"great_toe_extension": 5}}, "function": {"odi_percent": 40},
        "medicines": list(medicines), "visits": list(visits)}
    if conditions:
        data["conditions"] = conditions
    return parse_case(data, today=dt.date(2030, 1, 1))


def _visit(day, pregnancy):
    return {"date": day.isoformat(), "leg_nrs": 6, "pregnancy": pregnancy}


def _stored(c, profile="us"):
    return [s.to_json() for s in alert_spans(c, profile)]


def _page(c, day, profile="us"):
    return tuple((a.status_label, tuple(a.medicines)) for a in assess_case(c, day, profile=profile).medicine_alerts)


def _worklist(spans, day):
    return tuple((m.label, m.medicines) for m in marks_from_json(spans, day))


def _every_day_agrees(c, first, last, profile="us"):
    spans = _stored(c, profile)
    day = first
    while day <= last:
        assert _worklist(spans, day) == _page(c, day, profile), day
        day += dt.timedelta(days=1)


VISIT = INTAKE + dt.timedelta(days=14)


def test_a_pregnancy_recorded_at_a_visit_reaches_the_worklist_marks():
    """rt17 F1: not pregnant at the intake, 25 weeks at a visit two weeks later, ibuprofen: the
    case page says Avoid from the visit and Contraindicated from 30 weeks (5 weeks on); the
    worklist showed nothing."""
    c = _case([_visit(VISIT, {"pregnant": True, "weeks": 25})], pregnant=False)
    assert _worklist(_stored(c), VISIT - dt.timedelta(days=1)) == ()  # the day before: not yet recorded
    assert _worklist(_stored(c), VISIT) == (("Avoid", ("ibuprofen",)),)
    thirty = VISIT + dt.timedelta(weeks=5)
    assert _worklist(_stored(c), thirty - dt.timedelta(days=1)) == (("Avoid", ("ibuprofen",)),)
    assert _worklist(_stored(c), thirty) == (("Contraindicated", ("ibuprofen",)),)
    assert VISIT in change_days(c) and thirty in change_days(c)
    _every_day_agrees(c, INTAKE, thirty + dt.timedelta(weeks=4))


def test_a_pregnancy_ended_at_a_visit_clears_the_worklist_marks_from_that_visit():
    """rt17 F1 (reverse): 25 weeks at the intake, ended at a visit: no alert from the visit on."""
    c = _case([_visit(VISIT, {"pregnant": False, "ended_on": (VISIT - dt.timedelta(days=1)).isoformat()})],
              pregnancy_weeks=25)
    assert _worklist(_stored(c), VISIT - dt.timedelta(days=1)) == (("Avoid", ("ibuprofen",)),)
    assert _worklist(_stored(c), VISIT) == ()
    _every_day_agrees(c, INTAKE, VISIT + dt.timedelta(weeks=10))


def test_weeks_recorded_again_at_a_visit_count_from_that_visit():
    """A later answer replaces the intake's weeks: 25 at the intake, 29 recorded a week later
    (a dating scan): 30 weeks is reached a week after the visit, not five weeks after the intake."""
    c = _case([_visit(INTAKE + dt.timedelta(weeks=1), {"pregnant": True, "weeks": 29})], pregnancy_weeks=25)
    thirty = INTAKE + dt.timedelta(weeks=2)
    assert _worklist(_stored(c), thirty - dt.timedelta(days=1)) == (("Avoid", ("ibuprofen",)),)
    assert _worklist(_stored(c), thirty) == (("Contraindicated", ("ibuprofen",)),)
    _every_day_agrees(c, INTAKE, INTAKE + dt.timedelta(weeks=8))


@pytest.mark.parametrize("offset_days, short", [(-1, "Pregnant 24 wk"), (0, ""), (70, "")])
def test_the_worklist_pregnancy_mark_reads_the_answer_standing_on_the_day(offset_days, short):
    """The pregnancy mark is the case page's answer on the day: an ended pregnancy is not
    "Pregnant 31 wk" weeks later."""
    c = _case([_visit(VISIT, {"pregnant": False})], pregnancy_weeks=23)  # 24 weeks the day before the visit
    day = VISIT + dt.timedelta(days=offset_days)
    mark, words = pregnancy_mark_from_records(pregnancy_records(c), day)
    assert mark == short
    on = c.pregnancy_on(day)
    assert (on is None) == (mark == "")


def test_a_pregnancy_found_at_a_visit_is_marked_from_that_visit():
    c = _case([_visit(VISIT, {"pregnant": True, "weeks": 12})], medicines=(), pregnant=False)
    records = pregnancy_records(c)
    assert pregnancy_mark_from_records(records, VISIT - dt.timedelta(days=1)) == ("", "")
    assert pregnancy_mark_from_records(records, VISIT + dt.timedelta(weeks=2))[0] == "Pregnant 14 wk"


def test_each_birthday_from_the_intake_on_is_followed_with_a_creatinine():
    """rt17 F6: a 78-year-old man, 60 kg, creatinine 1.70 mg/dL, gabapentin 1200 mg/day (CrCl
    30.4 mL/min at 78, 29.9 at 79): his 79th birthday, between the intake and the year of his
    latest record, moves him to the 15-29 band (Reduce dose). The stored spans skipped it."""
    intake = dt.date(2024, 11, 19)
    birth = dt.date(1946, 5, 1)  # 78 at the intake, 79 on 2025-05-01
    c = _case([{"date": "2026-11-25", "leg_nrs": 4}], intake=intake,
              medicines=({"name": "gabapentin 300mg", "daily_dose_mg": 1200},),
              conditions={"serum_creatinine": {"value": 1.70, "unit": "mg/dL"}},
              sex="male", age_years=None, birth_date=birth.isoformat(), weight_kg=60)
    for profile in ("us", "uk"):
        assert dt.date(2025, 5, 1) in change_days(c, profile)
        spans = _stored(c, profile)
        for day in (dt.date(2025, 4, 30), dt.date(2025, 5, 1), dt.date(2025, 11, 1), dt.date(2026, 4, 30),
                    dt.date(2026, 5, 1)):
            assert _worklist(spans, day) == _page(c, day, profile), (profile, day)
    assert any(label == "Reduce dose" for label, _ in _page(c, dt.date(2025, 5, 1)))
