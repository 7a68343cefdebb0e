"""rx23 (red-team rt24 F4): a patch's change interval is not a number of doses a day.

"fentanyl 25mcg/h patch x2 every 3 days" was not recognised (no 120 MME/day alert, no opioid +
benzodiazepine alert) and "every 72 hours" gave a false "check the dose" asking for a daily dose.
The interval is read as an interval and compared with the product's (drugs.toml
[patch_change_intervals], sources.toml): fentanyl patches every 72 hours (Duragesic label; Durogesic
DTrans "change 72 hourly"); BuTrans, Butec, Reletrans, Panitaz every 7 days; Transtec and Bupeaze
"over a period of 96 hours" (and twice a week); Hapoctasin "over a period of 72 hours". An interval
that is not the product's is a "check the dose", never silently counted."""

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


def _checks(report, name):
    return [c for c in report.dose_checks if name.lower() in (m.lower() for m in c.medicines)]


@pytest.mark.parametrize("text, hours", [
    ("every 72 hours", 72), ("every 72h", 72), ("q72h", 72), ("72 hourly", 72), ("every 3 days", 72),
    ("every 3.5 days", 84), ("every 4 days", 96), ("every 96 hours", 96), ("every 7 days", 168), ("weekly", 168),
    ("once a week", 168), ("once weekly", 168), ("every week", 168), ("twice weekly", 84), ("twice a week", 84),
    ("x2 a week", 84), ("2x weekly", 84), ("cada 72 horas", 72), ("cada 3 d\u00edas", 72),
])
def test_an_interval_is_read_in_hours(text, hours):
    from radiculopathy_desktop.domain.medications import patch_intervals_written

    found = patch_intervals_written(f"fentanyl 25mcg/h patch {text}")
    assert [h for h, _w, _s in found] == [hours]


@pytest.mark.parametrize("name", ["fentanyl 25mcg/h patch x2 every 3 days", "fentanyl 25mcg/h patch x2 every 72 hours",
                                  "Fentalis 25 x2 every 72 hours", "2 x Durogesic 25 every 3 days"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_two_patches_changed_every_3_days_keep_every_alert(name, profile):
    report = _report([name, "diazepam 5mg"], profile)
    assert name not in report.unrecognised_medicines
    assert report.current_daily_mme == pytest.approx(120)  # 2 x 25 mcg/h x 2.4
    assert any(i[0] == "ix-opioid-benzodiazepine" for i in report.interactions)
    assert any(row.has_rule("opioid-mme-90") for row in report.rows)
    assert not _checks(report, name)  # its interval is the product's: nothing to check


@pytest.mark.parametrize("name", [
    "fentanyl 25mcg/h patch every 72 hours", "fentanyl 25mcg/h patch every 3 days", "Durogesic 25 every 72h",
    "fentanyl 25 every 72 hours",  # no form written: a possible patch
    "BuTrans 10 weekly", "BuTrans 10 every 7 days", "Butec 5 once a week", "Transtec 35 twice weekly",
    "Transtec 35 every 96 hours", "Transtec 35 every 4 days", "Hapoctasin 35 every 72 hours",
    "buprenorphine 10mcg/h patch every 7 days", "buprenorphine 35mcg/h patch every 96 hours",
])
def test_the_products_own_interval_asks_for_nothing(name):
    report = _report([name])
    assert name not in report.unrecognised_medicines
    assert not _checks(report, name)
    assert not [n for n in report.current_notes if "daily dose" in n.text]


@pytest.mark.parametrize("name, product", [
    ("fentanyl 25mcg/h patch every 7 days", "a fentanyl patch is changed every 72 hours"),
    ("fentanyl 25mcg/h patch weekly", "a fentanyl patch is changed every 72 hours"),
    ("fentanyl 25mcg/h patch every 48 hours", "a fentanyl patch is changed every 72 hours"),
    ("BuTrans 10 every 3 days", "a Butrans patch is changed every 7 days"),
    ("BuTrans 10 twice weekly", "a Butrans patch is changed every 7 days"),
    ("Transtec 35 weekly", "a Transtec patch is changed twice a week or every 96 hours"),
    ("Hapoctasin 35 every 4 days", "a Hapoctasin patch is changed every 72 hours"),
    ("fentanyl 25mcg/h patch every 72 hours every 48 hours", "a fentanyl patch is changed every 72 hours"),
])
def test_an_interval_that_is_not_the_products_is_a_dose_to_check(name, product):
    report = _report([name])
    checks = _checks(report, name)
    assert len(checks) == 1 and checks[0].rule == "check-dose"
    text = checks[0].text
    assert product in text and "written to be changed" in text
    assert "daily dose" not in text and "doses a day" in text  # never asks for a dose in mg a day
    # the rate is still counted (alerts kept), in a total said as provisional, never settled (opioidnum, H-MED-611)
    assert "fentanyl" not in name or (report.current_daily_mme is None and report.mme_provisional.startswith(
        f"60 MME/day, provisional: it counts {name} (written to be changed at an interval that is not its product's)"))


def test_an_interval_beside_a_tablet_is_still_a_frequency():
    # "every 4 hours" on morphine tablets is six doses a day, as before
    assert _report(["morphine 10mg every 4 hours"]).current_daily_mme == pytest.approx(60)
