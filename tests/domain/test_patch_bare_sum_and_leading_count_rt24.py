"""rt24 F1, F2: patches worn together written with bare numbers ("Durogesic 50 + 25") counted 0
MME/day (no alert; the referral summary said no medicine to avoid), while "50 + 25 mcg/h" counted
180; a count written before the name ("2 x Fentalis 25", "two Fentalis 25", "2 Fentalis 25
patches") was not read (one patch counted, or the 2 read as a strength).

Source of the factor: CDC 2022 MME table, "Fentanyl transdermal (in mcg/hr) 2.4" (sources.toml
cdc-2022-mme-fentanyl); marketed fentanyl patch strengths 12, 25, 37.5, 50, 75, 100 mcg/h
(drugs.toml [patch_strengths]). A sum of patches is the rate of the patches worn together, as
mme21 counts "100 + 50 mcg/h"."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from helpers.medicines import shipped_example

AS_OF = dt.date(2026, 11, 29)


def _report(names, profile="us"):
    case = parse_case(shipped_example([(n, None) for n in names]))
    return assess_medications(case.intake, AS_OF, profile=profile)


@pytest.mark.parametrize("name, mme", [
    ("Durogesic 50 + 25", 180), ("fentanyl 50 + 25", 180), ("Fentalis 25+25", 120), ("Matrifen 100 + 12", 270),
    ("fentanyl 50 + 25 mcg/h patch", 180),  # the sum in micrograms an hour, as before
])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_bare_sum_of_marketed_strengths_is_counted(name, mme, profile):
    report = _report([name], profile)
    assert report.current_daily_mme == pytest.approx(mme)
    assert not [c for c in report.dose_checks if name.lower() in c.medicines]


def test_the_bare_sum_says_how_it_was_counted():
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    said = " ".join(a.text for a in medicine_alerts(_report(["Durogesic 50 + 25"])))
    assert "180 MME/day" in said and "75 mcg/h" in said
    assert "patches worn together" in said and "written with no unit" in said


@pytest.mark.parametrize("name", [
    "Durogesic 50 + 30",      # 30: no patch is made in it (a dose to check, never counted)
    "Durogesic 50 + 25 x2",   # a count beside a sum: not read, as for a sum in mcg/h
    "Durogesic 50 25",        # two numbers, no sum written: not guessed
])
def test_a_bare_sum_that_cannot_be_read_is_not_counted(name):
    assert not _report([name]).current_daily_mme


@pytest.mark.parametrize("name, mme", [
    ("2 x Fentalis 25", 120), ("2x Fentalis 25", 120), ("two Fentalis 25", 120), ("2 Fentalis 25 patches", 120),
    ("Fentalis 25 x2", 120), ("Fentalis 25", 60), ("2 x fentanyl 25mcg/h patch", 120),
])
def test_a_count_written_before_the_name_multiplies(name, mme):
    report = _report([name])
    assert report.current_daily_mme == pytest.approx(mme)
    assert not [c for c in report.dose_checks if name.lower() in c.medicines]  # the 2 is not a strength


def test_two_fentalis_25_is_a_high_opioid_dose_not_a_reassess():
    """120 MME/day: 90 or more (CDC 2016 rec. 5, "avoid increasing dosage to >=90 MME/day")."""
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    alerts = medicine_alerts(_report(["2 x Fentalis 25"]))
    assert any("90 MME/day or more" in a.text for a in alerts)
