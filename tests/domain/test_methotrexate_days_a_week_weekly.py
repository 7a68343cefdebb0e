"""Methotrexate written on more than one day a week is "Check the dose" with the weekly hazard (weekly; H-MED-605..608).

From the primary source (resources/medicines/sources.toml mhra-methotrexate-weekly): MHRA Drug Safety Update,
September 2020, "Methotrexate once-weekly for autoimmune diseases: new measures to reduce risk of fatal overdose due to
inadvertent daily instead of weekly dosing": methotrexate is taken once a week; reports continue of overdose "due to
more frequent dosing (including daily administration)"; the patient is told of the potentially fatal risk "if it is
taken more often than once a week"; the prescriber notes the day of the week. So:

- on two or more days a week ("twice weekly", "4 times a week", "2 veces por semana", "on Mondays and Thursdays",
  "every 3 days"), as daily, is asked about naming the weekly hazard (the review found these silent);
- once a week ("weekly", "once a week", "1 time a week", "every Monday", "semanal", "una vez por semana") or less often
  ("fortnightly", "every 2 weeks", "quincenal") is not: that is how it is taken;
- "biweekly" means twice a week or every two weeks (sources.toml week-frequency-words): asked, never assumed either way;
- any other medicine written "twice a week" is recognised and gives no daily dose (never read as a dose a day).
"""

from __future__ import annotations

import pytest

from helpers.medicines import assert_drugs_toml_refused, name_reading
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report


def _hazard_checks(report):
    """The dose checks naming the weekly hazard (the daily-dose check's, or the name reading's "check the dose")."""
    return [c for c in report.dose_checks if HAZARD in c.text]

MORE_THAN_ONCE = [
    # the review's own two, and the English ways of writing two or more days a week
    "methotrexate 2.5mg twice weekly", "methotrexate 2.5 mg 4 times a week", "methotrexate 2.5mg twice a week",
    "methotrexate 2.5mg 2 times a week", "methotrexate 2.5mg 3 times weekly", "methotrexate 2.5mg 2x weekly",
    "methotrexate 2.5mg x2 a week", "methotrexate 2.5mg twice per week", "methotrexate 2.5mg thrice weekly",
    "methotrexate 2.5mg 2 tabs twice weekly", "Methotrexate 2.5 mg TWICE WEEKLY", "metoject 15mg twice weekly",
    # the days written: two days are two days a week
    "methotrexate 2.5mg on mondays and thursdays", "methotrexate 2.5mg monday, thursday",
    "methotrexate 15mg weekly on mondays and thursdays",  # "weekly", yet two days named
    # every N days: more than once a week below 7 (every 6 days is 7/6 a week)
    "methotrexate 2.5mg every 3 days", "methotrexate 2.5mg every 2 days", "methotrexate 2.5mg every 6 days",
    # Spanish
    "metotrexato 2,5 mg 2 veces por semana", "metotrexato 2,5 mg 3 veces a la semana", "metotrexato 2,5 mg 2 x por semana",
    "metotrexato 2,5 mg dos veces por semana", "metotrexato 2,5 mg dos veces a la semana",
    "metotrexato 2,5 mg 2 veces/semana", "metotrexato 2,5 mg cada 3 días", "metotrexato 2,5 mg los lunes y jueves",
]


@pytest.mark.parametrize("name", MORE_THAN_ONCE)
def test_more_than_one_day_a_week_is_check_the_dose_naming_the_weekly_hazard(name):
    report = _report([(name, None)])
    typed = name.lower()
    assert [m.generics for m in report.current_medicines] == [("methotrexate",)]  # recognised, never dropped
    checks = _hazard_checks(report)
    assert [(c.medicines, c.rule) for c in checks] == [((typed,), "check-dose")]
    assert "more than one day a week" in checks[0].text and "MHRA" in checks[0].source
    alert = next(a for a in medicine_alerts(report) if typed in a.medicines)
    assert (alert.label, alert.status) == ("Check the dose", "reduce_dose") and HAZARD in alert.text


ONCE_OR_LESS = [
    "methotrexate 15mg weekly", "methotrexate 15mg once weekly", "methotrexate 15mg once a week",
    "methotrexate 15mg every week", "methotrexate 15mg 1 time a week", "methotrexate 15mg one time per week",
    "methotrexate 15mg every monday", "methotrexate 15mg on mondays", "methotrexate 2.5mg 6 tabs once weekly",
    "methotrexate 15mg fortnightly", "methotrexate 15mg every 2 weeks", "methotrexate 15mg every 14 days",
    "metotrexato 15 mg cada semana", "metotrexato 15 mg semanal", "metotrexato 15 mg una vez por semana",
    "metotrexato 15 mg 1 vez por semana", "metotrexato 15 mg una vez a la semana", "metotrexato 15 mg los lunes",
    "metotrexato 15 mg quincenal", "metotrexato 15 mg cada 15 días",
]


