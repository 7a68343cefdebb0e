"""Spanish daily frequencies in a medicine's name are read (esfreq; H-MED-501).

Before, "metotrexato 10 mg diario" and "methotrexate 10 mg una vez al día" (methotrexate daily, the
known fatal error: MHRA Drug Safety Update, September 2020, "it should not be taken daily") were not
asked about, as "methotrexate 10mg od" is, and "ibuprofeno 600 mg 3 veces al día" got no daily total.
The daily maximum of ibuprofen is the US label's 3200 mg a day (sources.toml "ibuprofen-label"):
800 mg four times a day is at it, 1000 mg four times a day above it.
Weekly words ("semanal", "una vez a la semana", "cada semana") give no daily dose.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.dose_in_name import find_regimen
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from helpers.medicines import report_row as _row
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report, _weekly_checks


@pytest.mark.parametrize("phrase, times", [
    ("diario", 1), ("diaria", 1), ("cada día", 1), ("cada dia", 1),
    ("una vez al día", 1), ("una vez al dia", 1), ("1 vez al día", 1), ("1 vez al dia", 1),
    ("dos veces al día", 2), ("dos veces al dia", 2), ("2 veces al día", 2), ("2 veces al dia", 2),
    ("tres veces al día", 3), ("tres veces al dia", 3), ("3 veces al día", 3), ("3 veces al dia", 3),
    ("cuatro veces al día", 4), ("cuatro veces al dia", 4), ("4 veces al día", 4), ("4 veces al dia", 4),
    ("cada 24 horas", 1), ("cada 12 horas", 2), ("cada 8 horas", 3), ("cada 6 horas", 4),
])
def test_each_spanish_frequency_is_read_as_its_times_a_day(phrase, times):
    reading = load_medicine_data().name_reading
    rest, regimen = find_regimen(f"ibuprofeno 400 mg {phrase}", reading)
    assert regimen is not None and regimen.problem == ""
    assert regimen.times_a_day == times and regimen.count is None
    assert rest.strip() == "ibuprofeno 400 mg"


@pytest.mark.parametrize("name, daily, over", [
    ("ibuprofeno 600 mg 3 veces al día", 1800, False),
    ("ibuprofeno 400 mg tres veces al dia", 1200, False),
    ("ibuprofen 400 mg dos veces al día", 800, False),
    ("ibuprofeno 800 mg 4 veces al día", 3200, False),  # at the US label maximum
    ("ibuprofeno 800 mg cuatro veces al dia", 3200, False),
    ("ibuprofeno 1000 mg 4 veces al día", 4000, True),  # above it: Reduce dose
    ("ibuprofen 1000 mg 4 veces al dia", 4000, True),
    ("ibuprofeno 400 mg diario", 400, False),
])
def test_the_daily_total_is_read_and_checked_against_the_us_label_maximum(name, daily, over):
    report = _report([(name, None)], profile="us")
    row = _row(report, "ibuprofen")
    assert row.current_daily_dose_mg == daily
    assert row.over_max is over
    reduce = [a for a in medicine_alerts(report) if name.lower() in a.medicines and a.status == "reduce_dose"]
    assert bool(reduce) is over
    if over:
        assert "4000 mg/day" in reduce[0].text and "3200" in reduce[0].text


@pytest.mark.parametrize("name, daily", [
    ("metotrexato 10 mg diario", 10),
    ("metotrexato 10 mg una vez al día", 10),
    ("metotrexato 10 mg una vez al dia", 10),
    ("metotrexato 10 mg cada día", 10),
    ("methotrexate 10 mg diario", 10),
    ("methotrexate 2.5mg 1 vez al día", 2.5),
    ("metotrexato 7.5 mg dos veces al día", 15),
    ("metotrexato 2.5 mg cada 24 horas", 2.5),
    ("Metotrexato 10 mg Diaria", 10),
])
def test_daily_methotrexate_written_in_spanish_is_check_the_dose(name, daily):
    report = _report([(name, None)])
    checks = _weekly_checks(report)
    assert [(c.medicines, c.daily_mg, c.kind, c.rule) for c in checks] == [((name.lower(),), daily, "check", "check-dose")]
    alert = next(a for a in medicine_alerts(report) if name.lower() in a.medicines)
    assert alert.label == "Check the dose" and HAZARD in alert.text and alert.status == "reduce_dose"


@pytest.mark.parametrize("name", [
    "metotrexato 15 mg semanal",
    "metotrexato 15 mg semanales",
    "metotrexato 15 mg una vez a la semana",
    "metotrexato 15 mg 1 vez a la semana",
    "metotrexato 15 mg cada semana",
    "methotrexate 15 mg semanal",
    "metotrexato 15 mg",
])
def test_weekly_spanish_methotrexate_is_not_asked_about(name):
    report = _report([(name, None)])
    assert _weekly_checks(report) == []
    assert not any(HAZARD in a.text for a in medicine_alerts(report))
    assert not any(HAZARD in n.text for n in report.current_notes)


@pytest.mark.parametrize("name", [
    "ibuprofeno 400 mg diariamente",  # not the listed word
    "ibuprofeno 400 mg veces al día",  # no number of times
    # "5 veces al día" is read now (esread, tests/domain/test_spanish_regimens_esread.py)
    "ibuprofeno 400 mg una vez a la semana",
    "ibuprofeno 400 mg semanal",
    "ibuprofeno 400 mg diarios2",
])
def test_near_misses_give_no_daily_total(name):
    row = _row(_report([(name, None)], profile="us"), "ibuprofen")
    assert row.current_daily_dose_mg is None


def test_metotrexato_is_methotrexate():
    assert load_medicine_data().resolve("metotrexato")[0] == ("methotrexate",)
