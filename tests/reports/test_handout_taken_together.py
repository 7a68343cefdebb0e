"""Handouts for medicines taken now that the medicine check flags (red-team rt10 F2, F3, F4).

From the sources:
- Tylenol / acetaminophen OTC label (Drug Facts): "do not use with any other drug containing
  acetaminophen"; not more than 4000 mg in 24 hours (adults); liver damage above it.
- Ultram (tramadol) label: not more than 400 mg/day, whatever product the tramadol comes in.
- Motrin label: ibuprofen prescription maximum 3200 mg/day; NSAID class labelling: avoid
  two NSAIDs together (GI bleeding, no added benefit).
- Neurontin / Lyrica labels: the daily maximum (3600 / 600 mg) is set by creatinine clearance
  (dose tables by CrCl): with no clearance, the kidney maximum cannot be checked.
- FDA safety communication 9 April 2019 (opioids): do not stop abruptly.

F2: two current products the engine rates "avoid" together (the same ingredient twice, or two
of a class) never get "keep taking ... as prescribed": the sheet names both, with the dose
recorded for each, says they count toward one daily maximum (the same ingredient twice; two different
NSAIDs are not to be taken together at all: wording29) and to ask before the next dose which one to keep taking; a dose that was recorded is never "not recorded".
F3: kidney function unknown for a medicine the data doses by it: the sheet never says "Your
dose is set for how well your kidneys work"; it says to ask whether the dose is right for the
kidneys (a blood test), and the clinician is told the kidney maximum could not be checked.
F4: the first-prescription sentences ("Use it for as few days as you can", "If it does not
help within a few weeks, we will stop it") are for a medicine offered, not one taken now.
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

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
KEEP_EN = "keep taking"
KEEP_ES = "siga tomando"


def case(meds, creatinine=1.0, weight=80, ckd=False, tried=()):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male")
    if weight is None:
        d["patient"].pop("weight_kg", None)
    else:
        d["patient"]["weight_kg"] = weight
    d["conditions"] = {"alcohol_use": "within_limits"}
    if creatinine is not None:
        d["conditions"]["serum_creatinine"] = {"value": creatinine, "unit": "mg/dL"}  # CrCl 97 at 1.0
    if ckd:
        d["conditions"]["ckd"] = True
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose else {})} for n, dose in meds]
    d["treatments_tried"] = [{"code": c, "started": "2026-11-12"} for c in tried]
    return parse_case(d)


def sheet(c, sheet_id, lang="en", **kw):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=[sheet_id], **kw)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


def kept_words(text):
    """The sheet's text without the one sentence that asks which one to keep taking."""
    return text.lower().replace("which one to keep taking", "")


# --------------------------------------------------------------------------- F2: same ingredient twice
SAME = [
    # (medicines, sheets printed, shared ingredient, its maximum for this 80 kg adult, patient wording)
    ([("acetaminophen", 4000), ("co-codamol 30/500", None)], ["med_acetaminophen", "med_opioid"],
     "acetaminophen", 4000, "You take acetaminophen 4000 mg a day and co-codamol 30/500."),
    # a combination's recorded mg are one component's (med16, G17): read by the strength in the
    # name as tablets, or "dose to check" without one (never "percocet 40 mg a day")
    ([("acetaminophen", 3000), ("percocet", 40)], ["med_acetaminophen", "med_opioid"],
     "acetaminophen", 4000, "You take acetaminophen 3000 mg a day and percocet (the dose in your record needs checking)."),
    ([("acetaminophen", 1000), ("percocet 5/325", 20)], ["med_acetaminophen", "med_opioid"],
     "acetaminophen", 4000, "You take acetaminophen 1000 mg a day and percocet 5/325 (4 tablets a day)."),
    ([("tramadol", 400), ("tramacet", None)], ["med_opioid", "med_acetaminophen"],
     "tramadol", 400, "You take tramadol 400 mg a day and Tramacet."),
    ([("ibuprofen", 2400), ("advil dual action", None)], ["med_nsaid"],
     "ibuprofen", 3200, "You take ibuprofen 2400 mg a day and advil dual action."),
    ([("gabapentin", 1800), ("neurontin", 1800)], ["med_gabapentinoid"],
     "gabapentin", 3600, "You take gabapentin 1800 mg a day and Neurontin 1800 mg a day."),
]


