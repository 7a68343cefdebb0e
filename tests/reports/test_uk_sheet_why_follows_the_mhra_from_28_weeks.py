"""The patient's NSAID sheet says why it is "Do not take it" in the words of the source the
profile's rule rests on, at every week from the profile's threshold (fxk20 leftover; H-MED-366).

Before: under the uk profile at 28-29 weeks the sheet said "From 28 weeks of pregnancy ..." (rule
nsaid-pregnancy-28-uk, MHRA), but at 30 weeks and over it said the FDA's "From 30 weeks of
pregnancy, these medicines can cause heart problems in the unborn baby", while the window quoted
the MHRA's "after 28 weeks" (nsaid-pregnancy-30's ``[rule.in_profile.uk]``, fxk20).

Primary sources (resources/medicines/sources.toml):
- MHRA Drug Safety Update (June 2023), read on gov.uk with the search tool
  (gov.uk/drug-safety-update/non-steroidal-anti-inflammatory-drugs-nsaids-potential-risks-following-
  prolonged-use-after-20-weeks-of-pregnancy), advice for healthcare professionals: "systemic (oral
  and injectable) NSAIDs are contraindicated during the last trimester (after 28 weeks) of pregnancy
  due to the risk of premature closure of the ductus arteriosus and renal dysfunction in the fetus".
  The tool reads "after 28 weeks" from 28 completed weeks.
- FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "At around 30
  weeks, NSAIDs can cause a problem that may result in heart issues in the unborn baby."

Boundaries: 27, 28, 29, 30, 31 weeks x uk/us x en/es.
"""

from __future__ import annotations

import pytest

from tests.helpers.nsaid_pregnancy_words import ask_20
from tests.reports.test_contraindicated_words_agree import (
    IBU, STOP_EN, STOP_ES, case, sheet)

WHY = {("28", "en"): "From 28 weeks of pregnancy, these medicines can cause heart and kidney problems in the unborn baby.",
       ("28", "es"): "Desde la semana 28 del embarazo, estos medicamentos pueden causar problemas de corazón y de riñón "
                     "al bebé antes de nacer.",
       ("30", "en"): "From 30 weeks of pregnancy, these medicines can cause heart problems in the unborn baby.",
       ("30", "es"): "Desde la semana 30 del embarazo, estos medicamentos pueden causar problemas de corazón al bebé "
                     "antes de nacer."}
CLAUSE = {k: v[0].lower() + v[1:-1] for k, v in WHY.items()}
STOP = {"en": STOP_EN, "es": STOP_ES}
# the one box that asks, with its reason (sheet21: the pregnancy box no longer asks apart), the profile's
# source's reason from 20 weeks (handout29)
ASK = {(lang, profile): ask_20(lang, profile) for lang in ("en", "es") for profile in ("us", "uk")}


def _nsaid_sheet(weeks, profile, lang):
    return sheet(case(IBU, weeks), "med_nsaid", lang, profile=profile)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [28, 29, 30, 31])
def test_uk_from_28_weeks_the_sheet_gives_the_mhra_why_at_every_week(weeks, lang):
    text = _nsaid_sheet(weeks, "uk", lang)
    assert STOP[lang] in text
    # one "Do not take it" box carrying the pregnancy box's words: the why said once (sheet21)
    assert text.count(WHY[("28", lang)]) == 1
    assert WHY[("30", lang)] not in text and CLAUSE[("30", lang)] not in text  # never the FDA's 30 weeks


@pytest.mark.parametrize("lang", ["en", "es"])
def test_uk_at_27_weeks_the_sheet_asks_and_gives_no_stop_why(lang):
    text = _nsaid_sheet(27, "uk", lang)
    assert ASK[(lang, "uk")] in text and STOP[lang] not in text
    for key in ("28", "30"):
        assert CLAUSE[(key, lang)] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [30, 31])
def test_us_from_30_weeks_the_sheet_keeps_the_fda_why(weeks, lang):
    text = _nsaid_sheet(weeks, "us", lang)
    assert STOP[lang] in text
    assert text.count(WHY[("30", lang)]) == 1  # one box, its why once (sheet21)
    assert CLAUSE[("28", lang)] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [27, 28, 29])
def test_us_below_30_weeks_the_sheet_asks_with_no_stop_why(weeks, lang):
    text = _nsaid_sheet(weeks, "us", lang)
    assert ASK[(lang, "us")] in text and STOP[lang] not in text
    for key in ("28", "30"):
        assert CLAUSE[(key, lang)] not in text

