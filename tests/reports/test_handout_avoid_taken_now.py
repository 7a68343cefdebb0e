"""Handouts for a medicine taken now that the medicine check rates AVOID for this patient, and
starting doses with kidney function unknown (red-team rt11 F3, F5).

From the sources:
- FDA Drug Safety Communication, 31 August 2016 (boxed warning): opioids with benzodiazepines
  (profound sedation, respiratory depression, coma, death): avoid prescribing them together.
- FDA Drug Safety Communication, 19 December 2019: gabapentin/pregabalin with opioids or other
  CNS depressants: serious breathing difficulties; AGS Beers Criteria 2023: avoid the opioid +
  gabapentinoid combination.
- Ultram (tramadol) label: serotonin syndrome with SSRIs (sertraline).
- NSAID class labelling (Motrin, Naprosyn) and the apixaban/warfarin labels: an NSAID with an
  anticoagulant raises the risk of serious bleeding.
- AGS Beers Criteria 2023: with a history of falls or fractures at 65 or over, avoid opioids
  and antiepileptics (gabapentinoids); skeletal muscle relaxants are avoided at 65 and over.
- Neurontin label (discontinue gradually over at least a week) and FDA 19 April 2019 (opioids:
  no abrupt discontinuation): "do not stop it suddenly" stays for a medicine taken now.
- F5: Motrin and Ultram labels: kidney impairment limits the dose (Ultram: CrCl below 30,
  12-hourly, at most 200 mg/day; NSAIDs: avoid in advanced kidney disease). With CKD recorded
  and no creatinine the maximum cannot be checked before the medicine is started.

F3: such a medicine never gets "keep taking ... as prescribed"; its sheet is kept (the patient
takes it) and says first, boxed, to ask before the next dose whether to keep taking it and why
in plain words; the clinician is told the AVOID alert (the engine's reason). A sheet left out
for a medicine given but not taken is named, with why.
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
TAPER_EN = "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step."
TAPER_ES = "No lo deje de golpe. Si hay que dejarlo, su profesional se lo bajará paso a paso."
# two products or more on the sheet (wording30)
TAPER_THEM = "Do not stop them suddenly. If they need to stop, your clinician will lower them step by step."
ASK_EN = "Ask your clinician before your next dose whether to keep taking it:"
ASK_ES = "Pregunte a su profesional antes de su próxima dosis si debe seguir tomándolo:"
KIDNEY_START_EN = ("Before you start it, ask your clinician whether it is safe for your kidneys and what dose is "
                   "right for them. You may need a blood test first.")
KIDNEY_START_ES = ("Antes de empezar a tomarlo, pregunte a su profesional si es seguro para sus riñones y qué dosis "
                   "es la adecuada para ellos. Puede que antes necesite un análisis de sangre.")


def case(meds, creatinine=1.0, birth="1980-01-01", falls=False, ckd=False, tried=()):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=birth, sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits"}
    if creatinine is not None:
        d["conditions"]["serum_creatinine"] = {"value": creatinine, "unit": "mg/dL"}
    if falls:
        d["conditions"]["falls_history"] = True
    if ckd:
        d["conditions"]["ckd"] = True
    d["medicines"] = [{"name": n, "daily_dose_mg": dose} for n, dose in meds]
    d["treatments_tried"] = [{"code": c, "started": "2026-11-12"} for c in tried]
    return parse_case(d)


def text_of(c, sheet_id, lang="en", **kw):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=[sheet_id], **kw)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


INTERACTIONS = [
    # (medicines, the sheet of the medicine rated avoid, the other medicine in the patient's words,
    #  Spanish name, a word of the engine's reason, tapered class)
    ([("oxycodone", 20), ("diazepam", 10)], "med_opioid", "diazepam", "diazepam", "benzodiazepine", True),
    ([("gabapentin", 1800), ("oxycodone", 20)], "med_gabapentinoid", "oxycodone", "oxicodona", "opioid", True),
    ([("gabapentin", 1800), ("oxycodone", 20)], "med_opioid", "gabapentin", "gabapentina", "gabapentinoid", True),
    ([("tramadol", 200), ("sertraline", 100)], "med_opioid", "sertraline", "sertraline", "serotonin", True),
    ([("ibuprofen", 1200), ("apixaban", 10)], "med_nsaid", "apixaban", "apixaban", "bleeding", False),
    ([("naproxen", 1000), ("warfarin", 5)], "med_nsaid", "warfarin", "warfarin", "bleeding", False),
]


@pytest.mark.parametrize("meds, sheet_id, other, other_es, reason_word, tapered", INTERACTIONS)
def test_a_medicine_taken_with_another_it_should_not_be_taken_with_is_never_kept_as_prescribed(
        meds, sheet_id, other, other_es, reason_word, tapered):
    c = case(meds)
    # the default handout keeps its sheet (the patient takes it): never silently dropped
    default = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555")
    assert sheet_id in default.sheets and default.not_offered == ()
    text, req = text_of(c, sheet_id)
    taken = dict(meds)
    name = next(n for n, _ in meds if n != other)
    assert "Ask before your next dose" in text
    assert (f"You take {name} {taken[name]} mg a day. {ASK_EN} it should not be taken with your {other}.") in text
    assert f"Your dose: ask your clinician before your next dose whether to keep taking your {name}." in text
    assert "as prescribed" not in text and "exactly as your prescriber" not in text
    assert "keep taking" not in text.replace("whether to keep taking it", "").replace(
        f"whether to keep taking your {name}", "")
    assert "We start with a low dose" not in text
    assert (TAPER_EN in text) is tapered
    # rd13 D7: no daily ceiling on a sheet that asks whether to take it at all
    assert "Do not take more than" not in text
    notes = [n for n in h.dose_notices(req) if n.startswith(sheet_id)]
    assert len(notes) == 1 and "rates it AVOID for this patient" in notes[0]
    assert reason_word in notes[0] and "keep taking the current dose" not in notes[0]
    # Spanish: the same, in plain Spanish words
    es, _ = text_of(c, sheet_id, "es")
    assert f"{ASK_ES} no debe tomarse junto con su {other_es}." in es
    assert "siga tomando" not in es and "como se lo recetaron" not in es
    assert (TAPER_ES in es) is tapered
    assert "No tome más de" not in es


@pytest.mark.parametrize("meds, sheet_id, tapered", [
    ([("oxycodone", 20)], "med_opioid", True),          # Beers 2023: opioids, falls at 65+
    ([("gabapentin", 900)], "med_gabapentinoid", True),  # Beers 2023: antiepileptics, falls at 65+
    ([("cyclobenzaprine", 15)], "med_muscle_relaxant", False),  # Beers 2023: muscle relaxants at 65+
])
def test_age_76_with_falls_the_sheet_is_kept_and_asks_before_the_next_dose(meds, sheet_id, tapered):
    c = case(meds, birth="1950-01-01", falls=True)
    default = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555")
    assert sheet_id in default.sheets
    text, req = text_of(c, sheet_id)
    assert f"{ASK_EN} for you, it may do more harm than good. Your clinician will tell you why." in text
    assert "as prescribed" not in text and (TAPER_EN in text) is tapered
    note = next(n for n in h.dose_notices(req) if n.startswith(sheet_id))
    assert "AVOID" in note and "Age 76" in note
    es, _ = text_of(c, sheet_id, "es")
    assert "en su caso puede hacer más daño que bien" in es and "siga tomando" not in es


def test_under_65_with_falls_keeps_the_current_dose_boundary():
    """Beers applies at 65 and over: at 64 the oxycodone taken alone is kept as prescribed."""
    text, req = text_of(case([("oxycodone", 20)], birth="1962-06-01", falls=True), "med_opioid")
    assert "Ask before your next dose" not in text and "keep taking your oxycodone, 20 mg a day" in text
    assert all("AVOID" not in n for n in h.dose_notices(req))


def test_a_kept_sheet_still_prints_its_maximum_and_an_avoid_sheet_does_not():
    """rd13 D7 boundary: the ceiling goes only with "ask before your next dose"; the same
    ibuprofen kept as prescribed (no anticoagulant) still says "Do not take more than"."""
    kept, _ = text_of(case([("ibuprofen", 1200)]), "med_nsaid")
    assert "Do not take more than 3200 mg in a day." in kept  # US label maximum (Motrin)
    avoid, req = text_of(case([("ibuprofen", 1200), ("apixaban", 10)]), "med_nsaid")
    assert "Ask before your next dose" in avoid and "Do not take more than" not in avoid
    assert "no daily maximum" in next(n for n in h.dose_notices(req) if n.startswith("med_nsaid"))


def test_a_caution_interaction_is_not_turned_into_ask_first():
    """NSAID + corticosteroid is rated caution (GI risk, consider gastroprotection), not avoid."""
    text, _ = text_of(case([("ibuprofen", 1200), ("prednisolone", 40)]), "med_nsaid")
    assert "Ask before your next dose" not in text and "keep taking ibuprofen 1200 mg a day" in text


def test_the_window_note_names_the_avoid_alert():
    doses = h.doses_from_engine(case([("oxycodone", 20), ("diazepam", 10)]), AS_OF)
    note = h.taken_now_note(doses)
    assert "AVOID for this patient, yet taken now (oxycodone, 20 mg a day: Taking diazepam" in note
    assert "Taken now, so its sheet says to keep taking" not in note


def test_a_sheet_left_out_for_a_medicine_given_but_not_taken_is_named_with_why():
    """Age 76 with falls, a muscle relaxant given before (not taken now): every row of the
    sheet is rated avoid (Beers), so it is not printed, and the clinician is told which and why."""
    c = case([], birth="1950-01-01", falls=True, tried=["muscle_relaxant"])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555")
    assert "med_muscle_relaxant" not in req.sheets
    assert [s for s, _ in req.not_offered] == ["med_muscle_relaxant"]
    note = next(n for n in h.dose_notices(req) if n.startswith("med_muscle_relaxant"))
    assert "not printed" in note and "AVOID" in note and "Beers" in note


# --------------------------------------------------------------------------- F5: starting dose, kidneys unknown
@pytest.mark.parametrize("sheet_id, dose", [("med_nsaid", "ibuprofen 400-800 mg three times a day"),
                                            ("med_opioid", "tramadol 50-100 mg every 4-6 hours")])
def test_ckd_without_creatinine_the_starting_sheet_asks_about_the_kidneys_first(sheet_id, dose):
    c = case([], creatinine=None, ckd=True)
    text, req = text_of(c, sheet_id)
    assert dose in text and KIDNEY_START_EN in text
    assert text.index(dose) < text.index(KIDNEY_START_EN)  # right after the dose
    notes = h.dose_notices(req)
    assert len(notes) == 1 and notes[0].startswith(f"{sheet_id}: the kidney maximum was not checked "
                                                   "(no creatinine recorded)")
    es, _ = text_of(c, sheet_id, "es")
    assert KIDNEY_START_ES in es
    self_care, _ = text_of(c, sheet_id, self_care=True)
    assert KIDNEY_START_EN in self_care
    assert "The kidney maximum was not checked (no creatinine recorded)" in h.taken_now_note(req.doses)


@pytest.mark.parametrize("sheet_id", ["med_nsaid", "med_opioid"])
def test_with_creatinine_recorded_there_is_no_kidney_question(sheet_id):
    """Boundary: kidney function measured (CrCl about 97 mL/min at 1.0 mg/dL): nothing to ask."""
    text, req = text_of(case([], creatinine=1.0, ckd=True), sheet_id)
    assert KIDNEY_START_EN not in text and h.dose_notices(req) == []


# --------------------------------------------------------------------------- F4: several products of one opioid
def test_two_products_of_one_opioid_are_both_named_with_their_doses_and_the_total():
    """CDC 2022: add up the total daily dose of every opioid taken. Oxycodone and OxyContin
    (both oxycodone, immediate- and long-acting) can be one prescribed regimen: both named."""
    # 15 + 15 mg of oxycodone is 45 MME/day, below the 50 of the high-dose sheet (mme21)
    c = case([("oxycodone", 15), ("oxycontin", 15)])
    text, req = text_of(c, "med_opioid")
    assert ("Your dose: keep taking your oxycodone 15 mg a day and oxycontin 15 mg a day (30 mg of oxycodone a "
            "day in all), exactly as your prescriber and their labels say.") in text
    assert TAPER_THEM in text and "Two of your medicines should not be taken together" not in text
    note = h.dose_notices(req)[0]
    assert "oxycodone 15 mg a day and oxycontin 15 mg a day (30 mg of oxycodone a day in all)" in note
    es, _ = text_of(c, "med_opioid", "es")
    assert "oxicodona 15 mg al día y oxycontin 15 mg al día (30 mg de oxicodona al día en total)" in es


def test_two_different_opioids_are_both_named_without_a_total():
    """Morphine and oxycodone: different medicines, mg do not add up (MME does): no mg total.
    Two different opioids at once are rated avoid since opi18 (CDC 2022: one daily total in MME):
    both are named, neither is "kept", and neither is stopped suddenly."""
    text, _ = text_of(case([("oxycodone", 20), ("morphine", 30)]), "med_opioid")
    assert "You take oxycodone 20 mg a day and morphine 30 mg a day." in text
    assert "keep taking your oxycodone" not in text
    assert TAPER_THEM in text and "Do not stop it suddenly" not in text
    assert "in all" not in text and "50 mg" not in text


@pytest.mark.parametrize("meds, generic, named", [
    ([("codeine", 240), ("co-codamol 30/500", None)], "codeine", "You take codeine 240 mg a day and co-codamol 30/500."),
    ([("oxycodone", 40), ("percocet", None)], "oxycodone", "You take oxycodone 40 mg a day and percocet."),
    ([("dihydrocodeine", 120), ("co-dydramol 10/500", None)], "dihydrocodeine",
     "You take dihydrocodeine 120 mg a day and co-dydramol 10/500."),
    ([("hydrocodone", 40), ("norco", None)], "hydrocodone", "You take hydrocodone 40 mg a day and norco."),
])
def test_an_opioid_and_a_combination_product_of_the_same_opioid_are_taken_together(meds, generic, named):
    """The combination holds the same opioid (co-codamol: codeine; Percocet: oxycodone;
    co-dydramol: dihydrocodeine; Norco: hydrocodone, rt13 F2): the engine rates the pair avoid
    (ix-two-<opioid>-products) and the sheet never says
    "keep taking", as for tramadol with Tramacet."""
    from radiculopathy_desktop.domain.medications import assess_medications

    c = case(meds)
    report = assess_medications(c.intake, AS_OF)
    assert any(ix.rule == f"ix-two-{generic}-products" and ix.severity == "avoid" for ix in report.interactions)
    text, req = text_of(c, "med_opioid")
    assert "Two of your medicines should not be taken together" in text and named in text
    assert f"They contain the same medicine, {generic}, so they add up" in text
    assert "keep taking" not in text.replace("which one to keep taking", "") and TAPER_THEM in text
    assert "taken together (" in h.dose_notices(req)[0]


def test_every_opioid_sold_in_a_combination_product_has_a_two_products_rule():
    """Data completeness (rt13 F2): for each opioid that a combination product in the synonyms
    table contains, two products of it are rated avoid (the patient may not know the
    combination holds the same opioid). Derived from the data files, not a list in the test."""
    import tomllib

    def load(name):
        return tomllib.loads(resource_path("medicines", name).read_text(encoding="utf-8"))

    classes = load("classes.toml")
    opioids = set(classes["classes"]["opioid"]["members"])
    in_combinations = {g for gens in classes["synonyms"].values() if len(gens) > 1 for g in gens if g in opioids}
    assert {"codeine", "dihydrocodeine", "hydrocodone", "oxycodone", "tramadol"} <= in_combinations
    rated = {r["sides"][0][0] for r in load("rules.toml")["interaction"]
             if r["severity"] == "avoid" and len(r["sides"]) == 2 and r["sides"][0] == r["sides"][1]
             and len(r["sides"][0]) == 1}
    assert in_combinations - rated == set()


def test_two_plain_products_of_one_opioid_are_not_rated_avoid_by_the_combination_rule():
    """Boundary: the rule needs a combination product; oxycodone with OxyContin stays caution."""
    from radiculopathy_desktop.domain.medications import assess_medications

    report = assess_medications(case([("oxycodone", 40), ("oxycontin", 40)]).intake, AS_OF)
    assert {ix.rule for ix in report.interactions} == {"ix-two-opioids"}


@pytest.mark.parametrize("birth, ckd, asked", [
    ("1980-01-01", False, False),  # 46, no kidney condition: the label's starting dose, nothing to ask
    ("1962-01-01", False, False),  # 64: not yet "65 or over" (KDIGO/Beers: kidney function before NSAIDs)
    ("1961-01-01", False, True),   # 65: the engine's caution "kidney function not measured at 65 or over"
    ("1980-01-01", True, True),    # CKD recorded, no creatinine
])
def test_the_nsaid_starting_sheet_asks_about_the_kidneys_only_when_they_matter(birth, ckd, asked):
    text, req = text_of(case([], creatinine=None, birth=birth, ckd=ckd), "med_nsaid")
    assert (KIDNEY_START_EN in text) is asked
    assert any("kidney maximum was not checked" in n for n in h.dose_notices(req)) is asked


@pytest.mark.parametrize("lang, set_for_kidneys, new_dose", [
    ("en", "Your dose is set for how well your kidneys work", "Your new, lower dose will be set for how well your kidneys work"),
    ("es", "Su dosis depende de cómo le funcionan los riñones", "Su nueva dosis, más baja, se fijará según cómo funcionan sus riñones"),
])
def test_a_dose_above_the_kidney_maximum_is_not_called_set_for_the_kidneys(lang, set_for_kidneys, new_dose):
    """rd13 D8: "Your dose is too high for you" was followed by "Your dose is set for how well
    your kidneys work". Gabapentin label (renal table): CrCl 30-59 mL/min, 400-1400 mg/day;
    3600 mg/day at creatinine 3.0 (male, 46, 80 kg: Cockcroft-Gault CrCl 34.8) is above it."""
    text, _ = text_of(case([("gabapentin", 3600)], creatinine=3.0), "med_gabapentinoid", lang)
    assert new_dose in text
    assert set_for_kidneys not in text
    # boundary: at or below the kidney maximum the dose was set for the kidneys
    within, _ = text_of(case([], creatinine=3.0), "med_gabapentinoid", "en")
    assert "Your dose is set for how well your kidneys work" in within


@pytest.mark.parametrize("lang, said, never", [
    ("en", "You take nurofen 200mg (1200 mg a day in all).", "200mg 1200 mg"),
    ("es", "Usted toma nurofen 200mg (1200 mg al día en total).", "200mg 1200 mg"),
])
def test_a_strength_in_the_name_is_never_run_together_with_the_daily_dose(lang, said, never):
    """rd13 D10: a product recorded with its strength ("Nurofen 200mg") and a daily dose: the
    daily amount in brackets, never "nurofen 200mg 1200 mg a day" (two bare numbers)."""
    text, _ = text_of(case([("Nurofen 200mg", 1200), ("apixaban", 10)]), "med_nsaid", lang)
    assert said in text and never not in text
    # a name without a number keeps the plain form
    plain, _ = text_of(case([("ibuprofen", 1200), ("apixaban", 10)]), "med_nsaid", lang)
    assert ("You take ibuprofen 1200 mg a day." if lang == "en" else "Usted toma ibuprofeno 1200 mg al día.") in plain


@pytest.mark.parametrize("lang, keep, ask", [
    ("en", "keep taking prednisolone 5 mg a day, as prescribed", ASK_EN),
    ("es", "siga tomando", ASK_ES),
])
def test_a_steroid_beside_an_nsaid_at_65_is_kept_and_the_nsaid_is_the_one_asked_about(lang, keep, ask):
    """rt13 F5: AGS Beers 2023 says avoid a corticosteroid with an NSAID at 65 or over (GI
    bleeding). The NSAID can be stopped; a steroid taken for weeks cannot be stopped at once
    (prednisone label; BNF). So the NSAID's sheet asks before the next dose, and the steroid's
    keeps "do not stop it suddenly" and names the NSAID, never "whether to keep taking it"."""
    c = case([("prednisolone", 5), ("ibuprofen", 1200)], birth="1954-01-01")  # 72
    steroid, req = text_of(c, "med_oral_steroid", lang)
    assert keep in steroid and ask not in steroid
    assert ("Do not stop it suddenly" if lang == "en" else "No lo deje de golpe") in steroid
    assert ("ibuprofen" if lang == "en" else "ibuprofeno") in steroid  # the caution box names the NSAID
    nsaid, _ = text_of(c, "med_nsaid", lang)
    assert ask in nsaid
    assert any("AVOID" in n for n in h.dose_notices(req))  # the clinician still sees the check's rating


def test_a_steroid_avoided_for_another_reason_still_asks():
    """Boundary: the rule keeps a steroid only when the NSAID beside it is the whole reason;
    an opioid with a benzodiazepine (both hard to stop) still asks on the opioid's sheet."""
    text, _ = text_of(case([("oxycodone", 20), ("diazepam", 10)]), "med_opioid")
    assert ASK_EN in text


