"""The opioid sheet words the patient's opioid total in the window's own bands (sht24 item 2; H-MED-432).

Before: at 50-89 MME/day the window, worklist and CSV said "Reassess opioid dose" (rules.toml
opioid-mme-50: "CDC: reassess benefits and risks before any increase, offer naloxone, and do not stop it
or cut it rapidly") while the sheet told the patient "Your opioid dose is high ... Your dose of opioid
pain medicine is high". Only at 90 or more does the window say "High opioid dose" (opioid-mme-90: CDC,
avoid increasing to 90 or more). Methadone and buprenorphine: the same bands "if for pain" (the
oud-medicine rules; CDC 2022's thresholds are for pain).

The band is the rule that fired, read through its ``alert_label``, the window's label: the sheet holds no
copy of 50 and 90. Boundaries 49, 50, 89, 90 MME/day (morphine, factor 1), per profile, en and es.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import MME_RULES, assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

from . import test_handout_readability as readability  # noqa: E402 - the module, so its tests are not collected twice

english_syllable_dictionary = readability.english_syllable_dictionary

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))

REVIEW = {"en": ("Ask your prescriber to review your opioid dose", "Ask your prescriber to review your dose."),
          "es": ("Pida a quien se lo recetó que revise su dosis de opioide",
                 "Pida a quien se lo recetó que revise su dosis.")}
HIGH = {"en": ("Your opioid dose is high", "Your dose of opioid pain medicine is high"),
        "es": ("Su dosis de opioide es alta", "Su dosis de medicamento opioide para el dolor es alta")}
NOT_SUDDENLY = {"en": "Do not change the dose or stop it on your own", "es": "No cambie la dosis ni lo deje por su cuenta"}


def _case(meds):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.9, "unit": "mg/dL"}}
    d["medicines"] = [{"name": n, **({"daily_dose_mg": mg} if mg is not None else {})} for n, mg in meds]
    return parse_case(d)


def _sheet(meds, lang="en", profile="us"):
    c = _case(meds)
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"],
                             profile=profile, country="uk" if profile == "uk" else "us", confirm_unrecognised=True)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


def _window_label(meds, profile):
    """The label the window gives the opioid row (the rule's own alert label)."""
    report = assess_medications(_case(meds).intake, AS_OF, profile=profile)
    return next((r.status_label for r in report.rows if r.currently_taking and "opioid dose" in r.status_label.lower()),
                None)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("mg,band", [(49, None), (50, "review"), (89, "review"), (90, "high"), (240, "high")])
def test_the_sheet_follows_the_window_band_at_the_boundaries(mg, band, lang, profile):
    text, _req = _sheet([("morphine", mg)], lang, profile)
    label = _window_label([("morphine", mg)], profile)
    assert label == {None: None, "review": "Reassess opioid dose", "high": "High opioid dose"}[band]
    if band == "review":
        assert all(words in text for words in REVIEW[lang])
        assert not any(words in text for words in HIGH[lang])
    elif band == "high":
        assert all(words in text for words in HIGH[lang])
        assert REVIEW[lang][0] not in text
    else:
        assert not any(words in text for words in (*HIGH[lang], *REVIEW[lang]))
    if band:
        # either band: not changed or stopped on their own, naloxone, no daily maximum
        assert NOT_SUDDENLY[lang] in text and ("naloxone" in text or "naloxona" in text)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name,review", [("fentanyl 25mcg/h patch", True), ("fentanyl 37.5mcg/h patch", False),
                                         ("fentanyl 50mcg/h patch", False)])
def test_a_patch_gets_the_band_of_its_total(name, review, lang):
    # x 2.4 (CDC 2022): 25 is 60 MME/day (review), 37.5 exactly 90 and 50 is 120 (high), as the window labels them
    text, _req = _sheet([(name, None)], lang)
    label = _window_label([(name, None)], "us")
    assert (label == "Reassess opioid dose") == review
    assert (REVIEW[lang][0] in text) == review
    assert (HIGH[lang][0] in text) == (not review)
    assert ("You use" if lang == "en" else "Usted usa") in text


@pytest.mark.parametrize("lang,review_said,high_said", [
    ("en", "If you take it for pain, your opioid dose (about", "If you take it for pain, your opioid dose is high"),
    ("es", "Si lo toma para el dolor, su dosis de opioide (unos", "Si lo toma para el dolor, su dosis de opioide es alta")])
@pytest.mark.parametrize("mg,review", [(10, None), (15, True), (19, True), (20, False)])
def test_methadone_is_in_the_same_bands_if_for_pain(mg, review, lang, review_said, high_said):
    # methadone x 4.7 (CDC 2022): 10 mg 47, 15 mg 70.5, 19 mg 89.3, 20 mg 94 MME/day
    text, _req = _sheet([(f"methadone {mg}mg od", None)], lang)
    label = _window_label([(f"methadone {mg}mg od", None)], "us")
    assert label == {None: None, True: "Reassess opioid dose if for pain", False: "High opioid dose if for pain"}[review]
    assert (review_said in text) == bool(review)
    assert (high_said in text) == (review is False)
    assert not any(words in text for words in HIGH[lang])


def test_the_clinician_note_says_what_the_band_sheet_says():
    _text, req = _sheet([("morphine", 60)])
    notes = " ".join(h.dose_notices(req))
    assert "labels REASSESS OPIOID DOSE" in notes
    assert "asks the patient to ask their prescriber to review the opioid dose (never that it is high)" in notes
    assert "it says the opioid dose is high" not in notes
    _text, req = _sheet([("morphine", 120)])
    notes = " ".join(h.dose_notices(req))
    assert "labels HIGH OPIOID DOSE" in notes and "it says the opioid dose is high" in notes


@pytest.mark.parametrize("rule_id", sorted(MME_RULES))
def test_every_opioid_total_rule_of_the_data_has_sheet_words(rule_id):
    # the window's label of each rule decides the band; a rule the sheets have no words for is refused
    reassess, if_pain = h.mme_band_of_rule(rule_id)
    assert reassess == ("-50" in rule_id) and if_pain == rule_id.endswith("oud-medicine")


def test_a_label_the_sheets_have_no_words_for_is_refused(monkeypatch):
    monkeypatch.setattr(h, "_MME_BAND_BY_LABEL", {})
    with pytest.raises(KeyError):
        h.mme_band_of_rule("opioid-mme-50")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_review_sheet_reads_at_the_required_level(lang, english_syllable_dictionary, request):
    c = _case([("morphine 30mg bd", None)])
    req = h.request_for_case(c, AS_OF, clinic_name="Riverside Clinic", clinic_contact="555 0100", lang=lang,
                             sheets=["med_opioid"])
    text = readability.measured_text(h.filled_sheets(req)[0])
    assert REVIEW[lang][0] in text
    readability.assert_reads_at_required_level(text, lang, request)
