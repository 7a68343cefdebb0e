"""More Spanish regimens typed in a medicine's name, read as a Spanish-speaking clinician means them (esread2;
H-MED-580..585). Before, each left words in the name, so the medicine was NOT RECOGNISED and every alert on it
lost (an NSAID beside weekly methotrexate included).

What the words mean (sources.toml "spanish-prescription-wording"; this tool's reading where no standard list
was read):
- "todos los días" is every day (once a day); "cada noche", "por la noche", "todas las noches", "cada mañana",
  "por la mañana" once a day; "días alternos", "cada dos días" one dose every second day (half a dose a day
  against a daily maximum, as "alternate days" is);
- "c/8 hs", "cada 8 hs": "hs" is horas, so every 8 hours is 3 a day, every 12 hours 2, every 6 hours 4;
  "8 hs" with no "cada" (every 8 hours, or at 8 o'clock?) is asked;
- "3 veces/día" is 3 times a day; "medio comprimido" is half a tablet; "1 comprimido de 600 mg" (the
  leaflets' own order: the count before its strength) is one 600 mg tablet;
- "durante 5-7 días" is how long a course lasts (the daily dose is the same each day);
- "gr" may be gramos or the apothecary grain (64.8 mg): asked, never read either way;
- methotrexate is taken once a week (MHRA Drug Safety Update, September 2020): written every day ("todos
  los días") it is the same "Check the dose" as "methotrexate 10mg every day"; every second day or "si
  precisa" (as needed) is asked too; "semanal" is not flagged.
Maxima from the data (ibuprofen 3200 mg a day, US label; 2400 mg, BNF, uk profile)."""

from __future__ import annotations

import unicodedata

import pytest

from radiculopathy_desktop.domain import medications as M
from radiculopathy_desktop.domain.dose_in_name import strength_mg
from radiculopathy_desktop.domain.medications import load_medicine_data, product_words, recorded_dose_words
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report, _weekly_checks
from helpers.medicines import assert_drugs_toml_refused, daily_read, dose_asked, report_row as _row

# the regimen found in a spelled name, and a report's row of a medicine: as the esread tests read them
from tests.domain.test_spanish_regimens_esread import _regimen

WEEKLY_MTX = "metotrexato 15 mg semanal"


@pytest.mark.parametrize("words, count, times, unit", [
    ("todos los días", None, 1, ""),
    ("todos los dias", None, 1, ""),
    ("2 comprimidos todos los días", 2, 1, "comprimidos"),
    ("cada noche", None, 1, ""),
    ("por la noche", None, 1, ""),
    ("todas las noches", None, 1, ""),
    ("1 comprimido por la mañana", 1, 1, "comprimido"),
    ("días alternos", None, 0.5, ""),
    ("cada dos días", None, 0.5, ""),
    # "hs" is horas: every 8 hours is 3 a day (24 / 8), as "c/8h" is
    ("c/8 hs", None, 3, ""),
    ("c/8hs", None, 3, ""),
    ("cada 8 hs", None, 3, ""),
    ("c/12 hs", None, 2, ""),
    ("c/6 hs", None, 4, ""),
    ("c/24 hs", None, 1, ""),
    ("3 veces/día", None, 3, ""),
    ("3 veces / dia", None, 3, ""),
    ("medio comprimido c/8h", 0.5, 3, "comprimido"),
    ("media tableta cada 12 horas", 0.5, 2, "tableta"),
    ("1 comp c/8h", 1, 3, "comp"),
    ("c/8h durante 5-7 días", None, 3, ""),
    ("c/8h x 5 días", None, 3, ""),
])
def test_each_regimen_is_read_as_its_count_and_times_a_day(words, count, times, unit):
    rest, regimen = _regimen(f"ibuprofeno 600 mg {words}")
    assert regimen is not None and regimen.problem == "" and not regimen.as_needed, regimen
    assert (regimen.count, regimen.times_a_day, regimen.count_word) == (count, times, unit)
    assert rest == "ibuprofeno 600 mg"


