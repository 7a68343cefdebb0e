"""typed35 (H-MED-719): "N x M" before a week word written with a "x" (or "times") between them.

"oxycodone 20mg 3 x 4 per week" is asked (nxread34, H-MED-710): 3 tablets on 4 days a week, or 12 tablets on one day a
week, 12 tablets a week either way, which gives no daily dose. The GP tryout wrote the same with "x week", "x wk",
"/week" and "x weekly": "x week" was set aside and "3 x 4" read as a daily dose (12 x 20 mg = 240 mg x 1.5 = 360 MME/day,
High opioid dose, a weekly regimen counted as daily); "x weekly" was read as 4 days a week and nothing was asked. They
are asked as "per week" is, with the same words. The spellings are data (drugs.toml [name_reading]
week_words_after_times: "week" and "wk" read as a week word only right after a times word, never alone, where "for 1
week" is a course's length).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import assert_drugs_toml_refused, dose_check_texts, example_report, name_reading, recorded_reading

SPELLINGS = ["3 x 4 x week", "3 x 4 x wk", "3 x 4 /week", "3 x 4 x weekly", "3 x 4 \u00d7 week", "3 x 4 times a week",
             "3 x 4 per week"]


@pytest.mark.parametrize("words", SPELLINGS)
def test_each_week_spelling_after_n_x_m_is_asked_as_per_week(words):
    name = f"oxycodone 20mg {words}"
    reading = name_reading(name)
    assert not reading.read and not reading.either_way and reading.components == ()
    assert reading.from_name == words
    assert (f'"{words}" may be 3 tablets 4 days a week, or 3 x 4 tablets on one day a week (12 tablets a week either '
            "way): a number of tablets in a week, so no daily dose can be read from it") in reading.problem
    report = example_report([(name, None)])
    (check,) = [t for t in dose_check_texts(report) if name in t]
    assert check.startswith(f"Check the dose: {name}: no daily dose recorded")
    # never a daily total made from a weekly amount: no opioid total, no High opioid dose
    assert report.current_daily_mme is None
    assert [a.status_label for a in medicine_alerts(report)] == ["Check the dose"]


@pytest.mark.parametrize("name", ["tramadol 50mg 2 x 3 x wk", "co-codamol 30/500 2 x 4 x week"])
def test_other_medicines_and_counts_are_asked_the_same_way(name):
    reading = name_reading(name)
    assert "tablets a week either way" in reading.problem and not reading.either_way


@pytest.mark.parametrize("name, written", [("methotrexate 2.5mg 2 x week", "2 x week"),
                                           ("methotrexate 2.5mg 2 x wk", "2 x wk")])
def test_a_once_weekly_medicine_written_twice_a_week_is_asked_with_its_hazard(name, written):
    # "2 x week" is twice a week: methotrexate on more than one day a week is a known fatal error
    # (mhra-methotrexate-weekly); it was silent (the "x week" was set aside)
    reading = name_reading(name)
    assert reading.problem.startswith(f'"{written}" is on more than one day a week, and methotrexate is usually taken '
                                      "once a week")


def test_no_n_x_m_before_the_week_word_is_left_as_before():
    # boundary: "x week" with no number before the "x" is not a week frequency here
    assert name_reading("methotrexate 15mg x week") is None


@pytest.mark.parametrize("name", ["oxycodone 20mg 2 x week", "oxycodone 20mg twice weekly"])
def test_a_plain_week_frequency_of_a_medicine_not_taken_weekly_is_asked(name):
    # dose36 (H-MED-730) changed this boundary: it gives no daily dose and was silent (no question); it is asked now
    reading = name_reading(name)
    assert reading is not None and not reading.read and "no daily dose can be read from it" in reading.problem


@pytest.mark.parametrize("name, regimen, mg", [("ibuprofen 400mg tds for 1 week", "tds for 1 week", 1200.0),
                                               ("ibuprofen 400mg tds x 1 week", "tds x 1 week", 1200.0)])
def test_week_alone_is_not_a_week_word(name, regimen, mg):
    # boundary: "week" after no times word is a course's length: the daily regimen is read as before
    reading = recorded_reading(name)
    assert reading.read and dict(reading.components) == {"ibuprofen": mg} and reading.from_name == regimen


def test_the_data_s_week_words_after_a_times_word_hold_no_number(tmp_path):
    assert_drugs_toml_refused(tmp_path, lambda t: t.replace('week_words_after_times = ["week"',
                                                            'week_words_after_times = ["1 week"', 1),
                              "week_words_after_times needs week_times_words, and holds no number")
