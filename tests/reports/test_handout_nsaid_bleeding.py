"""Where the NSAID sheet sends the signs of a stomach bleed or a perforation (rd13 D22).

From the sources:
- NHS, "Ibuprofen for adults" (nhs.uk/medicines): call 999 or go to A&E for severe chest or
  stomach pain (it can be a hole in the stomach or gut); stop and call a doctor or 111 straight
  away for black poo or blood in the vomit (bleeding in the stomach).
- FDA Medication Guide for NSAIDs: get emergency help right away for shortness of breath or
  trouble breathing, chest pain, swelling of the face or throat; stop the NSAID and call the
  healthcare provider right away for vomiting blood or black, tarry stools.

So: severe stomach pain, chest pain, breathing and swelling of the face or throat are in the
emergency box (with the emergency number); vomiting blood and black stools are "straight
away", never "the same day". The test reads the sections from the content data.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc

WORDS = {
    "en": {"stomach": "Bad stomach pain", "chest": "Chest pain", "breathe": "hard to breathe",
           "swell": "throat swell", "vomit": "You vomit blood", "stools": "Black, sticky stools",
           "same_day": "the same day", "now": "straight away"},
    "es": {"stomach": "dolor fuerte de estómago", "chest": "Dolor en el pecho", "breathe": "le cuesta respirar",
           "swell": "la garganta", "vomit": "Vomita sangre", "stools": "Heces negras",
           "same_day": "el mismo día", "now": "enseguida"},
}


def _section_of(sheet, words: str):
    return next(s for s in sheet.sections if any(words in b for b in (*s.paragraphs, *s.bullets, *s.after)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_perforation_and_anaphylaxis_signs_are_in_the_emergency_box(lang):
    sheet = hc.load_sheet("med_nsaid", lang)
    w = WORDS[lang]
    for key in ("stomach", "chest", "breathe", "swell"):
        section = _section_of(sheet, w[key])
        assert section.important
        assert any("{emergency_number}" in p for p in section.paragraphs), key


@pytest.mark.parametrize("lang", ["en", "es"])
def test_bleeding_signs_are_straight_away_never_the_same_day(lang):
    sheet = hc.load_sheet("med_nsaid", lang)
    w = WORDS[lang]
    for key in ("vomit", "stools"):
        section = _section_of(sheet, w[key])
        lead = " ".join(section.paragraphs)
        assert section.important and w["now"] in lead and w["same_day"] not in lead, key
    assert not any(w["same_day"] in t for s in sheet.sections for t in (*s.paragraphs, *s.after))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_nsaid_sheet_cites_the_medication_guide_and_the_nhs(lang):
    assert {"fda-nsaid-medguide", "nhs-ibuprofen"} <= set(hc.load_sheet("med_nsaid", lang).sources)