@pytest.mark.parametrize("name, daily", [
    ("ibuprofeno 600 mg todos los días", 600),
    ("ibuprofeno 600 mg c/8 hs", 1800),
    ("ibuprofeno 600 mg c/8h x 5 días", 1800),
    ("ibuprofeno 400 mg 3 veces/día", 1200),
    ("ibuprofeno 600 mg medio comprimido c/8h", 900),  # half of 600 mg three times a day
    ("ibuprofeno 600 mg c/8h durante 5-7 días", 1800),
    ("ibuprofeno 1 comprimido de 600 mg cada 8 horas", 1800),  # the leaflets' form: count before strength
    ("ibuprofeno 2 comprimidos de 400 mg cada 8 horas", 2400),
    ("ibuprofen 2 tablets of 400mg tds", 2400),
    ("ibuprofeno 600 mg sobres c/8h", 1800),
    ("ibuprofeno 600 mg 1 comp c/8h", 1800),
    ("ibuprofeno 600 mg tabletas c/8h", 1800),
    ("ibuprofeno 600 mg 1 sachet c/8h", 1800),
    ("amitriptilina 25 mg cada noche", 25),
    ("amitriptilina 10 mg por la noche", 10),
])
def test_the_medicine_is_recognised_and_its_daily_dose_read(name, daily):
    assert sum(daily_read(name).values()) == daily


@pytest.mark.parametrize("name, profile, daily, over", [
    ("ibuprofeno 800 mg c/6 hs", "us", 3200, False),  # at the US label maximum
    ("ibuprofeno 800 mg c/4 hs", "us", 4800, True),
    ("ibuprofeno 800 mg c/8 hs", "uk", 2400, False),  # at the UK maximum
    ("ibuprofeno 1 comprimido de 800 mg c/6h", "uk", 3200, True),
    ("ibuprofeno 600 mg 2 comprimidos todos los días", "uk", 1200, False),
])
def test_the_daily_dose_is_checked_against_the_maximum(name, profile, daily, over):
    report = _report([(name, None)], profile=profile)
    row = _row(report, "ibuprofen")
    assert (row.current_daily_dose_mg, row.over_max) == (daily, over)


@pytest.mark.parametrize("name, why", [
    ("ibuprofeno 600 mg 8hs", "\"8hs\" (how often it is taken: every 8 hours, or at a time of day?)"),
    ("ibuprofeno 600 mg 8 horas", "\"8 horas\" (how often it is taken"),
    ("ibuprofen 600mg 8h", "\"8h\" (how often it is taken"),
    ("ibuprofeno 600 mg c/5 hs", "is not a whole number of times a day"),
    ("paracetamol 1 gr c/8h", "may be grams (1000 mg"),
    ("paracetamol 1gr cada 8 horas", "or grains (the apothecary grain"),
    ("metotrexato 10 mg si precisa", f"\"si precisa\" is as needed, and {HAZARD}"),
    ("methotrexate 10mg prn", f"\"prn\" is as needed, and {HAZARD}"),
])
def test_what_cannot_be_read_for_sure_is_asked_and_the_medicine_kept(name, why):
    assert why in dose_asked(name)
    assert "(no dose recorded; check the dose: " in recorded_dose_words(name, None)


def test_grams_and_grains_are_never_read_from_gr():
    assert strength_mg("paracetamol 1 gr")[0] is None
    assert strength_mg("paracetamol 1 g") == (1000.0, "")


@pytest.mark.parametrize("name", [
    "ibuprofeno 600 mg todos los días",
    "ibuprofeno 600 mg c/8 hs",
    "ibuprofeno 600 mg 8hs",
    "ibuprofeno 400 mg 3 veces/día",
    "ibuprofeno 600 mg medio comprimido c/8h",
    "ibuprofeno 600 mg c/8h durante 5-7 días",
    "ibuprofeno 1 comprimido de 600 mg cada 8 horas",
    "ibuprofeno 600 mg sobres c/8h",
    "ibuprofeno 600 mg tabletas c/8h",
    unicodedata.normalize("NFD", "ibuprofeno 600 mg c/8h x 5 días"),
])
def test_the_nsaid_interaction_with_weekly_methotrexate_is_shown(name):
    report = _report([(name, None), (WEEKLY_MTX, None)])
    assert all(m.generics for m in report.current_medicines), [m.name for m in report.current_medicines]
    alerts = [a for a in medicine_alerts(report) if "NSAID" in a.text and "methotrexate" in a.text]
    assert alerts and any(name.lower() in a.medicines or name in a.medicines for a in alerts)


def test_paracetamol_in_gr_is_recognised_beside_methotrexate():
    report = _report([("paracetamol 1 gr c/8h", None), (WEEKLY_MTX, None)])
    assert [m.generics for m in report.current_medicines] == [("acetaminophen",), ("methotrexate",)]


