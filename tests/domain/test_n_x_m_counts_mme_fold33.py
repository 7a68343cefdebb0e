"""fold33 (H-MED-698): an opioid written "N x M" with no frequency is N x M tablets a day whichever way it is read
(3 tablets 4 times a day or 4 tablets 3 times a day), so its MME is counted in the opioid total (as a daily dose,
which the question still asks), and the CDC 50 and 90 MME/day alerts (cdc-2022-dosage) fire.

Arithmetic (CDC 2022 factors, cdc-2022-mme): oxycodone 20 mg x 12 = 240 mg x 1.5 = 360 MME; morphine 15 mg x 6 = 90
(at the 90 point); morphine 10 mg x 8 = 80 (50 or more, under 90); oxycodone 5 mg x 6 = 30 mg x 1.5 = 45 (under 50);
tramadol 50 mg x 6 = 300 mg x 0.2 = 60; co-codamol 30/500 x 12 = 360 mg codeine x 0.15 = 54.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_report


def _opioid_dose_alerts(name):
    report = example_report([(name, None)])
    return report, [a.text for a in medicine_alerts(report) if "MME/day" in a.text and "opioid dose" in a.text.lower()]


@pytest.mark.parametrize("name, mme, high", [
    ("oxycodone 20mg 3 x 4", 360, True),
    ("morphine 15mg 2 x 3", 90, True),
    ("morphine 10mg 2 x 4", 80, False),
    ("tramadol 50mg 2 x 3", 60, False),
    ("co-codamol 30/500 3 x 4", 54, False),
])
def test_n_x_m_opioid_is_counted_as_n_times_m_tablets_a_day(name, mme, high):
    report, texts = _opioid_dose_alerts(name)
    (text,) = texts
    assert f"total {mme} MME/day" in text
    assert text.startswith(f"Taking {name}: High opioid dose") is high
    # the count says it holds only as a daily dose, and the N x M question is still asked
    # nxd36 (H-MED-757): it says which reading the total counts (N x M tablets a day, both orders)
    a, b = (float(n) for n in name.rsplit(" ", 3)[-3::2])
    assert f"counted as {a * b:g} tablets a day: " in text and "which was meant is still to be confirmed" in text
    assert [c for c in report.dose_checks if c.kind == "name" and c.medicines == (name,)]


def test_n_x_m_under_50_mme_raises_no_opioid_dose_alert():
    _report, texts = _opioid_dose_alerts("oxycodone 5mg 2 x 3")  # 45 MME
    assert texts == []


def test_n_x_m_with_a_recorded_daily_dose_counts_the_recorded_dose():
    report = example_report([("oxycodone 20mg 3 x 4", 40.0)])  # 40 mg a day typed: 60 MME, the name's N x M unused
    (text,) = [a.text for a in medicine_alerts(report) if "MME/day" in a.text]
    assert "total 60 MME/day" in text and "read either way" not in text
    # nxread34 (H-MED-712): the typed 40 mg disagrees with the 240 mg every reading of "3 x 4" gives: the total is
    # provisional and the dose asked about (tests/domain/test_n_x_m_period_words_nxread34.py)
    assert "provisional" in text and "(its name says otherwise)" in text
