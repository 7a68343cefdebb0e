"""nxd36 (H-MED-757): an "N x M" with no frequency is asked as three readings (N tablets M times a day, M tablets N
times a day, N tablets [a day] for M days). The verdict that follows says the N x M total of the first two only and
what the last gives, never "either reading is 12 tablets a day" after listing a third of 3; the opioid total says
which reading it counted and what the "for M days" reading would count.

Source of the numbers: CDC 2022 MME conversion factors (oxycodone 1.5, morphine 1; Dowell D et al. MMWR Recomm Rep
2022;71(3), Table) and the BNF's "p.r.n."/frequency list read as the app's [name_reading] data."""
import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_report


def _texts(name):
    return [a.text for a in medicine_alerts(example_report([(name, None)]))]


def _question(name):
    (text,) = [t for t in _texts(name) if "cannot be read" in t and "may be" in t]
    return text


def _mme(name):
    (text,) = [t for t in _texts(name) if "MME/day" in t and "opioid dose" in t.lower()]
    return text


def test_per_day_n_x_m_names_three_readings_and_says_the_third_apart():
    text = _question("oxycodone 20mg 3 x 4/d")
    assert "or 3 tablets a day for 4 days" in text
    assert "ither reading is" not in text
    assert ("The first two readings are 12 tablets a day (oxycodone 240 mg a day); the last, 3 tablets a day for "
            "4 days, is 3 tablets a day (oxycodone 60 mg a day); which was meant is still to be confirmed") in text


def test_per_day_n_x_m_mme_says_the_reading_counted_and_the_other():
    text = _mme("oxycodone 20mg 3 x 4/d")
    assert "total 360 MME/day" in text  # 240 mg x 1.5
    assert ("counted as 12 tablets a day: 3 tablets 4 times a day or 4 tablets 3 times a day; read as 3 tablets a day "
            "for 4 days it would be 90 MME/day") in text  # 60 mg x 1.5: the 90 MME/day boundary itself
    assert "read either way" not in text


@pytest.mark.parametrize("name, total, lower", [
    ("morphine 10mg 2 x 4/d", 80, 20),     # 2 tablets a day: 20 mg x 1
    ("morphine 10mg 4 x 2/d", 80, 40),     # 4 tablets a day
])
def test_the_lower_reading_follows_the_first_number(name, total, lower):
    text = _mme(name)
    assert f"total {total} MME/day" in text and f"it would be {lower} MME/day" in text


def test_plain_n_x_m_says_the_last_reading_is_fewer_without_a_number():
    # "3 x 4" with no "/d": "3 tablets for 4 days" may be 3 in all, so no daily amount is said of it
    text = _question("oxycodone 20mg 3 x 4")
    assert "ither reading is" not in text
    assert "The first two readings are 12 tablets a day" in text
    assert "the last, 3 tablets for 4 days, is fewer tablets a day" in text
    assert "would be" not in _mme("oxycodone 20mg 3 x 4")


def test_equal_numbers_have_one_n_x_m_reading():
    text = _question("oxycodone 20mg 3 x 3/d")
    assert "The first reading is 9 tablets a day" in text
    assert "the last, 3 tablets a day for 3 days, is 3 tablets a day (oxycodone 60 mg a day)" in text
