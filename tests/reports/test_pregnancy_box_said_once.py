"""An NSAID sheet asked about (20-29 weeks) or stopped (from 30 weeks; uk from 28) for the pregnancy
alone says the question and its reason once, in one box (gp20 F13; rt22 F12 second half; H-MED-395).

Before: at 31 weeks a "You are pregnant ... Do not take it. Your clinician will talk to you about
another option." box was followed by a "Do not take it" box repeating the same sentence and the
same reason; at 20-29 weeks the pregnancy box said "Ask your clinician whether to keep taking it"
with no reason, and the next box asked the same with the reason.

Now: one box. "Do not take it" carries the pregnancy box's words (weeks, why, midwife, "Do not take
it. Your clinician will talk to you about another option."); the box that asks is opened by the
weeks and "Tell your midwife ..." and gives its reason once. A box that asks for another reason too (diazepam
with an opioid) keeps the pregnancy box apart.

Primary sources: FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020): "avoid
use of NSAIDs in pregnant women at 20 weeks or later in pregnancy"; MHRA Drug Safety Update, June
2023 (gov.uk, re-read 2026-12-01 with the search tool): "systemic (oral and injectable) NSAIDs are
contraindicated during the last trimester (after 28 weeks) of pregnancy due to the risk of
premature closure of the ductus arteriosus and renal dysfunction in the fetus". The FDA text is as
the product's data quotes it (not re-read here).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.helpers.nsaid_pregnancy_words import VAGUE, WHY_20
from tests.reports.test_contraindicated_words_agree import AS_OF, case

STOP = {"en": "Do not take it. Your clinician will talk to you about another option.",
        "es": "No lo tome. Su profesional hablará con usted de otra opción."}
ASK = {"en": "Ask your clinician whether to keep taking it.", "es": "Pregunte a su profesional si debe seguir tomándolo."}
MIDWIFE = {"en": "Tell your midwife or maternity team", "es": "Dígale a su matrona"}


def _sheet(meds, weeks, lang, profile, sheet_id="med_nsaid"):
    req = h.request_for_case(case([(m, None) for m in meds], weeks), AS_OF, clinic_name="Clinic",
                             clinic_contact="555", lang=lang, sheets=[sheet_id], profile=profile)
    [sheet] = h.filled_sheets(req)
    return sheet


def _boxes(sheet):
    return [(s.heading, " ".join(" ".join(p.split()) for p in s.paragraphs)) for s in sheet.sections if s.important
            and s.heading not in ("Get emergency help now if", "Obtenga ayuda urgente ahora si")]


@pytest.mark.parametrize("profile, weeks", [("us", 30), ("us", 31), ("uk", 28), ("uk", 31)])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_do_not_take_it_is_one_box(lang, profile, weeks):
    sheet = _sheet(["ibuprofen 400mg tds"], weeks, lang, profile)
    first = sheet.sections[0]
    assert first.heading == h.LABELS[lang]["stop"]
    text = " ".join(" ".join(p.split()) for p in first.paragraphs)
    assert text.startswith(("You are %d weeks pregnant." if lang == "en" else "Está embarazada de %d semanas.") % weeks)
    assert MIDWIFE[lang] in text
    assert all(s.heading != h.LABELS[lang]["pregnant"] for s in sheet.sections)
    whole = " ".join(hc.plain_text(sheet).split())
    assert whole.count("unborn baby" if lang == "en" else "bebé antes de nacer") == 1  # the reason, once
    assert whole.count(STOP[lang]) == 1  # "Do not take it. Your clinician will talk ..." once


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks", [20, 25, 27])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_20_to_27_weeks_asks_once_with_its_reason(lang, weeks, profile):
    sheet = _sheet(["ibuprofen 400mg tds"], weeks, lang, profile)
    first = sheet.sections[0]
    assert first.heading == h.LABELS[lang]["avoid"]
    whole = " ".join(hc.plain_text(sheet).split())
    assert whole.count(WHY_20[(lang, profile)]) == 1  # the FDA's / MHRA's reason (handout29), once
    assert VAGUE[lang] not in whole
    assert ASK[lang] not in whole  # the pregnancy box's question without a reason is gone
    assert MIDWIFE[lang] in " ".join(first.paragraphs)
    assert all(s.heading != h.LABELS[lang]["pregnant"] for s in sheet.sections)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_19_weeks_keeps_its_pregnancy_box_that_asks(lang):
    """Boundary: below 20 weeks nothing is rated Avoid: the pregnancy box asks, no second box."""
    sheet = _sheet(["ibuprofen 400mg tds"], 19, lang, "us")
    assert sheet.sections[0].heading == h.LABELS[lang]["pregnant"]
    assert ASK[lang] in " ".join(sheet.sections[0].paragraphs)


def test_us_29_weeks_asks_and_30_stops():
    assert _sheet(["ibuprofen 400mg tds"], 29, "en", "us").sections[0].heading == "Ask before your next dose"
    assert _sheet(["ibuprofen 400mg tds"], 30, "en", "us").sections[0].heading == "Do not take it"


def test_an_opioid_asked_about_for_another_medicine_keeps_its_own_pregnancy_box():
    sheet = _sheet(["oxycodone 10mg bd", "diazepam 5mg tds"], 25, "en", "us", "med_opioid")
    headings = [s.heading for s in sheet.sections]
    assert headings[:2] == ["You are pregnant", "Ask before your next dose"]
    assert "withdrawal symptoms in your baby" in " ".join(sheet.sections[0].paragraphs)
