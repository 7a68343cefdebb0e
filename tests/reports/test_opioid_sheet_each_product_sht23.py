"""The opioid sheet and the clinician's note tell the truth for each product (rt24 F5, F6, F8, F9;
gp21 F9; H-MED-405..408).

Before: "Fentalis 25" (a fentanyl patch) with "Effentora 100" (a fentanyl buccal tablet) got one "strong
pain patch" sheet with nothing of the tablet's own use (F5), and the note called both "prescribed in
micrograms an hour (skin patch)", the patch losing its rate and MME (F6); methadone at 282 MME/day
read "Your dose of opioid pain medicine is high" while the window says "High opioid dose if for pain"
(F8); a long-term opioid taken now read "only for a short time", "do not drive ... while you take it"
and "we will help you cut down slowly" (gp21 F9); "your fentanyl 30mcg/h patch patch" and
"fentanilo (fentanyl patch)" (rt24 F9).

Sources (resources/handouts/README.md): the EMA EPAR summary of Effentora ("a gap of at least four
hours between treating each episode of pain"; placed between the gum and the cheek); CDC 2022 (MME
thresholds are for pain, not for methadone or buprenorphine treating opioid use disorder: rules.toml
opioid-mme-*-oud-medicine); GOV.UK "Drugs and driving: the law" and the MHRA Drug Safety Update of
October 2014 (uk); the US opioid labels (driving: not until you know how it affects you).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case


def _req(meds, lang="en", country="other"):
    c = case([(m, None) for m in meds])
    return h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                              sheets=["med_opioid"], confirm_unrecognised=True, country=country,
                              profile="uk" if country == "uk" else "us")


def _text(meds, lang="en", country="other"):
    return " ".join(hc.plain_text(h.filled_sheets(_req(meds, lang, country))[0]).split())


def _note(meds):
    return " ".join(h.dose_notices(_req(meds)))


PATCH_AND_BUCCAL = ["Fentalis 25", "Effentora 100"]


# ------------------------------------------------------------------ F5: each product its own advice
@pytest.mark.parametrize("lang,title,buccal,wait,other", [
    ("en", "Your medicines: a strong pain patch and other strong painkillers (opioids).",
     "If you use buccal tablets for flare-ups", "Wait at least 4 hours before you treat another flare-up.",
     "Besides your patch, you take another opioid."),
    ("es", "Sus medicamentos: un parche para el dolor fuerte y otros calmantes fuertes (opioides).",
     "Si usa comprimidos bucales para las crisis de dolor", "Espere al menos 4 horas antes de tratar otra crisis.",
     "Además del parche, usted toma otro opioide.")])
def test_a_patch_and_a_buccal_tablet_each_get_their_own_advice(lang, title, buccal, wait, other):
    text = _text(PATCH_AND_BUCCAL, lang)
    assert text.startswith(title)
    assert buccal in text and wait in text and other in text
    # the patch keeps its own: the heat box is still there
    assert ("Keep heat away from the patch." if lang == "en" else "Aleje el calor del parche.") in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_buccal_tablet_alone_gets_its_box_and_the_pills_title(lang):
    text = _text(["Effentora 100"], lang)
    assert text.startswith("Your medicine: strong pain pills (opioids)." if lang == "en"
                           else "Su medicamento: calmantes fuertes (opioides).")
    assert ("Wait at least 4 hours" if lang == "en" else "Espere al menos 4 horas") in text
    # no patch beside it: no "besides your patch"
    assert ("Besides your patch" if lang == "en" else "Además del parche") not in text


@pytest.mark.parametrize("meds", [["fentanyl 25mcg/h patch"], ["codeine 30mg qds"]])
def test_one_form_alone_has_no_buccal_box_and_no_other_opioid_box(meds):
    text = _text(meds)
    assert "buccal" not in text.lower()
    assert "Besides your patch" not in text
    assert "Your medicines:" not in text


def test_a_patch_and_codeine_tablets_say_the_tablets_add_to_the_patch():
    text = _text(["fentanyl 25mcg/h patch", "codeine 30mg qds"])
    assert text.startswith("Your medicines: a strong pain patch and other strong painkillers (opioids).")
    assert "never more in a day than they said. It adds to the medicine from your patch." in text
    assert "buccal" not in text.lower()


def test_the_buccal_source_is_printed_only_with_its_box():
    with_box = h.filled_sheets(_req(PATCH_AND_BUCCAL))[0]
    without = h.filled_sheets(_req(["fentanyl 25mcg/h patch"]))[0]
    assert "effentora-epar" in with_box.sources
    assert "effentora-epar" not in without.sources


# ------------------------------------------------------------------ F6: the note names each form
def test_the_note_names_each_fentanyl_by_its_own_form_with_the_patch_rate_and_mme():
    note = _note(PATCH_AND_BUCCAL)
    assert "prescribed in micrograms an hour (skin patch)" not in note
    assert "Effentora 100 (a buccal tablet, not a skin patch" in note  # as its maker prints it (sht24)
    # the patch's rate and MME contribution, the numbers the window's "how counted" line gives (25 x 2.4)
    assert "Fentalis 25 (a skin patch, prescribed in micrograms an hour: 25 micrograms an hour" in note
    assert "counted as 60 MME/day (x 2.4, CDC 2022)" in note


def test_two_patches_of_two_opioids_each_keep_their_rate():
    note = _note(["fentanyl 25mcg/h patch", "buprenorphine 10 micrograms/hour patch"])
    assert "fentanyl 25mcg/h patch (a skin patch, prescribed in micrograms an hour: 25 micrograms an hour" in note
    assert "buprenorphine 10 micrograms/hour patch (a skin patch, prescribed in micrograms an hour: 10 micrograms" in note


def test_the_dialog_note_of_a_high_dose_sheet_does_not_say_it_asks_before_the_next_dose():
    notes = " ".join(h.taken_now_notes(_req(PATCH_AND_BUCCAL).doses))
    # Fentalis 25 is 60 MME/day, the window's "Reassess opioid dose": a review, never "high" (sht24)
    assert "it asks the patient to ask their prescriber to review the opioid dose (never that it is high)" in notes
    assert "asks the patient to ask you before the next dose" not in notes


# ------------------------------------------------------------------ F8: methadone, buprenorphine
# methadone 15 mg a day is about 70 MME/day (the 50 rule), 60 mg about 282 (the 90 rule): both are the
# window's "... if for pain"; 10 mg (47 MME/day) is below both: no box at all. At 50-89 the window
# says "Reassess opioid dose if for pain": the sheet asks for a review, never "high" (sht24)
@pytest.mark.parametrize("meds,said_en,said_es", [
    (["methadone 15mg od"], "If you take it for pain, your opioid dose (about 70.5 mg of morphine a day",
     "Si lo toma para el dolor, su dosis de opioide (unos 70,5 mg de morfina al día"),  # arthro36: decimal comma
    (["methadone 60mg od"], "If you take it for pain, your opioid dose is high for pain treatment",
     "Si lo toma para el dolor, su dosis de opioide es alta para tratar el dolor")])
@pytest.mark.parametrize("lang,heading,never", [
    ("en", "Ask about your opioid dose", "Your dose of opioid pain medicine is high"),
    ("es", "Pregunte por su dosis de opioide", "Su dosis de medicamento opioide para el dolor es alta")])
def test_methadone_is_high_only_if_for_pain(meds, said_en, said_es, lang, heading, never):
    said = said_en if lang == "en" else said_es
    assert _req(meds, lang).doses["opioid"].high_dose_if_pain
    text = _text(meds, lang)
    assert said in text and heading in text
    assert never not in text
    assert ("do not change the dose or stop it on your own" if lang == "en"
            else "no cambie la dosis ni lo deje por su cuenta") in text


def test_methadone_below_50_mme_gets_no_dose_box():
    text = _text(["methadone 10mg od"])
    assert "for pain treatment" not in text and "Your opioid dose is high" not in text


@pytest.mark.parametrize("lang,said", [("en", "Your dose of opioid pain medicine is high"),
                                       ("es", "Su dosis de medicamento opioide para el dolor es alta")])
def test_morphine_alone_keeps_your_dose_is_high(lang, said):
    text = _text(["morphine 60mg bd"], lang)
    assert said in text
    assert "dependence" not in text and "dependencia" not in text


def test_the_clinician_note_says_if_for_pain_for_methadone():
    note = _note(["methadone 60mg od"])
    assert "if it is taken for pain the opioid dose is high" in note


# ------------------------------------------------------------------ gp21 F9: a long-term opioid
@pytest.mark.parametrize("lang,short,cut,drive_new", [
    ("en", "only for a short time", "We will help you cut down slowly.", "while you are on this medicine"),
    ("es", "solo para poco tiempo", "Le ayudaremos a bajarlo poco a poco.", "mientras esté con este medicamento")])
@pytest.mark.parametrize("meds", [["oxycodone 10mg bd"], ["fentanyl 25mcg/h patch"]])
def test_an_opioid_taken_now_is_not_told_short_time_blanket_no_driving_or_cut_down(meds, lang, short, cut, drive_new):
    text = _text(meds, lang)
    assert short not in text
    assert cut not in text
    assert drive_new not in text
    assert ("Talk to your prescriber before any change to your dose." if lang == "en"
            else "Hable con quien se lo recetó antes de cualquier cambio de dosis.") in text


@pytest.mark.parametrize("country,said,not_said", [
    ("uk", "It is against the law to drive if a medicine makes your driving unsafe.", "This medicine can make it unsafe"),
    ("us", "This medicine can make it unsafe to drive. Do not drive, ride a bike or use machines until you know how it "
           "affects you", "against the law"),
    ("other", "until you know how it affects you", "against the law")])
def test_driving_for_an_opioid_taken_now_follows_the_clinic_country(country, said, not_said):
    text = _text(["oxycodone 10mg bd"], "en", country)
    assert said in text and not_said not in text


def test_driving_sources_follow_the_country():
    uk = h.filled_sheets(_req(["oxycodone 10mg bd"], country="uk"))[0].sources
    us = h.filled_sheets(_req(["oxycodone 10mg bd"], country="us"))[0].sources
    assert "uk-drug-driving-law" in uk and "opioid-driving-label" not in uk
    assert "opioid-driving-label" in us and "uk-drug-driving-law" not in us


def test_a_new_prescription_keeps_the_starting_words():
    c = case([])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en", confirm_unrecognised=True)
    if "opioid" not in req.doses:
        # the engine offers no new opioid to this patient: build the sheet as a new prescription would
        dose = h.MedicineDose("5 mg", "20 mg", medicine="oxycodone")
        req = replace(req, sheets=("med_opioid",), doses={"opioid": dose})
    else:
        req = replace(req, sheets=("med_opioid",))
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert "They are only for a short time" in text
    assert "We will help you cut down slowly." in text
    assert "Do not drive, ride a bike or use machines while you are on this medicine." in text
    assert "You already take it" not in text


# ------------------------------------------------------------------ rt24 F9: words
def test_a_patch_strength_to_check_says_patch_once():
    text = _text(["fentanyl 30mcg/h patch"])
    assert "patch patch" not in text
    assert "check the strength of your fentanyl 30mcg/h patch with your prescriber" in text


@pytest.mark.parametrize("lang,name", [("en", "This sheet is about fentanyl."),
                                       ("es", "Esta hoja trata de su medicación: fentanilo.")])
def test_a_generic_written_with_its_form_is_not_repeated_in_brackets(lang, name):
    text = _text(["fentanyl 25mcg/h patch"], lang)
    assert name in text
    assert "(fentanyl patch)" not in text


def test_a_brand_is_still_named_in_brackets():
    assert "fentanyl (Fentalis 25)" in _text(["fentalis 25"])  # as its maker prints it (sht24)
