"""Under uk an NSAID is contraindicated from the last trimester, the MHRA's threshold, not the
FDA's 30 weeks (src19; opi18 and closing14 "Open": the uk threshold stayed at 30).

MHRA Drug Safety Update (June 2023), read on gov.uk itself
(gov.uk/drug-safety-update/non-steroidal-anti-inflammatory-drugs-nsaids-potential-risks-following-
prolonged-use-after-20-weeks-of-pregnancy): "We want to remind healthcare professionals that use of
systemic (oral and injectable) NSAIDs such as ibuprofen, naproxen, and diclofenac is contraindicated
in the last trimester of pregnancy (after 28 weeks of pregnancy)." and "This is in addition to giving
advice to discontinue use of any NSAID in the last trimester of pregnancy." The tool reads "after 28
weeks" from 28 completed weeks (the last trimester's start). Before: a uk patient at 28 or 29 weeks
on ibuprofen was "avoid" and her sheet said "Ask your clinician whether to keep taking it".
Boundaries: 27 (avoid), 28 (contraindicated, MHRA), 29, 30 (the FDA rule, as before); the us
profile keeps the FDA's 30 (29: avoid).
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import (
    ASK_EN, IBU, STOP_EN, STOP_ES, WINDOW_STOP, case, sheet, window_alerts)


def _nsaid_alert(weeks, profile):
    return [a for a in window_alerts(case(IBU, weeks), profile) if "weeks" in a.text and "NSAID" in a.text]


@pytest.mark.parametrize("weeks", [28, 29])
def test_uk_from_28_weeks_the_nsaid_is_contraindicated_and_stopped_citing_the_mhra(weeks):
    (alert,) = _nsaid_alert(weeks, "uk")
    assert alert.status == "contraindicated"
    assert alert.action.startswith(WINDOW_STOP)
    assert "after 28 weeks" in alert.text
    assert "Drug Safety Update" in alert.source and "gov.uk" in alert.source


@pytest.mark.parametrize("weeks", [30, 31])
def test_uk_from_30_weeks_it_stays_contraindicated_as_before(weeks):
    """From 30 weeks the rule nsaid-pregnancy-30 rates it contraindicated under both profiles, as
    before; under uk in the MHRA's words (its in_profile.uk, fxk20: tests/reports/test_uk_mhra_reason_from_28_weeks.py)."""
    (alert,) = _nsaid_alert(weeks, "uk")
    assert alert.status == "contraindicated" and alert.action.startswith(WINDOW_STOP)


def test_uk_at_27_weeks_the_nsaid_is_avoid_not_contraindicated():
    (alert,) = _nsaid_alert(27, "uk")
    assert alert.status == "avoid"


def test_us_keeps_the_fda_30_weeks():
    (alert,) = _nsaid_alert(29, "us")
    assert alert.status == "avoid"
    (alert,) = _nsaid_alert(30, "us")
    assert alert.status == "contraindicated" and "from 30 weeks" in alert.text


@pytest.mark.parametrize("lang, stop", [("en", STOP_EN), ("es", STOP_ES)])
def test_uk_sheet_at_28_weeks_says_do_not_take_it(lang, stop):
    text = sheet(case(IBU, 28), "med_nsaid", lang, profile="uk")
    assert stop in text and ASK_EN not in text


def test_uk_sheet_at_27_weeks_still_asks():
    text = sheet(case(IBU, 27), "med_nsaid", "en", profile="uk")
    assert STOP_EN not in text