@pytest.mark.parametrize("meds, sheets, generic, maximum, named", SAME)
def test_two_products_with_the_same_ingredient_are_never_kept_both(meds, sheets, generic, maximum, named):
    c = case(meds)
    for sheet_id in sheets:
        text, req = sheet(c, sheet_id, profile="us")
        if (sheet_id, generic) in {("med_acetaminophen", "tramadol"), ("med_opioid", "acetaminophen")}:
            # the "same medicine ... which one to keep" box belongs on the sheet of the ingredient
            # it is about (sheet19 item 2): the other product's sheet asks whether to keep taking
            # it and why (or, its strength unknown, to check its dose), never "keep taking" and
            # never another medicine's daily maximum
            assert "Two of your medicines should not be taken together" not in text, sheet_id
            assert "They contain the same medicine" not in text and f"mg of {generic}" not in text
            assert "keep taking your" not in text.replace("whether to keep taking your", "")
            assert ("Ask your clinician before your next dose whether to keep taking it" in text
                    or "dose with your prescriber before your next dose" in text)
            notes = h.dose_notices(req)
            assert notes and not any("taken together (" in n for n in notes)
            continue
        assert KEEP_EN not in kept_words(text) and "exactly as your prescriber" not in text, sheet_id
        assert "Two of your medicines should not be taken together" in text
        assert named in text
        assert (f"They contain the same medicine, {generic}, so they add up: together they count toward one "
                "daily maximum. Ask your clinician before your next dose which one to keep taking.") in text
        assert "Your dose: ask your clinician before your next dose which one to keep taking." in text
        assert f"Do not take more than {maximum} mg of {generic} from all your medicines together in a day." \
            in text
        assert "We start with a low dose" not in text and "Use it for as few days" not in text
        notes = h.dose_notices(req)
        assert len(notes) == 1 and "taken together (" in notes[0] and f"both containing {generic}" in notes[0]
        assert "which one to keep taking" in notes[0]
        # a recorded daily dose is never "not recorded" (rt10 F2 a)
        for name, dose in meds:
            name = h.display_name(name)  # a brand as its maker prints it ("Neurontin": sht24)
            if dose and "percocet" in name:  # a combination: its recorded mg with how they were read
                assert f"{name} recorded as {dose} mg a day" in notes[0]
            elif dose:
                assert f"{name} {dose} mg a day" in notes[0] and f"{name} (dose not recorded)" not in notes[0]
                assert f"{name}, dose not recorded" not in notes[0]
            else:
                assert f"{name} (dose not recorded)" in notes[0]


def test_the_opioid_and_gabapentinoid_sheets_still_say_not_to_stop_suddenly():
    for meds, sheet_id in (([("acetaminophen", 4000), ("co-codamol 30/500", None)], "med_opioid"),
                           ([("gabapentin", 1800), ("pregabalin", 300)], "med_gabapentinoid")):
        text, _ = sheet(case(meds), sheet_id)
        # one product on the sheet "it", two "them" (wording30)
        assert {"med_opioid": "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step.",
                "med_gabapentinoid": "Do not stop them suddenly. If they need to stop, your clinician will lower them "
                                     "step by step."}[sheet_id] in text


# --------------------------------------------------------------------------- F2: two of a class
@pytest.mark.parametrize("meds, sheet_id, named", [
    ([("ibuprofen", 2400), ("naproxen", 1000)], "med_nsaid",
     "You take ibuprofen 2400 mg a day and naproxen 1000 mg a day."),
    ([("gabapentin", 1800), ("pregabalin", 300)], "med_gabapentinoid",
     "You take gabapentin 1800 mg a day and pregabalin 300 mg a day."),
])
def test_two_of_a_class_rated_avoid_together_name_both_and_keep_neither(meds, sheet_id, named):
    text, req = sheet(case(meds), sheet_id)
    assert KEEP_EN not in kept_words(text)
    if sheet_id == "med_gabapentinoid":
        # two different medicines never stopped at once (classes.toml [stop_gradually]): no shared mg
        # maximum and no "which one to keep ... before your next dose" (fxa18; rt19 F4, gp18 F2)
        assert (named + " They are the same kind of medicine and should not be taken together: together they add "
                "to the risk of slowed breathing and drowsiness.") in text
        assert "one daily maximum" not in text and "which one to keep taking" not in text
    else:
        # wording29 (H-MED-562): two different NSAIDs share no "one daily maximum"; the NSAID labels say not
        # to combine them at all
        assert (named + " They are the same kind of medicine and should not be taken together: taking them "
                "together does not help more and makes harm more likely. Ask your clinician before your next dose "
                "which one to keep taking.") in text
        assert "one daily maximum" not in text
    assert "Do not take more than the amount your clinician tells you in a day." in text
    note = h.dose_notices(req)[0]
    assert f"taken together ({meds[0][0]} {meds[0][1]} mg a day and {meds[1][0]} {meds[1][1]} mg a day)" in note
    assert h.taken_now_note(req.doses).startswith("Taken together although they should not be (")


