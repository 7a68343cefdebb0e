"""A Spanish course length and the Spanish "gramo(s)" in a medicine's name (gptry29; H-MED-550, H-MED-551).

Written from what the words mean (sources.toml "spanish-prescription-wording"): a Spanish prescription writes how
long a course lasts after the regimen, "1 comprimido cada 8 horas durante 5 días" (durante = for; "por 7 días"
as in Latin America; "x 5 días"), and that length never changes the dose of a day: 600 mg every 8 hours is
1800 mg a day on each of the 5 days, as the English "tds for 5 days" is read (forms29, H-MED-537). A Spanish
leaflet writes grams as "gramo(s)" (paracetamol 1 g: "no se tomarán más de 3 gramos (3 comprimidos) en 24
horas"): "paracetamol 1 gramo cada 8 horas" is 1000 mg three times a day, 3000 mg. The label maxima held in the
data: ibuprofen 3200 mg a day (US label), paracetamol 4000 mg a day.

Before: "durante 5 días" and "gramo" were left in the name, so the medicine was NOT RECOGNISED ("did you mean
ibuprofeno?"), none of its interactions or maximum was checked, and a second NSAID raised no alert.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, recorded_dose_words
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from helpers.medicines import recorded_reading as _reading, report_row as _row
from tests.domain.test_methotrexate_weekly_mtx import _report


@pytest.mark.parametrize("name, generic, daily", [
    ("ibuprofeno 600 mg 1 comprimido cada 8 horas durante 5 días", "ibuprofen", 1800),
    ("ibuprofeno 600 mg 1 comprimido cada 8 horas durante 5 dias", "ibuprofen", 1800),
    ("ibuprofeno 600 mg cada 8 horas x 5 días", "ibuprofen", 1800),  # never 5 tablets nor 5 times
    ("ibuprofeno 400 mg cada 8 horas por 7 días", "ibuprofen", 1200),
    ("naproxeno 500 mg c/12h durante una semana", "naproxen", 1000),
    ("naproxeno 500 mg 1 comprimido cada 12 horas durante dos semanas", "naproxen", 1000),
    ("paracetamol 1 gramo cada 8 horas", "acetaminophen", 3000),
    ("paracetamol 1 gramos cada 6 horas durante 3 días", "acetaminophen", 4000),
])
def test_a_spanish_course_length_or_grams_is_read_and_the_medicine_recognised(name, generic, daily):
    report = _report([(name, None)], profile="us")
    assert report.unrecognised_medicines == ()
    assert _row(report, generic).current_daily_dose_mg == daily
    assert "read from the name" in recorded_dose_words(name, None)


def test_the_course_length_is_said_as_how_long_not_a_count():
    r = _reading("ibuprofeno 600 mg 1 comprimido cada 8 horas durante 5 días")
    assert "\"durante 5 días\" is how long the course lasts, not a number of tablets" in r.text
    assert dict(r.components) == {"ibuprofen": 1800}


def test_a_second_nsaid_beside_a_spanish_course_raises_the_alert():
    name = "ibuprofeno 600 mg 1 comprimido cada 8 horas durante 5 días"
    report = _report([(name, None), ("naproxen", 1000)], profile="us")
    alerts = [a for a in medicine_alerts(report) if name.lower() in a.medicines and "naproxen" in a.medicines]
    assert alerts, [a.text for a in medicine_alerts(report)]


@pytest.mark.parametrize("name, daily", [
    ("paracetamol 1 gramo c/4h", 6000),  # 6 g a day
    ("paracetamol 1 gramo 2 comprimidos cada 8 horas durante 5 días", 6000),
])
def test_grams_over_the_maximum_are_reduce_dose(name, daily):
    report = _report([(name, None)], profile="us")
    row = _row(report, "acetaminophen")
    assert row.current_daily_dose_mg == daily and row.over_max
    assert any(a.status == "reduce_dose" and f"{daily} mg/day" in a.text for a in medicine_alerts(report))


def test_a_course_with_no_frequency_gives_no_dose_but_is_recognised():
    name = "ibuprofeno 600 mg durante 5 días"  # a course length and no frequency: no dose a day
    assert load_medicine_data().resolve(name)[0] == ("ibuprofen",)
    assert _row(_report([(name, None)], profile="us"), "ibuprofen").current_daily_dose_mg is None
