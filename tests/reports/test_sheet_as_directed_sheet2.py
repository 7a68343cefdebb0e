"""sheet2 (round 31): a medicine the patient already takes never gets a starting dose on its sheet, and each
dose check is said in its own words.

H-MED-643: "tramadol 50mg as directed", "morfina 10 mg según pauta" (ut dictum, "as the prescriber said") were
NOT RECOGNISED; confirmed by the clinician, the opioid sheet printed tramadol's STARTING dose (50-100 mg every
4-6 hours) to a patient already on an opioid. They are now a known medicine whose regimen is not read: the sheet
says keep taking it as the prescriber told you, and for an opioid do not stop it suddenly; no daily figure.
H-MED-644: generally, a current medicine the engine does not recognise whose name begins with (or is close to)
a medicine of the sheet never gets the sheet's starting dose: the dose is asked about.
H-MED-645: the clinician's note and the patch box say the check's own kind (a patch written per 24 hours or
changed at an interval not its product's), never "far above the usual amount" / "no patch comes in that strength".
H-UI-505: the far-above-maximum box (an overdose if really taken) has a heading that says so.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import medications
from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import AS_OF, case, dose_lines, sheet_text

STARTING_EN = "50-100 mg every 4-6 hours"
STARTING_ES = "50-100 mg cada 4-6 horas"


def _box(text: str) -> str:
    end = text.index("What is it for?") if "What is it for?" in text else text.index("¿Para qué sirve?")
    return text[:end]


# --------------------------------------------------------------------------- H-MED-643: "as directed"
@pytest.mark.parametrize("name, generic", [
    ("tramadol 50mg as directed", "tramadol"), ("tramadol 50mg as dir", "tramadol"),
    ("tramadol 50mg u.d.", "tramadol"), ("Tramadol 50mg As Directed", "tramadol"),
    ("morfina 10 mg según pauta", "morphine"), ("morfina 10 mg segun pauta medica", "morphine"),
    ("morfina 10 mg según indicación médica", "morphine"), ("oxicodona 5 mg pauta médica", "oxycodone"),
])
def test_as_directed_is_a_known_medicine_with_its_regimen_not_read(name, generic):
    data = medications.load_medicine_data()
    hit = data.unread_regimen(name)
    assert hit is not None and hit[0][0] == (generic,)
    c = case(meds=[(name, None)], tried=["opioid"])
    assert h.unrecognised_medicines(c, AS_OF) == ()


@pytest.mark.parametrize("name, en_name, es_name", [
    ("tramadol 50mg as directed", "tramadol 50mg", "tramadol 50mg"),
    ("morfina 10 mg según pauta", "morfina 10 mg", "morfina 10 mg"),
])
def test_an_opioid_taken_as_directed_is_kept_as_prescribed_never_a_starting_dose(name, en_name, es_name):
    c = case(meds=[(name, None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    es = sheet_text(c, "med_opioid", lang="es")
    assert f"keep taking your {en_name} as your prescriber told you" in dose_lines(en)
    assert f"siga tomando su {es_name} como se lo indicó quien se lo recetó" in dose_lines(es)
    assert "Do not stop it suddenly" in dose_lines(en) and "No lo deje de golpe" in dose_lines(es)
    assert STARTING_EN not in en and STARTING_ES not in es
    assert "mg a day" not in dose_lines(en)  # no daily figure is made up
    assert "as directed" not in dose_lines(en) and "según pauta" not in dose_lines(es)


def test_as_directed_beside_a_count_is_still_asked_about():
    # boundary: "2 tabs" is a dose the sheet cannot check: the unread-regimen box asks, as before
    c = case(meds=[("tramadol 50mg 2 tabs as directed", None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid")
    # plainwords (H-MED-647): the unread-regimen box is worded as one sentence that reads
    # sheets36 (H-MED-740): the count word in full
    assert ("Your record says you take tramadol 50mg 2 tablets as directed, but not clearly how much of it you take "
            "in a day.") in _box(en)
    assert "as your prescriber told you" not in en and STARTING_EN not in en


def test_an_nsaid_taken_as_directed_gets_no_taper_words():
    c = case(meds=[("ibuprofen 400mg as directed", None)], tried=["nsaid"])
    lines = dose_lines(sheet_text(c, "med_nsaid"))
    assert "keep taking your ibuprofen 400mg as your prescriber told you" in lines
    assert "Do not stop it suddenly" not in lines


@pytest.mark.parametrize("name", ["tramadol 50mg as famotidine", "tramadol 50mg directed"])
def test_other_words_after_the_name_keep_it_not_recognised(name):
    # boundary: only the listed phrases; "as" alone before another word is no regimen
    assert medications.load_medicine_data().unread_regimen(name) is None


# --------------------------------------------------------------------------- H-MED-644: never a starting dose
@pytest.mark.parametrize("name", ["morfina 10 mg xyz", "tramdol 50mg", "tramadol 50mg take when bad"])
def test_an_unrecognised_current_medicine_of_the_sheet_never_gets_a_starting_dose(name):
    c = case(meds=[(name, None)], tried=["opioid"])
    assert h.unrecognised_medicines(c, AS_OF) == (name,)
    en = sheet_text(c, "med_opioid", confirm_unrecognised=True)
    es = sheet_text(c, "med_opioid", lang="es", confirm_unrecognised=True)
    assert STARTING_EN not in en and STARTING_ES not in es
    assert f"Your record says you take {name}, but not clearly how much of it you take in a day." in _box(en)
    assert "Do not stop it suddenly." in _box(en) and "No lo deje de golpe." in _box(es)
    assert f"This sheet is about {name}." in en


def test_an_unrecognised_medicine_of_another_kind_leaves_the_starting_dose():
    # boundary: an unrecognised name that names no opioid (nor is close to one) is not taken for one
    c = case(meds=[("zzqx 10mg", None)], tried=["opioid"])
    en = sheet_text(c, "med_opioid", confirm_unrecognised=True)
    assert STARTING_EN in en


def test_a_recognised_medicine_is_never_given_a_starting_dose_on_its_own_sheet():
    # every class the sheets dose, each with a current medicine of it: "keep taking", never the starting words
    for meds, sheet, starting in [([("tramadol 50mg", 200)], "med_opioid", STARTING_EN),
                                  ([("ibuprofen", 1200)], "med_nsaid", "200-400 mg"),
                                  ([("gabapentin", 900)], "med_gabapentinoid", "300 mg")]:
        c = case(meds=meds, tried=[sheet[4:]])
        doses = h.doses_from_engine(c, AS_OF, "en")
        dose = doses[sheet[4:]]
        assert dose.taken_now is not None, sheet
        assert "keep taking" in dose.dose_range


# --------------------------------------------------------------------------- H-MED-645: each check's own words
@pytest.mark.parametrize("name, en_words, es_words, why", [
    ("fentanyl 25mcg/24h patch", "A patch's strength is written per hour, and this is written per 24 hours",
     "La concentración de un parche se escribe por hora", "written per 24 hours, not as a patch's rate an hour"),
    ("fentanyl 25mcg/h patch every 7 days", "That is not how often a patch of this medicine is usually changed",
     "no se suele cambiar cada ese tiempo", "written to be changed at an interval that is not its product's"),
])
def test_a_patch_check_is_said_in_its_own_words(name, en_words, es_words, why):
    c = case(meds=[(name, None)], tried=["opioid"])
    en = _box(sheet_text(c, "med_opioid"))
    es = _box(sheet_text(c, "med_opioid", lang="es"))
    assert en_words in en and es_words in es
    assert "No single patch of this medicine comes in that strength" not in en
    assert "Ningún parche de este medicamento tiene esa concentración" not in es
    dose = h.doses_from_engine(c, AS_OF, "en")["opioid"]
    (note,) = [n for n in h._dose_notes("opioid", dose) if "The sheet does not say" in n]
    assert f"needs checking ({why})" in note and "before their next patch" in note
    assert "far above the usual amount" not in note and "keep using it" in note


def test_a_patch_strength_no_patch_is_made_in_keeps_its_words():
    c = case(meds=[("fentanyl 250mcg/h patch", None)], tried=["opioid"])
    assert "No single patch of this medicine comes in that strength" in _box(sheet_text(c, "med_opioid"))
    dose = h.doses_from_engine(c, AS_OF, "en")["opioid"]
    assert any("needs checking (no single patch is made at that rate)" in n for n in h._dose_notes("opioid", dose))


@pytest.mark.parametrize("mg, says", [
    (16000, "far above the most that is safe in a day and asks the patient to contact you or their pharmacist today"),
    (5, "far below the usual amount (perhaps grams written as milligrams)"),
])
def test_the_clinician_note_says_what_the_box_says(mg, says):
    c = case(meds=[("paracetamol", mg)], tried=["acetaminophen"])
    dose = h.doses_from_engine(c, AS_OF, "en")["acetaminophen"]
    (note,) = [n for n in h._dose_notes("acetaminophen", dose) if "The sheet does not say" in n]
    assert says in note
    assert "far above the usual amount" not in note


# --------------------------------------------------------------------------- H-UI-505: the far box's heading
@pytest.mark.parametrize("mg, far", [(12000, False), (12001, True)])
def test_the_far_above_maximum_box_is_headed_as_an_overdose(mg, far):
    c = case(meds=[("paracetamol", mg)], tried=["acetaminophen"])
    en = _box(sheet_text(c, "med_acetaminophen"))
    es = _box(sheet_text(c, "med_acetaminophen", lang="es"))
    assert ("Your recorded dose is far too high: contact your prescriber today" in en) is far
    assert ("La dosis de su historia es demasiado alta: hable hoy con su profesional" in es) is far
    # at the bound (3 times the maximum) the above-maximum box keeps its own heading
    assert ("Your dose is too high for you" in en) is not far


def test_a_far_below_dose_keeps_the_check_heading():
    c = case(meds=[("paracetamol", 5)], tried=["acetaminophen"])
    en = _box(sheet_text(c, "med_acetaminophen"))
    assert "Check your dose before you take more" in en and "far too high" not in en
