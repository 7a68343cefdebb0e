"""A patient who wears a fentanyl or buprenorphine skin patch is told to keep hot water off it, in a bath
and in a shower, on every sheet that gives the patch heat words, en and es (src20, H-MED-358).

Before: the patch boxes said "Do not take hot baths" (from the fentanyl label, read in a copy of the
FDA's 2008 label change) and nothing of showers, while the sciatica sheet a patient without a patch
gets says "a warm shower" helps.

Primary source (read 2026-12-01 on gov.uk itself; mhra-fentanyl-patches-2018 in
resources/handouts/README.md): MHRA Drug Safety Update, October 2018, "Transdermal fentanyl patches:
life-threatening and fatal opioid toxicity from accidental exposure, particularly in children",
advice for healthcare professionals: "always fully inform patients and their caregivers about
directions for safe use for fentanyl patches, including the importance of: ... not cutting patches and
avoiding exposure of patches to heat including via hot water (bath, shower)".

Boundaries: no patch (fentanyl named with no patch, sublingual buprenorphine, codeine) keeps the
ordinary heat advice, warm shower included, and does not cite the MHRA patch update.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

SHEETS = ("about_sciatica", "exercise_plan", "med_opioid")
HOT_WATER = {
    "en": {"about_sciatica": "Do not take hot baths or hot showers, and do not use a sauna or a hot tub.",
           "med_opioid": "Do not take hot baths or hot showers, use a sauna or a hot tub, or sunbathe."},
    "es": {"about_sciatica": "No se dé baños ni duchas calientes y no use sauna ni jacuzzi.",
           "med_opioid": "No se dé baños ni duchas calientes, no use sauna ni jacuzzi y no tome el sol."},
}
WARM_SHOWER = {"en": "Use a heat pad, a warm bath or a warm shower.",
               "es": "Use una almohadilla térmica, un baño o una ducha caliente."}
MHRA = "mhra-fentanyl-patches-2018"
MHRA_NAME = {"en": "MHRA 2018 (fentanyl patches: heat and hot water)",
             "es": "MHRA 2018 (parches de fentanilo: calor y agua caliente)"}


def _filled(meds, lang, country="other"):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(SHEETS),
                             confirm_unrecognised=True, country=country)
    return req, {s.id: s for s in h.filled_sheets(req)}


def _text(sheet) -> str:
    return " ".join(hc.plain_text(sheet).split())


@pytest.mark.parametrize("country", ["other", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [["fentanyl 25mcg/h patch"], ["Durogesic 50"],
                                  ["buprenorphine 10 microgram patch", "tramadol 50mg qds"]])
def test_with_a_patch_hot_baths_and_hot_showers_are_named_and_the_mhra_update_is_cited(meds, lang, country):
    req, sheets = _filled(meds, lang, country)
    assert req.opioid_patch
    for sheet_id, words in HOT_WATER[lang].items():
        assert words in _text(sheets[sheet_id]), (sheet_id, _text(sheets[sheet_id]))
    assert WARM_SHOWER[lang] not in _text(sheets["about_sciatica"])
    for sheet_id in SHEETS:
        assert MHRA in sheets[sheet_id].sources, (sheet_id, sheets[sheet_id].sources)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [["fentanyl 100mcg tablets"], ["buprenorphine 2mg sublingual"], ["codeine 30mg qds"]])
def test_without_a_patch_the_warm_shower_stays_and_the_mhra_patch_update_is_not_cited(meds, lang):
    req, sheets = _filled(meds, lang)
    assert not req.opioid_patch
    assert WARM_SHOWER[lang] in _text(sheets["about_sciatica"])
    for sheet_id, words in HOT_WATER[lang].items():
        if sheet_id in sheets:
            assert words not in _text(sheets[sheet_id])
    assert not any(MHRA in s.sources for s in sheets.values())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_mhra_update_has_a_printed_name_in_each_language(lang):
    assert hc.source_label(MHRA, lang) == MHRA_NAME[lang]
