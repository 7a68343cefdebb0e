"""Issue 12 §2: a handout names this patient's own medicine and a safe dose.

From the sources: Neurontin label (PHN: 300 mg day 1, titrate to 1800 mg/day; renal table
by CrCl), Lyrica label (start 150 mg/day), Motrin label (prescription maximum 3200 mg/day;
OTC 1200 mg/day), BNF (ibuprofen adult maximum 2.4 g/day; adults under 50 kg dosed by
weight). The sheets are rendered and their text checked.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def case(meds=(), creatinine=None, dialysis=False, weight=80, birth="1980-01-01", sex="male", tried=()):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=birth, sex=sex, weight_kg=weight)
    d["conditions"] = {"alcohol_use": "within_limits"}
    if creatinine is not None:
        d["conditions"]["serum_creatinine"] = {"value": creatinine, "unit": "mg/dL"}
    if dialysis:
        d["conditions"]["dialysis"] = True
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose else {})} for n, dose in meds]
    d["treatments_tried"] = [{"code": c, "started": "2026-11-12"} for c in tried]
    return parse_case(d)


def sheet_text(c, sheet, lang="en", **kw):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet], **kw)
    filled = h.filled_sheets(req)[0]
    return " ".join(hc.plain_text(filled).split())


def dose_lines(text):
    start = text.index("How to take it") if "How to take it" in text else text.index("Cómo tomarl")
    return text[start:start + 400]


# --------------------------------------------------------------------------- own medicine
def test_a_patient_on_oxycodone_gets_oxycodone_never_a_tramadol_dose():
    c = case(meds=[("oxycodone 5 mg", 20)], tried=["opioid"])
    lines = dose_lines(sheet_text(c, "med_opioid"))
    assert "keep taking your oxycodone 5 mg (20 mg a day in all), exactly as your prescriber and its label say" in lines
    assert "tramadol" not in lines.lower() and "400 mg" not in lines


def test_a_patient_on_celecoxib_gets_celecoxib_never_ibuprofens_dose():
    c = case(meds=[("Celebrex 200mg", 400)], tried=["nsaid"])
    lines = dose_lines(sheet_text(c, "med_nsaid"))
    assert "keep taking your celebrex 200mg (400 mg a day in all), exactly as your prescriber" in lines.lower()
    assert "ibuprofen" not in lines.lower() and "3200" not in lines and "400-800" not in lines


def test_a_combination_product_gives_no_paracetamol_dose():
    c = case(meds=[("co-codamol 30/500", None)], tried=["acetaminophen"])
    lines = dose_lines(sheet_text(c, "med_acetaminophen"))
    assert "co-codamol 30/500 exactly as" in lines and "500-1000 mg" not in lines


def test_a_patient_on_naproxen_gets_naproxen():
    c = case(meds=[("naproxen 500mg", 1000)], creatinine=1.0, tried=["nsaid"])
    lines = dose_lines(sheet_text(c, "med_nsaid"))
    assert "keep taking naproxen 1000 mg a day" in lines and "ibuprofen" not in lines


# --------------------------------------------------------------------------- gabapentinoids
# Offered, not taken now (tried before, or to be prescribed): the label's start and titration.
def test_gabapentin_sheet_gives_the_start_and_titration_not_the_top_of_the_band():
    c = case(creatinine=1.0, tried=["gabapentinoid"])  # CrCl 97
    lines = dose_lines(sheet_text(c, "med_gabapentinoid"))
    assert "start 300 mg a day" in lines
    assert "1800 mg" in lines and "3600" not in lines and "900-3600" not in lines


def test_gabapentin_with_kidney_function_unknown_says_the_dose_depends_on_it():
    c = case(tried=["gabapentinoid"])
    lines = dose_lines(sheet_text(c, "med_gabapentinoid"))
    assert "depends on how well your kidneys work" in lines
    assert "kidney blood test" in lines and "3600" not in lines and "1800" not in lines


def test_gabapentin_at_crcl_24_starts_low_within_the_band():
    c = case(creatinine=4.0, tried=["gabapentinoid"])  # CrCl 24.3
    lines = dose_lines(sheet_text(c, "med_gabapentinoid"))
    assert "200-700 mg once a day, starting at 200 mg a day" in lines and "700 mg in a day" in lines


def test_a_patient_on_pregabalin_keeps_pregabalin_and_its_maximum():
    c = case(meds=[("pregabalin", 150)], creatinine=1.0, tried=["gabapentinoid"])
    lines = dose_lines(sheet_text(c, "med_gabapentinoid"))
    assert "keep taking pregabalin 150 mg a day" in lines and "more than 600 mg in a day" in lines
    assert "gabapentin " not in lines and "75 mg twice a day" not in lines


# --------------------------------------------------------------------------- ibuprofen / paracetamol maxima
@pytest.mark.parametrize("profile, self_care, maximum", [("us", False, "3200 mg"), ("uk", False, "2400 mg"),
                                                         ("us", True, "1200 mg"), ("uk", True, "1200 mg")])
def test_ibuprofen_maximum_per_profile_and_setting(profile, self_care, maximum):
    c = case(creatinine=1.0, tried=["nsaid"])
    lines = dose_lines(sheet_text(c, "med_nsaid", profile=profile, self_care=self_care))
    assert f"more than {maximum} in a day" in lines
    if self_care:
        assert "200-400 mg every 4-6 hours" in lines


@pytest.mark.parametrize("weight, maximum", [(45, "2700 mg"), (49.9, "2990 mg"), (50, "4000 mg")])
def test_paracetamol_under_50_kg_is_weight_based(weight, maximum):
    c = case(weight=weight, tried=["acetaminophen"])
    assert f"more than {maximum} in a day" in dose_lines(sheet_text(c, "med_acetaminophen"))


def test_under_18_gets_no_medicine_dose():
    c = case(birth="2010-06-01", creatinine=0.7, weight=60, tried=["nsaid"])  # 16 on AS_OF
    assert h.doses_from_engine(c, AS_OF) == {}


# --------------------------------------------------------------------------- unrecognised medicine
def test_a_dose_sheet_for_a_patient_with_an_unrecognised_medicine_needs_confirmation():
    c = case(meds=[("apixiban", 10)], creatinine=1.0, tried=["acetaminophen"])
    with pytest.raises(h.UnrecognisedMedicineError, match="apixiban"):
        h.request_for_case(c, AS_OF, clinic_name="C", clinic_contact="1", sheets=["med_acetaminophen"])
    assert h.request_for_case(c, AS_OF, clinic_name="C", clinic_contact="1", sheets=["med_acetaminophen"],
                              confirm_unrecognised=True).sheets == ("med_acetaminophen",)
    # general sheets print no dose and need no confirmation
    assert h.request_for_case(c, AS_OF, clinic_name="C", clinic_contact="1", sheets=["warning_signs"])


# --------------------------------------------------------------------------- Spanish, generated from the engine
def _engine_variants():
    from radiculopathy_desktop.domain.medications import load_medicine_data
    data = load_medicine_data()
    dosed = sorted({g for d in data.drugs if d.label_max is not None for g in d.own})
    undosed = ["celecoxib", "oxycodone", "co-codamol", "methylprednisolone", "tizanidine"]
    kidneys = [dict(), dict(creatinine=1.0), dict(creatinine=2.0), dict(creatinine=4.0), dict(creatinine=8.0),
               dict(creatinine=8.0, dialysis=True), dict(dialysis=True)]
    for med, kidney, profile, self_care, weight in itertools.product(
            [None] + dosed + undosed, kidneys, ("us", "uk"), (False, True), (80, 45)):
        yield med, kidney, profile, self_care, weight


def test_every_dose_phrase_the_engine_can_produce_comes_out_in_spanish():
    english = ("mg/day", " a day", "every ", "hours", "haemodialysis", "divided", "twice", "starting at",
               "prescriber", "kidney", "label", "with food")
    seen = set()
    for med, kidney, profile, self_care, weight in _engine_variants():
        c = case(meds=[(med, None)] if med else [], weight=weight, **kidney)
        en = h.doses_from_engine(c, AS_OF, "en", profile=profile, self_care=self_care)
        es = h.doses_from_engine(c, AS_OF, "es", profile=profile, self_care=self_care)  # raises if untranslated
        assert en.keys() == es.keys()
        for cls, dose in es.items():
            seen.add(en[cls].dose_range)
            for word in english:
                assert word not in dose.dose_range and word not in dose.max_daily_dose, (med, kidney, dose)
    assert len(seen) > 15  # the variants really cover many phrases
    dialysis = h.doses_from_engine(case(dialysis=True, tried=["gabapentinoid"]), AS_OF, "es")
    assert "hemodiálisis" in dialysis["gabapentinoid"].dose_range


def test_a_spanish_sheet_renders_the_dialysis_supplement_in_spanish():
    c = case(dialysis=True, tried=["gabapentinoid"])
    text = sheet_text(c, "med_gabapentinoid", lang="es")
    assert "hemodiálisis" in text and "haemodialysis" not in text and "supplemental" not in text


def test_a_patient_on_prednisolone_is_told_prednisolone():
    c = case(meds=[("prednisolone 5mg", 40)], creatinine=1.0, tried=["oral_corticosteroid"])
    lines = dose_lines(sheet_text(c, "med_oral_steroid"))
    assert "keep taking prednisolone 40 mg a day" in lines and "prednisone" not in lines
    assert "prednisolona" in dose_lines(sheet_text(c, "med_oral_steroid", lang="es"))


# --------------------------------------------------------------------------- a current dose above the maximum
# Red-team rt8 F4: a patient already above their maximum was given "starting at 200 mg" and
# "we start low and raise it slowly". Neurontin label, renal table: CrCl 15-29 mL/min,
# 200-700 mg/day; "discontinue gradually over a minimum of 1 week" (withdrawal, seizures).
# Motrin label: prescription maximum 3200 mg/day.
def _full_text(c, sheet, lang="en", **kw):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet], **kw)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


@pytest.mark.parametrize("dose, above", [(700, False), (701, True), (3600, True)])
def test_gabapentin_above_the_kidney_maximum_is_lowered_by_plan_never_restarted(dose, above):
    c = case(meds=[("gabapentin", dose)], creatinine=4.0, tried=["gabapentinoid"])  # CrCl 24.3: max 700
    text, req = _full_text(c, "med_gabapentinoid")
    assert any("above this patient's maximum" in n for n in h.dose_notices(req)) is above
    from radiculopathy_desktop.domain import medications
    worklist_says = medications.dose_reductions(medications.assess_medications(c.intake, AS_OF))
    assert bool(worklist_says) is above  # the same check as the worklist's "Reduce dose"
    if above:
        assert text.startswith("Your medicine") and "Your dose is too high for you" in text
        assert f"You take gabapentin {dose} mg a day now. For you, the most is 700 mg a day." in text
        assert "Do not stop it or cut it down all at once" in text
        assert "plan to lower your gabapentin from" in text and "the amount in that plan" in text
        assert "starting at" not in text and "We start with a low dose" not in text
        assert text.index("too high") < text.index("What is it for")  # first, before anything else
    else:  # at the kidney maximum: keep taking it (red-team rt9 F2), never "start at 200 mg"
        assert "keep taking gabapentin 700 mg a day" in text and "Do not take more than 700 mg in a day" in text
        assert "starting at" not in text and "We start with a low dose" not in text and "too high" not in text


@pytest.mark.parametrize("dose, above", [(3200, False), (3201, True), (4000, True)])
def test_ibuprofen_above_the_label_maximum_says_to_take_no_more_than_it_from_now_on(dose, above):
    """Above its maximum the table says avoid; the patient still takes it, so the sheet must
    say the dose is too high (red-team rt9 F1: before, no sheet at all and no word)."""
    c = case(meds=[("ibuprofen", dose)], creatinine=1.0, tried=["nsaid"])
    text, req = _full_text(c, "med_nsaid", profile="us")
    if above:
        assert f"You take ibuprofen {dose} mg a day now. For you, the most is 3200 mg a day." in text
        assert "Take no more than 3200 mg a day from now on" in text and "more than 3200 mg in a day" in text
        assert h.dose_notices(req)
    else:
        assert "too high" not in text and "more than 3200 mg in a day" in text
        assert [n for n in h.dose_notices(req) if "above" in n] == []


@pytest.mark.parametrize("meds, limit", [([("gabapentin", 3700)], "3600"), ([("pregabalin", 601)], "600")])
def test_a_gabapentinoid_above_the_label_maximum_is_lowered_step_by_step(meds, limit):
    c = case(meds=meds, creatinine=1.0, tried=["gabapentinoid"])  # normal kidneys: the label maximum
    text, req = _full_text(c, "med_gabapentinoid")
    assert "Your dose is too high for you" in text and f"the most is {limit} mg a day" in text
    assert "step by step" in text and "We start with a low dose" not in text and h.dose_notices(req)


def test_the_spanish_sheet_says_it_too():
    c = case(meds=[("gabapentin", 3600)], creatinine=4.0, tried=["gabapentinoid"])
    text, _ = _full_text(c, "med_gabapentinoid", lang="es")
    assert "Su dosis es demasiado alta para usted" in text
    assert "Ahora toma gabapentina 3600 mg al día. Para usted, lo máximo es 700 mg al día." in text
    assert "empezando con" not in text and "Empezamos con una dosis baja" not in text


# --------------------------------------------------------------------------- a medicine taken now, at or below the maximum
# Red-team rt9 F2: a patient on gabapentin 3600 mg/day (the label maximum) was given "start
# 300 mg a day ... We start with a low dose and raise it slowly" and could cut down at once.
# Neurontin label (Dosage and Administration; Warnings, withdrawal-precipitated seizures):
# if the dose is reduced, discontinued or substituted, do it gradually over a minimum of one
# week; maximum 3600 mg/day. Lyrica label: do not discontinue abruptly (insomnia, nausea,
# headache, anxiety, sweating, diarrhoea), taper over at least a week; maximum 600 mg/day.
# FDA Drug Safety Communication 9 April 2019 (opioid analgesic labelling): do not abruptly
# discontinue an opioid in a physically dependent patient; taper gradually. Ultram label:
# tramadol not more than 400 mg/day. Motrin label: ibuprofen prescription maximum 3200 mg/day.
# The sheet says to keep the current dose as prescribed; for the tapered classes, not to stop
# it suddenly. Above the maximum: the "too high" sheet (tests above).
LABEL_MAX = [("gabapentin", "gabapentinoid", "med_gabapentinoid", 3600),
             ("pregabalin", "gabapentinoid", "med_gabapentinoid", 600),
             ("tramadol", "opioid", "med_opioid", 400),
             ("ibuprofen", "nsaid", "med_nsaid", 3200)]


@pytest.mark.parametrize("generic, cls, sheet, maximum", LABEL_MAX)
@pytest.mark.parametrize("offset", [-1, 0, 1])  # just below, exactly at, just above the label maximum
def test_a_medicine_taken_now_keeps_its_dose_at_or_below_the_maximum_never_a_starting_dose(
        generic, cls, sheet, maximum, offset):
    dose = maximum + offset
    c = case(meds=[(generic, dose)], creatinine=1.0, tried=[cls])  # CrCl 97: the label maximum
    text, req = _full_text(c, sheet, profile="us")
    lines = dose_lines(text)
    tapered = cls in ("gabapentinoid", "opioid")
    for word in ("start 300 mg", "We start with a low dose", "starting at", "75 mg twice a day",
                 "50-100 mg every 4-6 hours", "400-800 mg"):
        assert word not in text, (dose, word)
    if offset <= 0 and generic == "tramadol":
        # 399-400 mg of tramadol is 80 MME/day (x 0.2): the high-dose sheet (mme21; CDC 2022
        # recommendation 5: not stopped abruptly), kept as prescribed, never "keep taking" alone
        assert f"Your dose: take your tramadol as prescribed, and do not change the dose or stop it on your own; " \
               f"ask at your next review about your dose and about naloxone." in lines
        assert "too high" not in text and "keep taking" not in text
        return
    if offset <= 0:
        assert f"Your dose: keep taking {generic} {dose} mg a day, as prescribed, unless your clinician " \
               f"changes it." in lines
        assert f"Do not take more than {maximum} mg in a day." in lines  # never a maximum below their dose
        assert "too high" not in text
        assert ("Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step."
                in lines) is tapered
        notes = h.dose_notices(req)
        assert len(notes) == 1 and f"taken now ({generic} {dose} mg a day)" in notes[0]
        assert ("not to stop it suddenly" in notes[0]) is tapered
    else:
        assert "Your dose is too high for you" in text and f"You take {generic} {dose} mg a day now." in text
        assert "keep taking" not in text
        assert any("above this patient's maximum" in n for n in h.dose_notices(req))


@pytest.mark.parametrize("generic, cls, sheet, maximum", LABEL_MAX)
def test_a_medicine_taken_now_with_no_dose_recorded_is_kept_as_prescribed(generic, cls, sheet, maximum):
    c = case(meds=[(generic, None)], creatinine=1.0, tried=[cls])
    text, req = _full_text(c, sheet, profile="us")
    lines = dose_lines(text)
    assert f"Your dose: keep taking your {generic} as prescribed, unless your clinician changes it." in lines
    assert f"Do not take more than {maximum} mg in a day." in lines
    assert "We start with a low dose" not in text and "too high" not in text
    assert ("Do not stop it suddenly." in lines) is (cls in ("gabapentinoid", "opioid"))
    assert f"taken now ({generic}, dose not recorded)" in h.dose_notices(req)[0]


@pytest.mark.parametrize("tried, sheet, start", [("gabapentinoid", "med_gabapentinoid", "gabapentin start 300 mg a day"),
                                                 ("opioid", "med_opioid", "50-100 mg every 4-6 hours")])
def test_a_medicine_offered_but_not_taken_gets_the_starting_regimen(tried, sheet, start):
    c = case(creatinine=1.0, tried=[tried])  # tried before, not in the current medicines
    text, req = _full_text(c, sheet, profile="us")
    assert start in dose_lines(text) and "keep taking" not in text and "Do not stop it suddenly" not in text
    assert h.dose_notices(req) == []
    if tried == "gabapentinoid":
        assert "We start with a low dose and raise it slowly." in text


def test_an_oxycodone_patient_is_told_not_to_stop_it_suddenly():
    """No dose row for oxycodone: "take it as your prescriber and its label say", and the opioid
    labelling's warning against stopping it abruptly."""
    c = case(meds=[("oxycodone 5 mg", 20)], tried=["opioid"])
    text, req = _full_text(c, "med_opioid")
    assert "keep taking your oxycodone 5 mg (20 mg a day in all), exactly as your prescriber and its label say" in text
    assert "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step." in text
    assert "taken now (oxycodone 5 mg, 20 mg a day)" in h.dose_notices(req)[0]
    # no dose recorded: as the prescriber and the label say, and the note says so
    c = case(meds=[("oxycodone 5 mg", None)], tried=["opioid"])
    text, req = _full_text(c, "med_opioid")
    assert "take your oxycodone 5 mg exactly as your prescriber and its label say" in text
    assert "Do not stop it suddenly." in text and "taken now (oxycodone 5 mg, dose as prescribed)" in h.dose_notices(req)[0]
    es, _ = _full_text(case(meds=[("oxycodone 5 mg", 20)], tried=["opioid"]), "med_opioid", lang="es")
    assert "siga tomando su oxicodona 5 mg (20 mg al día en total), exactamente como" in es and "No lo deje de golpe." in es


