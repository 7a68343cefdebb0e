"""Red team of the typed-regimen reader after the Spanish (esread) and English (forms29) forms merged
(redteam29; H-MED-555..557; data: drugs.toml ``[name_reading.times_a_day]``).

From what the words mean (sources.toml "prescription-abbreviations": "o.m. every morning", "o.n. every
night"; "daily" is every day): "every day", "every morning", "every night", "at night" are once a day, and
"once per day" / "twice per day" are once / twice a day, as "once a day" / "twice a day" are. Those words
were known to the name reader as no part of a medicine's name, so they were dropped with the regimen: the
medicine was recognised and nothing about its dose was read or asked. MHRA Drug Safety Update (September
2020): methotrexate taken daily instead of weekly has killed; any daily methotrexate is asked about.

The tables at the end are the attack strings whose reading was checked by hand against what a pharmacist
reads (a daily dose, or "check the dose" when the words give no single daily dose); never a lower dose.
"""

from __future__ import annotations

import pytest

from helpers.medicines import daily_read, name_reading
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report, _weekly_checks


# ------------------------------------------------------------------ H-MED-555 once a day in plain words
@pytest.mark.parametrize("name, daily", [
    ("ibuprofen 400mg every day", 400),
    ("ibuprofen 400mg 2 tabs every morning", 800),  # 2 tablets once a day
    ("ibuprofen 400mg 2 at night", 800),
    ("ibuprofen 400mg one at night", 400),
    ("ibuprofen 400mg twice per day", 800),
    ("diclofenac 75mg every day", 75),
])
def test_once_a_day_in_plain_words_is_read(name, daily):
    generic = name.split()[0]
    assert daily_read(name) == {generic: daily}


def test_plain_words_give_a_combination_product_s_tablets_a_day():
    # co-codamol 30/500: 2 tablets once a day is codeine 60 mg and paracetamol 1000 mg
    assert daily_read("co-codamol 30/500 2 tabs at night") == {"codeine": 60, "acetaminophen": 1000}
    assert daily_read("tramadol 50mg 2 caps every day") == {"tramadol": 100}


@pytest.mark.parametrize("name, daily", [
    ("methotrexate 10mg every day", 10), ("methotrexate 10mg every morning", 10),
    ("methotrexate 10mg every night", 10), ("methotrexate 10mg at night", 10),
    ("methotrexate 2.5mg 4 tabs every morning", 10), ("methotrexate 2.5mg once per day", 2.5),
])
def test_methotrexate_every_day_in_plain_words_is_asked_about(name, daily):
    checks = _weekly_checks(_report([(name, None)]))
    assert checks and all(HAZARD in c.text for c in checks)
    assert daily_read(name) == {"methotrexate": daily}


@pytest.mark.parametrize("name", [
    "ibuprofen 400mg 1 every morning 2 every night",  # two times of day with different counts
    "ibuprofen 400mg tds 2 at night",
    "methotrexate 10mg every day every other day",
    "ibuprofen 400mg every night prn",
])
def test_plain_daily_words_beside_another_frequency_are_asked(name):
    reading = name_reading(name)
    assert reading is not None and reading.problem


def test_weekly_methotrexate_in_words_is_still_not_a_daily_dose():
    assert _weekly_checks(_report([("methotrexate 2.5mg 4 tabs once a week", None)])) == []


# ------------------------------------------------------------------ H-MED-556 "twice", "2 a day"
# "2 a day" is two tablets a day ("one a day": one), as "2 tabs daily" is; "twice", "once", "3 times" with no "a
# day" do not say how often (twice a day, or twice only?), so they are asked about; "once weekly", "twice a week"
# are weekly and give no daily dose (nothing read, nothing asked: a weekly methotrexate is not flagged)
@pytest.mark.parametrize("name, daily", [
    ("ibuprofen 400mg 2 a day", {"ibuprofen": 800}), ("ibuprofen 400mg two a day", {"ibuprofen": 800}),
    ("tramadol 50mg one a day", {"tramadol": 50}),
    ("co-codamol 30/500 2 a day", {"codeine": 60, "acetaminophen": 1000}),
    ("ibuprofen 400mg a day", {"ibuprofen": 400}),  # after a strength: the day's total, as before
])
def test_a_number_a_day_is_that_many_tablets_a_day(name, daily):
    assert daily_read(name) == daily


