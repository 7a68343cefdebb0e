"""Steroid pills taken now, medicines prescribed in another unit, and notes said once
(red-team rt10 F6, F10, fixb's duplicate note; H-MED-130, H-MED-132).

From the sources:
- Prednisone tablets label (PRECAUTIONS): when the dose can be reduced, reduce it gradually;
  drug-induced secondary adrenocortical insufficiency may be minimized by gradual reduction
  and may persist for months after stopping.
- BNF, corticosteroids, treatment cessation: gradual withdrawal after more than 3 weeks'
  treatment, more than 40 mg prednisolone a day for more than a week, repeated courses, or a
  short course within a year of stopping long-term therapy (adrenal suppression).
- Goldberg 2015 (the studied sciatica course): 60 mg a day for 5 days, 40 for 5, 20 for 5;
  60 mg a day is this table's ceiling for it (not a label maximum).
- Duragesic / Butrans labels: patches are prescribed in micrograms an hour.

So a steroid taken now is never told the new course's "the dose starts high and steps down",
"Finish the course as planned" or "no more than 60 mg in a day"; it is told to keep taking its
dose and not to stop suddenly (the clinician lowers it step by step). Recorded prolonged
corticosteroid use is named to the clinician. A new course keeps the course text.
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
STEROID = "med_oral_steroid"
COURSE = {"en": ("The dose starts high and steps down", "Finish the course as planned", "Do not take more than 60 mg",
                 "60 mg a day for 5 days, then 40 mg a day for 5 days, then 20 mg a day for 5 days"),
          "es": ("La dosis empieza alta y luego baja por pasos", "Termine la tanda como está previsto",
                 "No tome más de 60 mg al día", "60 mg al día durante 5 días, luego 40 mg al día durante 5 días")}
NOT_SUDDENLY = {"en": "Do not stop it suddenly. After some weeks of steroid pills, stopping at once can make you "
                      "very unwell. Your clinician will tell you how to lower it step by step.",
                "es": "No lo deje de golpe. Después de algunas semanas tomando corticoides, dejarlo de repente "
                      "puede hacerle sentir muy mal. Su profesional le dirá cómo bajarlo paso a paso."}
PROLONGED = "prolonged corticosteroid use is recorded"


def case(meds, prolonged="no"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    d["red_flags"]["prolonged_corticosteroid_use"] = prolonged
    d["medicines"] = [{"name": n, **({} if dose is None else {"daily_dose_mg": dose})} for n, dose in meds]
    return parse_case(d)


def sheet(c, sheet_id, lang="en"):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet_id])
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


# --------------------------------------------------------------------------- F6: taken now vs a new course
@pytest.mark.parametrize("lang, keep", [("en", "Your dose: keep taking {name} {mg} mg a day, as prescribed"),
                                        ("es", "Su dosis: siga tomando {name} {mg} mg al día, como se lo recetaron")])
@pytest.mark.parametrize("drug, name_es, mg", [("prednisolone", "prednisolona", 5), ("prednisone", "prednisona", 59),
                                               ("prednisone", "prednisona", 60)])  # up to and at the ceiling
def test_a_steroid_taken_now_keeps_its_dose_with_no_course_text_and_is_told_not_to_stop_suddenly(
        lang, keep, drug, name_es, mg):
    text, req = sheet(case([(drug, mg)]), STEROID, lang)
    assert keep.format(name=drug if lang == "en" else name_es, mg=mg) in text
    assert NOT_SUDDENLY[lang] in text
    for words in COURSE[lang]:
        assert words not in text
    assert "short course" not in text.split(".")[0] and "tanda corta" not in text.split(".")[0]  # the title
    assert "Stop taking it" not in text and "Deje de tomarlo" not in text
    note = h.dose_notices(req)
    assert note == [f"{STEROID}: taken now ({drug} {mg} mg a day); the sheet says to keep taking the current dose as "
                    "prescribed unless you change it, and not to stop it suddenly (you lower it step by step), with "
                    "no starting dose."]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_steroid_above_the_course_dose_is_kept_never_called_too_high(lang):
    """60 mg a day is the studied sciatica course's first-day dose (Goldberg 2015), not a label
    maximum (the prednisone label: initial 5-60 mg a day, individualised, no maximum). A steroid
    taken now above it (for another illness) keeps its dose and is never cut (med11 noticed; it
    used to get the "too high for you" box); the clinician is told to check the indication."""
    text, req = sheet(case([("prednisone", 61)]), STEROID, lang)
    if lang == "en":
        assert "keep taking prednisone 61 mg a day, as prescribed" in text
        assert "Your dose is too high for you" not in text and "the most is 60 mg" not in text
    else:
        assert "siga tomando prednisona 61 mg al día" in text
        assert "Su dosis es demasiado alta" not in text
    assert NOT_SUDDENLY[lang] in text
    for words in COURSE[lang]:
        assert words not in text
    note = h.dose_notices(req)[0]
    assert "current dose 61 mg/day is above the studied sciatica course" in note and "check the indication" in note


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_new_course_keeps_the_course_text_and_no_keep_taking(lang):
    text, req = sheet(case([]), STEROID, lang)
    for words in COURSE[lang]:
        assert words in text
    assert NOT_SUDDENLY[lang] not in text and "keep taking" not in text and "siga tomando" not in text
    assert h.dose_notices(req) == []


# --------------------------------------------------------------------------- F6: prolonged use recorded
@pytest.mark.parametrize("meds, kept", [([("prednisolone", 5)], True), ([("prednisone", 80)], True), ([], False)])
def test_recorded_prolonged_corticosteroid_use_is_named_to_the_clinician(meds, kept):
    _, req = sheet(case(meds, prolonged="yes"), STEROID)
    notes = [n for n in h.dose_notices(req) if PROLONGED in n]
    assert len(notes) == 1
    assert notes[0].startswith(f"{STEROID}: {PROLONGED}: the adrenal glands may be suppressed")
    assert "BNF: withdraw gradually after more than 3 weeks' treatment" in notes[0]
    if kept:
        assert "give them your plan to lower it step by step" in notes[0]
    else:  # a new course that steps down and stops: the clinician decides on a slower end
        assert "decide whether it needs a slower taper at the end" in notes[0]
    dialog = h.taken_now_note(req.doses)
    assert dialog is not None and dialog.count("Prolonged corticosteroid use is recorded") == 1


@pytest.mark.parametrize("answer", ["no", "unknown"])
def test_no_prolonged_use_note_unless_it_is_recorded(answer):
    _, req = sheet(case([("prednisolone", 5)], prolonged=answer), STEROID)
    assert not any(PROLONGED in n for n in h.dose_notices(req))
    assert PROLONGED not in (h.taken_now_note(req.doses) or "").lower()


# --------------------------------------------------------------------------- F10: a unit other than mg a day
@pytest.mark.parametrize("name, shown_es", [("fentanyl", "fentanilo"), ("duragesic", "Duragesic"),
                                            ("butrans", "Butrans")])
@pytest.mark.parametrize("dose", [0.05, 0.6, None])
def test_a_patch_recorded_in_mg_a_day_is_never_printed_as_mg(name, shown_es, dose):
    c = case([(name, dose)])
    text, req = sheet(c, "med_opioid")
    # a patch (plain "fentanyl" is a possible patch since rt21 F4) is used, not taken (fxl20)
    # the brand as its maker prints it ("your Duragesic": sht24)
    assert f"Your dose: keep using your {h.display_name(name)} as prescribed, unless your clinician changes it." in text
    assert "Do not stop it suddenly" in text
    assert "mg a day" not in text and (dose is None or f"{dose:g}" not in text)
    es, _ = sheet(c, "med_opioid", "es")
    assert f"Su dosis: siga usando su {shown_es} como se lo recetaron" in es
    assert "mg al día" not in es and (dose is None or f"{dose:g}".replace(".", ",") not in es)
    note = h.dose_notices(req)[0]
    assert "prescribed in micrograms an hour" in note and "the sheet gives no number" in note
    if dose is not None:
        assert f"recorded as {dose:g} mg a day" in note


def test_an_opioid_tablet_dosed_in_mg_still_shows_its_dose():
    text, _ = sheet(case([("oxycodone", 20)]), "med_opioid")
    assert "keep taking your oxycodone, 20 mg a day" in text


# --------------------------------------------------------------------------- each note once
@pytest.mark.parametrize("meds, sheets", [
    ([("acetaminophen", 4000), ("co-codamol 30/500", None)], ["med_acetaminophen", "med_opioid"]),
    ([("tramadol", 400), ("tramacet", None)], ["med_opioid", "med_acetaminophen"]),
])
def test_a_note_shared_by_two_sheets_is_said_once_naming_both(meds, sheets):
    c = case(meds)
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", sheets=sheets)
    notes = h.dose_notices(req)
    together = [n for n in notes if "taken together" in n]
    assert len(together) == 1
    named, _, _ = together[0].partition(": taken together")
    # the together box is on the sheet of the ingredient they share (sheet19 item 2: the first
    # sheet listed); the other product's sheet asks whether to keep taking it, in its own note
    assert named.split(", ") == [sheets[0]]
    assert any(n.startswith(f"{sheets[1]}: taken now (") and "whether to keep taking it" in n for n in notes)
    assert len(notes) == len(set(notes))
    dialog = h.taken_now_note(req.doses)
    assert dialog.count("Taken together") == 1
    sentences = [s for s in dialog.split(". ") if s]
    assert len(sentences) == len(set(sentences))


STUDY = {"en": ("In a large study, a short course helped people move",
                "Most side effects of a short course are mild and go away when you stop"),
         "es": ("En un estudio grande, una tanda corta ayudó a moverse",
                "En una tanda corta, casi todos los efectos son leves y se van al dejarla")}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds, shown", [([], True), ([("prednisolone", 5)], False),
                                         ([("prednisone", 80)], False)])
def test_the_short_course_study_and_its_side_effects_are_for_a_new_course_only(lang, meds, shown):
    """Goldberg 2015 studied a 15-day course for sciatica; for someone on steroid pills now
    (often for years, for another illness) "a short course ... did not ease pain more than a
    dummy pill" and "side effects ... go away when you stop" invite stopping: left out (as the
    course text is), kept for a new course (rt10 F6)."""
    text, _ = sheet(case(meds, prolonged="yes" if meds else "no"), STEROID, lang)
    for phrase in STUDY[lang]:
        assert (phrase in text) is shown, phrase
