"""patch31 (review31 items 3-5): a patch's change interval in prescription shorthand, the name as recorded, and
two counts of patches.

- H-MED-665: "c/72h" (Spanish "cada 72 horas") was not read as the change interval: the tablet reader asked
  "'c/72h' is not a whole number of times a day" and a settled fentanyl total (25 mcg/h x 2.4 = 60 MME/day,
  CDC 2022 "Fentanyl transdermal (in mcg/hr) 2.4", drugs.toml [mme_rate_factors]) became "provisional".
- H-MED-666: every alert names the medicine as recorded, never the name with its patch count taken out
  ("Durogesic 25 x 2 c/72h" was named "durogesic 25 c/72h").
- H-MED-667: "fentanyl 25mcg/h patch 2 x 3": two counts of patches; how many are worn is asked, never silent."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (
    assess_medications, load_medicine_data, patch_intervals_written, read_recorded_dose)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from helpers.medicines import shipped_example

AS_OF = dt.date(2026, 11, 29)
FENTANYL = load_medicine_data().mme_rate_factors["fentanyl"]  # CDC 2022: 2.4 per mcg/h


def _report(names, profile="us"):
    return assess_medications(parse_case(shipped_example([(n, None) for n in names])).intake, AS_OF, profile=profile)


def _said(report) -> str:
    return " ".join(a.text for a in medicine_alerts(report))


@pytest.mark.parametrize("text, hours", [
    ("c/72h", 72), ("c/72 h", 72), ("c/ 72h", 72), ("c/72hs", 72), ("c/72 horas", 72), ("c/3 d\u00edas", 72),
    ("c/3 dias", 72), ("cada 3 d\u00edas", 72), ("c/7 d\u00edas", 168), ("c/96h", 96), ("c/48h", 48),
])
def test_shorthand_interval_is_read_in_hours(text, hours):
    found = patch_intervals_written(f"durogesic 25 {text}")
    assert [(h, w) for h, w, _ in found] == [(hours, text)]  # the whole words, "días" included


@pytest.mark.parametrize("text", ["abc/72h", "mg/72h", "c/72", "c/72hz"])
def test_not_an_interval(text):
    # boundaries: "c/" inside a word or unit, no unit of time, or a unit that is not hours
    assert patch_intervals_written(f"durogesic 25 {text}") == []


@pytest.mark.parametrize("name, rate", [
    ("fentanilo 25 mcg/h parche c/72h", 25), ("Durogesic 25 c/72h", 25), ("Durogesic 25 mcg/h c/72h", 25),
    ("Durogesic 25 c/72 h", 25), ("Durogesic 25 c/ 72h", 25), ("Durogesic 25 c/72hs", 25),
    ("Durogesic 25 c/3 d\u00edas", 25), ("Durogesic 25 cada 3 d\u00edas", 25), ("Durogesic 25 cada 72 horas", 25),
    ("Durogesic 25 x 2 c/72h", 50), ("Durogesic 50 c/72h", 50),
])
def test_the_product_interval_keeps_the_total_settled(name, rate):
    report = _report([name])
    assert report.current_daily_mme == pytest.approx(rate * FENTANYL)  # 60 or 120 MME/day
    said = _said(report)
    assert "provisional" not in said and "whole number of times a day" not in said
    assert "written to be changed" not in said  # 72 hours is the product's interval


def test_another_interval_is_still_a_dose_to_check():
    # the boundary: the shorthand is read, and an interval that is not fentanyl's (72 h) stays a check
    said = _said(_report(["Durogesic 25 c/48h"]))
    assert 'written to be changed "c/48h"' in said


def test_a_7_day_buprenorphine_patch_written_c7_dias():
    report = _report(["Butrans 10 c/7 d\u00edas"])
    said = _said(report)
    assert "whole number of times a day" not in said and "changed" not in said
    assert 'written to be changed "c/3 d' in _said(_report(["Butrans 10 c/3 d\u00edas"]))  # BuTrans: every 7 days


_NAMES = ["Durogesic 25 x 2 c/72h", "Durogesic 25 x 2 c/48h", "Durogesic 25 x 2 tds", "Durogesic 12 x3 q72h",
          "fentanyl 25mcg/h patch x2 every 3 days", "fentanyl 25mcg/h patch 2 x 3", "Durogesic 25 x2 prn"]


@pytest.mark.parametrize("name", _NAMES)
def test_no_alert_names_a_medicine_that_was_not_recorded(name):
    report = _report([name])
    recorded = " ".join(name.lower().split())
    for alert in medicine_alerts(report):
        for taken in re.findall(r"(?:Taking|Check the dose:) ([^:(]+?)(?: \(|:)", alert.text):
            assert taken.lower() == recorded, alert.text
        assert ("durogesic" not in alert.text.lower() and "fentanyl 25mcg" not in alert.text.lower()) or \
            recorded in alert.text.lower(), alert.text
    for check in report.dose_checks:
        assert [m.lower() for m in check.medicines] == [recorded]
    reading = read_recorded_dose(name, ("fentanyl",), None)
    assert reading is None or " ".join(reading.name.lower().split()) == recorded


@pytest.mark.parametrize("name, counts", [("fentanyl 25mcg/h patch 2 x 3", "2, 3"),
                                          ("fentanyl 25mcg/h patch 3 x 4", "3, 4"),
                                          ("Durogesic 25 x2 x3", "2, 3")])
def test_two_counts_of_patches_are_asked(name, counts):
    report = _report([name])
    said = _said(report)
    assert f"two different numbers of patches written ({counts})" in said
    assert "how many patches are worn together is not known" in said
    assert report.current_daily_mme is None  # neither count guessed


def test_one_count_is_still_read():
    # the boundary: one count written is patches worn together (H-MED-650), no question
    report = _report(["fentanyl 25mcg/h patch x2"])
    assert report.current_daily_mme == pytest.approx(2 * 25 * FENTANYL)
    assert "worn together is not known" not in _said(report)


def test_stored_marks_are_rewritten():
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION
    assert DOSE_ALERTS_VERSION >= 85  # a stored "c/72h" patch's marks were "provisional"