@pytest.mark.parametrize("name", [
    "ibuprofen 400mg twice", "ibuprofen 400mg 2 tabs twice", "ibuprofen 400mg 3 times", "ibuprofen 400mg times 3",
    "methotrexate 2.5mg once", "methotrexate 2.5mg twice",
])
def test_how_many_times_without_a_day_is_asked(name):
    reading = name_reading(name)
    assert reading is not None and "(how often it is taken) could not be read" in reading.problem


def test_methotrexate_two_a_day_is_asked_about_and_once_a_week_is_not():
    assert all(HAZARD in c.text for c in _weekly_checks(_report([("methotrexate 2.5mg 2 a day", None)])))
    assert _weekly_checks(_report([("methotrexate 2.5mg 2 a day", None)]))
    # weekly (H-MED-605): "twice a week" was here as not asked about; methotrexate on two days a week is the error the
    # MHRA warns of ("more often than once a week"): tests/domain/test_methotrexate_days_a_week_weekly.py asks it
    for weekly in ("methotrexate 10mg once weekly", "methotrexate 10mg once per week"):
        assert _weekly_checks(_report([(weekly, None)])) == []
        assert name_reading(weekly) is None


# ------------------------------------------------------------------ H-MED-557 two counts, one frequency
# "2 tabs 2 a day" may be 2 tablets a day or 2 tablets twice a day (4); "2 comprimidos 2 al día" the same in Spanish;
# "2 tabs 2 bd" 2 or 4 each time: no single daily dose, asked, never the lower one read
@pytest.mark.parametrize("name", [
    "ibuprofen 400mg 2 tabs 2 a day", "ibuprofeno 400 mg 2 comprimidos 2 al día", "ibuprofen 400mg 2 tabs 2 bd",
    "co-codamol 30/500 2 tabs 2 qds", "ibuprofen 400mg 2 x 2 tds",
])
def test_a_count_and_a_bare_number_before_one_frequency_are_asked(name):
    reading = name_reading(name)
    assert reading is not None and "numbers of tablets" in reading.problem


