"""Where the NSAID sheet sends each warning sign: the primary source of the clinic's country
(rd13 D22, H-MED-185). The sign lists below are the SOURCES' lists, not the sheet's:

NHS, "Ibuprofen for adults" (nhs.uk/medicines; a UK clinic). [unverified: quoted from several
pages that quote the NHS page; the nhs.uk page itself was not readable through the search tool]
- "Call 999 or go to A&E if": severe chest or stomach pain (a hole in your stomach or gut);
  difficulty breathing or asthma symptoms get worse; lips, mouth, throat or tongue suddenly
  swelling (anaphylaxis).
- "Stop taking ibuprofen and call a doctor or call 111 straight away if": black poo or blood in
  your vomit (bleeding in your stomach); blood in your pee, swollen ankles, not peeing or peeing
  less (kidney problems).

FDA Medication Guide for NSAIDs (any other clinic). [unverified: the DailyMed Guide was found,
its symptom lists not readable through the search tool; the lists as recalled]
- "Get emergency help right away if you get any of the following symptoms": shortness of
  breath or trouble breathing; chest pain; weakness in one part or side of your body; slurred
  speech; swelling of the face or throat.
- "Stop taking your NSAID and call your healthcare provider right away if you get any of the
  following symptoms": ... indigestion or stomach pain ... vomit blood; there is blood in your
  bowel movement or it is black and sticky like tar; unusual weight gain; ... swelling of the
  arms, legs, hands and feet.

Each sign is looked for in the PRINTED sheet (filled for the clinic's country), en and es: in
the emergency box (with the emergency number) or the "straight away" box, and nowhere else;
never "the same day".
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.emergency import COUNTRIES, emergency_words
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

EMERGENCY = {"en": "Get emergency help now if", "es": "Pida ayuda urgente ahora si"}
STRAIGHT_AWAY = {"en": "Stop taking it and call us straight away if", "es": "Deje de tomarlo y llámenos enseguida si"}

#: (the source's words for the sign, the sheet's words en, es)
NHS_999 = [
    ("severe chest pain", "Bad pain in your chest", "Un dolor fuerte en el pecho"),
    ("severe stomach pain (a hole in your stomach or gut)", "or your stomach", "o en el estómago"),
    ("difficulty breathing or asthma symptoms get worse", "hard to breathe, or your asthma gets worse",
     "Le cuesta respirar, o su asma empeora"),
    ("lips, mouth, throat or tongue suddenly swelling", "Your lips, mouth, throat or tongue swell",
     "los labios, la boca, la garganta o la lengua"),
]
NHS_111 = [
    ("blood in your vomit", "You vomit blood", "Vomita sangre"),
    ("black poo", "Your poo is black", "Sus heces son negras"),
    ("blood in your pee", "blood in your pee", "sangre en la orina"),
    ("not peeing or peeing less", "you pee much less than normal, or not at all", "orina mucho menos de lo normal, o nada"),
    ("swollen ankles", "Your ankles swell", "se le hinchan los tobillos"),
]
FDA_EMERGENCY = [
    ("chest pain", "Chest pain", "Dolor en el pecho"),
    ("shortness of breath or trouble breathing", "short of breath or find it hard to breathe",
     "Le falta el aire o le cuesta respirar"),
    ("weakness in one part or side of your body", "One part or one side of your body goes weak",
     "Una parte o un lado del cuerpo se le queda débil"),
    ("slurred speech", "your speech is slurred", "le cuesta hablar con claridad"),
    ("swelling of the face or throat", "Your face or throat swells", "Se le hincha la cara o la garganta"),
]
FDA_RIGHT_AWAY = [
    ("vomit blood", "You vomit blood", "Vomita sangre"),
    ("blood in your bowel movement", "Blood in your stools", "Sangre en las heces"),
    ("black and sticky like tar", "black stools that are sticky like tar", "heces negras y pegajosas como el alquitrán"),
    ("indigestion or stomach pain", "Stomach pain or indigestion", "Dolor de estómago o indigestión"),
    ("unusual weight gain", "You gain weight for no clear reason", "Gana peso sin una razón clara"),
    ("swelling of the arms, legs, hands and feet", "your arms, legs, hands or feet swell",
     "se le hinchan los brazos, las piernas, las manos o los pies"),
]
PLACEMENT = {"uk": (NHS_999, NHS_111)} | {c: (FDA_EMERGENCY, FDA_RIGHT_AWAY) for c in COUNTRIES if c != "uk"}


def printed_sheet(country: str, lang: str) -> hc.HandoutSheet:
    req = h.HandoutRequest(patient_name="Ana", clinician="Dr Demo", clinic_name="Riverside", clinic_contact="555 0100",
                           date=dt.date(2026, 11, 30), next_follow_up_date=dt.date(2026, 12, 14), lang=lang,
                           sheets=("med_nsaid",), country=country,
                           doses={"nsaid": h.MedicineDose("ibuprofen 400 mg three times a day", "3200 mg", medicine="ibuprofen")})
    (sheet,) = h.filled_sheets(req)
    return sheet


def box(sheet: hc.HandoutSheet, heading: str) -> hc.HandoutSection:
    (section,) = [s for s in sheet.sections if s.heading == heading]
    return section


def low(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_each_sign_is_in_the_box_its_source_puts_it_in_and_nowhere_else(country, lang):
    sheet = printed_sheet(country, lang)
    col = 1 if lang == "en" else 2
    emergency, straight = box(sheet, EMERGENCY[lang]), box(sheet, STRAIGHT_AWAY[lang])
    emergency_text, straight_text = low(" ".join(emergency.bullets)), low(" ".join(straight.bullets))
    now_signs, call_signs = PLACEMENT[country]
    for sign in now_signs:
        assert low(sign[col]) in emergency_text, (country, lang, sign[0])
        assert low(sign[col]) not in straight_text, (country, lang, sign[0])
    for sign in call_signs:
        assert low(sign[col]) in straight_text, (country, lang, sign[0])
        assert low(sign[col]) not in emergency_text, (country, lang, sign[0])


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_the_emergency_box_gives_the_emergency_number_and_the_call_box_never_says_the_same_day(country, lang):
    sheet = printed_sheet(country, lang)
    number = emergency_words(COUNTRIES[country], lang)["emergency_number"]
    emergency, straight = box(sheet, EMERGENCY[lang]), box(sheet, STRAIGHT_AWAY[lang])
    assert emergency.important and straight.important
    assert number in " ".join(emergency.paragraphs)
    lead = low(" ".join(straight.paragraphs))
    assert ("straight away" if lang == "en" else "enseguida") in lead
    assert ("the same day" if lang == "en" else "el mismo día") not in low(" ".join(hc.plain_text(sheet).split()))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_uk_call_box_falls_back_to_nhs_111_as_the_nhs_page_says(lang):
    lead = " ".join(box(printed_sheet("uk", lang), STRAIGHT_AWAY[lang]).paragraphs)
    assert "111" in lead


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_one_emergency_box_and_one_call_box_per_country(country, lang):
    headings = [s.heading for s in printed_sheet(country, lang).sections]
    assert headings.count(EMERGENCY[lang]) == 1 and headings.count(STRAIGHT_AWAY[lang]) == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_nsaid_sheet_cites_the_medication_guide_and_the_nhs(lang):
    assert {"fda-nsaid-medguide", "nhs-ibuprofen"} <= set(hc.load_sheet("med_nsaid", lang).sources)


def test_a_section_for_an_unknown_country_is_refused_when_the_sheet_loads():
    data = {"id": "x", "title": "T", "audience": "patient", "lang": "en", "reviewed": dt.date(2026, 11, 30),
            "sources": ["nice-ng59"], "sections": [{"heading": "H", "paragraphs": ["P."], "countries": ["mars"]}]}
    with pytest.raises(hc.HandoutFormatError, match="unknown country code.*mars"):
        hc.parse_sheet(data)


def test_a_section_without_countries_is_printed_for_every_country():
    sheet = hc.parse_sheet({"id": "x", "title": "T", "audience": "patient", "lang": "en",
                            "reviewed": dt.date(2026, 11, 30), "sources": ["nice-ng59"],
                            "sections": [{"heading": "All", "paragraphs": ["P."]},
                                         {"heading": "UK", "paragraphs": ["P."], "countries": ["uk"]}]})
    assert [s.heading for s in hc.for_country(sheet, "uk").sections] == ["All", "UK"]
    assert [s.heading for s in hc.for_country(sheet, "us").sections] == ["All"]
    assert [s.heading for s in hc.for_country(sheet, "nowhere").sections] == ["All"]
