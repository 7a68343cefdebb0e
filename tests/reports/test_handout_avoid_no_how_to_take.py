"""A sheet that asks the patient to ask before the next dose whether to keep taking a medicine
(rated avoid or contraindicated for them) does not tell them how to keep taking it (uk17).

Before: ibuprofen at 33 weeks of pregnancy (Contraindicated in the clinician's table) printed,
under "Ask before your next dose", a "How to take it" section with "Take it with food or a glass
of milk", "Take the lowest dose that helps", "Stop when the pain eases" and "take that too".

Primary source: FDA Drug Safety Communication, 15 October 2020: "avoid use of NSAIDs in
pregnant women at 20 weeks or later in pregnancy"; the labels already advise against use from
30 weeks ("premature closure of the fetal ductus arteriosus"). The NHS ibuprofen page (uk
clinics) and the FDA NSAID Medication Guide give the warning signs the sheet keeps.

Now the dose section is headed "Before your next dose" and says whom to contact before another
dose; the warning signs (emergency help, stop and call) stay. A medicine the check does not
rate avoid keeps its how-to-take bullets (control).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))

HOW_TO = {"en": ["Take it with food or a glass of milk", "Take the lowest dose that helps",
                 "Stop when the pain eases", "take that too"],
          "es": ["Tómelo con comida", "Tome la dosis más baja", "Déjelo cuando el dolor se calme",
                 "para proteger el estómago, tómela"]}
CONTACT = {"en": "Before you take another dose, call Clinic on 555 or the doctor who prescribed it, and ask what to do.",
           "es": "Antes de tomar otra dosis, llame a Clinic al 555 o al médico que se lo recetó, y pregunte qué hacer."}
HEADING = {"en": "Before your next dose", "es": "Antes de su próxima dosis"}
STOP_HEADING = {"en": "Your dose", "es": "Su dosis"}
STOP_CONTACT = {"en": "Call Clinic on 555 or the doctor who prescribed it to talk about another option.",
                "es": "Llame a Clinic al 555 o al médico que se lo recetó para hablar de otra opción."}
HOW_HEADING = {"en": "How to take it", "es": "Cómo tomarlo"}
SIGNS = {"en": ["You vomit blood.", "Stop the pills and call Clinic on 555 straight away"],
         "es": ["Vomita sangre.", "llame a Clinic al 555"]}


def _case(weeks=None, meds=(("ibuprofen", 1200),), sex="female"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1994-01-01", sex=sex, weight_kg=70)
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    d["visit_date"] = AS_OF.isoformat()
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.8, "unit": "mg/dL"}}
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    return parse_case(d)


def _sheet(c, sheet_id, lang, country="us"):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet_id])
    req = __import__("dataclasses").replace(req, country=country)
    return h.filled_sheets(req)[0]


@pytest.mark.parametrize("country", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [30, 33])
def test_a_contraindicated_nsaid_sheet_says_whom_to_contact_not_how_to_keep_taking_it(weeks, lang, country):
    """Since opi18 (gp17 F7) a contraindicated NSAID is "Do not take it" (it is safe to stop at
    once; MHRA: discontinue NSAIDs in the last trimester), headed so, and the contact bullet is to
    talk about another option, not "before you take another dose"."""
    sheet = _sheet(_case(weeks), "med_nsaid", lang, country)
    text = " ".join(hc.plain_text(sheet).split())
    for words in HOW_TO[lang]:
        assert words not in text, words
    headings = [s.heading for s in sheet.sections]
    assert HOW_HEADING[lang] not in headings and STOP_HEADING[lang] in headings
    dose = next(s for s in sheet.sections if s.heading == STOP_HEADING[lang])
    assert dose.bullets[0] == STOP_CONTACT[lang]
    if lang == "en" and country == "us":
        for words in SIGNS[lang]:
            assert words in text  # the warning signs stay
    assert h.LABELS[lang]["stop"] in headings and h.LABELS[lang]["avoid"] not in headings


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_avoid_interaction_drops_the_how_to_take_bullets_too(lang):
    """NSAID class labelling: an NSAID with an anticoagulant (apixaban) raises serious bleeding:
    rated avoid, so the ibuprofen sheet asks first and gives no how-to-take bullets."""
    c = _case(None, (("ibuprofen", 1200), ("apixaban", 10)), sex="male")
    text = " ".join(hc.plain_text(_sheet(c, "med_nsaid", lang)).split())
    assert CONTACT[lang] in text
    for words in HOW_TO[lang]:
        assert words not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [None, 19])
def test_an_nsaid_not_rated_avoid_keeps_how_to_take_it(weeks, lang):
    """Control: not pregnant, or 19 weeks (below the FDA's 20 weeks): the how-to bullets stay."""
    sheet = _sheet(_case(weeks, sex="male" if weeks is None else "female"), "med_nsaid", lang)
    text = " ".join(hc.plain_text(sheet).split())
    assert all(words in text for words in HOW_TO[lang])
    assert CONTACT[lang] not in text
    assert HOW_HEADING[lang] in [s.heading for s in sheet.sections]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_acetaminophen_sheet_keeps_its_how_to_take_bullets_for_a_patient_taking_it(lang):
    sheet = _sheet(_case(None, (("acetaminophen", 3000),), sex="male"), "med_acetaminophen", lang)
    text = " ".join(hc.plain_text(sheet).split())
    assert ("Leave at least 4 hours between doses." if lang == "en"
            else "Deje por lo menos 4 horas entre una toma y otra.") in text
