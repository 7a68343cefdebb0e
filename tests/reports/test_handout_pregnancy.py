"""The medicine sheet of a pregnant patient who takes the medicine now (rd13 D1).

From the sources:
- US opioid analgesic labels (e.g. codeine sulfate, oxycodone), boxed warning "Neonatal
  Opioid Withdrawal Syndrome": prolonged use during pregnancy can result in neonatal opioid
  withdrawal syndrome; advise the patient of the risk.
- UKTIS "Codeine" leaflet (medicinesinpregnancy.org, August 2022): if you are using codeine
  long-term, do not stop taking it or change the dose without speaking to a healthcare
  professional. FDA 19 April 2019: no abrupt discontinuation of opioids.
- Neurontin label (pregnancy: use only if the benefit justifies the risk; discontinue
  gradually): "do not stop it suddenly" for the tapered classes.

The sheet for a medicine taken now whose medicine check carries a pregnancy warning (caution or
worse) says first, in a box, that she is pregnant and to tell her maternity team she takes it;
an informational pregnancy note (acetaminophen: the usual analgesic in pregnancy) adds no box,
and nothing is said to a patient who is not pregnant.
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

AS_OF = dt.date(2026, 11, 30)
BASE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
NOWS_EN = "can cause withdrawal symptoms in your baby after birth"
NOWS_ES = "puede causar síntomas de abstinencia en su bebé después de nacer"


def case(meds, weeks=24):
    d = copy.deepcopy(BASE)
    d["patient"]["pregnancy_weeks"] = weeks
    if weeks is None:
        del d["patient"]["pregnancy_weeks"]
    d["medicines"] = [{"name": n, "daily_dose_mg": dose} for n, dose in meds]
    return parse_case(d)


def sheet_of(c, sheet_id, lang="en"):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet_id])
    sheet = h.filled_sheets(req)[0]
    return sheet, " ".join(hc.plain_text(sheet).split()), req


def test_codeine_at_24_weeks_says_pregnant_first_in_a_box_en():
    sheet, text, req = sheet_of(case([("codeine 30mg", 120)]), "med_opioid")
    first = sheet.sections[0]
    assert first.important and first.heading == "You are pregnant"
    box = first.paragraphs[0]
    # 24 weeks at the intake (2026-11-19), one whole week more on the sheet's date (2026-11-30)
    assert "25 weeks pregnant" in box and NOWS_EN in box
    assert "Tell your midwife or maternity team that you take codeine 30mg." in box
    assert "Do not stop it suddenly" in box
    assert {"fda-opioid-nows", "uktis-codeine-2022"} <= set(sheet.sources)
    notes = " ".join(h.dose_notices(req))
    assert "pregnant: the medicine check warns" in notes and "neonatal opioid withdrawal" in notes
    assert "Pregnant (" in h.taken_now_note(req.doses)


def test_codeine_at_24_weeks_es():
    sheet, text, _ = sheet_of(case([("codeine 30mg", 120)]), "med_opioid", lang="es")
    first = sheet.sections[0]
    assert first.important and first.heading == "Está embarazada"
    box = first.paragraphs[0]
    assert "embarazada de 25 semanas" in box and NOWS_ES in box  # 24 at the intake, 11 days before
    assert "equipo de maternidad que toma codeína 30mg" in box and "No lo deje de golpe" in box
    assert "You are" not in text


def test_not_pregnant_no_box():
    sheet, text, req = sheet_of(case([("codeine 30mg", 120)], weeks=None), "med_opioid")
    assert all(s.heading != "You are pregnant" for s in sheet.sections)
    assert "maternity" not in text and not any("pregnant:" in n for n in h.dose_notices(req))


def test_gabapentin_caution_box_without_the_opioid_sentence():
    sheet, text, _ = sheet_of(case([("gabapentin", 900)], weeks=10), "med_gabapentinoid")
    box = sheet.sections[0]
    # 10 weeks at the intake, 11 days before the sheet's date: 11 weeks on it
    assert box.heading == "You are pregnant" and "11 weeks pregnant" in box.paragraphs[0]
    assert NOWS_EN not in text and "Do not stop it suddenly" in box.paragraphs[0]


def test_acetaminophen_info_note_is_not_a_warning():
    # apap-pregnancy is "info": the usual analgesic in pregnancy, no box
    sheet, text, req = sheet_of(case([("acetaminophen", 2000)]), "med_acetaminophen")
    assert all(s.heading != "You are pregnant" for s in sheet.sections)
    assert not any("pregnant:" in n for n in h.dose_notices(req))


def test_opioid_not_taken_gets_no_box():
    # a sheet for a medicine not taken now gives the starting text; the box is for one taken now
    c = case([("acetaminophen", 2000)])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", sheets=["med_acetaminophen"])
    assert all(d.pregnancy_box is None for d in req.doses.values() if d.taken_now is None)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pregnancy_box_renders_to_pdf(tmp_path, lang):
    from tests.helpers.pdf_text import pdf_words  # noqa: PLC0415
    req = h.request_for_case(case([("codeine 30mg", 120)]), AS_OF, clinic_name="Clinic", clinic_contact="555",
                             lang=lang, sheets=["med_opioid"])
    out = tmp_path / "s.pdf"
    h.write_handout_pdf(req, out)
    text = pdf_words(out)
    assert (NOWS_EN if lang == "en" else NOWS_ES) in text


@pytest.mark.parametrize("lang, nows", [("en", NOWS_EN), ("es", NOWS_ES)])
def test_the_pregnancy_box_stays_when_two_products_are_taken_together(lang, nows):
    """gp17 F6: at 33 weeks on Tylenol #3 and Percocet (two opioids, two acetaminophen products),
    the opioid sheet had the "Two of your medicines should not be taken together" box and no
    "You are pregnant" box (neonatal opioid withdrawal: opioid labels' boxed warning)."""
    c = case([("co-codamol 30/500", 240), ("tylenol #3", 240)], weeks=32)
    sheet, text, req = sheet_of(c, "med_opioid", lang)
    dose = req.doses["opioid"]
    # the two products are said together: in their own box, or (codeine 480 mg a day, above its
    # maximum) in the "too high" box, which keeps the dose first (opi18)
    assert dose.together is not None
    assert dose.together_box is not None or (dose.above_max and (
        "should not be taken together" in dose.above_max or "no deben tomarse juntos" in dose.above_max
        or "same medicine" in dose.above_max or "mismo medicamento" in dose.above_max))
    assert dose.pregnancy_box is not None and nows in text
