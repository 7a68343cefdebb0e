"""esnames (H-MED-689): a Spanish sheet says a count of tablets or capsules written in English in Spanish.

Before: "gabapentin 300mg 1 capsule tds" and "tramadol 50mg 2 tabs prn" were printed inside a Spanish sheet as
"gabapentina 300mg 1 capsule, tres veces al día" and "su tramadol 50mg 2 tabs, si lo necesita": the regimen was said
in Spanish (plainwords) but the count word stayed English. Now the count is said as Spanish leaflets write it ("1
comprimido", "una cápsula", "medio comprimido", "un comprimido de 400 mg": medicines sources.toml
spanish-prescription-wording; resources/handouts/regimen_words.toml [[count_words]]). English sheets and the
clinician's text keep the name as recorded.
"""

from __future__ import annotations

import re

import pytest

from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import case, sheet_text

ENGLISH_COUNT = re.compile(r"\b(tablets?|tabs?|capsules?|caps|sachets?)\b", re.IGNORECASE)


@pytest.mark.parametrize("written, said", [
    ("gabapentin 300mg 1 capsule", "gabapentin 300mg 1 cápsula"),
    ("tramadol 50mg 2 tabs", "tramadol 50mg 2 comprimidos"),
    ("paracetamol 500mg 2 tablets", "paracetamol 500mg 2 comprimidos"),
    ("Nolotil 575 mg 1 caps", "Nolotil 575 mg 1 cápsula"),  # "caps" after one: the singular
    ("ibuprofen one tablet", "ibuprofen un comprimido"),
    ("pregabalin one capsule", "pregabalin una cápsula"),  # the noun's gender
    ("two caps", "dos cápsulas"),
    ("half a tablet", "medio comprimido"),
    ("1/2 tab", "1/2 comprimido"),  # a half: singular
    ("1.5 tablets", "1.5 comprimidos"),  # above one: plural
    ("2 tablets of 400mg", "2 comprimidos de 400mg"),
    ("Lyrica capsules", "Lyrica cápsulas"),
    ("movicol 1 sachet", "movicol 1 sobre"),
])
def test_an_english_count_is_said_in_spanish(written, said):
    assert h.spanish_counts(written) == said


@pytest.mark.parametrize("written", ["captopril 25mg", "capsaicin cream", "Tabphyn 400mg", "co-tab 5mg",
                                     "ibuprofeno 400 mg",
                                     "1 comprimido de 600 mg", "tablespoon"])
def test_a_name_without_an_english_count_word_is_unchanged(written):
    # boundaries: a count word inside another word, a Spanish count already, no count at all
    assert h.spanish_counts(written) == written


def test_the_gabapentinoid_sheet_in_spanish_prints_no_english_count():
    meds = [("gabapentin 300mg 1 capsule tds", None), ("tramadol 50mg 2 tabs prn", None)]
    text = sheet_text(case(meds=meds, tried=["gabapentinoid"]), "med_gabapentinoid", lang="es")
    assert "gabapentina 300mg 1 cápsula" in text
    assert "tramadol 50mg 2 comprimidos" in text
    assert not ENGLISH_COUNT.search(text), ENGLISH_COUNT.search(text)


def test_the_opioid_sheet_in_spanish_says_the_count_in_spanish():
    text = sheet_text(case(meds=[("tramadol 50mg 2 tabs prn", None)], tried=["opioid"]), "med_opioid", lang="es")
    assert "tramadol 50mg 2 comprimidos" in text
    assert not ENGLISH_COUNT.search(text), ENGLISH_COUNT.search(text)


def test_the_english_sheet_says_the_count_in_full_english_words():
    # sheets36 (H-MED-740): an English sheet keeps a count word written in full ("1 capsule") and says an
    # abbreviation in full ("2 tabs" -> "2 tablets"), never a Spanish word
    meds = [("gabapentin 300mg 1 capsule tds", None), ("tramadol 50mg 2 tabs prn", None)]
    text = sheet_text(case(meds=meds, tried=["gabapentinoid"]), "med_gabapentinoid", lang="en")
    assert "gabapentin 300mg 1 capsule" in text and "tramadol 50mg 2 tablets" in text
    assert "2 tabs" not in text
    assert "cápsula" not in text and "comprimido" not in text


def test_the_nsaid_sheet_asks_about_partners_written_in_spanish_and_says_them_in_spanish():
    # H-MED-687 on the patient's sheet: before, "sertralina" and "Adiro 100" were not recognised, so the NSAID sheet
    # had no "Ask about your other medicines" box for them; now it names them, the brand as its ficha técnica prints
    # it (display_names.toml) and the count in Spanish
    meds = [("sertralina 50 mg 1 tablet od", None), ("Adiro 100", None)]
    text = sheet_text(case(meds=meds, tried=["nsaid"]), "med_nsaid", lang="es")
    assert "Pregunte por sus otros medicamentos" in text
    assert "Adiro 100" in text and "sertralina 50 mg 1 comprimido (una vez al día)" in text
    assert not ENGLISH_COUNT.search(text), ENGLISH_COUNT.search(text)


def test_the_nsaid_sheet_without_a_partner_has_no_other_medicines_box():
    text = sheet_text(case(meds=[("paracetamol 1 g", None)], tried=["nsaid"]), "med_nsaid", lang="es")
    assert "Pregunte por sus otros medicamentos" not in text
