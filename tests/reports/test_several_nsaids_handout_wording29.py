"""wording29: the NSAID sheet of a patient taking three NSAIDs, or an NSAID with analgesic-dose aspirin,
as saved to PDF (en and es).

From the sources, not the code:
- US NSAID class labelling (Motrin, Celebrex prescribing information, Drug Interactions table;
  sources.toml nsaid-class-label): combined use of two NSAIDs, or an NSAID with salicylates, is not
  recommended. Two different NSAIDs are not "counted toward one daily maximum" (each label gives its own
  maximum and none allows adding another NSAID): they are not to be taken together at all. The box says
  so and asks which one to keep (H-MED-562).
- The box heading counts the products it names: "Two of your medicines" for two, never for three (H-UI-456).
- A box that also asks whether to keep taking them at all (an NSAID with apixaban: the apixaban label,
  NSAIDs increase bleeding) prints no how-to-take bullets ("Take it with food"), as a sheet that asks
  first (uk17; H-UI-458).
- Aspirin above 325 mg a day is an NSAID here (rules.toml [[dose_class]]: aspirin-uk-smpc 300-900 mg every
  four hours); its sheet asks about the patient's own aspirin, so the fixed line "Aspirin, unless a doctor
  told you to take a low dose for your heart" is not printed beside it. Low-dose aspirin (75 mg, an
  antiplatelet) is not on the NSAID sheet, so a naproxen patient keeps the line (H-UI-457)."""

from __future__ import annotations

import pytest

from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import case

THREE = [("ibuprofeno 600 mg 2 comprimidos tres veces al día", None), ("naproxen 500mg bd", None),
         ("Arthrotec 50 bd", None)]
TWO = [("naproxen 500mg bd", None), ("ibuprofen 400mg tds", None)]
APIXABAN = [("apixaban 5mg bd", None)]
WITH_ASPIRIN = [("naproxen 500mg bd", None), ("aspirin 600 mg four times a day", None)]

HEADING_TWO = {"en": "Two of your medicines should not be taken together",
               "es": "Dos de sus medicamentos no deben tomarse juntos"}
HEADING_SEVERAL = {"en": "Some of your medicines should not be taken together",
                   "es": "Algunos de sus medicamentos no deben tomarse juntos"}
ONE_MAXIMUM = {"en": "count toward one daily maximum", "es": "cuentan para un solo máximo al día"}
NOT_TOGETHER = {"en": "should not be taken together: taking them together does not help more and makes harm more "
                      "likely. Ask your clinician before your next dose which one to keep taking.",
                "es": "no deben tomarse juntos: tomarlos juntos no ayuda más y hace más probable que le hagan daño. "
                      "Pregunte a su profesional antes de su próxima dosis cuál debe seguir tomando."}
WITH_FOOD = {"en": "Take it with food", "es": "con comida"}
AT_ALL = {"en": "Also ask whether to keep taking them at all", "es": "Pregunte también si debe seguir tomándolos"}
LOW_DOSE_LINE = {"en": "Aspirin, unless a doctor told you to take a low dose for your heart.",
                 "es": "Aspirina, salvo que un médico le haya dicho que tome una dosis baja para el corazón."}


def _check_with_food_in_the_es_sheet():
    from radiculopathy_desktop.reports import handout_content as hc
    words = " ".join(t for s in hc.load_sheet("med_nsaid", "es").sections for t in s.taking)
    assert WITH_FOOD["es"] in words  # the Spanish how-to-take bullet the test looks for exists


@pytest.mark.parametrize("lang", ["en", "es"])
def test_three_nsaids_the_heading_counts_and_no_shared_maximum(tmp_path, lang):
    text = handout_pdf_words(case(THREE), tmp_path, lang)
    assert HEADING_SEVERAL[lang] in text and HEADING_TWO[lang] not in text
    assert NOT_TOGETHER[lang] in text
    assert ONE_MAXIMUM[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_two_nsaids_keep_the_two_heading_and_no_shared_maximum(tmp_path, lang):
    text = handout_pdf_words(case(TWO), tmp_path, lang)
    assert HEADING_TWO[lang] in text and HEADING_SEVERAL[lang] not in text
    assert NOT_TOGETHER[lang] in text and ONE_MAXIMUM[lang] not in text
    # still told how to take the one kept: this box asks which one, not whether at all
    assert WITH_FOOD[lang] in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_box_asking_whether_to_take_them_at_all_prints_no_how_to_take(tmp_path, lang):
    _check_with_food_in_the_es_sheet()
    for meds in (THREE + APIXABAN, TWO + APIXABAN):
        text = handout_pdf_words(case(meds), tmp_path, lang)
        assert AT_ALL[lang] in text, text
        assert WITH_FOOD[lang] not in text


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_analgesic_aspirin_on_the_sheet_drops_the_low_dose_aspirin_line(tmp_path, lang, profile):
    text = handout_pdf_words(case(WITH_ASPIRIN), tmp_path, lang, profile)
    assert {"en": "aspirin 600 mg four times a day", "es": "aspirina 600 mg"}[lang] in text  # asked about
    assert HEADING_TWO[lang] in text and ONE_MAXIMUM[lang] not in text
    assert LOW_DOSE_LINE[lang] not in text
    # no aspirin of the patient's on the sheet (low-dose aspirin is an antiplatelet): the line stays
    text = handout_pdf_words(case([("naproxen 500mg bd", None), ("aspirin 75mg od", None)]), tmp_path, lang, profile)
    assert LOW_DOSE_LINE[lang] in text
