"""nxread34: an "N x M" regimen written in a medicine's name beside a period word.

- H-MED-710: "oxycodone 20mg 3 x 4 per week" (3 tablets on 4 days a week, or 12 tablets on one day a week: 12 tablets a
  week either way) gives no daily dose. It was set aside as week words are for a medicine not taken weekly, and nothing
  was said: no "check the dose", no opioid total, no worklist mark. It is asked now, naming the words and the tablets a
  week, in English and Spanish; the opioid total is then not computed (never a number read from a weekly amount).
- H-MED-711: "oxycodone 20mg 3 x 4 daily" / "a day" / "al día" is the same either-way reading as "3 x 4" (3 tablets 4
  times a day or 4 tablets 3 times a day: 12 tablets a day either way), asked with that reason (it was "2 different
  numbers of tablets"), and its opioid total counted: 12 x 20 mg = 240 mg x 1.5 (CDC 2022) = 360 MME/day. A word that
  says more than "a day" ("od", "bd") or a day word not right after it is asked as before.
- H-MED-712: a daily dose typed that disagrees with what every reading of the "N x M" gives ("oxycodone 20mg 3 x 4" with
  40 mg a day typed: 240 mg a day either way) is a "check the dose" naming both, as "bd" and "2 qds" are (it won
  silently: 60 MME/day counted, nothing asked); a typed dose equal to it (240) confirms it and is counted as typed.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import assert_drugs_toml_refused, dose_check_texts, example_report, name_reading


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
def test_a_week_word_with_no_n_x_m_gives_no_daily_dose_and_is_asked(name):
    # dose36 (H-MED-730) changed this boundary: a plain week frequency of a medicine not taken weekly gives no daily dose
    # and was silent (no "check the dose", no opioid total); it is asked now (tests/domain/test_week_words_asked_dose36.py)
    reading = name_reading(name)
    assert reading is not None and not reading.read and "no daily dose can be read from it" in reading.problem


def test_a_typed_daily_dose_beside_n_x_m_a_week_is_counted_and_asked():
    # dose36 (H-MED-730) changed this boundary: with a daily dose typed, the typed dose is still counted (never dropped:
    # that would read the dose too low), and the weekly amount beside it is asked (it was silent: the clinician was not
    # told that the name and the typed dose may disagree)
    (check,) = _checks("oxycodone 20mg 3 x 4 per week", 40.0)
    assert "12 tablets a week either way" in check and "the recorded dose is used until the name is corrected" in check
    report = example_report([("oxycodone 20mg 3 x 4 per week", 40.0)])
    assert report.current_daily_mme is None or report.mme_provisional


# ------------------------------------------------------------------ H-MED-711: "N x M daily" read as plain "N x M"
def _mme_alert(name):
    return [a.text for a in medicine_alerts(example_report([(name, None)])) if "MME/day" in a.text]


@pytest.mark.parametrize("tail", ["daily", "a day", "every day"])
def test_n_x_m_daily_is_the_same_reading_as_plain_n_x_m(tail):
    plain, daily = name_reading("oxycodone 20mg 3 x 4"), name_reading(f"oxycodone 20mg 3 x 4 {tail}")
    assert daily.from_name == f"3 x 4 {tail}"
    # the same readings (3 tablets 4 times a day, 4 tablets 3 times a day), each 240 mg of oxycodone a day
    assert [r.components for r in daily.either_way] == [r.components for r in plain.either_way] == [
        (("oxycodone", 240.0),), (("oxycodone", 240.0),)]
    assert (f'"3 x 4 {tail}" may be 3 tablets 4 times a day, 4 tablets 3 times a day (12 tablets a day either way), '
            "or 3 tablets a day for 4 days") in daily.problem
    assert "different numbers of tablets" not in daily.problem
    (text,) = _mme_alert(f"oxycodone 20mg 3 x 4 {tail}")
    assert text.startswith(f"Taking oxycodone 20mg 3 x 4 {tail}: High opioid dose: current opioids total 360 MME/day")


@pytest.mark.parametrize("name, tail", [("oxicodona 20 mg 3 x 4 al día", "3 x 4 al día"),
                                        ("oxicodona 20 mg 3 x 4 diario", "3 x 4 diario"),
                                        ("oxicodona 20 mg 3 x 4 todos los días", "3 x 4 todos los días")])
def test_spanish_words_of_a_day_after_n_x_m_read_the_same(name, tail):
    reading = name_reading(name)
    assert reading.from_name == tail and len(reading.either_way) == 2
    (text,) = _mme_alert(name)
    assert "total 360 MME/day" in text


def test_equal_numbers_daily_give_one_reading():
    reading = name_reading("oxycodone 20mg 3 x 3 daily")  # 9 tablets a day, one reading
    assert '"3 x 3 daily" may be 3 tablets 3 times a day (9 tablets a day), or 3 tablets a day for 3 days' in reading.problem
    (text,) = _mme_alert("oxycodone 20mg 3 x 3 daily")
    assert "total 270 MME/day" in text  # 180 mg x 1.5


def test_n_x_m_daily_of_a_combination_is_checked_against_its_maximum_either_way():
    report = example_report([("co-codamol 30/500 3 x 4 daily", None)])
    assert ("acetaminophen", 6000.0, 4000.0) in {(c.generic, c.daily_mg, c.limit_mg) for c in report.dose_checks
                                                  if c.kind != "name"}


@pytest.mark.parametrize("name", ["oxycodone 20mg 3 x 4 od", "oxycodone 20mg 3 x 4 bd", "oxycodone 20mg daily 3 x 4",
                                  "oxycodone 20mg 3 x 4 tablets daily"])
def test_other_frequencies_or_a_day_word_not_right_after_are_asked_as_before(name):
    # boundary: only a word of "a day" right after the "N x M" is read either way; these stay asked, uncounted
    reading = name_reading(name)
    assert not reading.read and not reading.either_way and reading.problem
    assert _mme_alert(name) == []


def test_a_day_word_after_n_x_m_must_be_a_frequency_of_once_a_day(tmp_path):
    # the data's n_x_m_day_words are times_a_day words of once a day; "bd" (twice) there is refused on loading
    assert_drugs_toml_refused(tmp_path, lambda t: t.replace('n_x_m_day_words = ["daily"', 'n_x_m_day_words = ["bd"', 1),
                              "n_x_m_day_words must be frequencies of once a day")


# ------------------------------------------------------------------ H-MED-712: a typed dose that disagrees with N x M
def _conflict(name, mg):
    return [t for t in dose_check_texts(example_report([(name, mg)])) if "the name says" in t]


@pytest.mark.parametrize("name, words", [("oxycodone 20mg 3 x 4", "3 x 4"), ("oxycodone 20mg 3 x 4 daily", "3 x 4 daily")])
def test_a_typed_dose_that_disagrees_with_n_x_m_is_asked_naming_both(name, words):
    (text,) = _conflict(name, 40.0)
    assert text.startswith(f"Check the dose: {name}: the name says {words} (12 doses a day read either way: oxycodone "
                           "240 mg a day) but the dose recorded is 40 mg a day")
    report = example_report([(name, 40.0)])
    (mme,) = [a.text for a in medicine_alerts(report) if "MME/day" in a.text]
    # the typed dose is still what is counted, but the total says it is provisional, its dose to check
    assert "total 60 MME/day, provisional" in mme and "(its name says otherwise)" in mme
    assert report.current_daily_mme is None


def test_a_typed_dose_equal_to_n_x_m_confirms_it():
    # boundary: 240 mg typed = 12 x 20 mg: nothing to ask, 360 MME/day counted as recorded (not provisional)
    assert _conflict("oxycodone 20mg 3 x 4", 240.0) == []
    report = example_report([("oxycodone 20mg 3 x 4", 240.0)])
    assert report.current_daily_mme == 360.0
    assert not [t for t in dose_check_texts(report) if "3 x 4" in t]


def test_a_combination_typed_dose_is_compared_with_the_tablets_n_x_m_gives():
    # co-codamol 30/500 3 x 4: 12 tablets a day either way; 240 mg of codeine typed is 8 tablets (disagrees), 360 is 12
    (text,) = _conflict("co-codamol 30/500 3 x 4", 240.0)
    assert ("the name says 3 x 4 (12 tablets a day read either way: codeine 360 mg, acetaminophen 6000 mg a day) but "
            "the dose recorded is 240 mg a day (8 tablets a day of 30/500)") in text
    assert _conflict("co-codamol 30/500 3 x 4", 360.0) == []


def test_the_same_check_as_a_frequency_in_the_name():
    # the check N x M now takes part in is the one "2 qds" already had: the same words
    (qds,) = _conflict("tramadol 50mg 2 qds", 100.0)
    (nxm,) = _conflict("tramadol 50mg 2 x 4", 100.0)
    assert qds.endswith(nxm[nxm.index(" but the dose recorded is"):])
    assert "the name says 2 x 4 (8 doses a day read either way: tramadol 400 mg a day)" in nxm


# ------------------------------------------------------------------ trailing "for pain" (brief item 4)
@pytest.mark.parametrize("name, generic, mg", [
    ("tramadol 50mg qds for pain", "tramadol", 200.0),
    ("ibuprofen 400mg tds for pain", "ibuprofen", 1200.0),
    ("tramadol 50mg qds for pain.", "tramadol", 200.0),
    ("ibuprofeno 600 mg c/8h para el dolor", "ibuprofen", 1800.0),
])
def test_what_it_is_taken_for_at_the_end_does_not_block_recognition(name, generic, mg):
    # the words are set aside as "(for pain)" is: the medicine is recognised and its regimen read
    reading = name_reading(name)
    assert reading.read and dict(reading.components) == {generic: mg}
    assert reading.name == name  # the medicine is still named as recorded


def test_an_opioid_for_pain_is_in_the_total_and_its_question_names_the_recorded_name():
    name = "oxycodone 20mg 3 x 4 for pain"
    report = example_report([(name, None)])
    texts = [a.text for a in medicine_alerts(report)]
    (mme,) = [t for t in texts if "MME/day" in t]
    assert mme.startswith(f"Taking {name}: High opioid dose: current opioids total 360 MME/day, provisional")
    (check,) = _checks(name)
    assert check.startswith(f"Check the dose: {name}: no daily dose recorded")


@pytest.mark.parametrize("name", ["tramadol 50mg qds for pain relief", "tramadl 50mg qds for pain",
                                  "tramadol 50mg qds for 5 pain"])
def test_only_the_data_s_words_after_a_recognised_name_are_set_aside(name):
    # boundary: other words after "for", a name not recognised without them, or a number: NOT RECOGNISED as before
    from radiculopathy_desktop.domain.medications import load_medicine_data

    assert load_medicine_data().resolve(name)[0] == ()


def test_a_typed_dose_that_disagrees_beside_a_note_names_the_medicine_as_recorded():
    (text,) = _conflict("tramadol 50mg 2 qds (for pain)", 100.0)
    assert text.startswith("Check the dose: tramadol 50mg 2 qds (for pain): the name says 2 qds")


def test_words_of_what_it_is_for_hold_no_number(tmp_path):
    # a number in them could be a dose or a regimen set aside unread: refused on loading
    assert_drugs_toml_refused(tmp_path, lambda t: t.replace('trailing_indications = ["for pain"',
                                                            'trailing_indications = ["for 5 days"', 1),
                              "trailing_indications must hold no number")
