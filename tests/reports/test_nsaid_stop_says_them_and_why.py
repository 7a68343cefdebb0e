"""Two NSAIDs at 31 weeks are "them", and the NSAID sheet says why it is "Do not take it"
(sheet19 item 4; fxa18 "Not done").

Before: ibuprofen with naproxen at 31 weeks: "... ibuprofen and naproxen. Do not take it."; and no
sheet said that NSAIDs are unsafe from 30 weeks ("for you, it may do more harm than good").

Primary sources:
- FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020; resources/medicines/
  sources.toml), FDA Drug Safety Podcast of that date: "At around 30 weeks, NSAIDs can cause a
  problem that may result in heart issues in the unborn baby"; "We recommend avoiding NSAIDs in
  pregnant women at 20 weeks". The data's rules: nsaid-pregnancy-30 contraindicated from 30 weeks,
  nsaid-pregnancy-20 avoid from 20.
- MHRA Drug Safety Update, June 2023 (mhra-nsaid-pregnancy-2023, read on gov.uk by src19):
  contraindicated "during the last trimester (after 28 weeks)": a UK clinic's sheet cites it
  beside the FDA's.
Boundaries: 29 weeks (avoid: no "Do not take", no 30-week why), 30, 31.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import AS_OF, case, sheet

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

PAIR = [("ibuprofen 400mg tds", None), ("naproxen 250mg bd", None)]
ONE = [("ibuprofen 400mg tds", None)]
WHY_EN = "From 30 weeks of pregnancy, these medicines can cause heart problems in the unborn baby."
WHY_ES = "Desde la semana 30 del embarazo, estos medicamentos pueden causar problemas de corazón al bebé"


def _sources(meds, weeks, profile, country, printed=False):
    req = h.request_for_case(case(meds, weeks), AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=["med_nsaid"], profile=profile, country=country)
    filled = h.filled_sheets(req)[0]
    return hc.printed_sources(filled, "en") if printed else filled.sources


@pytest.mark.parametrize("weeks", [30, 31])
def test_two_nsaids_are_them_in_every_sentence(weeks):
    text = sheet(case(PAIR, weeks), "med_nsaid", "en")
    # plainwords (H-MED-647): the regimens in plain words, in brackets in the list
    assert "ibuprofen 400mg (three times a day) and naproxen 250mg (twice a day). Do not take them." in text
    # one "Do not take them" box carrying the pregnancy box's words, its reason said once (sheet21)
    assert "Do not take them. Your clinician will talk to you about another option." in text
    assert text.count("From 30 weeks of pregnancy") == 1 and "Do not take them: from 30 weeks" not in text
    assert "Do not take it" not in text
    es = sheet(case(PAIR, weeks), "med_nsaid", "es")
    assert "No los tome." in es and "No lo tome" not in es


@pytest.mark.parametrize("lang, why", [("en", WHY_EN), ("es", WHY_ES)])
@pytest.mark.parametrize("weeks", [30, 31])
@pytest.mark.parametrize("meds", [ONE, PAIR], ids=["one", "two"])
def test_the_sheet_says_why_from_30_weeks(meds, weeks, lang, why):
    text = sheet(case(meds, weeks), "med_nsaid", lang)
    assert why in text
    assert "it may do more harm than good" not in text


def test_one_nsaid_stays_it():
    text = sheet(case(ONE, 31), "med_nsaid", "en")
    assert "ibuprofen 400mg, three times a day. Do not take it." in text and "Do not take them" not in text


@pytest.mark.parametrize("meds", [ONE, PAIR], ids=["one", "two"])
def test_at_29_weeks_no_stop_and_no_30_week_why(meds):
    text = sheet(case(meds, 29), "med_nsaid", "en")
    assert "Do not take it" not in text and "Do not take them" not in text and WHY_EN not in text
    if meds is PAIR:  # asked whether to keep taking them at all: "they", never "it" (sheet19), with the FDA's
        # reason from 20 weeks (handout29), never only "for you, they may do more harm than good"
        assert "whether to keep taking them at all: from about 20 weeks of pregnancy, these medicines can" in text
        assert "they may do more harm than good" not in text


@pytest.mark.parametrize("profile, country, cited, never", [
    ("us", "us", ("fda-nsaid-pregnancy-2020",), "mhra-nsaid-pregnancy-2023"),
    ("uk", "uk", ("mhra-nsaid-pregnancy-2023", "fda-nsaid-pregnancy-2020"), None),
])
def test_the_why_is_cited_from_the_data_for_the_clinic_s_country(profile, country, cited, never):
    sources = _sources(ONE, 31, profile, country)
    for source in cited:
        assert source in sources
    if never:
        assert never not in sources
    printed = _sources(ONE, 31, profile, country, printed=True)
    assert "FDA 2020 (NSAIDs in pregnancy)" in printed
    assert ("MHRA 2023 (NSAIDs in pregnancy)" in printed) is (country == "uk")


# handout29 (H-MED-519): from 20 weeks under uk the ask box gives the MHRA 2023 update's reason (prolonged use from
# week 20: low amniotic fluid, fetal kidney problems, ductus constriction) and cites it; 19 weeks does not
@pytest.mark.parametrize("weeks, cited", [(19, False), (20, True), (27, True), (28, True), (29, True)])
def test_a_uk_sheet_cites_the_mhra_from_28_weeks(weeks, cited):
    """MHRA Drug Safety Update, June 2023 (read on gov.uk by src19): "systemic (oral and
    injectable) NSAIDs are contraindicated during the last trimester (after 28 weeks) of
    pregnancy"; under uk the data rates NSAIDs contraindicated from 28 completed weeks, and the
    sheet gives the MHRA's reason and cites it (fxe19, gp19 F10). Before src19 this test said a
    29-week uk sheet must not cite it, when the MHRA was read as a 30-week source."""
    assert ("mhra-nsaid-pregnancy-2023" in _sources(ONE, weeks, "uk", "uk")) is cited
