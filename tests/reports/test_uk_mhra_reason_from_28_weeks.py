"""Under uk the reason quoted for a contraindicated NSAID in pregnancy is the MHRA's at every week
from 28; under us the FDA's, unchanged (gp19 F10 rest; fxe19 left it: from 30 weeks the rule
``nsaid-pregnancy-30`` fires under both profiles and a uk clinic at 31 weeks read the FDA's "do not
use NSAIDs from 30 weeks" in the window, the summary and the worklist's CSV, while at 28-29 weeks
it read the MHRA's "after 28 weeks").

Primary sources (resources/medicines/sources.toml):
- MHRA Drug Safety Update (June 2023), read on gov.uk itself with the search tool
  (gov.uk/drug-safety-update/non-steroidal-anti-inflammatory-drugs-nsaids-potential-risks-following-
  prolonged-use-after-20-weeks-of-pregnancy), advice for healthcare professionals: "we remind
  healthcare professionals that systemic (oral and injectable) NSAIDs are contraindicated during the
  last trimester (after 28 weeks) of pregnancy due to the risk of premature closure of the ductus
  arteriosus and renal dysfunction in the fetus". The tool reads "after 28 weeks" from 28 completed
  weeks.
- FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
  avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
  NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
  heart issues in the unborn baby."

Boundaries, both profiles: 27, 28, 29, 30 (and 31) weeks.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import IBU, WINDOW_STOP, case, summary_text, window_alerts

MHRA_WORDS = "systemic NSAIDs are contraindicated in the last trimester, after 28 weeks"
FDA_30_WORDS = "do not use NSAIDs from 30 weeks"
FDA_20_WORDS = "avoid NSAIDs from 20 weeks"


def _alert(weeks, profile):
    [alert] = [a for a in window_alerts(case(IBU, weeks), profile) if "ibuprofen 400mg tds" in a.medicines]
    return alert


@pytest.mark.parametrize("weeks, status, words", [
    (27, "avoid", FDA_20_WORDS), (28, "contraindicated", MHRA_WORDS), (29, "contraindicated", MHRA_WORDS),
    (30, "contraindicated", MHRA_WORDS), (31, "contraindicated", MHRA_WORDS)])
def test_uk_quotes_the_mhra_from_28_weeks_at_every_week(weeks, status, words):
    alert = _alert(weeks, "uk")
    assert alert.status == status and words in alert.text
    assert FDA_30_WORDS not in alert.text  # never the FDA's 30 weeks under uk
    if status == "contraindicated":
        assert alert.action == WINDOW_STOP
        assert "MHRA Drug Safety Update" in alert.source and "fda.gov" not in alert.source
        assert "FDA" not in alert.source


@pytest.mark.parametrize("weeks, status, words", [
    (27, "avoid", FDA_20_WORDS), (28, "avoid", FDA_20_WORDS), (29, "avoid", FDA_20_WORDS),
    (30, "contraindicated", FDA_30_WORDS), (31, "contraindicated", FDA_30_WORDS)])
def test_us_keeps_the_fda_words_and_weeks(weeks, status, words):
    alert = _alert(weeks, "us")
    assert alert.status == status and words in alert.text
    assert MHRA_WORDS not in alert.text and "MHRA" not in alert.source


@pytest.mark.parametrize("profile, words, other", [("uk", MHRA_WORDS, FDA_30_WORDS), ("us", FDA_30_WORDS, MHRA_WORDS)])
def test_the_summary_at_31_weeks_quotes_the_profile_s_source(profile, words, other):
    """The referral summary gives the same reason as the window (one rule)."""
    text = summary_text(case(IBU, 31), profile)
    assert words in text and other not in text
