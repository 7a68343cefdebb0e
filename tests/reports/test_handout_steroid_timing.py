"""The steroid sheet's timing line and the steroid emergency card (red-team rt14 F9; H-MED-201).

From the sources:
- NHS medicines, "How and when to take prednisolone": unless the doctor or pharmacist gives
  different instructions, best taken as a single dose once a day, with breakfast; in the
  morning it is less likely to affect sleep. So a new prednisone course keeps "Take it in the
  morning with breakfast".
- Cortef (hydrocortisone) label and the hydrocortisone SmPC: replacement doses are divided
  (about 2/3 in the morning and 1/3 in the early evening). So a steroid taken now is never told
  "in the morning with breakfast": "take it at the times your prescriber told you".
- NHS National Patient Safety Alert NatPSA/2020/005 (Steroid Emergency Card): patients on
  oral steroids for other conditions may become steroid dependent; eligible patients are given a
  Steroid Emergency Card, checked before emergency treatment or surgery. So a patient taking
  steroid pills now is asked whether they need one; a new 15-day course is not.
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
MORNING = {"en": "Take it in the morning with breakfast.", "es": "Tómela por la mañana, con el desayuno."}
TIMES = {"en": "Take it at the times your prescriber told you. Do not change the times on your own.",
         "es": "Tómela a las horas que le indicó su profesional. No cambie las horas por su cuenta."}
CARD = {"en": "ask your clinician whether you need a steroid emergency card",
        "es": "pregunte a su profesional si necesita una tarjeta de emergencia de corticoides"}


def _text(meds, lang):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    req = h.request_for_case(parse_case(d), AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=["med_oral_steroid"])
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [[("hydrocortisone", 20)], [("prednisolone", 5)], [("dexamethasone", 2)],
                                  [("Medrol", 4)], [("prednisone", 61)]])
def test_a_steroid_taken_now_follows_its_prescription_and_is_asked_about_the_card(lang, meds):
    text = _text(meds, lang)
    assert TIMES[lang] in text
    assert MORNING[lang] not in text
    assert CARD[lang] in text
    assert text.count(TIMES[lang]) == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_new_course_keeps_the_morning_line_and_no_card_or_times_line(lang):
    text = _text([], lang)
    assert MORNING[lang] in text
    assert TIMES[lang] not in text and CARD[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_steroid_dose_to_check_also_follows_the_prescription(lang):
    """Dexamethasone 99999 mg a day (the "check your dose" box, rt14 F1) is still taken now:
    no morning line; the times line and the card question stay."""
    text = _text([("dexamethasone", 99999)], lang)
    assert MORNING[lang] not in text and TIMES[lang] in text and CARD[lang] in text


def test_the_taken_now_lines_are_in_both_languages_and_cite_their_sources():
    for lang in ("en", "es"):
        sheet = hc.load_sheet("med_oral_steroid", lang)
        how = next(s for s in sheet.sections if s.taken_now)
        assert len(how.taken_now) == 2
        assert {"nhs-prednisolone", "nhs-steroid-card-2020"} <= set(sheet.sources)
