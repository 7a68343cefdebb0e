"""sheetwords (round 31): how the medicine sheets word a patient's own medicine.

F4 (H-MED-615): a dose far above the label's daily maximum (paracetamol 16000 mg a day: the medicine check's slip
bound, 3 times the 4000 mg label maximum) is an overdose if really taken: the sheet says contact the prescriber or
pharmacist today and take no more, never "do not change how much you take on your own" (which said keep taking it).
F5 (H-MED-618): a regimen taken less often than every day is repeated as taken ("50 mg every other day"), never its
per-day average (25 mg a day) as a daily instruction. F5b (H-MED-617): an opioid whose regimen cannot be read still
gets "Do not stop it suddenly". F6 (H-MED-616): prescriber abbreviations are said in plain words in each language.
F8 (H-UI-486): the dialog's label follows the dose check's direction.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import AS_OF, case, sheet_text


def _box(text: str) -> str:
    """The sheet's opening box: from the patient's name line to "What is it for?" / "¿Para qué sirve?"."""
    end = text.index("What is it for?") if "What is it for?" in text else text.index("¿Para qué sirve?")
    return text[:end]


# --------------------------------------------------------------------------- F4: far above the label maximum
@pytest.mark.parametrize("mg, far", [(12000, False),  # at the slip bound: not "far above the maximum"
                                     (12001, True), (16000, True)])
def test_paracetamol_far_above_the_maximum_says_contact_today_and_take_no_more(mg, far):
    c = case(meds=[("paracetamol", mg)], tried=["acetaminophen"])
    en, es = (_box(sheet_text(c, "med_acetaminophen", lang=lang)) for lang in ("en", "es"))
    if far:
        assert f"acetaminophen {mg} mg a day. That is far more than the most that is safe to take in a day" in en
        assert "Contact your prescriber or pharmacist today, before your next dose." in en
        assert "Do not take any more of it until they have checked your dose." in en
        assert "do not change how much you take" not in en
        assert "Es mucho más del máximo que se puede tomar sin peligro en un día" in es
        assert "Hable hoy mismo con su profesional o su farmacéutico" in es
        assert "No tome más hasta que le hayan revisado la dosis." in es
        assert "no cambie por su cuenta la cantidad que toma" not in es
    else:
        # 3 times the maximum: above the maximum, worded as a dose to bring down (the existing wording), never
        # the far-above box
        assert "far more than the most that is safe" not in en and "del máximo que se puede tomar" not in es


def test_an_opioid_far_above_its_maximum_takes_no_more_and_is_not_stopped_suddenly():
    # codeine's label maximum is 240 mg a day (uk)/360 (us): 2400 mg a day is far above either
    c = case(meds=[("codeine 30mg", 2400)], tried=["opioid"])
    en = _box(sheet_text(c, "med_opioid"))
    es = _box(sheet_text(c, "med_opioid", lang="es"))
    assert "Contact your prescriber or pharmacist today" in en
    assert "Do not take more than you take now, and do not stop it suddenly." in en
    assert "Do not take any more of it" not in en  # an opioid is never stopped at once
    assert "No tome más de lo que toma ahora y no lo deje de golpe." in es


def test_far_above_any_usual_dose_without_a_label_maximum_keeps_the_check_wording():
    # ibuprofen within its maximum: no box at all; the far box is only for a dose far above a label maximum
    c = case(meds=[("ibuprofen", 1200)], tried=["nsaid"])
    assert "far more than the most that is safe" not in sheet_text(c, "med_nsaid")


# --------------------------------------------------------------------------- F5: less often than every day
@pytest.mark.parametrize("name", ["tramadol 50 mg días alternos", "tramadol 50 mg every other day",
                                  "tramadol 50 mg on alternate days", "tramadol 50 mg alternate days"])
def test_every_other_day_is_repeated_as_taken_never_as_a_daily_average(name):
    c = case(meds=[(name, None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    es = sheet_text(c, "med_opioid", lang="es")
    # plainwords (H-MED-647): the regimen in brackets after the name and strength, inside the sentence
    # written in English's own plain words ("every other day") it stays where it was written
    said = "every other day" if "every other day" in name else "(every other day)"
    assert f"keep taking your tramadol 50 mg {said} as prescribed" in en
    assert "siga tomando su tramadol 50 mg (en días alternos) como se lo recetaron" in es
    assert "25 mg a day" not in en and "25 mg al día" not in es
    assert "Do not stop it suddenly" in en and "No lo deje de golpe" in es


def test_a_daily_regimen_read_from_the_name_still_gives_its_daily_total():
    # boundary: "bd" is every day, so the day's total is a true daily instruction (and the words are plain)
    c = case(meds=[("tramadol 50mg bd", None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    assert "keep taking tramadol 100 mg a day" in en
    assert " bd" not in en


def test_a_weekly_regimen_gives_no_daily_figure():
    c = case(meds=[("tramadol 50mg once a week", None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    es = sheet_text(c, "med_opioid", lang="es")
    # dose36 (H-MED-730): a weekly regimen of a medicine not taken weekly gives no daily figure and is now a dose to check
    # (it was "keep taking your tramadol as prescribed": the app had read no dose it could call prescribed)
    assert "mg a day, as prescribed" not in en and "keep taking your tramadol as prescribed" not in en
    assert "Check your dose before you take more" in en and "Do not stop it suddenly" in en
    assert "Revise su dosis antes de tomar más" in es and "No lo deje de golpe" in es


# --------------------------------------------------------------------------- F5b / F6: unread regimens
@pytest.mark.parametrize("name, en_words, es_words", [
    ("tramadol 50mg prn", "tramadol 50mg (when needed)", "tramadol 50mg (si lo necesita)"),
    ("tramadol 50mg si precisa", "tramadol 50mg (when needed)", "tramadol 50mg (si lo necesita)"),
    ("tramadol 50mg bd prn", "tramadol 50mg (twice a day when needed)",
     "tramadol 50mg (dos veces al día si lo necesita)"),
])
def test_an_opioid_with_an_unread_regimen_is_not_stopped_suddenly_and_is_worded_plainly(name, en_words, es_words):
    c = case(meds=[(name, None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    es = sheet_text(c, "med_opioid", lang="es")
    # plainwords (H-MED-647): a sentence that reads, never "how much tramadol 50mg when needed you take a day"
    assert f"Your record says you take {en_words}, but not clearly how much of it you take in a day" in en
    assert "Do not stop it suddenly." in _box(en)
    assert f"Su historia dice que toma {es_words}, pero no dice con claridad cuánto toma al día" in es
    assert "No lo deje de golpe." in _box(es)
    for abbreviation in (" prn", " bd ", "si precisa"):
        assert abbreviation not in en and abbreviation not in es


def test_an_unread_regimen_of_a_medicine_stopped_at_once_gets_no_taper_words():
    # boundary: ibuprofen's sudden stop is no harm: no "Do not stop it suddenly" under its box
    c = case(meds=[("ibuprofen 400mg prn", None)], tried=["nsaid"])
    en = sheet_text(c, "med_nsaid")
    assert "ibuprofen 400mg (when needed)" in en
    assert "Do not stop it suddenly" not in en


@pytest.mark.parametrize("written, en, es", [
    ("ibuprofen 400mg TDS", "ibuprofen 400mg three times a day", "ibuprofen 400mg tres veces al día"),
    ("naproxen 250mg qds", "naproxen 250mg four times a day", "naproxen 250mg cuatro veces al día"),
    ("amitriptyline 10mg nocte", "amitriptyline 10mg at night", "amitriptyline 10mg por la noche"),
    ("prednisolone 5mg od", "prednisolone 5mg once a day", "prednisolone 5mg una vez al día"),
    ("oxycodone 5 mg every other day", "oxycodone 5 mg every other day", "oxycodone 5 mg en días alternos"),
    ("tramadol 50 mg días alternos", "tramadol 50 mg every other day", "tramadol 50 mg en días alternos"),
    ("ibuprofeno 600 mg si precisa", "ibuprofeno 600 mg when needed", "ibuprofeno 600 mg si lo necesita"),
    ("Prn-free 5mg", "Prn-free 5mg", "Prn-free 5mg"),  # part of a word: left as written
    ("odansetron 4mg", "odansetron 4mg", "odansetron 4mg"),  # "od" inside a word is no abbreviation
])
def test_plain_regimen_words_from_data(written, en, es):
    assert h.plain_regimen(written, "en") == en
    assert h.plain_regimen(written, "es") == es


# --------------------------------------------------------------------------- F8: the dialog's label
@pytest.mark.parametrize("mg, words", [(5, "dose to check: far below usual"),
                                       (16000, "dose to check: far above the maximum")])
def test_the_dialog_label_follows_the_dose_checks_direction(mg, words):
    c = case(meds=[("paracetamol", mg)], tried=["acetaminophen"])
    doses = h.doses_from_engine(c, AS_OF, "en")
    assert h.sheet_status_words("Reduce dose", doses["acetaminophen"]) == words


def test_the_dialog_label_keeps_reduce_dose_for_a_dose_just_above_the_maximum():
    c = case(meds=[("paracetamol", 5000)], tried=["acetaminophen"])
    doses = h.doses_from_engine(c, AS_OF, "en")
    assert h.sheet_status_words("Reduce dose", doses["acetaminophen"]) == "reduce dose"
