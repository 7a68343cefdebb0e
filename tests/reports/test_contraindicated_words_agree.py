"""A contraindicated medicine is worded the same for the clinician and the patient (opi18, gp17 F7).

gp17 F7: at 31 weeks on ibuprofen the window said "Contraindicated ... Stop it and choose another
option" while the NSAID sheet said "Ask your clinician whether to keep taking it" and "Ask before
your next dose": a patient may keep taking it until she asks.

Primary sources (resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020): avoid NSAIDs at 20
  weeks or later; the labels already advise against use from 30 weeks (premature closure of the
  ductus arteriosus). The medicine check rates an NSAID avoid from 20 and contraindicated from 30.
- MHRA reminder on NSAIDs in pregnancy (mhra-nsaid-pregnancy-2023, read in pharmacy-press
  reports): systemic NSAIDs "contraindicated in the last trimester", with "advice to discontinue
  use of any NSAID in the last trimester". An NSAID has no withdrawal: stopping it at once is safe
  and is what is advised, so the sheet says "Do not take it. Your clinician will talk to you about
  another option."
- FDA Drug Safety Communication, 9 April 2019 (fda-opioid-tapering-2019): serious harm when
  opioids are "suddenly ... discontinued or the dose rapidly decreased": an opioid is never "do not
  take it"; its sheet keeps "Do not stop it suddenly" and the alert says so too. Which medicines
  are never stopped at once is data (classes.toml [stop_gradually]), not a list in the code.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports import summary
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))

STOP_EN = "Do not take it. Your clinician will talk to you about another option."
STOP_ES = "No lo tome. Su profesional hablará con usted de otra opción."
ASK_EN = "Ask your clinician whether to keep taking it."
ASK_ES = "Pregunte a su profesional si debe seguir tomándolo."
WINDOW_STOP = "Stop it and choose another option."


def case(meds, weeks=None):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1994-01-01", sex="female", weight_kg=70)
    if weeks is not None:
        d["patient"].update(pregnant=True, pregnancy_weeks=weeks)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.8, "unit": "mg/dL"}}
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose is not None else {})} for n, dose in meds]
    return parse_case(d)


def sheet(c, sheet_id, lang, profile="us"):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet_id],
                             profile=profile)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


def window_alerts(c, profile="us"):
    """What the case page's banner and Review list show (one rule: medicine_alerts)."""
    return medicine_alerts(assess_medications(c.intake, AS_OF, profile=profile))


def summary_text(c, profile="us"):
    html, _ = summary.summary_html(summary.SummaryRequest(c, AS_OF, profile=profile))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


IBU = [("ibuprofen 400mg tds", 1200)]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks", [30, 31])
def test_a_contraindicated_nsaid_is_stopped_in_the_window_the_summary_and_both_sheets(weeks, profile):
    c = case(IBU, weeks)
    [alert] = [a for a in window_alerts(c, profile) if "ibuprofen 400mg tds" in a.medicines]
    assert alert.status == "contraindicated" and alert.action == WINDOW_STOP
    assert WINDOW_STOP in summary_text(c, profile)
    en = sheet(c, "med_nsaid", "en", profile)
    es = sheet(c, "med_nsaid", "es", profile)
    assert STOP_EN in en and STOP_ES in es
    # one "Do not take it" box, its sentence said once: the pregnancy box's words are that box
    # (gp20 F13, sheet21: a "You are pregnant ... Do not take it" box was followed by a "Do not
    # take it" box repeating it)
    assert en.count(STOP_EN) == 1 and es.count(STOP_ES) == 1
    assert "Do not take it. You are %d weeks pregnant." % weeks in en
    assert "No lo tome. Está embarazada de %d semanas." % weeks in es
    for text in (en, es):
        assert "whether to keep taking" not in text and "si debe seguir tomándolo" not in text
        assert "Ask before your next dose" not in text and "Pregunte antes de su próxima dosis" not in text
        assert "keep taking your ibuprofen" not in text


@pytest.mark.parametrize("profile, weeks", [("us", 29), ("uk", 27)])
def test_just_below_30_weeks_the_nsaid_is_avoid_and_both_ask(profile, weeks):
    """Just below the profile's threshold (us 29 weeks, FDA 30; uk 27 weeks, MHRA "after 28 weeks",
    src19): avoid, not contraindicated. The window asks to review it, the sheet to ask first."""
    c = case(IBU, weeks)
    [alert] = [a for a in window_alerts(c, profile) if "ibuprofen 400mg tds" in a.medicines]
    assert alert.status == "avoid" and "Review now" in alert.action
    en = sheet(c, "med_nsaid", "en", profile)
    es = sheet(c, "med_nsaid", "es", profile)
    # one box asks, with its reason (sheet21: the pregnancy box's reasonless question was a
    # second box saying the same)
    # the reason in plain words from the profile's source (handout29: FDA 2020, MHRA 2023)
    from tests.helpers.nsaid_pregnancy_words import ask_20  # noqa: PLC0415
    assert ask_20("en", profile) in en
    assert ask_20("es", profile) in es
    assert ASK_EN not in en and ASK_ES not in es
    assert STOP_EN not in en and STOP_ES not in es


@pytest.mark.parametrize("lang, taper, stop", [
    ("en", "Do not stop it suddenly", STOP_EN),
    ("es", "No lo deje de golpe", STOP_ES),
])
def test_an_opioid_rated_avoid_in_pregnancy_is_never_do_not_take_it(lang, taper, stop):
    """Oxycodone with diazepam at 33 weeks: avoid (CDC 2022; FDA 2016). The window says review
    with the prescriber and not to stop it suddenly; the sheet says not to stop it suddenly."""
    c = case([("oxycodone", 20), ("diazepam", 10)], 33)
    alerts = [a for a in window_alerts(c) if "oxycodone" in a.medicines]
    assert alerts and all("do not stop" in a.action and "suddenly" in a.action for a in alerts)
    assert all(not re.search(r"Stop (it|them|one of them) and choose|stop or change (it|them)", a.action)
               for a in alerts)  # one medicine or several (wording30)
    text = sheet(c, "med_opioid", lang)
    assert taper in text
    assert stop not in text


def test_the_opioid_sheet_of_two_different_opioids_says_so_and_the_paracetamol_sheet_names_paracetamol():
    """Tylenol #3 with Percocet (gp17 F6): on the opioid sheet they are two opioids, not "the same
    medicine, paracetamol"; that box stays on the paracetamol sheet."""
    c = case([("tylenol no. 3 x2 qds", None), ("percocet 10/325 1 tab qid", None)])
    opioid = sheet(c, "med_opioid", "en", "uk")
    assert "They are the same kind of medicine and should not be taken together" in opioid
    assert "the same medicine, paracetamol" not in opioid and "the same medicine, acetaminophen" not in opioid
    assert "Do not stop them suddenly" in opioid  # two opioids: "them" (wording30)
    para = sheet(c, "med_acetaminophen", "en", "uk")
    assert "They contain the same medicine, acetaminophen" in para  # the sheet's country is not set