@pytest.mark.parametrize("meds, birth", [
    ([("prednisolone", 5)], "1980-01-01"),           # 46, maintenance dose, nothing else
    ([("prednisone", 80)], "1980-01-01"),            # above the studied course: still a steroid taken now
    ([("prednisolone", 5), ("ibuprofen", 1200)], "1980-01-01"),
    ([("prednisolone", 5), ("ibuprofen", 1200)], "1954-01-01"),  # 72: Beers NSAID pair as well
])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_uk_a_steroid_taken_now_is_kept_although_nice_does_not_offer_one_for_sciatica(meds, birth, lang):
    """rt14 F3: NICE NG59 1.2.20 "Do not offer oral corticosteroids for managing sciatica" is
    about starting one for sciatica. A patient already taking a steroid (prescribed for another
    illness: polymyalgia, asthma) must not be invited to miss a dose: stopping a steroid taken
    for weeks at once can cause adrenal insufficiency (prednisolone SmPC; BNF). The sheet keeps
    "do not stop it suddenly" and never asks "whether to keep taking it"; the clinician still
    sees the check's AVOID (NICE's "do not offer")."""
    c = case(meds, birth=birth)
    steroid, req = text_of(c, "med_oral_steroid", lang, profile="uk")
    assert (ASK_EN if lang == "en" else ASK_ES) not in steroid
    assert ("Do not stop it suddenly" if lang == "en" else "No lo deje de golpe") in steroid
    notices = h.dose_notices(req)
    assert any("AVOID" in n and "NICE" in n for n in notices)


