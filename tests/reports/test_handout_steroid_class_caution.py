"""Steroid pills of any systemic corticosteroid taken now, a new NSAID beside a steroid, and
flagged pairs taken now (red-team rt12 F7, F9; med12's noticed pairs; H-MED-164, H-MED-165).

From the sources:
- Dexamethasone tablets, methylprednisolone (Medrol) and hydrocortisone (Cortef) US labels,
  like the prednisone label: "If after long-term therapy the drug is to be stopped, it is
  recommended that it be withdrawn gradually rather than abruptly"; drug-induced secondary
  adrenocortical insufficiency may be minimized by gradual reduction of dosage and may persist
  for months. So EVERY member of the data's systemic corticosteroid class taken now gets the
  steroid sheet by default, "keep taking" its dose and "do not stop it suddenly", never the
  course's "finish the course" (the rule follows the class, not a list of names).
- NICE CKS, NSAIDs: prescribing issues: concomitant corticosteroids (and anticoagulants,
  SSRIs) raise the risk of serious upper GI adverse effects: consider gastroprotection. The
  medicine check rates an NSAID with a systemic corticosteroid CAUTION ("add gastroprotection").
  So an NSAID starting dose beside a steroid taken now is never printed silently: the patient
  is told, boxed, to ask before starting it and about a medicine to protect the stomach; the
  clinician gets the check's reason. The same for a pair taken now (both sheets name the other).
- FDA 2019 / Beers 2023: a gabapentinoid with an opioid is AVOID: when two gabapentinoids are
  also "taken together", that AVOID reason still reaches the sheet and the clinician.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
STEROID, NSAID = "med_oral_steroid", "med_nsaid"
NOT_SUDDENLY = {"en": "Do not stop it suddenly. After some weeks of steroid pills, stopping at once can make you "
                      "very unwell. Your clinician will tell you how to lower it step by step.",
                "es": "No lo deje de golpe. Después de algunas semanas tomando corticoides, dejarlo de repente "
                      "puede hacerle sentir muy mal. Su profesional le dirá cómo bajarlo paso a paso."}
COURSE = ("Finish the course as planned", "The dose starts high and steps down", "Do not take more than 60 mg")
STOMACH = {"en": "together they raise the chance of bleeding from the stomach, and you may need a medicine to "
                 "protect your stomach.",
           "es": "juntos aumentan la probabilidad de sangrado del estómago, y puede que necesite un medicamento que "
                 "le proteja el estómago."}
ES_NAMES = {"dexamethasone": "dexametasona", "methylprednisolone": "metilprednisolona",
            "hydrocortisone": "hidrocortisona", "betamethasone": "betametasona", "deflazacort": "deflazacort",
            "prednisolone": "prednisolona", "prednisone": "prednisona"}


def case(meds, prolonged="no", birth="1980-01-01", tried=("nsaid",)):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=birth, sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    d["red_flags"]["prolonged_corticosteroid_use"] = prolonged
    d["medicines"] = [{"name": n, **({} if dose is None else {"daily_dose_mg": dose})} for n, dose in meds]
    d["treatments_tried"] = [{"code": c, "started": "2026-11-12"} for c in tried]
    return parse_case(d)


def default(c, lang="en", **kw):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, **kw)
    texts = {s.id: " ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req)}
    return texts, req


def notes_of(req, sheet_id):
    return [n for n in h.dose_notices(req) if n.startswith(f"{sheet_id}:") or f", {sheet_id}:" in n]


# --------------------------------------------------------------------------- F7: the class, not a name list
@pytest.mark.parametrize("drug, mg", [("dexamethasone", 4), ("methylprednisolone", 16), ("hydrocortisone", 20)])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_labelled_steroid_taken_now_gets_the_steroid_sheet_by_default_and_do_not_stop_suddenly(drug, mg, lang):
    texts, req = default(case([(drug, mg)], prolonged="yes"), lang)
    assert STEROID in req.sheets and req.not_offered == ()
    text = texts[STEROID]
    name = drug if lang == "en" else ES_NAMES[drug]
    keep = (f"Your dose: keep taking your {name}, {mg} mg a day, exactly as your prescriber and its label say."
            if lang == "en" else f"Su dosis: siga tomando su {name}, {mg} mg al día")
    assert keep in text
    assert NOT_SUDDENLY[lang] in text
    assert text.index(keep) < text.index(NOT_SUDDENLY[lang])
    for words in COURSE:
        assert words not in text
    if lang == "en":
        notes = notes_of(req, STEROID)
        assert any(f"taken now ({drug}, {mg} mg a day)" in n and "not to stop it suddenly" in n for n in notes)
        assert any(n.startswith(f"{STEROID}: prolonged corticosteroid use is recorded") for n in notes)


def test_every_member_of_the_steroid_class_in_the_data_gets_the_sheet():
    """The rule follows the class in the medicine data: a member added there is covered."""
    members = sorted(load_medicine_data().class_members["systemic_corticosteroid"])
    assert {"prednisolone", "dexamethasone", "methylprednisolone", "hydrocortisone"} <= set(members)
    for drug in members:
        texts, req = default(case([(drug, 5)]))
        assert STEROID in req.sheets, drug
        assert NOT_SUDDENLY["en"] in texts[STEROID], drug
        assert "Finish the course as planned" not in texts[STEROID], drug


def test_a_medicine_of_another_class_gets_no_steroid_sheet_boundary():
    """Sertraline is not a corticosteroid; no steroid taken, none given: no steroid sheet."""
    _texts, req = default(case([("sertraline", 50)]))
    assert STEROID not in req.sheets


def test_the_default_sheets_are_the_classes_the_sheet_doses_as_taken_now():
    """One test decides both (sheet_classes_taken_now and the sheet's "taking"): celecoxib, an
    NSAID no row doses, gets the NSAID sheet naming celecoxib, not an ibuprofen starting dose."""
    texts, req = default(case([("celecoxib", 200)], tried=()))
    assert NSAID in req.sheets
    assert "keep taking your celecoxib, 200 mg a day" in texts[NSAID]
    assert "400-800 mg three times a day" not in texts[NSAID]


# --------------------------------------------------------------------------- F9: a new NSAID beside a steroid
@pytest.mark.parametrize("steroid", ["prednisolone", "dexamethasone", "methylprednisolone", "hydrocortisone"])
@pytest.mark.parametrize("self_care", [False, True])
def test_a_new_nsaid_beside_a_steroid_taken_now_names_the_interaction(steroid, self_care):
    c = case([(steroid, 7.5)], prolonged="yes")
    texts, req = default(c, self_care=self_care)
    text = texts[NSAID]
    box = (f"Ask about your other medicines. You take {steroid}. Before you start ibuprofen, ask your clinician "
           f"whether it is right for you: {STOMACH['en']}")
    assert box in text
    assert text.index(box) < text.index("Your dose: ibuprofen")  # before the starting dose
    note = notes_of(req, NSAID)
    assert len(note) == 1
    assert note[0].startswith(f"{NSAID}: the medicine check rates it CAUTION with {steroid} (Taking {steroid} "
                              "(systemic corticosteroid): higher GI ulcer and bleeding risk; add gastroprotection)")
    assert "before starting it" in note[0]
    es, _ = default(c, "es", self_care=self_care)
    assert (f"Usted toma {ES_NAMES[steroid]}. Antes de empezar a tomar ibuprofeno, pregunte a su profesional si es "
            f"adecuado para usted: {STOMACH['es']}") in es[NSAID]
    # the window's note says it too
    assert f"{NSAID}: the medicine check rates it CAUTION with {steroid}" in h.taken_now_note(req.doses)


@pytest.mark.parametrize("other, words", [
    ("sertraline", STOMACH["en"]),  # NSAID + SSRI: upper GI bleeding (caution)
    ("clopidogrel", STOMACH["en"]),  # NSAID + antiplatelet (caution)
    ("tacrolimus", "together they can harm the kidneys, and you may need a kidney blood test."),
])
def test_other_caution_partners_of_a_new_nsaid_are_named_in_their_own_plain_words(other, words):
    texts, req = default(case([(other, 50)]))
    assert f"You take {other}. Before you start ibuprofen, ask your clinician whether it is right for you: " \
           f"{words}" in texts[NSAID]
    assert notes_of(req, NSAID)[0].startswith(f"{NSAID}: the medicine check rates it CAUTION with {other} (")


def test_no_interacting_medicine_no_box_boundary():
    texts, req = default(case([]))
    assert "Ask about your other medicines" not in texts[NSAID]
    assert all("CAUTION" not in n for n in h.dose_notices(req))


def test_at_65_the_nsaid_beside_a_steroid_is_avoid_and_not_offered_boundary():
    """Beers 2023: 65 or over with a corticosteroid, avoid NSAIDs: no starting dose at all."""
    _texts, req = default(case([("prednisolone", 7.5)], birth="1960-01-01"))
    assert NSAID not in req.sheets
    assert [s for s, _ in req.not_offered] == [NSAID]


# --------------------------------------------------------------------------- med12: flagged pairs taken now
@pytest.mark.parametrize("lang", ["en", "es"])
def test_ibuprofen_and_prednisolone_both_taken_each_sheet_names_the_other(lang):
    c = case([("ibuprofen", 1200), ("prednisolone", 7.5)])
    texts, req = default(c, lang)
    if lang == "en":
        assert ("You also take prednisolone. Ask your clinician about taking it with your ibuprofen: "
                + STOMACH["en"]) in texts[NSAID]
        assert ("You also take ibuprofen. Ask your clinician about taking it with your prednisolone: "
                + STOMACH["en"]) in texts[STEROID]
        assert "keep taking ibuprofen 1200 mg a day" in texts[NSAID]  # caution: kept, but never silently
        for sheet_id, other in ((NSAID, "prednisolone"), (STEROID, "ibuprofen")):
            note = [n for n in notes_of(req, sheet_id) if "CAUTION" in n]
            assert len(note) == 1 and f"CAUTION with {other} (NSAID with a systemic corticosteroid" in note[0]
            assert "about taking them together" in note[0]
    else:
        assert ("Usted también toma prednisolona. Pregunte a su profesional si puede tomarlo con su ibuprofeno: "
                + STOMACH["es"]) in texts[NSAID]
        assert ("Usted también toma ibuprofeno. Pregunte a su profesional si puede tomarlo con su prednisolona: "
                + STOMACH["es"]) in texts[STEROID]


def test_an_avoid_pair_asks_first_and_still_names_the_steroid():
    """At 75, ibuprofen + prednisolone is AVOID (Beers 2023): the ask-first box leads (never
    "keep taking"), and the steroid it must not be taken with is named with the stomach words."""
    texts, _req = default(case([("ibuprofen", 1200), ("prednisolone", 7.5)], birth="1951-01-01"))
    text = texts[NSAID]
    assert "keep taking ibuprofen" not in text
    # the caution (stomach) is asked about inside the box that asks first, never a softer box
    # beside it (sheet21, H-MED-394)
    assert text.index("Ask before your next dose") < text.index("Also ask about your prednisolone")
    assert "Ask about your other medicines" not in text
    assert STOMACH["en"] in text


@pytest.mark.parametrize("lang, also", [
    ("en", "Also ask whether to keep taking them at all: they should not be taken with your oxycodone."),
    ("es", "Pregunte también si debe seguir tomándolos: no deben tomarse con su oxicodona."),
])
def test_two_gabapentinoids_with_an_opioid_the_together_box_keeps_the_opioid_avoid_reason(lang, also):
    c = case([("gabapentin", 900), ("pregabalin", 150), ("oxycodone", 20)])
    texts, req = default(c, lang)
    text = texts["med_gabapentinoid"]
    assert also in text
    if lang == "en":
        assert "Two of your medicines should not be taken together" in text
        notes = notes_of(req, "med_gabapentinoid")
        assert any("taken together (gabapentin 900 mg a day and pregabalin 150 mg a day)" in n for n in notes)
        assert any("also rates it AVOID" in n and "Taking oxycodone (opioid): avoid combining with a gabapentinoid"
                   in n for n in notes)
        window = h.taken_now_note(req.doses)
        assert "gabapentin 900 mg a day and pregabalin 150 mg a day: Taking oxycodone" in window


def test_two_gabapentinoids_alone_keep_the_together_box_only_boundary():
    texts, req = default(case([("gabapentin", 900), ("pregabalin", 150)]))
    assert "Also ask whether to keep taking them at all" not in texts["med_gabapentinoid"]
    assert all("also rates it AVOID" not in n for n in notes_of(req, "med_gabapentinoid"))
