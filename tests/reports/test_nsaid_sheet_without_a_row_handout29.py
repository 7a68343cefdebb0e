"""handout29 (H-MED-521, H-UI-445, H-UI-446): the NSAID sheet of a medicine without a data row of its own,
at or below its label maximum, says what a row's medicine's sheet says ("keep taking diclofenac 150 mg a
day, as prescribed", "Do not take more than 200 mg in a day") with the label named on the Sources line,
never only "as its label says"; the Sources line names the meloxicam label when an ask-first box says its
maximum; "1 tablet a day", never "1 tablets"; several medicines: "or whoever prescribed them".

Label maxima (resources/medicines/drugs.toml [dose_checks], sources.toml): diclofenac-label 200 mg a day (us),
voltarol-smpc "The recommended maximum daily dose of Voltarol is 150mg" (uk); meloxicam-label "The maximum
recommended daily oral dose of meloxicam is 15 mg regardless of formulation"; celecoxib-label 400 mg a day.
Boundaries: at the maximum (diclofenac 50mg qds under us, 200 mg) keep taking; above it (uk, 200 > 150) the
"too high" box as before."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import read_recorded_dose
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import AS_OF, case

# plainwords (H-MED-647): the regimen written in the name in plain words, before the bracket of its amount
KEEP = {("diclofenac 50mg tds", "us", "en"): ("keep taking your diclofenac 50mg three times a day (150 mg a day in all)",
                                            "Do not take more than 200 mg in a day.", "diclofenac label"),
        ("diclofenac 50mg tds", "uk", "es"): ("siga tomando su diclofenaco 50mg tres veces al día (150 mg al día en total)",
                                            "No tome más de 150 mg al día.", "Voltarol"),
        ("diclofenac 50mg qds", "us", "en"): ("keep taking your diclofenac 50mg four times a day (200 mg a day in all)",
                                            "Do not take more than 200 mg in a day.", "diclofenac label"),
        ("meloxicam 15mg od", "us", "en"): ("keep taking your meloxicam 15mg once a day (15 mg a day in all)",
                                          "Do not take more than 15 mg in a day.", "meloxicam label"),
        ("Celebrex 200mg", "us", "en"): ("take your celebrex 200mg exactly as your prescriber and its label say",
                                       "Do not take more than 400 mg in a day.", "celecoxib label"),
        ("celecoxib", "us", "en"): ("take your celecoxib exactly as your prescriber and its label say",
                                  "Do not take more than 400 mg in a day.", "celecoxib label"),
        ("celecoxib", "us", "es"): ("celecoxib", "No tome más de 400 mg al día.", "celecoxib")}
# the thin wording of before: the maximum only "on its label"
THIN = {"en": "the amount on its label", "es": "la cantidad que indican la etiqueta"}


@pytest.mark.parametrize("name, profile, lang", sorted(KEEP))
def test_a_class_nsaid_at_or_below_its_maximum_gets_a_rows_content(tmp_path, name, profile, lang):
    text = handout_pdf_words(case([(name, None)]), tmp_path, lang, profile)
    keep, most, label = KEEP[(name, profile, lang)]
    assert keep in text and most in text, text
    assert label in text.split("Hoja revisada" if lang == "es" else "Sheet reviewed")[1].split(
        "¿Para qué" if lang == "es" else "What is it for")[0]  # on the Sources line
    assert THIN[lang] not in text
    assert {"en": "Take it with food or a glass of milk.", "es": "Tómelo con comida"}[lang] in text


def test_above_the_uk_maximum_keeps_the_too_high_box():
    req = h.request_for_case(case([("diclofenac 50mg qds", None)]), AS_OF, clinic_name="Clinic", clinic_contact="555",
                             sheets=["med_nsaid"], profile="uk")
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert "For you, the most is 150 mg a day." in text and "keep taking diclofenac" not in text


@pytest.mark.parametrize("lang, label", [("en", "meloxicam label"), ("es", "ficha técnica del meloxicam")])
def test_the_ask_box_that_says_the_meloxicam_maximum_names_its_label(lang, label):
    req = h.request_for_case(case([("meloxicam 15mg bd", None), ("apixaban 5mg bd", None)]), AS_OF,
                             clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_nsaid"])
    sheet = h.filled_sheets(req)[0]
    text = " ".join(hc.plain_text(sheet).split())
    assert {"en": "that is also more than the most for you (15 mg a day)",
            "es": "15 mg al día"}[lang] in text
    assert label in hc.printed_sources(sheet, lang)


def test_one_dose_or_tablet_a_day_is_singular():
    one = read_recorded_dose("co-codamol 30/500 1 tablet od", ("codeine", "acetaminophen"), None)
    assert "1 tablet a day" in one.text and "1 tablets" not in one.text
    single = read_recorded_dose("meloxicam 15mg od", ("meloxicam",), None)
    assert "1 dose a day" in single.text and "1 doses" not in single.text
    four = read_recorded_dose("aspirin 900mg qds", ("aspirin",), None)
    assert "4 doses a day" in four.text
    for lang, words in (("en", "(1 tablet a day)"), ("es", "(1 comprimido al día)")):
        req = h.request_for_case(case([("co-codamol 30/500 1 tablet od", None)]), AS_OF, clinic_name="Clinic",
                                 clinic_contact="555", lang=lang, sheets=["med_opioid"])
        text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
        assert words in text and "1 tablets" not in text and "1 comprimidos" not in text


@pytest.mark.parametrize("lang, one, several", [
    ("en", "or the doctor who prescribed it, and ask what to do", "or whoever prescribed them, and ask what to do"),
    ("es", "o al médico que se lo recetó, y pregunte qué hacer", "o a quien se los recetó, y pregunte qué hacer")])
def test_who_prescribed_them_when_the_box_is_about_several(lang, one, several):
    section = hc.HandoutSection(heading="How", paragraphs=("Your dose: {dose_range}.",))
    assert one in h._ask_first(section, lang).bullets[0]
    assert several in h._ask_first(section, lang, them=True).bullets[0]