# ------------------------------------------------------------------ H-MED-555..557 regression table
READS = [
    ('Arthrotec 50 1 tab tds', {'diclofenac': 150.0, 'misoprostol': 0.6}),
    ('Arthrotec 50 1-1-1', {'diclofenac': 150.0, 'misoprostol': 0.6}),
    ('Arthrotec 50 every day', {'diclofenac': 50.0, 'misoprostol': 0.2}),
    ('Arthrotec 75 1 comprimido cada 12 horas', {'diclofenac': 150.0, 'misoprostol': 0.4}),
    ('Arthrotec 75 1-0-1', {'diclofenac': 150.0, 'misoprostol': 0.4}),
    ('Arthrotec 75 bd', {'diclofenac': 150.0, 'misoprostol': 0.4}),
    # arthro36 (H-MED-750): the 75 is Arthrotec 75's one strength (75/200), as in "Arthrotec 75 bd", every 12 hours
    ('Arthrotec 75 c/12h', {'diclofenac': 150.0, 'misoprostol': 0.4}),
    ('Arthrotec 75 ii bd', {'diclofenac': 300.0, 'misoprostol': 0.8}),
    ('IBUPROFENO 600 MG 2 COMPRIMIDOS CADA 8 HORAS', {'ibuprofen': 3600.0}),
    ('METOTREXATO 10 MG DIARIO', {'methotrexate': 10.0}),
    ('Napratec 1-0-1', {'naproxen': 1000.0, 'misoprostol': 0.4}),
    ('Napratec bd', {'naproxen': 1000.0, 'misoprostol': 0.4}),
    ('Napratec ii bd', {'naproxen': 2000.0, 'misoprostol': 0.8}),
    ('Suboxone 4/1 every day', {'buprenorphine': 4.0}),
    ('Suboxone 4/1 ii od', {'buprenorphine': 8.0}),
    ('Suboxone 8/2 1-0-1', {'buprenorphine': 16.0}),
    ('acetaminophen 500mg 2 tabs every 4 hours', {'acetaminophen': 6000.0}),
    ('acetaminophen 500mg 2 tabs q6h', {'acetaminophen': 4000.0}),
    ('acetaminophen 650mg 2 tabs q8h', {'acetaminophen': 3900.0}),
    ('acetaminophen ER 650mg 2 tabs q8h', {'acetaminophen': 3900.0}),
    ('celecoxib 200mg 1-0-1', {'celecoxib': 400.0}),
    ('celecoxib 200mg ii bd', {'celecoxib': 800.0}),
    ('co-codamol 30-500 ii qds', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 1-1-1-1', {'codeine': 120.0, 'acetaminophen': 2000.0}),
    ('co-codamol 30/500 2 comprimidos cada 6 horas', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 2 qds', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 2 tabs at night', {'codeine': 60.0, 'acetaminophen': 1000.0}),
    ('co-codamol 30/500 2 tabs qds', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 2-2-2-2', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 ii every day', {'codeine': 60.0, 'acetaminophen': 1000.0}),
    ('co-codamol 30/500 ii q4h', {'codeine': 360.0, 'acetaminophen': 6000.0}),
    ('co-codamol 30/500 ii qds', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 8/500 ii qds', {'codeine': 64.0, 'acetaminophen': 4000.0}),
    ('codeine 30mg ii qds', {'codeine': 240.0}),
    ('codeína 30 mg 2 comprimidos cada 6 horas', {'codeine': 240.0}),
    ('diclofenac 50mg 1-1-1', {'diclofenac': 150.0}),
    ('diclofenac 50mg ii tds', {'diclofenac': 300.0}),
    ('diclofenac 75mg every day', {'diclofenac': 75.0}),
    ('diclofenaco 50 mg 1 comprimido cada 8 horas', {'diclofenac': 150.0}),
    ('etoricoxib 90mg ii od', {'etoricoxib': 180.0}),
    ('gabapentin 300mg 1-1-1', {'gabapentin': 900.0}),
    ('gabapentina 300 mg 1 cápsula cada 8 horas', {'gabapentin': 900.0}),
    ('ibuprofen 400 mg 1½ tds', {'ibuprofen': 1800.0}),
    ('ibuprofen 400 mg 2 tabs c/8h', {'ibuprofen': 2400.0}),
    ('ibuprofen 400 mg 4 veces al día', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 1 mane 2 nocte', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 1-0-1 x 5 days', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 1-1-1', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 1-1-1-1', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 2 at night', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 2 bd', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 2 nocte', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 2 per day', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 2 tablets t.d.s.', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tablets t.i.d.', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tablets tid', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs 3 times a day', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs 3x/day', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs 6 hourly', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2 tabs every 6 hours', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2 tabs every 6 hours x 5 days', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2 tabs every morning', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 2 tabs every six hours', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2 tabs mane 1 tab nocte', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 2 tabs q4h', {'ibuprofen': 4800.0}),
    ('ibuprofen 400mg 2 tabs q6h', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2 tabs tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs tds for 5 days', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs tds x 5/7', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tabs three times daily x 5 days', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 three times a day', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2 twice daily', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 2-0-2', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 2-2-2', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2-2-2-2', {'ibuprofen': 3200.0}),
    ('ibuprofen 400mg 2x tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 3 daily', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 3 times daily', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 3 times per day', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 6 hourly', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg 8 hourly', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg II TDS', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg bd 2 tabs', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg every day', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg every day x 5 days', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg every other day', {'ibuprofen': 200.0}),
    ('ibuprofen 400mg ii t.d.s.', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg ii tabs tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg ii tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg iii tds', {'ibuprofen': 3600.0}),
    ('ibuprofen 400mg one at night', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg tds', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg tds 2 tabs', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg tds x 2 tabs', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg twice per day', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg two tablets three times daily', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg up to 2 tabs tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg up to 3 times a day', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg up to tds', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg x 2 tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg x2 tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 800mg 1-1-1 x 5 days', {'ibuprofen': 2400.0}),
    ('ibuprofen 800mg 1-1-1-1', {'ibuprofen': 3200.0}),
    ('ibuprofen 800mg qds', {'ibuprofen': 3200.0}),
    ('ibuprofeno 400 mg 1/2 comprimido c/8h', {'ibuprofen': 600.0}),
    ('ibuprofeno 400 mg 2 tabs tds', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg ½ comprimido c/8h', {'ibuprofen': 600.0}),
    ('ibuprofeno 600 mg 1 comprimido al día', {'ibuprofen': 600.0}),
    ('ibuprofeno 600 mg 1 comprimido c/8h', {'ibuprofen': 1800.0}),
    ('ibuprofeno 600 mg 1 comprimido cada 4 horas', {'ibuprofen': 3600.0}),
    ('ibuprofeno 600 mg 1-0-1', {'ibuprofen': 1200.0}),
    ('ibuprofeno 600 mg 1-1-1', {'ibuprofen': 1800.0}),
    ('ibuprofeno 600 mg 1½ comprimido cada 8 horas', {'ibuprofen': 2700.0}),
    ('ibuprofeno 600 mg 2 comprimidos al día', {'ibuprofen': 1200.0}),
    ('ibuprofeno 600 mg 2 comprimidos c/8h', {'ibuprofen': 3600.0}),
    ('ibuprofeno 600 mg ii c/8h', {'ibuprofen': 3600.0}),
    ('ibuprofeno 600mg 1 comp c/6h', {'ibuprofen': 2400.0}),
    ('ibuprofeno 600mg 2 comprimidos cada 8h', {'ibuprofen': 3600.0}),
    ('meloxicam 15mg ii od', {'meloxicam': 30.0}),
    ('methotrexate 10 mg 1 vez al día', {'methotrexate': 10.0}),
    ('methotrexate 10mg /day', {'methotrexate': 10.0}),
    ('methotrexate 10mg 1-0-0', {'methotrexate': 10.0}),
    ('methotrexate 10mg 2 times a day', {'methotrexate': 20.0}),
    ('methotrexate 10mg 4 tabs q24h', {'methotrexate': 40.0}),
    ('methotrexate 10mg OD', {'methotrexate': 10.0}),
    ('methotrexate 10mg a day', {'methotrexate': 10.0}),
    ('methotrexate 10mg alternate days', {'methotrexate': 5.0}),
    ('methotrexate 10mg at night', {'methotrexate': 10.0}),
    ('methotrexate 10mg daily x 5 days', {'methotrexate': 10.0}),
    ('methotrexate 10mg every day', {'methotrexate': 10.0}),
    ('methotrexate 10mg every morning', {'methotrexate': 10.0}),
    ('methotrexate 10mg every night', {'methotrexate': 10.0}),
    ('methotrexate 10mg every other day', {'methotrexate': 5.0}),
    ('methotrexate 10mg mane', {'methotrexate': 10.0}),
    ('methotrexate 10mg nocte', {'methotrexate': 10.0}),
    ('methotrexate 10mg o.d.', {'methotrexate': 10.0}),
    ('methotrexate 10mg od', {'methotrexate': 10.0}),
    ('methotrexate 10mg per day', {'methotrexate': 10.0}),
    ('methotrexate 10mg qd', {'methotrexate': 10.0}),
    ('methotrexate 10mg/day', {'methotrexate': 10.0}),
    ('methotrexate 2.5mg 1-0-1', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg 1½ daily', {'methotrexate': 3.75}),
    ('methotrexate 2.5mg 2 at night', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg 2 per day', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg 2 tabs daily', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg 3 times per day', {'methotrexate': 7.5}),
    ('methotrexate 2.5mg 4 tabs every morning', {'methotrexate': 10.0}),
    ('methotrexate 2.5mg 8 hourly', {'methotrexate': 7.5}),
    ('methotrexate 2.5mg ii bd', {'methotrexate': 10.0}),
    ('methotrexate 2.5mg once a day', {'methotrexate': 2.5}),
    ('methotrexate 2.5mg once per day', {'methotrexate': 2.5}),
    ('methotrexate 2.5mg one at night', {'methotrexate': 2.5}),
    ('methotrexate 2.5mg twice per day', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg two at night', {'methotrexate': 5.0}),
    ('methotrexate 2.5mg x2 daily', {'methotrexate': 5.0}),
    ('methotrexate 7.5 mg every second day', {'methotrexate': 3.75}),
    ('metotrexato 10 mg c/ 24 h', {'methotrexate': 10.0}),
    ('metotrexato 10 mg c/24h', {'methotrexate': 10.0}),
    ('metotrexato 10 mg cada 12 h', {'methotrexate': 20.0}),
    ('metotrexato 10 mg cada dia', {'methotrexate': 10.0}),
    ('metotrexato 10 mg cada día', {'methotrexate': 10.0}),
    ('metotrexato 10 mg diaria', {'methotrexate': 10.0}),
    ('metotrexato 10 mg diario', {'methotrexate': 10.0}),
    ('metotrexato 10 mg una vez al día', {'methotrexate': 10.0}),
    ('metotrexato 2,5 mg 1 comprimido al día', {'methotrexate': 2.5}),
    ('metotrexato 2,5 mg 1 comprimido c/12h', {'methotrexate': 5.0}),
    ('metotrexato 2,5 mg 1 comprimido cada 24 horas', {'methotrexate': 2.5}),
    ('metotrexato 2,5 mg 1-0-0', {'methotrexate': 2.5}),
    ('metotrexato 2,5 mg 1-0-1', {'methotrexate': 5.0}),
    ('metotrexato 2,5 mg 4 comprimidos al día', {'methotrexate': 10.0}),
    ('metotrexato 2,5 mg dos comprimidos al dia', {'methotrexate': 5.0}),
    ('metotrexato 2,5 mg ½ comprimido al día', {'methotrexate': 1.25}),
    ('metotrexato 2.5 mg ii al día', {'methotrexate': 5.0}),
    ('morfina 10 mg cada 4 horas', {'morphine': 60.0}),
    ('morphine 10mg 1-1-1-1', {'morphine': 40.0}),
    ('morphine 10mg ii q4h', {'morphine': 120.0}),
    ('naproxen 250 mg ii bd', {'naproxen': 1000.0}),
    ('naproxen 250mg 2-0-2', {'naproxen': 1000.0}),
    ('naproxen 500 1-0-1 x 5 days', {'naproxen': 1000.0}),
    ('naproxen 500 mg 1 comprimido c/12h', {'naproxen': 1000.0}),
    ('naproxen 500 mg bd', {'naproxen': 1000.0}),
    ('naproxen 500 mg ii bd', {'naproxen': 2000.0}),
    ('naproxen 500mg 1-0-1', {'naproxen': 1000.0}),
    ('naproxen 500mg 1-1-1', {'naproxen': 1500.0}),
    ('naproxen 500mg every other day', {'naproxen': 250.0}),
    ('naproxeno 500 mg 1 comprimido cada 12 horas', {'naproxen': 1000.0}),
    ('naproxeno 550 mg 1 comprimido cada 12 horas', {'naproxen': 1100.0}),
    ('oxicodona 10 mg 1 comprimido cada 12 horas', {'oxycodone': 20.0}),
    ('oxicodona 10 mg c/12h', {'oxycodone': 20.0}),
    ('oxycodone 10mg 1-0-1', {'oxycodone': 20.0}),
    ('oxycodone 10mg every morning', {'oxycodone': 10.0}),
    ('oxycodone 10mg ii bd', {'oxycodone': 40.0}),
    ('paracetamol 1 g 1-1-1', {'acetaminophen': 3000.0}),
    ('paracetamol 1 g c/4h', {'acetaminophen': 6000.0}),
    ('paracetamol 1 g cada 6 horas', {'acetaminophen': 4000.0}),
    ('paracetamol 1,000 mg qds', {'acetaminophen': 4000.0}),
    ('paracetamol 1000mg ii qds', {'acetaminophen': 8000.0}),
    ('paracetamol 1g 1-1-1-1', {'acetaminophen': 4000.0}),
    ('paracetamol 1g c/6h', {'acetaminophen': 4000.0}),
    ('paracetamol 1g ii qds', {'acetaminophen': 8000.0}),
    ('paracetamol 1g q4h', {'acetaminophen': 6000.0}),
    ('paracetamol 1g qds', {'acetaminophen': 4000.0}),
    ('paracetamol 500 mg 2 comprimidos cada 6 horas', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg 1½ qds', {'acetaminophen': 3000.0}),
    ('paracetamol 500mg 2 qds', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg 2-2-2-2', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg II QDS', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg ii q6h', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg ii qds', {'acetaminophen': 4000.0}),
    ('paracetamol 500mg iii qds', {'acetaminophen': 6000.0}),
    ('paracetamol 650 mg 1 comprimido cada 4 horas', {'acetaminophen': 3900.0}),
    ('pregabalin 150mg 1-0-1', {'pregabalin': 300.0}),
    ('pregabalina 150 mg c/12h', {'pregabalin': 300.0}),
    ('tramadol 100mg 1-1-1-1', {'tramadol': 400.0}),
    ('tramadol 50 mg 2 cápsulas cada 6 horas', {'tramadol': 400.0}),
    ('tramadol 50 mg cada 6 h', {'tramadol': 200.0}),
    ('tramadol 50mg 2 at night', {'tramadol': 100.0}),
    ('tramadol 50mg 2 caps every day', {'tramadol': 100.0}),
    ('tramadol 50mg every night', {'tramadol': 50.0}),
    ('tramadol 50mg ii q4h', {'tramadol': 600.0}),
    ('tramadol 50mg ii qds', {'tramadol': 400.0}),
    ('tylenol 500mg ii q4h', {'acetaminophen': 6000.0}),
    # round 2: the reader's new words mixed with the rest
    ('Arthrotec 75 2 a day', {'diclofenac': 150.0, 'misoprostol': 0.4}),
    ('Arthrotec 75 every night', {'diclofenac': 75.0, 'misoprostol': 0.2}),
    ('IBUPROFEN 400MG EVERY DAY', {'ibuprofen': 400.0}),
    ('Ibuprofen 400mg, 2 tabs, tds', {'ibuprofen': 2400.0}),
    ('Napratec every day', {'naproxen': 500.0, 'misoprostol': 0.2}),
    ('Suboxone 8/2 2 a day', {'buprenorphine': 16.0}),
    ('Suboxone 8/2 every morning', {'buprenorphine': 8.0}),
    ('co-codamol 30/500 2 a day', {'codeine': 60.0, 'acetaminophen': 1000.0}),
    ('co-codamol 30/500 2 at night', {'codeine': 60.0, 'acetaminophen': 1000.0}),
    ('co-codamol 30/500 2 every 6 hours', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('co-codamol 30/500 8 a day', {'codeine': 240.0, 'acetaminophen': 4000.0}),
    ('ibuprofen 1200 a day', {'ibuprofen': 1200.0}),
    ('ibuprofen 1200mg a day', {'ibuprofen': 1200.0}),
    ('ibuprofen 400 mg 2 comprimidos tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400 mg dos tabs bd', {'ibuprofen': 1600.0}),
    ('ibuprofen 400mg (2 tabs tds)', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 12 a day', {'ibuprofen': 4800.0}),
    ('ibuprofen 400mg 1½ tabs every morning', {'ibuprofen': 600.0}),
    ('ibuprofen 400mg 2 tabs every day x 5 days', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg 2 tabs. tds.', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 2tabs tds', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg 3 times a day', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg 6 a day', {'ibuprofen': 2400.0}),
    ('ibuprofen 400mg a day', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg i at night', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg ii at night', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg ii tabs every day', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg iii every morning', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg once a day', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg once daily', {'ibuprofen': 400.0}),
    ('ibuprofen 400mg three times a day', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg thrice daily', {'ibuprofen': 1200.0}),
    ('ibuprofen 400mg twice a day', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg twice daily', {'ibuprofen': 800.0}),
    ('ibuprofen 400mg ½ tab at night', {'ibuprofen': 200.0}),
    ('ibuprofen 400mg; 2 tabs; tds', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos 3 veces al dia', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos a day', {'ibuprofen': 800.0}),
    ('ibuprofeno 400 mg 2 comprimidos al día x 5 days', {'ibuprofen': 800.0}),
    ('ibuprofeno 400 mg 2 comprimidos at night', {'ibuprofen': 800.0}),
    ('ibuprofeno 400 mg 2 comprimidos c/8 hrs', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos cada 8 horas for 5 days', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos cada 8 hrs', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos cada ocho horas', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos every 8 hours', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg 2 comprimidos tres veces al dia', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg DOS COMPRIMIDOS CADA OCHO HORAS', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg dos comprimidos cada ocho horas', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg ii cada 8 horas', {'ibuprofen': 2400.0}),
    ('ibuprofeno 400 mg x2 cada 8 h', {'ibuprofen': 2400.0}),
    ('methotrexate 10mg once a day', {'methotrexate': 10.0}),
    ('methotrexate 2.5mg 4 at night', {'methotrexate': 10.0}),
    ('methotrexate 2.5mg four tablets at night', {'methotrexate': 10.0}),
    ('metotrexato 2,5 mg 4 comprimidos at night', {'methotrexate': 10.0}),
    ('metotrexato 2,5 mg 4 comprimidos every day', {'methotrexate': 10.0}),
    ('morphine 10mg 2 a day', {'morphine': 20.0}),
    ('morphine MR 30mg every 12 hours', {'morphine': 60.0}),
    ('naproxen 500mg 1 every night', {'naproxen': 500.0}),
    ('oxycodone 5mg 2 every night', {'oxycodone': 10.0}),
    ('oxycodone 5mg ii at night', {'oxycodone': 10.0}),
    ('tramadol 50mg one a day', {'tramadol': 50.0}),
]
ASKED = [
    'Arthrotec 1-0-1',
    'Suboxone 8/2 2 films daily',
    'co-codamol 30/500 ½ qds',
    'ibuprofen 400 mg 1 1/2 tds',
    'ibuprofen 400 mg ½ tds',
    'ibuprofen 400mg 1 every morning 2 every night',
    'ibuprofen 400mg 1 mane 2 at night',
    'ibuprofen 400mg 1 or 2 tabs tds',
    'ibuprofen 400mg 1 tab tds + 2 nocte',
    'ibuprofen 400mg 1 tab tds, 2 tabs at night',
    'ibuprofen 400mg 1-2 at night',
    'ibuprofen 400mg 1-2 tabs tds',
    'ibuprofen 400mg 1-2 tds',
    'ibuprofen 400mg 2 tabs 1-0-1',
    'ibuprofen 400mg 2 tabs 3 daily',
    'ibuprofen 400mg 2 tabs 3x daily',
    'ibuprofen 400mg 2 tabs every 4-6 hours',
    'ibuprofen 400mg 2 tabs every morning and every night',
    'ibuprofen 400mg 2 tabs q4-6h',
    'ibuprofen 400mg 2 tabs tds as needed',
    'ibuprofen 400mg 2 tabs tds x2',
    'ibuprofen 400mg 2 tabs x3 daily',
    'ibuprofen 400mg 3-4 times a day',
    'ibuprofen 400mg bd x2',
    'ibuprofen 400mg every 8 hours at night',
    'ibuprofen 400mg every night prn',
    'ibuprofen 400mg iv tds',
    'ibuprofen 400mg tds 2',
    'ibuprofen 400mg tds 2 at night',
    'ibuprofen 400mg tds prn',
    'ibuprofen 400mg tds x2',
    'ibuprofen 800mg stat',
    'ibuprofeno 600 mg 1 comprimido cada 4-6 horas',
    'ibuprofeno 600 mg 1 comprimido cada 6 a 8 horas',
    'ibuprofeno 600 mg 1 o 2 comprimidos cada 8 horas',
    'ibuprofeno 600 mg cada 8 horas si precisa',
    'ibuprofeno 600 mg dos comprimidos c/8h stat',
    'methotrexate 10mg daily prn',
    'methotrexate 10mg every 48 hours',
    'methotrexate 10mg every 72 hours',
    'methotrexate 10mg every day every other day',
    'methotrexate 10mg q48h',
    'methotrexate 2.5mg 4 tabs 1-0-0',
    'methotrexate 2.5mg 4 tabs stat',
    'methotrexate 2.5mg bd x2',
    'methotrexate 2.5mg hourly',
    'methotrexate 2.5mg iv od',
    'methotrexate 2.5mg ½ daily',
    'metotrexato 10 mg cada 48 horas',
    'metotrexato 10 mg cada 72 horas',
    'naproxen 500mg 1-0-1 every other day',
    'oxycodone 5mg 1-2 q4h',
    'paracetamol 1 000 mg qds',
    'paracetamol 1.000 mg cada 6 horas',
    'paracetamol 1.000 mg qds',
    'paracetamol 500mg ii q4h prn',
    'paracetamol 500mg ½ qds',
    'tramadol 50 mg cada 6 a 8 h',
    # round 2
    'co-codamol 30/500 2 four times',
    'co-codamol 30/500 2 tablets four times a day every day',
    'co-codamol 30/500 2 tabs 2 qds',
    'ibuprofen 400mg 2 a day every other day',
    'ibuprofen 400mg 2 a day stat',
    'ibuprofen 400mg 2 at night x2',
    'ibuprofen 400mg 2 or 3 a day',
    'ibuprofen 400mg 2 tabs 2 a day',
    'ibuprofen 400mg 2 tabs 2 bd',
    'ibuprofen 400mg 2 tabs at night prn',
    'ibuprofen 400mg 2 tabs every day x2',
    'ibuprofen 400mg 2 times',
    'ibuprofen 400mg 2 to 3 a day',
    'ibuprofen 400mg 2 x 2 tds',
    'ibuprofen 400mg 2-3 a day',
    'ibuprofen 400mg every day x2',
    'ibuprofen 400mg once daily twice',
    'ibuprofen 400mg three times',
    'ibuprofen 400mg ½ at night',
    'ibuprofeno 400 mg 1-1-1 c/8h',
    'ibuprofeno 400 mg 2 comprimidos 1-1-1',
    'ibuprofeno 400 mg 2 comprimidos 2 al día',
    'ibuprofeno 400 mg 2 comprimidos 2 veces al día twice',
    'ibuprofeno 400 mg 2 comprimidos cada 8 h x 2',
    'ibuprofeno 400 mg 2 comprimidos cada 8 h x2',
    'ibuprofeno 400 mg 2 comprimidos cada 8 horas monthly',
    'ibuprofeno 400 mg 2 comprimidos cada 8 horas si dolor',
    'ibuprofeno 400 mg 2 comprimidos cada 8 horas stat',
    'ibuprofeno 400 mg 2 twice',
    'ibuprofeno 400 mg ½ comprimido 1-0-1',
    'methotrexate 2.5mg 4 tabs once',
    'methotrexate 2.5mg 4 tabs three times',
    'morphine MR 30mg twice',
    'naproxen 500 mg 1-0-1 every day',
    'naproxen 500 mg bd every day',
    'naproxen 500mg twice a day every day',
]


@pytest.mark.parametrize("name, daily", READS)
def test_attack_strings_are_read_to_the_daily_dose_meant(name, daily):
    assert daily_read(name) == pytest.approx(daily)


@pytest.mark.parametrize("name", ASKED)
def test_attack_strings_that_give_no_single_daily_dose_are_asked(name):
    reading = name_reading(name)
    assert reading is not None and not (reading.read and not reading.problem), reading