@pytest.mark.parametrize("name, daily", [
    ("metotrexato 10 mg todos los días", 10),
    ("metotrexato 10 mg cada noche", 10),
    ("metotrexato 10 mg días alternos", 5),  # every second day: more often than weekly
    ("metotrexato 10 mg cada dos días", 5),
])
def test_methotrexate_more_often_than_weekly_is_check_the_dose(name, daily):
    report = _report([(name, None)])
    assert [(c.medicines, c.daily_mg, c.kind) for c in _weekly_checks(report)] == [((name,), daily, "check")]
    alert = next(a for a in medicine_alerts(report) if name in a.medicines)
    assert alert.status_label == "Check the dose" and HAZARD in alert.text


def test_methotrexate_every_day_in_spanish_is_the_same_check_as_in_english():
    spanish, english = "metotrexato 10 mg todos los días", "methotrexate 10mg every day"
    es = _weekly_checks(_report([(spanish, None)]))
    en = _weekly_checks(_report([(english, None)]))
    assert len(es) == len(en) == 1
    assert es[0]._replace(medicines=(), text="") == en[0]._replace(medicines=(), text="")
    assert es[0].text.replace(spanish, english) == en[0].text


@pytest.mark.parametrize("name", ["metotrexato 10 mg si precisa", "methotrexate 10mg prn"])
def test_methotrexate_as_needed_is_asked(name):
    report = _report([(name, None)])
    alert = next(a for a in medicine_alerts(report) if name in a.medicines)
    assert alert.status_label == "Check the dose" and HAZARD in alert.text


@pytest.mark.parametrize("name,words", [("ibuprofen 400mg prn", "prn"), ("paracetamol 1 g si precisa", "si precisa")])
def test_other_medicines_as_needed_ask_the_most_a_day_not_the_weekly_question(name, words):
    # unread30 (H-MED-576): as needed with no most a day gives no daily total, so the most a day is asked, in
    # Spanish as in English; the once-a-week reason is methotrexate's alone
    reading = M.read_recorded_dose(name, load_medicine_data().resolve(name)[0], None)
    assert reading is not None and not reading.components
    assert f'as needed ("{words}")' in reading.problem and "most taken in a day" in reading.problem
    assert "week" not in reading.problem


def test_weekly_methotrexate_in_spanish_is_still_not_flagged():
    assert _weekly_checks(_report([(WEEKLY_MTX, None)])) == []


def test_accents_typed_as_combining_characters_read_as_composed_ones():
    data = load_medicine_data()
    composed = "ibuprofeno 600 mg c/8h x 5 días"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed and "i\u0301" in decomposed
    assert data.resolve(decomposed) == data.resolve(composed) == (("ibuprofen",), 1.0)
    assert daily_read(decomposed) == daily_read(composed) == {"ibuprofen": 1800}
    # what is stored and shown is the name as typed: only the reading composes it
    report = _report([(decomposed, None)])
    assert [m.name for m in report.current_medicines] == [decomposed]
    assert product_words(decomposed) == "ibuprofeno"
    assert product_words("Ibuprofeno 600 mg c/8h") == "Ibuprofeno"


def test_every_count_word_is_a_form_word_from_one_list():
    data = load_medicine_data()
    counts = data.name_reading.count_words
    assert {"sobres", "tabletas", "comp", "sachets", "tabs"} <= counts
    assert counts <= data.form_words
    assert M._FORM_WORDS.isdisjoint(counts)  # the code's list holds no count word: the data's is the one
    for word in sorted(counts):
        assert data.resolve(f"ibuprofeno 600 mg {word}")[0] == ("ibuprofen",), word


@pytest.mark.parametrize("text, words", [
    ("ibuprofeno 400 mg al día", "al día"),
    ("ibuprofeno 400mg/día", "/día"),
    ("ibuprofeno 400 mg / dia", "/ dia"),
    ("ibuprofen 1200mg per day", "per day"),
    ("ibuprofen 400 mg a day", "a day"),
])
def test_the_total_a_day_words_follow_a_strength(text, words):
    m = load_medicine_data().name_reading.total_a_day.search(text)
    assert m is not None and m.group(1).strip() == words


def test_half_written_as_a_number_is_refused_as_a_count_fraction(tmp_path):
    assert_drugs_toml_refused(tmp_path, lambda t: t.replace("medio = 0.5", "medio = 1.5"), "count_fractions")
