"""Benzodiazepines, baclofen and tizanidine are never told "stop it" (src19; fxa18 item 1 "Not
done", closing14 "Open": not in the taper data, no source read).

Before: oxycodone with diazepam said "do not stop oxycodone suddenly" and nothing of the diazepam;
under uk a benzodiazepine NICE does not offer was "Review now: stop or change it"; tizanidine with
fluvoxamine was "Stop it and choose another option" in the window, worklist and CSV; cyclobenzaprine
contraindicated by heart failure beside baclofen gave a muscle-relaxant sheet that said "Do not
take it" of both.

Primary sources (resources/medicines/sources.toml), read with the search tool 2026-11-30:
- FDA Drug Safety Communication, 23 September 2020 (fda-benzodiazepine-boxed-2020, fda.gov):
  "Physical dependence can occur when benzodiazepines are taken steadily for several days to weeks,
  even as prescribed. Stopping them abruptly or reducing the dosage too quickly can result in
  withdrawal reactions, including seizures, which can be life-threatening." Class-wide: every
  member of the data's benzodiazepine class.
- Zanaflex (tizanidine) prescribing information, Highlights (tizanidine-withdrawal, read in copies
  of the label [unverified]): "To discontinue Zanaflex, decrease dose slowly to minimize the risk of
  withdrawal and rebound hypertension, tachycardia, and hypertonia".
- Baclofen tablets prescribing information, Abrupt Drug Withdrawal (baclofen-withdrawal, read only
  in copies [unverified]): "Hallucinations and seizures have occurred ... stopped suddenly. Except in
  cases of serious side effects, the dose must be reduced slowly".
- Cyclobenzaprine label (cyclobenzaprine-label): contraindicated in heart failure; no withdrawal
  warning: the boundary, still stopped at once ("Do not take it", "Stop it and choose another
  option"), as the other muscle relaxants the data lists without a withdrawal entry.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import (
    AS_OF, BASE, WINDOW_STOP, sheet, window_alerts)

RELAXANTS = "med_muscle_relaxant"


def _case(meds, birth="1970-01-01", conditions=None):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date=birth, sex="female", weight_kg=70)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.8, "unit": "mg/dL"},
                       **(conditions or {})}
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose is not None else {})} for n, dose in meds]
    return parse_case(d)


def _notes(c, sheet_id=RELAXANTS):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en", sheets=[sheet_id])
    return " ".join(h.dose_notices(req))


# --- the data: which medicines, each with its own source --------------------------------------

def test_every_benzodiazepine_the_data_lists_is_never_stopped_at_once_citing_the_fda_2020_warning():
    data = load_medicine_data()
    members = [g for g, classes in data.generic_classes.items() if "benzodiazepine" in classes]
    assert {"diazepam", "lorazepam", "alprazolam", "clonazepam", "temazepam"} <= set(members)
    for g in members:
        why, source = data.stopped_gradually((g,))
        assert "seizures" in why and "23 September 2020" in source, g


@pytest.mark.parametrize("generic, words, source", [
    ("baclofen", "hallucinations and seizures", "Abrupt Drug Withdrawal"),
    ("tizanidine", "rebound high blood pressure", "decrease dose slowly"),
])
def test_baclofen_and_tizanidine_are_listed_by_name_with_their_own_labels(generic, words, source):
    why, cited = load_medicine_data().stopped_gradually((generic,))
    assert words in why and source in cited
    assert "unverified" in cited  # read in copies of the labels, said so in the data


@pytest.mark.parametrize("generic", ["cyclobenzaprine", "methocarbamol", "metaxalone", "orphenadrine"])
def test_the_other_muscle_relaxants_are_not_tapered_by_their_class(generic):
    """Only the two muscle relaxants whose labels warn against an abrupt stop are listed: the
    class is not (cyclobenzaprine's label has no withdrawal warning)."""
    assert load_medicine_data().stopped_gradually((generic,)) is None


# --- the window (banner, Review, worklist, summary, FHIR: one rule) -----------------------------

@pytest.mark.parametrize("profile", ["us", "uk"])
def test_an_opioid_with_diazepam_says_not_to_stop_either_suddenly_each_with_its_reason(profile):
    c = _case([("oxycodone 5mg qds", 20), ("diazepam 5mg tds", 15)])
    (alert,) = [a for a in window_alerts(c, profile) if a.kind == "interaction"]
    assert "do not stop oxycodone 5mg qds or diazepam 5mg tds suddenly" in alert.action  # "or" (wording30)
    assert "diazepam 5mg tds: taken steadily for days to weeks" in alert.action
    assert "oxycodone 5mg qds: in a patient who is physically dependent" in alert.action
    assert "23 September 2020" in alert.source and "9 April 2019" in alert.source


def test_under_uk_a_benzodiazepine_nice_does_not_offer_is_reviewed_never_stop_or_change_it():
    (alert,) = [a for a in window_alerts(_case([("diazepam 5mg tds", 15)]), "uk") if "diazepam" in a.text]
    assert alert.status == "avoid"
    assert "do not stop diazepam 5mg tds suddenly" in alert.text
    assert "stop or change" not in alert.text.lower()
    assert "23 September 2020" in alert.source


def test_a_benzodiazepine_under_us_without_a_rule_raises_no_alert_at_all():
    """Boundary: the taper data changes how an alert is worded, never whether there is one."""
    assert [a for a in window_alerts(_case([("diazepam 5mg tds", 15)]), "us") if "diazepam" in a.text] == []


def test_tizanidine_with_fluvoxamine_is_reviewed_and_tizanidine_not_stopped_suddenly():
    c = _case([("tizanidine 4mg tds", 12), ("fluvoxamine", 100)])
    (alert,) = [a for a in window_alerts(c) if "fluvoxamine" in a.text]
    assert alert.status == "contraindicated"
    assert not alert.action.startswith(WINDOW_STOP), alert.action
    assert "do not stop tizanidine 4mg tds suddenly: a sudden stop risks rebound high blood pressure" in alert.action
    assert "decrease dose slowly" in alert.source


def test_cyclobenzaprine_contraindicated_is_still_stopped_now():
    """Boundary: a muscle relaxant without a withdrawal warning keeps "Stop it"."""
    c = _case([("cyclobenzaprine 10mg tds", 30)], conditions={"heart_failure": True})
    (alert,) = [a for a in window_alerts(c) if "cyclobenzaprine" in a.text]
    assert alert.status == "contraindicated" and alert.action.startswith(WINDOW_STOP)


# --- the sheet and the clinician's note ---------------------------------------------------------

DO_NOT_TAKE = {"en": "Do not take it", "es": "No lo tome"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cyclobenzaprine_alone_contraindicated_the_sheet_says_do_not_take_it(lang):
    c = _case([("cyclobenzaprine 10mg tds", 30)], conditions={"heart_failure": True})
    assert DO_NOT_TAKE[lang] in sheet(c, RELAXANTS, lang)


@pytest.mark.parametrize("lang, taper", [
    ("en", "Do not stop taking it suddenly"),
    ("es", "Dejarlo de golpe puede hacerle ver"),
])
def test_baclofen_beside_a_contraindicated_cyclobenzaprine_is_never_told_do_not_take_it(lang, taper):
    c = _case([("cyclobenzaprine 10mg tds", 30), ("baclofen 10mg tds", 30)], conditions={"heart_failure": True})
    text = sheet(c, RELAXANTS, lang)
    assert DO_NOT_TAKE[lang] not in text
    assert taper in text
    assert "not to stop it suddenly" in _notes(c)


def test_the_clinicians_note_for_tizanidine_with_fluvoxamine_says_not_to_stop_it_suddenly():
    c = _case([("tizanidine 4mg tds", 12), ("fluvoxamine", 100)])
    note = _notes(c)
    assert "CONTRAINDICATED" in note and "not to stop it suddenly (you lower it step by step)" in note


def test_the_clinicians_note_for_cyclobenzaprine_with_an_opioid_does_not_say_taper():
    """Boundary: the opioid beside it is another sheet's; cyclobenzaprine's note is not tapered."""
    c = _case([("cyclobenzaprine 10mg tds", 30), ("oxycodone 5mg qds", 20)])
    assert "not to stop it suddenly" not in _notes(c)
