"""typed35 (GP tryout N1; H-MED-718): a patient sheet never states as fact a typed daily dose the medicine check asks
about. "oxycodone 20mg 3 x 4" with 40 mg a day typed (the name says 12 tablets a day, 240 mg, either way): the opioid
sheet's box said "You take oxycodone 20mg (40 mg a day in all)" under "Ask your prescriber to review your opioid dose",
and under the Avoid box of the opioid with diazepam. It now says "(the dose in your record needs checking)" ("(hay que revisar la dosis anotada en su historia)"), in English
and Spanish; the number shorthand is never printed (nxsheet34). Boundary: a typed dose that agrees with the name (240)
is printed as the patient's dose, as before."""

from __future__ import annotations

import pytest

from .test_handout_doses import case, sheet_text

OXY = "oxycodone 20mg 3 x 4"
NAME = {"en": "oxycodone 20mg", "es": "oxicodona 20mg"}
TO_CHECK = {"en": "You take oxycodone 20mg (the dose in your record needs checking).", "es": "Usted toma oxicodona 20mg (hay que revisar la dosis anotada en su historia)."}
AS_FACT = {"en": "40 mg a day", "es": "40 mg al día"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [[(OXY, 40)], [(OXY, 40), ("diazepam 5mg", 10)]], ids=["alone", "with-diazepam"])
def test_a_typed_dose_the_name_contradicts_is_a_dose_to_check_on_the_sheet(lang, meds):
    text = sheet_text(case(meds=meds, tried=["opioid"]), "med_opioid", lang=lang)
    assert TO_CHECK[lang] in text
    assert AS_FACT[lang] not in text and "3 x 4" not in text


@pytest.mark.parametrize("lang, said", [("en", "You take oxycodone 20mg (240 mg a day in all)."),
                                        ("es", "Usted toma oxicodona 20mg (240 mg al día en total).")])
def test_a_typed_dose_that_agrees_with_the_name_is_still_her_dose(lang, said):
    text = sheet_text(case(meds=[(OXY, 240)], tried=["opioid"]), "med_opioid", lang=lang)
    assert said in text and "(the dose in your record needs checking)" not in text and "(hay que revisar la dosis anotada en su historia)" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_beside_another_product_the_doubted_dose_is_not_added_in(lang):
    # two oxycodone products: the one whose typed dose is doubted is "(the dose in your record needs checking)", the other keeps its own dose,
    # and no total adds the doubted 40 mg in (40 + 20 = 60 was never her dose)
    text = sheet_text(case(meds=[(OXY, 40), ("oxycontin 10mg", 20)], tried=["opioid"]), "med_opioid", lang=lang)
    assert {"en": "oxycodone 20mg (the dose in your record needs checking)", "es": "oxicodona 20mg (hay que revisar la dosis anotada en su historia)"}[lang] in text
    assert AS_FACT[lang] not in text and "60 mg" not in text
