"""rx23 (red-team rt24 F7, F9): a patch counted at the rate it delivers, summed however the
clinician joins the patches, and, when it cannot be counted, the reason that is true.

Primary sources (sources.toml):
- Durogesic DTrans 12 SmPC, section 2 (durogesic-dtrans-12-uk): "The lowest dose is stated as
  12 µg/hour (however, the actual dose is 12.5 µg/hour) in order to distinguish it from a dose of
  125 µg/hour"; Duragesic US label (duragesic-12-label): "Nominal delivery rate is 12.5 mcg/hr".
- CDC 2022 MME table: fentanyl transdermal (mcg/hr) x 2.4 (cdc-2022-mme-fentanyl); the 50 and 90
  MME/day points (cdc-2022, the 2016 recommendation 5).
So one "12" patch is 12.5 x 2.4 = 30 MME/day (main counted 28.8), three are 90 (main: 86.4, under
the 90 point), one beside morphine 20 mg a day is 50 (main: 48.8, under the 50 point)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from helpers.medicines import shipped_example

AS_OF = dt.date(2026, 11, 29)


def _report(names, profile="us"):
    case = parse_case(shipped_example([(n, None) for n in names]))
    return assess_medications(case.intake, AS_OF, profile=profile)


def _fired(report, rule: str) -> bool:
    return any(row.has_rule(rule) for row in report.rows)


def _said(report) -> str:
    return " ".join(a.text for a in medicine_alerts(report))


# --------------------------------------------------------------------------- F7: the "12" patch
@pytest.mark.parametrize("name", ["fentanyl 12mcg/h patch", "Durogesic DTrans 12", "Durogesic 12", "Fentalis 12",
                                  "fentanyl 12 micrograms/hour", "Matrifen 12"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_12_patch_is_counted_at_the_12_5_it_delivers(name, profile):
    assert _report([name], profile).current_daily_mme == pytest.approx(30.0)


@pytest.mark.parametrize("names, mme", [
    (["fentanyl 12mcg/h patch", "morphine 20mg od"], 50),    # the 50 point reached (main: 48.8)
    (["Durogesic 12 x3"], 90),                               # the 90 point reached (main: 86.4)
    (["fentanyl 12mcg/h x 4"], 120),                         # 4 x 12.5 = 50 mcg/h (main: 48)
    (["Matrifen 100 + 12"], 270),                            # 112.5 mcg/h
])
def test_counting_the_delivered_rate_reaches_the_threshold(names, mme):
    report = _report(names)
    assert report.current_daily_mme == pytest.approx(mme)
    assert f"{mme} MME/day" in _said(report)
    assert _fired(report, "opioid-mme-90") == (mme >= 90)
    assert _fired(report, "opioid-mme-50") == (mme < 90)


def test_just_under_the_50_point_stays_under_it():
    # 12.5 x 2.4 = 30, + morphine 19 mg = 49: the boundary is not crossed by rounding
    report = _report(["fentanyl 12mcg/h patch", "morphine 19mg od"])
    assert report.current_daily_mme == pytest.approx(49)
    assert not _fired(report, "opioid-mme-50") and not _fired(report, "opioid-mme-90")


@pytest.mark.parametrize("name, how", [
    ("fentanyl 12mcg/h patch", "12 mcg/h patch (delivers 12.5 mcg/h)"),
    ("Durogesic 12 x4", "4 patches of 12 mcg/h (each delivers 12.5 mcg/h) = 50 mcg/h"),
    ("Matrifen 100 + 12", "a 12 mcg/h patch delivers 12.5 mcg/h"),
])
def test_how_it_was_counted_says_the_rate_delivered(name, how):
    said = _said(_report([name, "morphine 60mg od"]))
    assert how in said
    assert "12.5 written" not in said  # the number written is 12


def test_the_25_patch_is_counted_as_written():
    assert _report(["fentanyl 25mcg/h patch"]).current_daily_mme == pytest.approx(60)
    assert "delivers" not in _said(_report(["fentanyl 25mcg/h patch", "morphine 60mg od"]))


# --------------------------------------------------------------------------- F9: "&", "and"
@pytest.mark.parametrize("name", ["Fentalis 50 & 25", "fentanyl 50 and 25", "Durogesic 50 and 25", "Fentalis 50&25",
                                  "Fentalis 50 + 25"])
def test_patches_joined_by_and_or_ampersand_are_summed_like_plus(name):
    assert _report([name]).current_daily_mme == pytest.approx(180)


@pytest.mark.parametrize("name", ["Fentalis 50 & 30", "fentanyl 50 and 30"])
def test_a_part_no_patch_is_made_in_is_not_summed(name):
    report = _report([name, "morphine 60mg od"])
    assert report.current_daily_mme is None
    said = _said(report)
    assert "30 is not a strength one fentanyl patch is made in" in said
    assert "rate in micrograms an hour not written" not in said


@pytest.mark.parametrize("name", ["Fentalis 50 mcg", "fentanyl 50 mcg patch"])
def test_micrograms_with_no_per_hour_is_not_called_no_unit(name):
    report = _report([name, "morphine 60mg od"])
    assert report.current_daily_mme == pytest.approx(180)
    said = _said(report)
    assert "written in micrograms with no rate per hour" in said
    assert "written with no unit" not in said


@pytest.mark.parametrize("name, reason", [
    ("fentanyl 25mcg/h x2 x3", "two different numbers of patches written (2, 3)"),
    ("Fentalis 25 x2 + 25", "a count of patches (x2) written beside patches worn together (25 + 25)"),
    ("fentanyl 25mcg/h + 25mcg/h x2", "a count of patches (x2) written beside patches worn together (25 + 25)"),
    ("fentanyl 25 30", "two numbers written with no sum (25, 30)"),
    ("Fentalis patch", "patch rate in micrograms an hour not written"),
])
def test_a_patch_not_counted_says_why(name, reason):
    report = _report([name, "morphine 60mg od"])
    assert report.current_daily_mme is None
    said = _said(report)
    assert f"not counted: {name.lower()} (fentanyl: {reason}" in said
    if "not written" not in reason:
        assert "rate in micrograms an hour not written" not in said
