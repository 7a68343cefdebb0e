"""The worklist's medicine-safety and pregnancy marks (domain/worklist_marks.py, wl17; gp16 F6:
"Needs attention (0)" and no mark while a patient 33 weeks pregnant took ibuprofen).

Primary sources the rules quote (resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (``fda-nsaid-pregnancy-2020``): "FDA recommends
  avoiding use of NSAIDs in pregnancy at 20 weeks or later"; "If NSAID treatment is determined
  necessary, limit use to the lowest effective dose and shortest duration possible" between 20 and
  30 weeks; NSAID prescribing information already advised against use "at 30 weeks and later in
  pregnancy because of the additional risk of premature closure of the fetal ductus arteriosus".
  (Read in the FDA communication as quoted by AAP News and the NHS SPS summary of it.)
- Prolonged (postterm) pregnancy: 42 completed weeks or more (``acog-postterm``: ACOG
  Practice Bulletin 146, read in its abstract). Past it the worklist
  asks whether she is still pregnant (preg16's rule, ``PregnancyOnDate``).

The mark is the case page's rule: the spans kept at save must give, on every day, exactly the
alerts ``assess_case`` gives that day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.worklist_marks import (AlertMark, alert_marks, alert_spans, change_days,
                                                         marks_from_json, pregnancy_mark)

INTAKE = dt.date(2026, 6, 1)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def case(weeks=18, medicines=({"name": "ibuprofen", "daily_dose_mg": 1200},), **patient):
    p = {"id": "PREG-1", "name": "Invented Patient", "age_years": 31, "sex": "female", **patient}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    return parse_case({
        "case_id": "C-1", "patient": p, "onset_date": (INTAKE - dt.timedelta(days=7)).isoformat(),
        "visit_date": INTAKE.isoformat(), "care_start_date": INTAKE.isoformat(), "side": "left",
        "regions": ["buttock", "lateral_leg"], "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": FLAGS,
        "examination": {"power": {"great_toe_extension": 5}}, "function": {"odi_percent": 40},
        "medicines": list(medicines)})


def on(c, day, profile="us"):
    return marks_from_json([s.to_json() for s in alert_spans(c, profile)], day)


def page(c, day, profile="us"):
    """The case page's alerts that day (assess_case: the banner, `case --as-of`, the summary)."""
    return [(a.status_label, tuple(a.medicines)) for a in assess_case(c, day, profile=profile).medicine_alerts]


def day_at(weeks, recorded=18, extra_days=0):
    return INTAKE + dt.timedelta(weeks=weeks - recorded, days=extra_days)


@pytest.mark.parametrize("weeks, extra, label", [
    (29, 6, "Avoid"),            # just below 30 weeks: the FDA's 20-week advice
    (30, 0, "Contraindicated"),  # at 30 weeks: "not recommended ... premature closure of the ductus"
    (30, 1, "Contraindicated"),  # just above
    (19, 6, None),               # just below 20 weeks: ibuprofen 1200 mg/day is no alert yet
    (20, 0, "Avoid"),            # at 20 weeks
])
def test_the_stored_mark_moves_with_the_weeks_of_pregnancy(weeks, extra, label):
    c = case()
    day = day_at(weeks, extra_days=extra)
    marks = on(c, day)
    assert [m.label for m in marks] == ([label] if label else [])
    assert [(m.label, m.medicines) for m in marks] == page(c, day)


def test_33_weeks_with_ibuprofen_is_contraindicated_with_the_case_pages_action():
    """gp16 F6's patient: 33 weeks on the worklist's date."""
    c = case(weeks=32)
    (mark,) = on(c, day_at(33, recorded=32))
    assert mark == AlertMark("Contraindicated", ("ibuprofen",), "Stop it and choose another option.")
    assert mark.words() == "Contraindicated: ibuprofen. Stop it and choose another option."


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_every_day_the_spans_give_the_case_pages_alerts(profile):
    """One rule: from the intake to well past the plausible end, day by day, under both profiles."""
    c = case(weeks=12)
    spans = [s.to_json() for s in alert_spans(c, profile)]
    for n in range(0, 240, 3):
        day = INTAKE + dt.timedelta(days=n)
        assert [(m.label, m.medicines) for m in marks_from_json(spans, day)] == page(c, day, profile), day


def test_an_age_threshold_reached_after_the_intake_is_a_change_day():
    """Age is read on the date (birth date): the 65th birthday is followed without a new record."""
    birth = dt.date(1961, 8, 10)  # 64 at the intake, 65 on 2026-08-10
    c = case(weeks=None, birth_date=birth.isoformat(), age_years=None, sex="male",
             medicines=({"name": "ibuprofen", "daily_dose_mg": 1200}, {"name": "prednisolone", "daily_dose_mg": 40}))
    assert dt.date(2026, 8, 10) in change_days(c)
    spans = [s.to_json() for s in alert_spans(c, "us")]
    for day in (dt.date(2026, 8, 9), dt.date(2026, 8, 10), dt.date(2026, 8, 11)):
        assert [(m.label, m.medicines) for m in marks_from_json(spans, day)] == page(c, day), day


def test_no_medicine_no_span_and_a_case_without_alerts_has_none():
    assert alert_spans(case(medicines=()), "us") == ()
    assert alert_marks(case(weeks=None, medicines=({"name": "paracetamol", "daily_dose_mg": 2000},)),
                       INTAKE, "us") == ()
    assert alert_spans(case(weeks=None, medicines=({"name": "paracetamol", "daily_dose_mg": 2000},)), "us") == ()


def test_a_dose_to_check_is_labelled_so_not_reduce_dose():
    """gp16 F4: a dose that cannot be a daily dose is 'Check the dose' (the case page's label)."""
    c = case(weeks=None, medicines=({"name": "co-codamol 30/500", "daily_dose_mg": 8},))
    labels = [m.label for m in on(c, INTAKE)]
    assert labels == [label for label, _ in page(c, INTAKE)]
    assert "Check the dose" in labels


@pytest.mark.parametrize("weeks, extra, short", [
    (42, 0, "Pregnant 42 wk"),
    (42, 6, "Pregnant 42 wk"),        # just below 43 completed weeks: not past the end
    (43, 0, "Ask: still pregnant?"),  # 43 weeks: past the plausible end (42)
    (43, 1, "Ask: still pregnant?"),
])
def test_the_pregnancy_mark_asks_once_past_42_weeks(weeks, extra, short):
    day = day_at(weeks, extra_days=extra)
    mark, sentence = pregnancy_mark(18, INTAKE, day)
    assert mark == short
    if short.startswith("Ask"):
        assert "Ask whether she is still pregnant or breastfeeding" in sentence
        assert f"recorded at 18 weeks on {INTAKE.isoformat()}" in sentence
    else:
        assert sentence.startswith(f"Pregnant, {weeks} weeks on {day.isoformat()}")


def test_no_pregnancy_recorded_no_mark():
    assert pregnancy_mark(None, None, INTAKE) == ("", "")


def test_past_the_end_the_rules_keep_the_42_week_warning():
    """Past 42 weeks the NSAID stays contraindicated (the cautious choice) while the worklist asks."""
    c = case()
    late = day_at(60)
    assert [m.label for m in on(c, late)] == ["Contraindicated"] == [label for label, _ in page(c, late)]