@pytest.mark.parametrize("generic, dose, cls, sheet, maximum", [("gabapentin", 3600, "gabapentinoid", "med_gabapentinoid", 3600),
                                                                ("tramadol", 200, "opioid", "med_opioid", 400),
                                                                ("gabapentin", None, "gabapentinoid", "med_gabapentinoid", 3600)])
def test_the_spanish_sheet_keeps_the_current_dose_too(generic, dose, cls, sheet, maximum):
    c = case(meds=[(generic, dose)], creatinine=1.0, tried=[cls])
    text, req = _full_text(c, sheet, lang="es", profile="us")
    name = {"gabapentin": "gabapentina", "tramadol": "tramadol"}[generic]
    if dose is None:
        assert f"Su dosis: siga tomando su {name} como se lo recetaron, salvo que su profesional lo cambie." in text
    else:
        assert f"Su dosis: siga tomando {name} {dose} mg al día, como se lo recetaron, salvo que su profesional " \
               "lo cambie." in text
    assert "No lo deje de golpe. Si hay que dejarlo, su profesional se lo bajará paso a paso." in text
    assert f"{maximum} mg" in text
    assert "Empezamos con una dosis baja" not in text and "empezando con" not in text and "keep taking" not in text


from . import test_handout_readability as readability  # noqa: E402 - the module, so its tests are not collected twice

