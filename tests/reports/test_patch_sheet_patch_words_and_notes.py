"""A patch wearer's opioid sheet never uses tablet words, and the clinician's note says what the
sheet says (gp20 F13, fxl20 and fxo20 leftovers).

Before: with a fentanyl patch rated Avoid (with diazepam) the sheet said "Ask before your next
dose", "Before you take another dose, call ...", "Take any pills you do not use back to a
pharmacy", "if you feel you need to take more than we said" and "Tell us before you take it if";
the `handout` note said "the sheet says to keep taking the current dose" for a patch whose sheet
says "keep using"; below 20 weeks the NSAID note said the sheet keeps the current dose while its
pregnancy box and dose line ask.

Primary source: MHRA Drug Safety Update, October 2018 (mhra-fentanyl-patches-2018, gov.uk, read
with the search tool): "always fully inform patients and their caregivers about directions for
safe use for fentanyl patches, including the importance of: ... following the correct frequency of
patch application ... following instructions for safe storage and properly disposing of used
patches or those which are not needed". How to get rid of them differs (FDA: flush; MHRA 2014: a
secure bin), both read only in copies ([unverified]): the sheet sends the patient to the
pharmacist and gives no steps.

Boundaries: oxycodone tablets keep the tablet words; a patch with opioid tablets keeps the
"taken together" box (never the patch-only box) and the pharmacist bullet covers both.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.reports.test_contraindicated_words_agree import AS_OF, case

PATCH = {
    "en": ["Ask before your next patch", "Ask your clinician before you put on your next patch whether to keep using it",
           "Before your next patch", "Before you put on your next patch, call Clinic on 555",
           "Ask your pharmacist how to get rid of patches or pills you no longer need.",
           "if you feel you need to use more than we said", "Tell us before you use it if"],
    "es": ["Pregunte antes de ponerse el próximo parche",
           "Pregunte a su profesional antes de ponerse el próximo parche si debe seguir usándolo",
           "Antes de ponerse el próximo parche, llame a Clinic al 555",
           "Pregunte en la farmacia cómo deshacerse de los parches o pastillas que ya no necesite.",
           "si siente que necesita usar más de lo que le dijimos", "Díganos antes de usarlo si"],
}
PILL = {
    "en": ["Ask before your next dose", "Before you take another dose", "Take any pills you do not use back to a pharmacy",
           "need to take more than we said", "Tell us before you take it if", "keep taking"],
    "es": ["Pregunte antes de su próxima dosis", "Antes de tomar otra dosis", "Lleve a la farmacia las pastillas",
           "necesita tomar más de lo que le dijimos", "Díganos antes de tomarlo si", "seguir tomando"],
}


def _req(meds, lang="en", profile="us", weeks=None, sheets=("med_opioid",)):
    return h.request_for_case(case([(m, None) for m in meds], weeks), AS_OF, clinic_name="Clinic",
                              clinic_contact="555", lang=lang, sheets=list(sheets), profile=profile,
                              confirm_unrecognised=True)


def _text(req):
    return " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req))


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("patch", ["fentanyl 12 mcg/h patch", "Fentalis 25", "fentanyl 25"])
def test_an_avoided_patch_is_asked_about_in_patch_words(patch, lang, profile):
    text = _text(_req([patch, "diazepam 5mg tds"], lang, profile))
    for words in PATCH[lang]:
        assert words in text
    for words in PILL[lang]:
        assert words not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_opioid_tablets_keep_the_tablet_words(lang):
    text = _text(_req(["oxycodone 10mg bd", "diazepam 5mg tds"], lang))
    for words in PILL[lang][:5]:
        assert words in text
    for words in PATCH[lang]:
        assert words not in text


def test_a_patch_with_opioid_tablets_keeps_the_together_box_and_gives_both_to_the_pharmacist():
    req = _req(["fentanyl 12 mcg/h patch", "oxycodone 10mg bd", "diazepam 5mg tds"])
    [sheet] = h.filled_sheets(req)
    # two opioids: the together box leads (one plan), never the patch-only words
    assert sheet.sections[0].heading == "Two of your medicines should not be taken together"
    assert "Ask before your next patch" not in _text(req)
    text = _text(req)
    assert "Ask your pharmacist how to get rid of patches or pills you no longer need." in text
    assert "Take any pills you do not use back to a pharmacy" not in text


def test_the_handout_note_says_keep_using_for_a_patch():
    [note] = [n for n in h.dose_notices(_req(["fentanyl 12 mcg/h patch"])) if n.startswith("med_opioid")]
    assert "the sheet says to keep using the current patch as prescribed" in note
    assert "keep taking" not in note


def test_the_handout_note_for_an_avoided_patch_says_next_patch():
    [note] = [n for n in h.dose_notices(_req(["Fentalis 25", "diazepam 5mg tds"])) if n.startswith("med_opioid")]
    assert "before they put on their next patch whether to keep using it" in note
    assert "next dose" not in note and "keep taking" not in note


def test_the_handout_note_for_tablets_keeps_taking():
    [note] = [n for n in h.dose_notices(_req(["oxycodone 10mg bd"])) if n.startswith("med_opioid")]
    assert "the sheet says to keep taking the current dose as prescribed" in note


def test_the_dialog_note_says_worn_and_keep_using_for_a_patch():
    notes = h.taken_now_notes(_req(["fentanyl 12 mcg/h patch"]).doses)
    assert any(n.startswith("Worn now (a skin patch), so its sheet says to keep using it") for n in notes)
    assert not any("keep taking" in n for n in notes)
    notes = h.taken_now_notes(_req(["Fentalis 25", "diazepam 5mg tds"]).doses)
    assert any("yet worn now" in n and "before they put on the next patch whether to keep using it" in n
               for n in notes)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks", [8, 19])
def test_below_20_weeks_the_note_agrees_with_the_sheet_that_asks(weeks, profile):
    req = _req(["ibuprofen 400mg tds"], weeks=weeks, profile=profile, sheets=("med_nsaid",))
    text = _text(req)
    # plainwords (H-MED-647): the sheet says the recorded "tds" in plain words; the notes below keep the record
    assert "ask your clinician whether to keep taking your ibuprofen 400mg three times a day (see above)" in text
    assert "tds" not in text
    [note] = [n for n in h.dose_notices(req) if n.startswith("med_nsaid") and "taken now" in n]
    assert "keep taking the current dose" not in note
    assert "its pregnancy box asks the patient to ask you whether to keep taking it" in note
    dialog = " ".join(h.taken_now_notes(req.doses))
    assert "keep taking the current dose" not in dialog
    assert "asks the patient to ask you whether to keep taking it" in dialog


@pytest.mark.parametrize("weeks", [20, None])
def test_from_20_weeks_or_not_pregnant_the_note_is_unchanged(weeks):
    req = _req(["ibuprofen 400mg tds"], weeks=weeks, sheets=("med_nsaid",))
    notes = " ".join(h.dose_notices(req))
    assert "its pregnancy box asks" not in notes