def test_a_pair_rated_only_caution_or_of_another_kind_is_not_taken_together():
    # two products of one opioid: the engine says caution (add up the MME), not avoid: both are
    # kept, each named with its dose (hd16: the sheet named the first alone). Two DIFFERENT opioids
    # are avoid since opi18 (ix-two-different-opioids): test_two_opioids_at_once.py
    # 10 + 20 mg of oxycodone is 45 MME/day, below the 50 of the high-dose sheet (mme21)
    text, req = sheet(case([("oxycodone", 10), ("oxycontin", 20)]), "med_opioid")
    assert "keep taking your oxycodone 10 mg a day and oxycontin 20 mg a day" in text
    assert "should not be taken together" not in text
    text, req = sheet(case([("tramadol", 200), ("oxycodone", 20)]), "med_opioid")
    assert "keep taking" not in kept_words(text)
    assert ("You take tramadol 200 mg a day and oxycodone 20 mg a day. They are the same kind of medicine and "
            "should not be taken together") in text
    # ibuprofen with warfarin is "avoid", but not the same medicine or class: "which one to keep
    # taking" is not the question; the NSAID sheet is not one the engine doses then (avoid)
    doses = h.doses_from_engine(case([("ibuprofen", 2400), ("warfarin", 5)]), AS_OF)
    assert all(d.together is None for d in doses.values())
    # one product alone: kept as before
    text, req = sheet(case([("acetaminophen", 4000)]), "med_acetaminophen")
    assert "keep taking acetaminophen 4000 mg a day" in text and "should not be taken together" not in text


def test_the_spanish_sheet_says_it_too():
    text, _ = sheet(case([("acetaminophen", 4000), ("co-codamol 30/500", None)]), "med_acetaminophen", lang="es")
    assert KEEP_ES not in text.lower() and "keep taking" not in text and "take your" not in text
    assert "Dos de sus medicamentos no deben tomarse juntos" in text
    assert ("Usted toma paracetamol 4000 mg al día y co-codamol 30/500. Llevan el mismo medicamento, paracetamol, "
            "así que se suman") in text
    assert "Pregunte a su profesional antes de su próxima dosis cuál debe seguir tomando." in text
    assert "No tome más de 4000 mg de paracetamol sumando todos sus medicamentos al día." in text
    text, _ = sheet(case([("ibuprofen", 2400), ("naproxen", 1000)]), "med_nsaid", lang="es")
    assert "Usted toma ibuprofeno 2400 mg al día y naproxeno 1000 mg al día. Son el mismo tipo de medicamento" in text


# --------------------------------------------------------------------------- F3: kidney function unknown
KIDNEY_SET = "Your dose is set for how well your kidneys work."
ASK_KIDNEY = "Ask your clinician whether your dose is right for your kidneys. You may need a blood test."


@pytest.mark.parametrize("generic, dose, sheet_id", [("gabapentin", 3600, "med_gabapentinoid"),
                                                     ("pregabalin", 600, "med_gabapentinoid"),
                                                     ("tramadol", 200, "med_opioid"),  # 40 MME/day: below 50 (mme21)
                                                     ("ibuprofen", 2400, "med_nsaid")])
@pytest.mark.parametrize("creatinine, weight, why", [(None, 80, "no creatinine recorded"),
                                                     (1.0, None, "no weight recorded")])
def test_with_kidney_function_unknown_the_sheet_never_says_the_dose_is_set_for_the_kidneys(
        generic, dose, sheet_id, creatinine, weight, why):
    c = case([(generic, dose)], creatinine=creatinine, weight=weight, ckd=True)
    text, req = sheet(c, sheet_id)
    assert f"keep taking {generic} {dose} mg a day" in text
    assert KIDNEY_SET not in text and ASK_KIDNEY in text
    notes = h.dose_notices(req)
    assert any(f"the kidney maximum could not be checked ({why})" in n for n in notes), notes
    assert "kidney maximum could not be checked" in h.taken_now_note(req.doses)