english_syllable_dictionary = readability.english_syllable_dictionary  # the offline syllable dictionary fixture


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("generic, cls, sheet", [("gabapentin", "gabapentinoid", "med_gabapentinoid"),
                                                 ("tramadol", "opioid", "med_opioid")])
def test_a_sheet_for_a_medicine_taken_now_still_reads_at_the_required_level(
        generic, cls, sheet, lang, english_syllable_dictionary, request):
    """The sheets' plain-language rule (US grade 6 or below in English, Fernandez-Huerta 70 or
    above in Spanish) holds with the "keep taking it" and "do not stop it suddenly" sentences."""
    c = case(meds=[(generic, 200)], creatinine=1.0, tried=[cls])  # tramadol 200: 40 MME/day, below 50 (mme21)
    req = h.request_for_case(c, AS_OF, clinic_name="Riverside Clinic", clinic_contact="555 0100", lang=lang,
                             sheets=[sheet])
    filled = h.filled_sheets(req)[0]
    text = readability.measured_text(filled)
    assert ("keep taking" if lang == "en" else "siga tomando") in text
    readability.assert_reads_at_required_level(text, lang, request)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [[("morphine 200mg bd", None)], [("oxycodone", 60)], [("fentanyl 50 mcg/h patch", None)]])
def test_the_high_opioid_dose_sheet_reads_at_the_required_level(meds, lang, english_syllable_dictionary, request):
    """mme21: the "Your opioid dose is high" box and dose line keep the sheets' plain-language rule.
    (Tramadol 300 mg a day is 60 MME/day, the window's "Reassess opioid dose": its sheet asks for a
    review, sht24; oxycodone 60 mg a day is 90, "High opioid dose".)"""
    c = case(meds=meds, creatinine=1.0, tried=["opioid"])
    req = h.request_for_case(c, AS_OF, clinic_name="Riverside Clinic", clinic_contact="555 0100", lang=lang,
                             sheets=["med_opioid"])
    text = readability.measured_text(h.filled_sheets(req)[0])
    assert ("Your opioid dose is high" if lang == "en" else "Su dosis de opioide es alta") in text
    readability.assert_reads_at_required_level(text, lang, request)
