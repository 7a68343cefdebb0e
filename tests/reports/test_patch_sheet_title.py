"""A patient who wears (or may wear) an opioid skin patch gets an opioid sheet about a patch, not
"strong pain pills" (fxf19's leftover; H-MED-350).

Before: the opioid sheet for "fentanyl 25 mcg/h patch" was titled "Your medicine: strong pain pills
(opioids)" and began "Opioids are strong pain pills."; the Spanish sheet said "otras pastillas".

Primary source: the Butec patient leaflet on emc (butec-uk): "Butec patches act through the skin. After
application, buprenorphine passes through the skin into the blood."; the fentanyl transdermal system
labeling (fentanyl-patch-label): the strengths are delivery rates in micrograms an hour, each system
worn for 72 hours.

Boundaries: codeine and oxycodone tablets keep "strong pain pills"; the sheet's Sources line lists the
patch label only when the patch wording is printed.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

PILLS_TITLE = {"en": "Your medicine: strong pain pills (opioids)", "es": "Su medicamento: calmantes fuertes (opioides)"}
PATCH_TITLE = {"en": "Your medicine: a strong pain patch (opioid)",
               "es": "Su medicamento: un parche para el dolor fuerte (opioide)"}
PATCH_WORDS = {"en": "A pain patch gives the medicine through your skin into your blood.",
               "es": "Un parche para el dolor le pasa el medicamento a la sangre a través de la piel."}
# the es pills-only words: its dose heading (the "short time" paragraph is a new prescription's only: gp21 F9, sht23)
PILL_WORDS = {"en": "Opioids are strong pain pills.", "es": "Cómo tomarlo"}


def _opioid_sheet(meds, lang):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"],
                             confirm_unrecognised=True)
    [sheet] = h.filled_sheets(req)
    return sheet, " ".join(hc.plain_text(sheet).split())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["fentanyl 25 mcg/h patch", "Fentalis 25", "BuTrans 5", "fentanyl 25"])
def test_a_patch_wearers_opioid_sheet_is_about_a_patch(name, lang):
    sheet, text = _opioid_sheet([name], lang)
    assert sheet.title == PATCH_TITLE[lang]
    assert PATCH_WORDS[lang] in text
    assert PILL_WORDS[lang] not in text and PILLS_TITLE[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["codeine 30mg qds", "oxycodone 5mg qds"])
def test_opioid_tablets_keep_the_pills_sheet(name, lang):
    sheet, text = _opioid_sheet([name], lang)
    assert sheet.title == PILLS_TITLE[lang]
    assert PILL_WORDS[lang] in text and PATCH_WORDS[lang] not in text
    assert "fentanyl-patch-label" not in sheet.sources


def test_the_patch_title_must_be_text():
    with pytest.raises(hc.HandoutFormatError, match="patch_title"):
        hc.parse_sheet({"id": "x", "title": "T", "patch_title": "", "audience": "patient", "lang": "en",
                        "reviewed": AS_OF, "sources": ["nice-ng59"],
                        "sections": [{"heading": "H", "paragraphs": ["p"]}]})


def test_every_sheet_with_patch_sections_prints_one_title_either_way():
    for lang in ("en", "es"):
        sheet = hc.load_sheet("med_opioid", lang)
        assert hc.for_patch(sheet, True).title == PATCH_TITLE[lang]
        assert hc.for_patch(sheet, False).title == PILLS_TITLE[lang]
        assert hc.for_patch(sheet, True).patch_title is None
