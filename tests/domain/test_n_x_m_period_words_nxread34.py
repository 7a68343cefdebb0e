"""nxread34: an "N x M" regimen written in a medicine's name beside a period word.

- H-MED-710: "oxycodone 20mg 3 x 4 per week" (3 tablets on 4 days a week, or 12 tablets on one day a week: 12 tablets a
  week either way) gives no daily dose. It was set aside as week words are for a medicine not taken weekly, and nothing
  was said: no "check the dose", no opioid total, no worklist mark. It is asked now, naming the words and the tablets a
  week, in English and Spanish; the opioid total is then not computed (never a number read from a weekly amount).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import dose_check_texts, example_report, name_reading


def _checks(name, mg=None):
    return [t for t in dose_check_texts(example_report([(name, mg)])) if name.lower() in t.lower()]


# ------------------------------------------------------------------ H-MED-710: N x M a week is asked, never silent
@pytest.mark.parametrize("name, words, tablets", [
    ("oxycodone 20mg 3 x 4 per week", "3 x 4 per week", 12),
    ("oxycodone 20mg 3 x 4 weekly", "3 x 4 weekly", 12),
    ("tramadol 50mg 3 x 4 weekly", "3 x 4 weekly", 12),
    ("oxycodone 20mg 2 x 3 a week", "2 x 3 a week", 6),
    ("oxycodone 20mg 3 x 4 a la semana", "3 x 4 a la semana", 12),
    ("oxicodona 20 mg 3 x 4 semanal", "3 x 4 semanal", 12),
    ("oxicodona 20 mg 3 x 4 por semana", "3 x 4 por semana", 12),
    ("co-codamol 30/500 2 x 4 weekly", "2 x 4 weekly", 8),
])
def test_n_x_m_a_week_is_asked_with_the_tablets_a_week(name, words, tablets):
    reading = name_reading(name)
    assert reading is not None and not reading.read and not reading.either_way
    assert reading.from_name == words
    n, m = words.split(" x ")[0], words.split(" x ")[1].split()[0]
    assert (f'"{words}" may be {n} tablets {m} days a week, or {n} x {m} tablets on one day a week '
            f"({tablets} tablets a week either way)") in reading.problem
    assert "no daily dose can be read from it" in reading.problem
    (check,) = _checks(name)
    assert check.startswith(f"Check the dose: {name}")


@pytest.mark.parametrize("name", ["oxycodone 20mg 3 x 4 per week", "tramadol 50mg 3 x 4 weekly",
                                  "oxycodone 20mg 3 x 4 a la semana"])
def test_an_opioid_n_x_m_a_week_is_an_alert_and_its_total_is_not_computed(name):
    report = example_report([(name, None)])
    alerts = [a.text for a in medicine_alerts(report)]
    assert any(t.startswith(f"Check the dose: {name}") for t in alerts), alerts
    # a weekly amount is never read into a daily MME: the total is not computed, and says why
    assert report.current_daily_mme is None
    assert not any("MME/day" in t and "read either way" in t for t in alerts)


def test_a_weekly_medicine_keeps_its_own_weekly_question_said_once():
    # methotrexate is taken weekly: its own question (mtx31, H-MED-664) with the weekly hazard, not a second one
    reading = name_reading("methotrexate 2.5mg 3 x 4 weekly")
    assert "methotrexate is usually taken once a week" in reading.problem
    assert reading.problem.count("may be 3 tablets 4 days a week") == 1


@pytest.mark.parametrize("name", ["oxycodone 20mg weekly", "oxycodone 20mg twice weekly"])
def test_a_week_word_with_no_n_x_m_is_left_as_before(name):
    # boundary: only an "N x M" before a week word is asked; a plain week frequency of a medicine not taken weekly
    # still gives no daily dose and no question (as before this change)
    assert name_reading(name) is None


def test_a_typed_daily_dose_beside_n_x_m_a_week_is_the_dose():
    # boundary: with a daily dose typed, the typed dose is used (a weekly amount cannot be compared with it)
    assert _checks("oxycodone 20mg 3 x 4 per week", 40.0) == []
    report = example_report([("oxycodone 20mg 3 x 4 per week", 40.0)])
    assert report.current_daily_mme == 60.0
