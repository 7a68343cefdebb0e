"""Spanish regimens written in a medicine's name are read as a Spanish-speaking pharmacist reads them
(esread; H-MED-502).

What the words mean (sources.toml "spanish-prescription-wording"): "comprimido(s)" is a tablet, "cápsula(s)"
a capsule, "sobre(s)" a sachet, "comp" the written short form of comprimidos; "uno/una/un, dos, tres, cuatro"
are 1-4; "N veces al día" (also "por día", "diarias") is N times a day; "cada N horas", "c/Nh" (c/ = cada)
is every N hours, 24/N times a day; "cada 6 a 8 horas", "cada 6-8 horas", "cada 6 o 8 horas", "3 a 4 veces
al día", "1 o 2 comprimidos" are ranges (the leaflets' own "1 comprimido cada 6 a 8 horas", "3 a 4 veces al
día"), which give no single daily dose; "si dolor", "si precisa" are "as needed". So, with the maxima the
data holds from the labels (ibuprofen 3200 mg a day, US label, sources.toml "ibuprofen-label"; paracetamol
4 g a day):
- "ibuprofeno 600 mg 2 comprimidos tres veces al día" is 3600 mg a day: above 3200, Reduce dose;
- "paracetamol 1 g cada 6 horas" is 4 g, at the maximum; "paracetamol 1 g c/4h" is 6 g: Reduce dose;
- a range, "as needed", 13 or more times a day (the English limit of 12, rt26) is "check the dose".
Methotrexate written daily in Spanish (MHRA Drug Safety Update, September 2020) is "Check the dose";
weekly forms are not flagged.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.dose_in_name import find_regimen, spell
from radiculopathy_desktop.domain.medications import load_medicine_data, recorded_dose_words
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from helpers.medicines import report_row as _row
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report, _weekly_checks


def _regimen(name):
    reading = load_medicine_data().name_reading
    return find_regimen(spell(name, reading), reading)


@pytest.mark.parametrize("words, count, times, unit", [
    # a count of tablets, capsules or sachets before the frequency, in figures or in words
    ("2 comprimidos tres veces al día", 2, 3, "comprimidos"),
    ("1 comprimido cada 8 horas", 1, 3, "comprimido"),
    ("dos comprimidos cada 12 horas", 2, 2, "comprimidos"),
    ("un comprimido cada 6 horas", 1, 4, "comprimido"),
    ("tres comprimidos dos veces al dia", 3, 2, "comprimidos"),
    ("cuatro comprimidos una vez al día", 4, 1, "comprimidos"),
    ("una cápsula cada 8 horas", 1, 3, "cápsula"),
    ("2 cápsulas c/12h", 2, 2, "cápsulas"),
    ("1 capsula cada 8 horas", 1, 3, "capsula"),
    ("1 sobre cada 8 horas", 1, 3, "sobre"),
    ("2 comp c/8h", 2, 3, "comp"),
    ("2 tabletas cada 12 horas", 2, 2, "tabletas"),
    # a number of times a day before "veces", in figures or in words, 1 to 12
    ("5 veces al día", None, 5, ""),
    ("cinco veces al día", None, 5, ""),
    ("seis veces al dia", None, 6, ""),
    ("diez veces al día", None, 10, ""),
    ("dos veces al día", None, 2, ""),
    ("cuatro veces al día", None, 4, ""),
    ("12 veces al día", None, 12, ""),
    ("3 veces por día", None, 3, ""),
    ("4 veces diarias", None, 4, ""),
    # every N hours: "cada", and its short form "c/" with or without a space
    ("c/8h", None, 3, ""),
    ("c/ 8 h", None, 3, ""),
    ("c/12h", None, 2, ""),
    ("c/24h", None, 1, ""),
    ("c/6 horas", None, 4, ""),
    ("2 comprimidos al día", 2, 1, "comprimidos"),
    ("2 comprimidos al dia", 2, 1, "comprimidos"),
    ("1 comprimido por día", 1, 1, "comprimido"),
    ("cada 12 h", None, 2, ""),
    ("cada 6 hrs", None, 4, ""),
    ("cada ocho horas", None, 3, ""),
    ("cada doce horas", None, 2, ""),
    ("cada cuatro horas", None, 6, ""),
])
def test_each_spanish_regimen_is_read_as_its_count_and_times_a_day(words, count, times, unit):
    rest, regimen = _regimen(f"ibuprofeno 400 mg {words}")
    assert regimen is not None and regimen.problem == "" and not regimen.as_needed
    assert (regimen.count, regimen.times_a_day, regimen.count_word) == (count, times, unit)
    assert rest == "ibuprofeno 400 mg"


@pytest.mark.parametrize("words, why", [
    ("cada 6-8 horas", "is a range of times"),
    ("cada 6 a 8 horas", "is a range of times"),
    ("cada 6 o 8 horas", "is a range of times"),
    ("c/6-8h", "is a range of times"),
    ("cada seis a ocho horas", "is a range of times"),
    ("1 comprimido cada 6 a 8 horas", "is a range of times"),
    ("3 a 4 veces al día", "is a range of times a day"),
    ("3-4 veces al día", "is a range of times a day"),
    ("2 o 3 veces al día", "is a range of times a day"),
    ("1 o 2 comprimidos cada 8 horas", "is a range of tablets"),
    ("1 ó 2 comprimidos c/8h", "is a range of tablets"),
    ("1 a 2 comprimidos cada 8 horas", "is a range of tablets"),
    ("1-2 comprimidos cada 8 horas", "is a range of tablets"),
    ("13 veces al día", "is not a number of times a day"),
    ("0 veces al día", "is not a number of times a day"),
    ("1.5 veces al día", "is not a number of times a day"),
    ("veces al día", "could not be read"),
    ("once veces al día", "could not be read"),
    ("cada siete horas", "is not a whole number of times a day"),
    ("cada 5 horas", "is not a whole number of times a day"),
    ("cada 1 hora", "is every hour"),
])
def test_a_range_or_a_number_no_one_takes_is_never_read(words, why):
    _rest, regimen = _regimen(f"ibuprofeno 400 mg {words}")
    assert regimen is not None and why in regimen.problem
    assert regimen.doses_a_day is None


@pytest.mark.parametrize("words", ["cada 8 horas si dolor", "1 comprimido c/8h si precisa", "2 comprimidos a demanda"])
def test_as_needed_in_spanish_gives_no_daily_dose(words):
    _rest, regimen = _regimen(f"paracetamol 1 g {words}")
    assert regimen is not None and regimen.as_needed and regimen.doses_a_day is None


def test_english_ranges_of_times_a_day_ask_too():
    _rest, regimen = _regimen("ibuprofen 400 mg 3-4 times a day")
    assert "\"3-4 times a day\" is a range of times a day" in regimen.problem


@pytest.mark.parametrize("name, profile, daily, over", [
    ("ibuprofeno 600 mg 2 comprimidos tres veces al día", "us", 3600, True),  # above the 3200 mg label maximum
    ("ibuprofeno 400 mg 2 comprimidos cuatro veces al día", "us", 3200, False),  # at it
    ("ibuprofeno 600 mg 5 veces al día", "us", 3000, False),
    ("ibuprofeno 800 mg cinco veces al día", "us", 4000, True),
    ("ibuprofeno 200 mg 12 veces al día", "us", 2400, False),  # 12 times a day: the most read
    ("ibuprofeno 600 mg 1 comprimido c/8h", "uk", 1800, False),
    ("ibuprofeno 600 mg dos comprimidos cada 12 horas", "uk", 2400, False),  # at the UK 2400 mg maximum
    ("ibuprofeno 600 mg 1 sobre cada 6 horas", "uk", 2400, False),
    ("ibuprofeno 800 mg 1 sobre cada 6 horas", "uk", 3200, True),
    ("paracetamol 1 g cada 6 horas", "uk", 4000, False),  # the 4 g maximum
    ("paracetamol 1 g c/6h", "us", 4000, False),
    ("paracetamol 500 mg 2 comprimidos c/ 6 h", "uk", 4000, False),
    ("paracetamol 1 g c/4h", "uk", 6000, True),  # 6 g a day
    ("paracetamol 1 g cada cuatro horas", "us", 6000, True),
    # "al día" / "por día" / "/día" after a strength is the day's total; after a count, that many a day
    ("ibuprofeno 3200 mg al día", "us", 3200, False),
    ("ibuprofeno 3600 mg/día", "us", 3600, True),
    ("ibuprofeno 1,2 g por día", "uk", 1200, False),
    ("ibuprofeno 400 mg 2 comprimidos al día", "uk", 800, False),
    ("ibuprofeno 800 mg 4 comprimidos diarios", "uk", 3200, True),
])
def test_the_daily_total_is_read_and_checked_against_the_maximum(name, profile, daily, over):
    report = _report([(name, None)], profile=profile)
    row = _row(report, "ibuprofen" if "ibuprofeno" in name else "acetaminophen")
    assert row.current_daily_dose_mg == daily
    assert row.over_max is over
    reduce = [a for a in medicine_alerts(report) if name.lower() in a.medicines and a.status == "reduce_dose"]
    assert bool(reduce) is over
    if over:
        assert reduce[0].status_label == "Reduce dose" and f"{daily} mg/day" in reduce[0].text


@pytest.mark.parametrize("name", [
    "paracetamol 1 g cada 6-8 horas",
    "paracetamol 1 g cada 6 a 8 horas",
    "ibuprofeno 400 mg 1 o 2 comprimidos cada 8 horas",
    "ibuprofeno 400 mg 3 a 4 veces al día",
    "ibuprofeno 400 mg 13 veces al día",
    "ibuprofeno 400 mg cada 8 horas si dolor",
    "ibuprofeno 2 comprimidos 400 mg al día",  # 400 mg a day in all, or 2 x 400? as "2 tabs 400mg/day"
    "ibuprofeno 400 mg 2 comprimidos cada 8 horas al día",  # two frequencies
    "ibuprofeno 400 mg veces al día",  # no number of times
    "ibuprofeno 400 mg once veces al día",  # 11: a number word this reading does not hold (English "once")
    "paracetamol 1 g cada hora",  # every hour: 24 a day, almost surely a slip ("cada" was left, not recognised)
    "paracetamol 1 g c/hora",
])
def test_a_regimen_that_cannot_be_read_asks_and_never_reads_a_dose(name):
    report = _report([(name, None)], profile="us")
    row = _row(report, "ibuprofen" if "ibuprofeno" in name else "acetaminophen")
    assert row.current_daily_dose_mg is None
    assert "(no dose recorded; check the dose: " in recorded_dose_words(name, None)


@pytest.mark.parametrize("name, words, shown", [
    ("ibuprofeno 600 mg 2 comprimidos tres veces al día", "2 comprimidos tres veces al día",
     "6 tablets a day of 600 mg: ibuprofen 3600 mg"),
    ("paracetamol 1 g c/8h", "c/8h", "3 doses a day of 1000 mg: acetaminophen 3000 mg"),
    ("ibuprofeno 400 mg una cápsula cada 8 horas", "una cápsula cada 8 horas",
     "3 capsules a day of 400 mg: ibuprofen 1200 mg"),
    ("ibuprofeno 600 mg 1 sobre cada 12 horas", "1 sobre cada 12 horas", "2 sachets a day of 600 mg: ibuprofen 1200 mg"),
    ("co-codamol 30/500 2 comprimidos cada 6 horas", "2 comprimidos cada 6 horas",
     "8 tablets a day of 30/500: codeine 240 mg, acetaminophen 4000 mg"),
])
def test_the_reading_is_shown_with_the_words_as_typed(name, words, shown):
    assert recorded_dose_words(name, None) == f" (no dose recorded; read from the name ({words}) as {shown})"


@pytest.mark.parametrize("name, daily", [
    ("metotrexato 2.5 mg 1 comprimido c/24h", 2.5),
    ("metotrexato 2.5 mg 4 comprimidos una vez al día", 10),
    ("metotrexato 2.5 mg dos comprimidos cada 12 horas", 10),
    ("metotrexato 2.5 mg 3 veces al día", 7.5),
    ("metotrexato 10 mg cinco veces al día", 50),
    ("methotrexate 2.5mg 2 comp c/ 12 h", 10),
    ("metotrexato 10 mg al día", 10),
    ("metotrexato 2.5 mg 4 comprimidos al día", 10),
    ("metotrexato 2.5 mg 4 comprimidos diarios", 10),
])
def test_daily_methotrexate_written_in_spanish_is_check_the_dose(name, daily):
    report = _report([(name, None)])
    checks = _weekly_checks(report)
    assert [(c.medicines, c.daily_mg, c.kind) for c in checks] == [((name.lower(),), daily, "check")]
    alert = next(a for a in medicine_alerts(report) if name.lower() in a.medicines)
    assert alert.status_label == "Check the dose" and HAZARD in alert.text


@pytest.mark.parametrize("name", [
    "metotrexato 2.5 mg 4 comprimidos semanal",
    "metotrexato 2.5 mg 4 comprimidos una vez a la semana",
    "metotrexato 2.5 mg 4 comprimidos cada semana",
    "metotrexato 2.5 mg 4 comprimidos",
])
def test_weekly_methotrexate_with_a_spanish_count_is_not_flagged(name):
    report = _report([(name, None)])
    assert _weekly_checks(report) == []
    assert not any(HAZARD in a.text for a in medicine_alerts(report))