def test_uk_a_steroid_avoided_for_a_patient_harm_still_asks():
    """Boundary: the guideline's "do not offer" keeps the steroid only when it is, with an NSAID
    pairing, the whole reason; a steroid with another AVOID interaction still asks (the row's
    reasons are not all kept ones)."""
    c = case([("oxycodone", 20), ("diazepam", 10)])
    text, _ = text_of(c, "med_opioid", profile="uk")
    assert ASK_EN in text


def test_the_clinician_is_told_contraindicated_where_the_table_says_so():
    """FDA Drug Safety Communication 2020 and the NSAID labels: do not use NSAIDs from 30 weeks of
    pregnancy (premature closure of the ductus arteriosus): the medicine table rates ibuprofen at
    33 weeks Contraindicated, while the handout dialog's and the command's notes said "AVOID"
    (gp16 F3). The notes now say the table's word; an AVOID (oxycodone with diazepam) stays AVOID."""
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1994-01-01", sex="female", weight_kg=70, pregnancy_weeks=33)
    d["visit_date"] = AS_OF.isoformat()
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    pregnant = parse_case(d)
    from radiculopathy_desktop.domain.medications import assess_medications
    row = next(r for r in assess_medications(pregnant.intake, AS_OF).rows if r.drug == "ibuprofen")
    assert row.status == "contraindicated"  # the table's word
    note = h.taken_now_note(h.doses_from_engine(pregnant, AS_OF))
    assert note.startswith("CONTRAINDICATED for this patient, yet taken now (ibuprofen")
    _text, req = text_of(pregnant, "med_nsaid")
    (cli_note,) = [n for n in h.dose_notices(req) if n.startswith("med_nsaid") and "rates it" in n]
    assert "rates it CONTRAINDICATED for this patient" in cli_note
    both = h.taken_now_note(h.doses_from_engine(case([("oxycodone", 20), ("diazepam", 10)]), AS_OF))
    assert "AVOID for this patient, yet taken now" in both and "CONTRAINDICATED" not in both