@pytest.mark.parametrize("name", ONCE_OR_LESS)
def test_once_a_week_or_less_often_is_not_asked_about_and_stays_recognised(name):
    report = _report([(name, None), ("ibuprofen", 1200)])
    assert report.current_medicines[0].generics == ("methotrexate",)
    assert _hazard_checks(report) == []
    texts = [a.text for a in medicine_alerts(report)]
    assert not any(HAZARD in t for t in texts)
    assert any("methotrexate" in t and "NSAID" in t for t in texts)  # its interactions still checked


@pytest.mark.parametrize("name", ["methotrexate 15mg every 7 days", "metotrexato 15 mg cada 7 días"])
def test_every_7_days_is_once_a_week_not_the_weekly_hazard(name):
    """The boundary: every 7 days is once a week. It gives no daily dose and is still asked as a regimen of less than
    once a day (as before this change), but never as the more-than-weekly hazard."""
    report = _report([(name, None)])
    assert report.current_medicines[0].generics == ("methotrexate",)
    assert not any(HAZARD in a.text for a in medicine_alerts(report))


@pytest.mark.parametrize("name", ["methotrexate 15mg biweekly", "methotrexate 15mg bi-weekly",
                                  "metotrexato 15 mg bisemanal"])
def test_biweekly_is_asked_never_assumed(name):
    report = _report([(name, None)])
    checks = _hazard_checks(report)
    assert len(checks) == 1
    assert "may mean twice a week or every two weeks" in checks[0].text


@pytest.mark.parametrize("name", ["methotrexate 2.5mg bd", "methotrexate 2.5mg every other day"])
def test_daily_or_every_other_day_still_asked_as_before(name):
    assert len(_hazard_checks(_report([(name, None)]))) == 1


@pytest.mark.parametrize("name", ["ibuprofen 400mg twice a week", "ibuprofen 400mg twice weekly",
                                  "ibuprofen 400mg 3 times a week", "ibuprofeno 400 mg 2 veces por semana",
                                  "ibuprofen 400mg 2 tabs twice weekly", "naproxen 500mg on mondays and thursdays",
                                  "ibuprofen 400mg biweekly", "ibuprofen 400mg fortnightly"])
def test_another_medicine_twice_a_week_is_recognised_with_no_daily_dose_read_and_asked(name):
    report = _report([(name, None)])
    assert report.current_medicines[0].generics in (("ibuprofen",), ("naproxen",))
    # no daily dose read from a weekly regimen; dose36 (H-MED-730): and asked, never silent (it was "nothing asked")
    reading = name_reading(name)
    assert reading is not None and not reading.read and "no daily dose can be read from it" in reading.problem
    assert any(a.label == "Check the dose" for a in medicine_alerts(report))


def test_a_daily_frequency_beside_a_week_one_is_still_read_for_another_medicine():
    """"ibuprofen 400mg tds twice a week": 1200 mg on the days taken, read as before (a daily maximum is per day)."""
    reading = name_reading("ibuprofen 400mg tds twice a week")
    assert reading is not None and reading.read and dict(reading.components) == {"ibuprofen": 1200.0}


def test_the_week_words_are_data(tmp_path):
    def edit(text):
        return text.replace("[name_reading.week_days]\nmonday = 1", "[name_reading.week_days]\nmonday = 8", 1)

    assert_drugs_toml_refused(tmp_path, edit, "week_days")


@pytest.mark.parametrize("name, words", [("ibuprofen 400mg tds for a week", '"for a week"'),
                                         ("metotrexato 2,5 mg diario durante una semana", "known fatal error")])
def test_a_course_of_a_week_is_no_week_frequency(name, words):
    """"for a week", "durante una semana": how long a course lasts (read as before), never once a week."""
    reading = name_reading(name)
    assert reading is not None and words in (reading.problem or "") + " ".join(
        c.text for c in _report([(name, None)]).dose_checks)


def test_the_worklist_marks_it_check_the_dose_and_the_once_weekly_form_not():
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.domain.worklist_marks import alert_marks
    from tests.domain.test_methotrexate_weekly_mtx import AS_OF, _case

    marks = alert_marks(parse_case(_case([("metotrexato 2,5 mg 2 veces por semana", None)])), AS_OF, "us")
    assert any(m.label == "Check the dose" and m.medicines == ("metotrexato 2,5 mg 2 veces por semana",) for m in marks)
    assert alert_marks(parse_case(_case([("metotrexato 15 mg una vez por semana", None)])), AS_OF, "us") == ()
