"""plainwords (round 31): a patient's own medicine is said on the sheets as the patient knows it: the name and
strength as recorded, and a regimen written with a prescriber's abbreviation (prn, bd, tds, qds, nocte, si precisa,
c/8h) in plain words of the sheet's language (resources/handouts/regimen_words.toml: the BNF's Latin abbreviations,
Spanish prescription wording).

Sentence shapes (H-MED-647): at the end of a clause (before ".", ";", ":" or a bracket) "naproxen 500mg, twice a
day" / "... dos veces al día"; inside a sentence or in a list of names "tramadol 50mg (when needed)", never "how much
naproxen 500 twice a day you take a day" nor "pregabalin 75mg, twice a day suddenly"; before the sentence's own
bracket "pregabalin 75mg twice a day (150 mg a day in all)". A regimen already written in
the sheet's own plain words stays where it was written. The clinician's notes keep the name as recorded (H-MED-648).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import AS_OF, case, sheet_text

ABBREVIATIONS = (" prn", " bd", " tds", " qds", " nocte", "si precisa", "c/8h", " q6h")


@pytest.mark.parametrize("written, base, en, es", [
    ("naproxen 500mg bd", "naproxen 500mg", "twice a day", "dos veces al día"),
    ("tramadol 50mg bd prn", "tramadol 50mg", "twice a day when needed", "dos veces al día si lo necesita"),
    ("ibuprofeno 600 mg c/8h", "ibuprofeno 600 mg", "every 8 hours", "cada 8 horas"),
    ("paracetamol 1g Q6H", "paracetamol 1g", "every 6 hours", "cada 6 horas"),
    ("amitriptyline 10mg nocte", "amitriptyline 10mg", "at night", "por la noche"),
])
def test_the_regimen_is_taken_out_of_the_name_and_said_in_plain_words(written, base, en, es):
    assert h.split_regimen(written, "en") == (base, en)
    assert h.split_regimen(written, "es") == (base, es)


@pytest.mark.parametrize("written", ["Prn-free 5mg", "odansetron 4mg", "bd", "naproxen 500mg"])
def test_a_name_without_a_whole_regimen_word_is_printed_as_recorded(written):
    # boundaries: part of a word, a name that is only an abbreviation, no regimen at all
    assert h.split_regimen(written, "en") == (written, "")


def test_a_regimen_already_in_the_sheets_words_stays_where_it_was_written():
    name = "co-codamol 30/500 2 tablets four times a day"
    assert h.split_regimen(name, "en") == (name, "")
    assert h.split_regimen(name, "es") == ("co-codamol 30/500 2 tablets", "cuatro veces al día")


@pytest.mark.parametrize("lang, box", [
    ("en", "Your record says you take tramadol 50mg (when needed), but not clearly how much of it you take in a day."),
    ("es", "Su historia dice que toma tramadol 50mg (si lo necesita), pero no dice con claridad cuánto toma al día."),
])
def test_an_unread_regimen_box_reads_as_a_sentence(lang, box):
    text = sheet_text(case(meds=[("tramadol 50mg prn", None)], tried=["opioid"]), "med_opioid", lang=lang)
    assert box in text
    assert "you take a day" not in text.replace("you take in a day", "")
    for abbreviation in ABBREVIATIONS:
        assert abbreviation not in text


@pytest.mark.parametrize("lang, said, listed, bracket", [
    ("en", "pregabalin 75mg, twice a day.", "diazepam 5mg (three times a day)",
     "pregabalin 75mg twice a day (150 mg a day in all)"),
    ("es", "pregabalina 75mg, dos veces al día.", "diazepam 5mg (tres veces al día)",
     "pregabalina 75mg dos veces al día (150 mg al día en total)"),
])
def test_several_medicines_with_abbreviations_read_in_both_languages(lang, said, listed, bracket):
    meds = [("pregabalin 75mg bd", None), ("diazepam 5mg tds", None), ("tramadol 50mg prn", None)]
    text = sheet_text(case(meds=meds, tried=["gabapentinoid"]), "med_gabapentinoid", lang=lang)
    assert said in text  # a clause's end: the comma shape
    assert listed in text  # inside a sentence or a list: the bracket shape
    assert bracket in text  # before the sentence's own bracket: no comma, no second bracket
    assert "twice a day suddenly" not in text and "dos veces al día suddenly" not in text
    for abbreviation in ABBREVIATIONS:
        assert abbreviation not in text


def test_the_clinicians_note_keeps_the_name_as_recorded():
    c = case(meds=[("tramadol 50mg prn", None)], tried=["opioid"])
    assert "tramadol 50mg prn" not in sheet_text(c, "med_opioid")  # the patient reads plain words
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", sheets=["med_opioid"])
    notes = " ".join(h.dose_notices(req))
    assert "tramadol 50mg prn" in notes and "when needed" not in notes.replace('("prn")', "")
