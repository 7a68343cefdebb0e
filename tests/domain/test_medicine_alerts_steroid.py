"""A systemic corticosteroid taken now is never told "stop" (gp14 G3).

From the sources, not the code:
- BNF, Corticosteroids, general use, treatment cessation: gradual withdrawal should be
  considered after more than 3 weeks' treatment (and other conditions): adrenal suppression.
  Prednisone label, PRECAUTIONS: when the dose is reduced, reduce it gradually.
- AGS Beers 2023: at 65 or over avoid a corticosteroid with an NSAID (GI bleeding). Stopping
  the NSAID removes that risk; it is the one to review first.
Every systemic corticosteroid of the medicine data (classes.toml, by drug class) is checked,
under both guideline profiles.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medicine_alerts import STEROID_CLASS, medicine_alerts, nsaid_pairing_only
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 29)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
STEROIDS = sorted(load_medicine_data().class_members[STEROID_CLASS])
NOT_SUDDENLY = "do not stop it suddenly: reduce gradually with the prescriber"
# each in the singular and the plural (wording30: an alert about several medicines says "them")
STOP_WORDS = ("stop or change it", "Stop it and choose another option", "stop or change them", "Stop them and choose",
              "Stop one of them")


def report_for(medicines, age=73, profile="us", **flags):
    d = copy.deepcopy(BASE)
    d["medicines"] = medicines
    d["patient"].pop("birth_date", None)
    d["patient"]["age_years"] = age
    d["red_flags"].update(flags)
    case = parse_case(d)
    return assess_medications(case.intake_as_of(AS_OF), AS_OF, profile=profile)


def steroid_alerts(alerts, steroid):
    return [a for a in alerts if steroid in a.medicines]


def test_the_medicine_data_has_the_systemic_steroids_checked_here():
    assert {"prednisone", "prednisolone", "dexamethasone", "methylprednisolone", "hydrocortisone"} <= set(STEROIDS)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("steroid", STEROIDS)
def test_a_steroid_beside_an_nsaid_at_73_is_never_told_stop_and_the_nsaid_is_named_first(steroid, profile):
    report = report_for([{"name": steroid, "daily_dose_mg": 10}, {"name": "naproxen", "daily_dose_mg": 1000}],
                        profile=profile)
    alerts = medicine_alerts(report)
    # the NSAID itself is avoid at 73 with a corticosteroid (Beers 2023): told to stop or change
    nsaid = [a for a in alerts if a.medicines == ("naproxen",)]
    assert nsaid and "stop or change it" in nsaid[0].action
    for alert in steroid_alerts(alerts, steroid):
        assert NOT_SUDDENLY in alert.action, alert.text
        assert not any(words in alert.action for words in STOP_WORDS), alert.text
        if profile == "us":  # avoid only for the pairing: the NSAID is the one to review first
            assert "Review naproxen (the NSAID) first" in alert.action
        else:  # NICE NG59 also does not offer oral steroids for sciatica: not the pairing alone
            assert alert.action.startswith("Review now with the prescriber; " + NOT_SUDDENLY)
        assert "British National Formulary" in alert.source  # the withdrawal advice cited
        assert alert.text.endswith(alert.action)
    if steroid_alerts(alerts, steroid):  # the NSAID's alert comes before the steroid's
        assert alerts.index(nsaid[0]) < alerts.index(steroid_alerts(alerts, steroid)[0])
    assert nsaid_pairing_only({steroid}, report) in ((), ("naproxen",))


@pytest.mark.parametrize("steroid", STEROIDS)
def test_a_steroid_avoided_for_its_own_reason_is_reduced_gradually_and_no_nsaid_is_named(steroid):
    # infection suspected (fever): avoid oral corticosteroids (prednisone label) - not the pairing
    report = report_for([{"name": steroid, "daily_dose_mg": 10}], age=50, fever="yes")
    for alert in steroid_alerts(medicine_alerts(report), steroid):
        assert alert.action.startswith("Review now with the prescriber; " + NOT_SUDDENLY)
        assert "NSAID" not in alert.action
    assert nsaid_pairing_only({steroid}, report) == ()


def test_prednisolone_rated_avoid_for_the_nsaid_and_an_infection_names_no_nsaid_first():
    report = report_for([{"name": "prednisolone", "daily_dose_mg": 10}, {"name": "naproxen", "daily_dose_mg": 1000}],
                        fever="yes")
    (alert,) = steroid_alerts(medicine_alerts(report), "prednisolone")
    assert alert.status == "avoid"
    assert alert.action.startswith("Review now with the prescriber; " + NOT_SUDDENLY)
    assert "Review naproxen" not in alert.action
    assert nsaid_pairing_only({"prednisolone"}, report) == ()


@pytest.mark.parametrize("age,alerted", [(64, False), (65, True)])
def test_the_beers_age_boundary_for_the_steroid_with_an_nsaid(age, alerted):
    report = report_for([{"name": "prednisolone", "daily_dose_mg": 10}, {"name": "ibuprofen", "daily_dose_mg": 1200}],
                        age=age)
    found = steroid_alerts(medicine_alerts(report), "prednisolone")
    assert bool(found) is alerted
    if found:
        assert "Review ibuprofen (the NSAID) first" in found[0].action and NOT_SUDDENLY in found[0].action


def test_a_non_steroid_keeps_the_plain_action():
    report = report_for([{"name": "naproxen", "daily_dose_mg": 1000}, {"name": "apixaban", "daily_dose_mg": 10}])
    for alert in medicine_alerts(report):
        assert NOT_SUDDENLY not in alert.action
