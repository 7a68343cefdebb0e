"""Methotrexate read as a weekly dose split over one day only when it is one (mtx31; H-MED-660..662).

From the primary source (resources/medicines/sources.toml mhra-methotrexate-weekly): MHRA Drug Safety Update,
September 2020: methotrexate is taken once a week; reports continue of overdose "due to more frequent dosing (including
daily administration)"; the patient is told it "should not be taken daily". A weekly dose may be divided over one day
(methotrexate-split-weekly-dose: doses 12 hours apart). So:

- a once-a-day frequency ("daily", "every day", "od", "c/24h") is seven days a week whatever week word follows it
  ("daily a week", "od weekly", "c/24h semanal"): asked as a daily dose, the known fatal error (round 31 made these
  silent);
- twice on one day written with words that say once a week or name the day ("bd once a week", "bd weekly", "bd on
  Mondays", "cada 12 horas una vez por semana") stays a split weekly dose (avoid2, H-MED-635): silent;
- 3 or more doses on one day ("qds sunday": 40 mg) is no usual split: asked, to confirm the weekly total;
- a bare week word after twice a day ("bd a week", "bd each week", "c/12h 1 semana") may be a course of a week or twice
  a week: asked, never read as once a week.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report


def _hazard_checks(report):
    return [c for c in report.dose_checks if HAZARD in c.text]


def _asked(name):
    report = _report([(name, None)])
    assert [m.generics for m in report.current_medicines] == [("methotrexate",)]  # recognised, never dropped
    checks = _hazard_checks(report)
    assert len(checks) == 1, name
    alert = next(a for a in medicine_alerts(report) if name.lower() in a.medicines)
    assert alert.status == "reduce_dose" and HAZARD in alert.text
    return checks[0].text


@pytest.mark.parametrize("name, freq", [
    ("methotrexate 10mg daily a week", "daily"), ("methotrexate 10mg every day a week", "every day"),
    ("methotrexate 10mg od weekly", "od"), ("methotrexate 10mg od once a week", "od"),
    ("metotrexato 2,5 mg 1 comp c/24h semanal", "1 comp c/24h"), ("methotrexate 10mg daily on mondays", "daily"),
    ("metotrexato 10 mg c/24h 1 semana", "c/24h"), ("methotrexate 10mg od a week", "od"),
])
def test_once_a_day_then_a_week_word_is_every_day_asked_as_the_fatal_error(name, freq):
    text = _asked(name)
    assert f'"{freq}" is once a day, seven days a week' in text and "known fatal error" in text


@pytest.mark.parametrize("name, doses", [
    ("methotrexate 10mg qds sunday", "4 doses on one day"), ("methotrexate 10mg tds monday", "3 doses on one day"),
    ("methotrexate 2.5mg tds once weekly", "3 doses on one day"),
    ("methotrexate 2.5mg 5 times a day on mondays", "5 doses on one day"),
])
def test_three_or_more_doses_on_one_day_are_asked_to_confirm_the_weekly_total(name, doses):
    text = _asked(name)
    assert doses in text and "confirm the weekly total" in text


@pytest.mark.parametrize("name, week", [
    ("methotrexate 10mg bd a week", "a week"), ("methotrexate 10mg bd each week", "each week"),
    ("methotrexate 10mg bd 1 semana", "semana"), ("methotrexate 10 mg c/12h 1 semana", "semana"),
    ("methotrexate 10mg bd every week", "every week"),
])
def test_a_bare_week_word_after_twice_a_day_is_asked_never_read_as_once_a_week(name, week):
    text = _asked(name)
    assert f'"{week}" after' in text and "how long it is taken" in text and "how often in a week" in text


@pytest.mark.parametrize("name", [
    "methotrexate 7.5mg bd once a week", "methotrexate 7.5mg bd weekly", "methotrexate 7.5mg bd on mondays",
    "methotrexate 7.5mg twice a day once a week", "metotrexato 7,5 mg cada 12 horas una vez por semana",
    "metotrexato 7,5 mg c/12h semanal", "metotrexato 7,5 mg cada 12 horas los lunes",
])
def test_twice_on_the_one_day_a_week_stays_a_split_weekly_dose(name):
    assert _hazard_checks(_report([(name, None)])) == []


def test_another_medicine_once_a_day_then_a_week_word_is_unchanged():
    # the rule is methotrexate's (weekly_only); ibuprofen's reading is not touched by it
    assert _hazard_checks(_report([("ibuprofen 400mg tds a week", None)])) == []


# -- the "N x M" question (readers31, H-MED-624) says each reading once, in good English (mtx31, H-MED-663) ----------

def _question(name):
    report = _report([(name, None)])
    (alert,) = [a for a in medicine_alerts(report) if name.lower() in a.medicines]
    return alert.text


# nxm (H-MED-675): naproxen 250mg, not 500mg: "500mg 2 x 2" is 2000 mg a day either way, above the label's 1500 mg, so its
# alert is now "Reduce dose" (tests/domain/test_n_x_m_either_way_nxm.py); 250mg x 4 = 1000 mg keeps the question alone
@pytest.mark.parametrize("name, once", [("gabapentin 300mg 3 x 3", "3 tablets 3 times a day (9 tablets a day)"),
                                        ("naproxen 250mg 2 x 2", "2 tablets 2 times a day (4 tablets a day)")])
def test_equal_numbers_give_one_reading_said_once(name, once):
    text = _question(name)
    assert once in text and text.count(once.split(" (")[0]) == 1 and "either way" not in text


def test_one_tablet_and_one_day_are_singular():
    text = _question("diazepam 5mg 3 x 1")
    assert "3 tablets once a day, 1 tablet 3 times a day (3 tablets a day either way)" in text
    assert "3 tablets for 1 day;" in text and "1 tablets" not in text and "1 days" not in text


def test_unequal_numbers_still_name_both_readings():
    text = _question("ibuprofen 400mg 2 x 3")
    assert "2 tablets 3 times a day, 3 tablets 2 times a day (6 tablets a day either way), or 2 tablets for 3 days" in text


@pytest.mark.parametrize("name, n, m", [("methotrexate 2.5mg 2 x 3 weekly", "2", "3"),
                                        ("methotrexate 2.5mg 3 x 2 a week", "3", "2")])
def test_a_count_then_x_n_weekly_asks_which_it_is_not_more_than_one_day(name, n, m):
    text = _asked(name)
    assert f"may be {n} tablets {m} days a week, or {n} x {m} tablets on one day a week" in text
    assert "more than one day a week" not in text


def test_x_n_a_week_with_no_count_before_is_still_more_than_one_day_a_week():
    assert "more than one day a week" in _asked("methotrexate 2.5mg x2 a week")
