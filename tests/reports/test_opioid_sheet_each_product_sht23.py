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


# ------------------------------------------------------------------ F6: the note names each form
def test_the_note_names_each_fentanyl_by_its_own_form_with_the_patch_rate_and_mme():
    note = _note(PATCH_AND_BUCCAL)
    assert "prescribed in micrograms an hour (skin patch)" not in note
    assert "effentora 100 (a buccal tablet, not a skin patch" in note
    # the patch's rate and MME contribution, the numbers the window's "how counted" line gives (25 x 2.4)
    assert "fentalis 25 (a skin patch, prescribed in micrograms an hour: 25 micrograms an hour" in note
    assert "counted as 60 MME/day (x 2.4, CDC 2022)" in note


def test_two_patches_of_two_opioids_each_keep_their_rate():
    note = _note(["fentanyl 25mcg/h patch", "buprenorphine 10 micrograms/hour patch"])
    assert "fentanyl 25mcg/h patch (a skin patch, prescribed in micrograms an hour: 25 micrograms an hour" in note
    assert "buprenorphine 10 micrograms/hour patch (a skin patch, prescribed in micrograms an hour: 10 micrograms" in note


def test_the_dialog_note_of_a_high_dose_sheet_does_not_say_it_asks_before_the_next_dose():
    notes = " ".join(h.taken_now_notes(_req(PATCH_AND_BUCCAL).doses))
    assert "it says the opioid dose is high" in notes
    assert "asks the patient to ask you before the next dose" not in notes


# ------------------------------------------------------------------ F8: methadone, buprenorphine
# methadone 15 mg a day is about 70 MME/day (the 50 rule), 60 mg about 282 (the 90 rule): both are the
# window's "... if for pain"; 10 mg (47 MME/day) is below both: no box at all
@pytest.mark.parametrize("meds", [["methadone 15mg od"], ["methadone 60mg od"]])
@pytest.mark.parametrize("lang,said,heading,never", [
    ("en", "If you take it for pain, your opioid dose is high for pain treatment", "Ask about your opioid dose",
     "Your dose of opioid pain medicine is high"),
    ("es", "Si lo toma para el dolor, su dosis de opioide es alta para tratar el dolor",
     "Pregunte por su dosis de opioide", "Su dosis de medicamento opioide para el dolor es alta")])
def test_methadone_is_high_only_if_for_pain(meds, lang, said, heading, never):
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


