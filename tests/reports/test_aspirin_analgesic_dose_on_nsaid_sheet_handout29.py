"""handout29 (H-MED-518): aspirin at an analgesic dose is an NSAID on the patient's NSAID sheet, asked about
by name, never only "the aspirin it should not be taken with".

A clinical review found: meloxicam 15mg, aspirin 900mg qds and apixaban 5mg bd. The medicine check reads
aspirin above 325 mg a day as an NSAID (rules.toml [[dose_class]]; aspirin-uk-smpc 300-900 mg every four
hours, aspirin-fda-low-dose 75-325 mg a day low dose) and rates the two NSAIDs together Avoid (NSAID class
labelling: combined use of two NSAIDs, or an NSAID with salicylates, is not recommended) and an NSAID with
apixaban Avoid (apixaban label: NSAIDs and antiplatelets increase bleeding). The sheet was about meloxicam
alone: "Ask ... whether to keep taking it: it should not be taken with your aspirin 900mg qds and apixaban
5mg bd". The patient must be asked about the aspirin too, before the next dose, and told it should not be
taken with apixaban. Low-dose aspirin (75 mg) is an antiplatelet, not on the NSAID sheet."""

from __future__ import annotations

import pytest

from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import case, sheet
from radiculopathy_desktop.reports import handouts as h
from tests.reports.test_contraindicated_words_agree import AS_OF

THREE = [("meloxicam 15mg", None), ("aspirin 900mg qds", None), ("apixaban 5mg bd", None)]
# plainwords (H-MED-647): "qds" and "bd" in plain words (before the bracket of its amount, after a comma at a sentence's end)
ASKED = {"en": ("You take meloxicam 15mg and aspirin 900mg four times a day (aspirin 3600 mg a day)",
                "Ask your clinician before your next dose which one to keep taking.",
                "Also ask whether to keep taking them at all: they should not be taken with your apixaban 5mg, twice a day."),
         "es": ("Usted toma meloxicam 15mg y aspirina 900mg cuatro veces al día (aspirina: 3600 mg al día)",
                "Pregunte a su profesional antes de su próxima dosis cuál debe seguir tomando.",
                "Pregunte también si debe seguir tomándolos: no deben tomarse con su apixaban 5mg, dos veces al día.")}
ABOUT = {"en": "This sheet is about meloxicam and aspirin.", "es": "meloxicam y aspirina"}
OLD = {"en": "it should not be taken with your aspirin", "es": "no debe tomarse junto con su aspirina"}


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pdf_asks_about_the_aspirin_and_says_not_with_apixaban(tmp_path, lang, profile):
    text = handout_pdf_words(case(THREE), tmp_path, lang, profile)
    for words in ASKED[lang]:
        assert words in text, text
    assert ABOUT[lang] in text
    assert OLD[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_aspirin_900_qds_alone_with_apixaban_gets_the_nsaid_sheet_asking_about_it(lang):
    c = case([("aspirin 900mg qds", None), ("apixaban 5mg bd", None)])
    assert "nsaid" in h.medicine_classes_for(c, AS_OF)
    text = sheet(c, "med_nsaid", lang)
    assert {"en": "You take aspirin 900mg four times a day (3600 mg a day in all). Ask your clinician before your "
                  "next dose whether to keep taking it: it should not be taken with your apixaban 5mg, twice a day.",
            "es": "aspirina 900mg cuatro veces al día (3600 mg al día en total)"}[lang] in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_aspirin_at_31_weeks_is_do_not_take_it_on_the_nsaid_sheet(lang):
    text = sheet(case([("aspirin 900mg qds", None)], 31), "med_nsaid", lang)
    assert {"en": "Do not take it. You are 31 weeks pregnant. From 30 weeks of pregnancy, these medicines can cause "
                  "heart problems",
            "es": "No lo tome. Está embarazada de 31 semanas."}[lang] in text


def test_low_dose_aspirin_is_no_nsaid_and_gets_no_nsaid_sheet_of_its_own():
    c = case([("aspirin 75mg od", None), ("apixaban 5mg bd", None)])
    c2 = case([("aspirin 75mg od", None)])
    from radiculopathy_desktop.domain.medications import assess_medications
    assert assess_medications(c2.intake, AS_OF).dose_classed == ()
    assert "nsaid" not in h.sheet_classes_taken_now(assess_medications(c.intake, AS_OF))
