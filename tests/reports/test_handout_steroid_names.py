"""The steroid sheet names the medicine the patient takes, never another steroid (rd13 D9,
H-MED-185's neighbour: README "Handouts name the medicine the patient takes and never another
of its class").

Prednisone and prednisolone are different products (UK patients get prednisolone); a patient
who reads another name may think it is a second medicine. So, for EVERY member of the medicine
data's systemic corticosteroid class (read from the data, not listed here), recorded by its
generic name or by a brand the data knows, en and es, US and UK profile: every patient-facing
line of the printed sheet (title, text, Sources line) names no other member, and the sheet
names the recorded medicine (the brand in brackets where the record has one).
"""

from __future__ import annotations

import re

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from .test_handout_steroid_class_caution import AS_OF, ES_NAMES, STEROID, case

CLASS = "systemic_corticosteroid"


def steroids() -> tuple[str, ...]:
    return tuple(sorted(load_medicine_data().class_members[CLASS]))


def brands() -> dict[str, str]:
    """Each one-word brand the data's synonyms map to exactly one steroid: brand -> generic. A Spanish generic name
    (readers31: "prednisona" is prednisone's synonym) is no brand: the Spanish sheet says it as the generic."""
    members = set(steroids())
    spanish = set(ES_NAMES.values())
    return {b: g[0] for b, g in load_medicine_data().synonyms.items()
            if len(g) == 1 and g[0] in members and b not in members and b not in spanish and " " not in b}


def name_in(lang: str, generic: str) -> str:
    return generic if lang == "en" else ES_NAMES[generic]


def printed(meds, lang: str, profile: str = "us") -> str:
    c = case(meds, prolonged="yes")
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, profile=profile)
    (sheet,) = [s for s in h.filled_sheets(req) if s.id == STEROID]
    return " ".join((hc.plain_text(sheet) + "\n" + ", ".join(hc.printed_sources(sheet, lang))).split())


def others_named(text: str, lang: str, own: str) -> list[str]:
    return [g for g in steroids() if g != own
            and re.search(rf"(?<![\w-]){re.escape(name_in(lang, g))}(?![\w-])", text, re.IGNORECASE)]


def test_the_class_has_the_steroids_of_the_finding():
    assert {"prednisone", "prednisolone", "dexamethasone", "methylprednisolone", "hydrocortisone"} <= set(steroids())


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("generic", steroids())
def test_a_steroid_taken_now_is_the_only_steroid_the_sheet_names(generic, lang, profile):
    text = printed([(generic, 5)], lang, profile)
    own = name_in(lang, generic)
    assert re.search(rf"(?<![\w-]){re.escape(own)}(?![\w-])", text, re.IGNORECASE), (generic, lang)
    assert f"This sheet is about {own}." in text if lang == "en" else f"trata de su medicación: {own}." in text
    assert others_named(text, lang, generic) == [], (generic, lang, profile)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("brand", sorted(brands()))
def test_a_brand_is_named_in_brackets_after_its_generic_and_no_other_steroid(brand, lang):
    generic = brands()[brand]
    text = printed([(f"{brand} 4mg", 8)], lang)
    # the brand as its maker prints it (sht24: "(Medrol)", "(Depo-Medrol)"; resources/medicines/display_names.toml)
    assert f"{name_in(lang, generic)} ({h.display_name(brand)})" in text, (brand, lang)
    assert others_named(text, lang, generic) == [], (brand, lang)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_new_course_names_the_medicine_of_its_dose(lang):
    c = case([], tried=("oral_corticosteroid",))
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=(*h.GENERAL_SHEETS, STEROID))
    (sheet,) = [s for s in h.filled_sheets(req) if s.id == STEROID]
    text = " ".join(hc.plain_text(sheet).split())
    dose = req.doses["oral_corticosteroid"]
    assert dose.medicine == name_in(lang, "prednisone") and dose.dose_range.startswith(dose.medicine)
    assert (f"about {dose.medicine}." if lang == "en" else f"medicación: {dose.medicine}.") in text
    assert others_named(text, lang, "prednisone") == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_with_two_steroids_taken_the_sheet_names_both_and_each_dose(lang):
    """hd16: a patient taking prednisolone and dexamethasone got a sheet naming prednisolone
    alone ("keep taking prednisolone 5 mg a day"): the dexamethasone was not on the sheet they
    were told to follow. Both are named, each with its dose, and "do not stop it suddenly"
    (the labels: withdraw gradually) stays, "them" for the two (wording30)."""
    c = case([("prednisolone", 5), ("dexamethasone", 2)], prolonged="yes")
    dose = h.doses_from_engine(c, AS_OF, lang=lang)["oral_corticosteroid"]
    pred, dexa = name_in(lang, "prednisolone"), name_in(lang, "dexamethasone")
    and_ = " and " if lang == "en" else " y "
    assert dose.medicine == f"{pred}{and_}{dexa}"
    assert pred in dose.dose_range and dexa in dose.dose_range
    assert ("5 mg a day" if lang == "en" else "5 mg al día") in dose.dose_range
    assert ("2 mg a day" if lang == "en" else "2 mg al día") in dose.dose_range
    assert "prednisolone" in dose.taken_now and "dexamethasone" in dose.taken_now
    text = printed([("prednisolone", 5), ("dexamethasone", 2)], lang)
    assert (f"This sheet is about {pred} and {dexa}." if lang == "en"
            else f"Esta hoja trata de su medicación: {pred} y {dexa}.") in text
    # two steroids: "them" (wording30)
    assert ("Do not stop them suddenly" if lang == "en" else "No los deje de golpe") in text
    assert others_named(text, lang, "prednisolone") == ["dexamethasone"]  # and no third steroid


def test_two_products_of_one_steroid_name_it_once():
    c = case([("prednisolone", 5), ("prednisolone 5mg", 5)], prolonged="yes")
    dose = h.doses_from_engine(c, AS_OF)["oral_corticosteroid"]
    assert dose.medicine == "prednisolone"


def test_a_sheet_asking_for_a_medicine_name_the_dose_lacks_is_refused_not_printed_blank():
    req = h.HandoutRequest(patient_name="Ana", clinician="Dr Demo", clinic_name="C", clinic_contact="555",
                           date=AS_OF, next_follow_up_date=AS_OF, sheets=(STEROID,),
                           doses={"oral_corticosteroid": h.MedicineDose("prednisone 60 mg a day", "60 mg")})
    with pytest.raises(h.UserError, match="medicine"):
        h.filled_sheets(req)
