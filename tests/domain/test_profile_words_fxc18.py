"""Each profile its own words and source (red team rt19 F8, gp18 F7; fxc18).

rt19 F8: under us, the paracetamol under-50-kg rule said "(BNF: adults under 50 kg are dosed by
weight)" and cited the BNF, a UK formulary. Under us it now cites the US source that doses by
weight under 50 kg, the acetaminophen injection label (``acetaminophen-iv-label``):
boxed warning, "the dosing is based on weight for patients under 50 kg" (read on openFDA);
section 2, "Adults and adolescents weighing under 50 kg: ... 15 mg/kg every 6 hours or
12.5 mg/kg every 4 hours ... a maximum daily dose of Acetaminophen of 75 mg/kg per day"
(read in a copy of the label). The tool's cap stays the lower 60 mg/kg a day. The uk text
keeps the NHS page: "if you weigh less than 50kg check the maximum dose with your doctor or
pharmacist". Boundaries: 49.5 (fires), 50 and 50.5 kg (not: the rule is "under 50 kg").
"""

from __future__ import annotations

import pytest

from tests.domain.test_rule_sources_per_profile_src18 import _reason, _report


@pytest.mark.parametrize("weight, fires", [(49.5, True), (50, False), (50.5, False)])
def test_us_low_weight_rule_has_us_words_and_a_us_source(weight, fires):
    us = _reason(_report([("paracetamol", 2000)], "us", weight=weight), "acetaminophen", "apap-low-weight")
    uk = _reason(_report([("paracetamol", 2000)], "uk", weight=weight), "acetaminophen", "apap-low-weight")
    assert (us is not None) is fires and (uk is not None) is fires
    if not fires:
        return
    assert "BNF" not in us.text and "British National Formulary" not in us.source
    assert "acetaminophen injection" in us.text and "75 mg/kg" in us.text
    assert "the dosing is based on weight for patients under 50 kg" in us.source
    assert "2970 mg/day" in us.text  # 60 mg/kg of 49.5 kg: the cap itself unchanged
    # uk: its own words and sources (NHS page, BNF), no US label
    assert "NHS" in uk.text and "acetaminophen injection" not in uk.text and "21 CFR" not in uk.source


@pytest.mark.parametrize("country, cites_fda_guide", [("uk", False), ("us", True), ("eu", True), ("other", True)])
def test_the_nsaid_sheet_cites_the_fda_medication_guide_only_where_it_prints_its_placement(country, cites_fda_guide):
    """gp18 F7: a UK clinic's NSAID sheet printed the NHS page's emergency signs but cited the
    "FDA Medication Guide for NSAIDs" too. The Guide's placement sections carry its source, so
    it is cited only where they print (us, eu, other); the NHS page stays cited for uk."""
    from radiculopathy_desktop.reports import handout_content as hc

    for lang in ("en", "es"):
        sheet = hc.for_country(hc.load_sheet("med_nsaid", lang), country)
        assert ("fda-nsaid-medguide" in sheet.sources) is cites_fda_guide, (lang, country)
        assert "nhs-ibuprofen" in sheet.sources
        assert "fda-nsaid-pregnancy-2020" in sheet.sources  # no UK source for "about 20 weeks": kept, named FDA


@pytest.mark.parametrize("profile, says_us_source", [("uk", True), ("us", False)])
def test_the_two_opioid_alert_says_its_threshold_is_a_us_one_under_uk(profile, says_us_source):
    """gp18 F7: "reassess at 50 MME/day or more and offer naloxone" (CDC 2022) was shown in a UK
    clinic as if it were its own guidance. No UK source for the MME total, the 50 MME/day point
    or naloxone was read, so the US source stays under uk and the text says it is the US CDC's
    (the brief: leave a US source where no UK one exists, but say so)."""
    from tests.domain.test_two_opioids_at_once import GP17, report, two_opioid_alerts

    texts = [a.text for a in two_opioid_alerts(report(GP17, profile))]
    assert len(texts) == 1
    assert all(("from the US CDC 2022 guideline" in t) is says_us_source for t in texts)
    assert all("50 MME/day" in t for t in texts)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", ["uk", "us"])
def test_the_opioid_sheet_cites_the_mhra_for_a_uk_clinic(country, lang):
    """gp18 F7: a UK clinic's opioid sheet cited CDC 2022 and the FDA only. The MHRA's Drug Safety
    Updates (read on gov.uk): "at the end of treatment, taper dosage slowly to reduce the risk of
    withdrawal effects associated with sudden cessation of opioids" (September 2020) and
    "benzodiazepines ... and opioid medicines ... when used together, additive effects on the
    central nervous system increase the risks of sedation, respiratory depression, coma, and
    death" (March 2020). FDA 2016 stays beside the MHRA reminder (it also covers alcohol);
    every other clinic keeps the FDA sources."""
    from radiculopathy_desktop.reports import handout_content as hc

    sheet = hc.for_country(hc.load_sheet("med_opioid", lang), country)
    printed = " | ".join(hc.printed_sources(sheet, "en"))
    if country == "uk":
        assert "mhra-opioids-dependence-2020" in sheet.sources and "fda-opioid-tapering-2019" not in sheet.sources
        assert "mhra-benzodiazepines-opioids-2020" in sheet.sources and "fda-opioid-benzo-2016" in sheet.sources
        assert "MHRA 2020" in printed and "FDA 2019 (stopping opioids suddenly)" not in printed
    else:
        # The patch box's hot baths and showers rest on the MHRA's 2018 fentanyl patch update for
        # every clinic (src20, H-MED-358: no US source naming showers was read); no other MHRA source.
        assert "fda-opioid-tapering-2019" in sheet.sources
        assert not any(x.startswith("mhra") and x != "mhra-fentanyl-patches-2018" for x in sheet.sources)
