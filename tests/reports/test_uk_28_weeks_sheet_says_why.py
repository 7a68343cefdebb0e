"""Under uk, the NSAID sheet at 28 and 29 weeks says why it is "Do not take it", from the MHRA
(gp19 F10). Before: "Do not take it: for you, it may do more harm than good. Your clinician will
tell you why", while at 30 weeks it gave the reason.

MHRA Drug Safety Update (June 2023), read on gov.uk by src19 (quote kept in
resources/medicines/sources.toml, mhra-nsaid-pregnancy-2023): "use of systemic (oral and
injectable) NSAIDs such as ibuprofen, naproxen, and diclofenac is contraindicated in the last
trimester of pregnancy (after 28 weeks of pregnancy)." The rule nsaid-pregnancy-28-uk names
"premature closure of the ductus arteriosus, fetal kidney problems". Boundaries: 27 (avoid: no
"Do not take it", no 28-week reason), 28 and 29 (the MHRA reason, citing MHRA 2023), 30 (the
MHRA reason too since fxl20: the 30-week rule rests on the MHRA under uk); the us profile at 29 weeks is avoid, with no 28-week reason.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import IBU, STOP_EN, case, sheet

WHY_28_EN = "from 28 weeks of pregnancy, these medicines can cause heart and kidney problems in the unborn baby"
WHY_28_ES = "desde la semana 28 del embarazo, estos medicamentos pueden causar problemas de corazón y de riñón"
GENERAL = "Your clinician will tell you why"


@pytest.mark.parametrize("weeks", [28, 29])
@pytest.mark.parametrize("lang, why", [("en", WHY_28_EN), ("es", WHY_28_ES)])
def test_uk_at_28_and_29_weeks_the_sheet_gives_the_mhra_reason(weeks, lang, why):
    text = sheet(case(IBU, weeks), "med_nsaid", lang, profile="uk")
    assert why in text.lower() or why in text, text
    if lang == "en":
        assert STOP_EN in text and GENERAL not in text


def test_uk_at_27_weeks_there_is_no_28_week_reason():
    text = sheet(case(IBU, 27), "med_nsaid", "en", profile="uk")
    assert STOP_EN not in text and WHY_28_EN not in text.lower()


def test_uk_at_30_weeks_the_mhra_reason_stands_and_us_keeps_the_30_week_reason():
    """Since fxl20 the uk sheet at 30 weeks and over gives the MHRA's reason too, as the window
    quotes it (nsaid-pregnancy-30's in_profile.uk; tests/reports/test_uk_sheet_why_follows_the_mhra_
    from_28_weeks.py); us keeps the FDA's 30 weeks."""
    text = sheet(case(IBU, 30), "med_nsaid", "en", profile="uk")
    assert "from 30 weeks of pregnancy" not in text.lower() and WHY_28_EN in text.lower()
    text = sheet(case(IBU, 30), "med_nsaid", "en", profile="us")
    assert "from 30 weeks of pregnancy" in text.lower() and WHY_28_EN not in text.lower()


def test_us_at_29_weeks_has_no_mhra_reason():
    text = sheet(case(IBU, 29), "med_nsaid", "en", profile="us")
    assert STOP_EN not in text and WHY_28_EN not in text.lower()


def test_the_28_week_reason_cites_the_mhra_on_the_sources_line():
    from radiculopathy_desktop.reports import handouts as h

    assert "mhra-nsaid-pregnancy-2023" in h.pregnancy_sources("med_nsaid", "uk", ("nsaid-pregnancy-28-uk",))
    assert "mhra-nsaid-pregnancy-2023" in h.pregnancy_sources("med_nsaid", "other", ("nsaid-pregnancy-28-uk",))
