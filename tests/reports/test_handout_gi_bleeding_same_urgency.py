"""Signs of bleeding in the stomach get the same words and the same urgency on the steroid
sheet as on the NSAID sheet (hd16).

Before: the NSAID sheet said to call "straight away, do not wait" (else NHS 111 or the emergency
department) for vomiting blood or black stools, the steroid sheet "Call ... the same day". A
patient taking both read two answers to one emergency; a steroid patient could wait hours.

The primary sources give one urgency for these signs:
- NHS, "Ibuprofen for adults" (a UK clinic): "Stop taking ibuprofen and call a doctor or call 111
  straight away if: you get black poo or blood in your vomit - these can be signs of bleeding in
  your stomach". [unverified: quoted from several pages quoting the nhs.uk page; the page itself
  was not readable through the search tool, 2026-11-30]
- UK prednisolone patient leaflet (read through a pharmacy's copy, 2026-11-30): "Stop taking your
  medicine and see a doctor or go to a hospital straight away if: ... You pass black tarry stools
  or notice fresh or clotted blood in your stools ... coffee grounds in your vomit. These could be
  signs of a stomach ulcer". [unverified: not the eMC/MHRA copy]
- FDA Medication Guide for NSAIDs (any other clinic): "Stop taking your NSAID and call your
  healthcare provider right away if you get any of the following symptoms: ... vomit blood;
  there is blood in your bowel movement or it is black and sticky like tar". [unverified: the
  DailyMed Guide was found, its lists not readable through the search tool]

So, for every clinic country and both languages, each sign is in a box (important) whose lead
says "straight away" / "enseguida" and gives the fallback of that country (NHS 111 for the UK,
the emergency department elsewhere), in the NSAID sheet's exact words, and nowhere under "the
same day". The steroid box does not say "stop the pills": steroid pills taken for weeks must not
be stopped suddenly (BNF; the steroid sheet says so).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.emergency import COUNTRIES
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

#: the bleeding signs, as the sheets word them for each source (en, es)
UK_SIGNS = {"en": ("You vomit blood.", "Your poo is black. It can mean bleeding in your stomach."),
            "es": ("Vomita sangre.", "Sus heces son negras. Puede ser un sangrado del estómago.")}
FDA_SIGNS = {"en": ("You vomit blood.", "Blood in your stools (poop), or black stools that are sticky like tar."),
             "es": ("Vomita sangre.", "Sangre en las heces, o heces negras y pegajosas como el alquitrán.")}
SIGNS = {c: (UK_SIGNS if c == "uk" else FDA_SIGNS) for c in COUNTRIES}
STRAIGHT_AWAY = {"en": "straight away", "es": "enseguida"}
SAME_DAY = {"en": "the same day", "es": "el mismo día"}
FALLBACK = {"uk": {"en": "111", "es": "111"}} | {
    c: {"en": "go to the emergency department", "es": "vaya a urgencias"} for c in COUNTRIES if c != "uk"}
#: words for a bleed the sheets used before, in any wording (kept out of every other box)
BLEED_WORDS = {"en": ("vomit blood", "black"), "es": ("vomita sangre", "negras")}


def printed(country: str, lang: str) -> dict[str, hc.HandoutSheet]:
    req = h.HandoutRequest(patient_name="Ana", clinician="Dr Demo", clinic_name="Riverside", clinic_contact="555 0100",
                           date=dt.date(2026, 11, 30), next_follow_up_date=dt.date(2026, 12, 14), lang=lang,
                           sheets=("med_nsaid", "med_oral_steroid"), country=country,
                           doses={"nsaid": h.MedicineDose("ibuprofen 400 mg three times a day", "3200 mg",
                                                          medicine="ibuprofen"),
                                  "oral_corticosteroid": h.MedicineDose("prednisone 60 mg a day", "60 mg",
                                                                        medicine="prednisone")})
    return {s.id: s for s in h.filled_sheets(req)}


def boxes_with(sheet: hc.HandoutSheet, sign: str) -> list[hc.HandoutSection]:
    return [s for s in sheet.sections if sign in s.bullets]


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_each_bleeding_sign_has_the_same_words_and_urgency_on_both_sheets(country, lang):
    sheets = printed(country, lang)
    for sign in SIGNS[country][lang]:
        for sheet_id, sheet in sheets.items():
            found = boxes_with(sheet, sign)
            assert len(found) == 1, (country, lang, sheet_id, sign)
            (box,) = found
            lead = " ".join(box.paragraphs)
            assert box.important, (sheet_id, sign)
            assert STRAIGHT_AWAY[lang] in lead and SAME_DAY[lang] not in lead, (country, lang, sheet_id, lead)
            assert FALLBACK[country][lang] in lead, (country, lang, sheet_id, lead)


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_no_same_day_box_of_the_steroid_sheet_mentions_a_bleed(country, lang):
    steroid = printed(country, lang)["med_oral_steroid"]
    for section in steroid.sections:
        if SAME_DAY[lang] in " ".join(section.paragraphs).lower():
            text = " ".join(section.bullets).lower()
            assert not any(w in text for w in BLEED_WORDS[lang]), (country, lang, section.heading, text)


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_the_steroid_box_does_not_tell_the_patient_to_stop_the_pills(country, lang):
    steroid = printed(country, lang)["med_oral_steroid"]
    (box,) = boxes_with(steroid, SIGNS[country][lang][0])
    lead = " ".join(box.paragraphs).lower()
    assert ("stop" not in lead) if lang == "en" else ("deje" not in lead), lead


@pytest.mark.parametrize("lang", hc.LANGUAGES)
def test_the_steroid_sheet_cites_the_sources_of_the_placement(lang):
    assert {"nhs-ibuprofen", "fda-nsaid-medguide"} <= set(hc.load_sheet("med_oral_steroid", lang).sources)