@pytest.mark.parametrize("generic, dose", [("gabapentin", 3600), ("pregabalin", 600)])
def test_with_a_clearance_the_dose_is_set_for_the_kidneys_and_nothing_is_asked(generic, dose):
    c = case([(generic, dose)], creatinine=1.0, ckd=True)  # CrCl 97: the label maximum holds
    text, req = sheet(c, "med_gabapentinoid")
    assert KIDNEY_SET in text and ASK_KIDNEY not in text
    assert not any("kidney maximum" in n for n in h.dose_notices(req))


def test_a_gabapentinoid_offered_with_kidney_function_unknown_does_not_claim_it_was_set_for_them():
    text, req = sheet(case([], creatinine=None, tried=["gabapentinoid"]), "med_gabapentinoid")
    assert "depends on how well your kidneys work" in text and KIDNEY_SET not in text and ASK_KIDNEY in text
    assert h.dose_notices(req) == []  # nothing taken now


def test_the_spanish_sheet_asks_about_the_kidneys_too():
    text, _ = sheet(case([("gabapentin", 3600)], creatinine=None, ckd=True), "med_gabapentinoid", lang="es")
    assert "Pregunte a su profesional si su dosis es la adecuada para sus riñones." in text
    assert "Su dosis depende de cómo le funcionan los riñones" not in text
    text, _ = sheet(case([("gabapentin", 3600)], creatinine=1.0), "med_gabapentinoid", lang="es")
    assert "Su dosis depende de cómo le funcionan los riñones" in text and "Pregunte a su profesional si su dosis" not in text


# --------------------------------------------------------------------------- F4: first-prescription text
@pytest.mark.parametrize("lang, short_course", [
    ("en", "Use it for as few days as you can. Most people need it for less than a week."),
    ("es", "Úselo el menor número de días posible. Casi todo el mundo lo necesita menos de una semana.")])
def test_the_short_course_text_is_for_a_new_prescription_only(lang, short_course):
    taken, _ = sheet(case([("tramadol", 200)]), "med_opioid", lang=lang)
    offered, _ = sheet(case([], tried=["opioid"]), "med_opioid", lang=lang)
    assert short_course not in taken and short_course in offered
    assert (KEEP_EN if lang == "en" else KEEP_ES) in taken


@pytest.mark.parametrize("lang, stop_it", [("en", "If it does not help within a few weeks, we will stop it."),
                                           ("es", "Si no le ayuda en unas semanas, la dejaremos.")])
def test_the_gabapentinoid_trial_sentence_is_for_a_new_prescription_only(lang, stop_it):
    taken, _ = sheet(case([("gabapentin", 1800)]), "med_gabapentinoid", lang=lang)
    offered, _ = sheet(case([], tried=["gabapentinoid"]), "med_gabapentinoid", lang=lang)
    assert stop_it not in taken and stop_it in offered


def test_the_spanish_sheet_names_oxycodone_in_spanish():
    for recorded, spanish in (("oxycodone", "oxicodona, 20 mg al día"),
                              ("oxycodone 5 mg", "oxicodona 5 mg (20 mg al día en total)")):  # rd13 D10
        text, _ = sheet(case([(recorded, 20)], tried=["opioid"]), "med_opioid", lang="es")
        assert f"siga tomando su {spanish}" in text and "oxycodone" not in text


from . import test_handout_readability as readability  # noqa: E402 - the module, so its tests are not collected twice

english_syllable_dictionary = readability.english_syllable_dictionary  # the offline syllable dictionary fixture


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds, creatinine, sheet_id", [
    ([("acetaminophen", 4000), ("co-codamol 30/500", None)], 1.0, "med_acetaminophen"),
    ([("gabapentin", 1800), ("pregabalin", 300)], 1.0, "med_gabapentinoid"),
    ([("gabapentin", 3600)], None, "med_gabapentinoid")])
def test_the_new_sentences_still_read_at_the_required_level(meds, creatinine, sheet_id, lang,
                                                            english_syllable_dictionary, request):
    """US grade 6 or below in English, Fernandez-Huerta 70 or above in Spanish, with the boxed
    "taken together" text or the kidney question in the filled sheet."""
    req = h.request_for_case(case(meds, creatinine=creatinine, ckd=creatinine is None), AS_OF,
                             clinic_name="Riverside Clinic", clinic_contact="555 0100", lang=lang, sheets=[sheet_id])
    filled = h.filled_sheets(req)[0]
    text = readability.measured_text(filled)
    assert ("Pregunte a su profesional" if lang == "es" else "Ask your clinician") in text
    readability.assert_reads_at_required_level(text, lang, request)
