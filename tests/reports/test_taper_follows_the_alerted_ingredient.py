""""Do not stop suddenly" follows the ingredient an alert is about, not any ingredient of the
product (fxa18; rt19 F1, F3, F6).

rt19 F1: Nurofen Plus (ibuprofen + codeine) at 31 weeks: the NSAID contraindication was worded
"do not stop nurofen plus suddenly ... taper" in the window, worklist and summary, and the NSAID
sheet said "Do not stop it suddenly". rt19 F3: paracetamol above its maximum inside co-codamol got
"do not stop ... suddenly ... taper", which keeps 6 g a day of paracetamol going.

Primary sources (resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020): NSAID labels advise
  against use from 30 weeks (premature closure of the ductus arteriosus); MHRA
  (mhra-nsaid-pregnancy-2023, [unverified] press copy): "advice to discontinue use of any NSAID in
  the last trimester". An NSAID has no withdrawal: it is stopped now.
- FDA Drug Safety Communication, 9 April 2019 (fda-opioid-tapering-2019): harm when opioids are
  "suddenly discontinued or the dose rapidly decreased" in physically dependent patients: the
  codeine of the same product is replaced, never stopped all at once. Both are said, plainly.
- Acetaminophen label (4000 mg/day maximum; the existing paracetamol row): above it the
  paracetamol is lowered now (liver damage), not tapered.
Boundaries: 29 weeks (avoid, not contraindicated), 30 (contraindicated), 31.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import (
    AS_OF, STOP_EN, WINDOW_STOP, case, sheet, summary_text, window_alerts)

from radiculopathy_desktop.domain.medications import load_medicine_data

NUROFEN = [("nurofen plus 2 tabs qds", None)]
TAPER = "do not stop"


def _about_nsaid(alerts):
    return [a for a in alerts if a.kind == "medicine" and "NSAID" in a.text and "weeks" in a.text]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks", [30, 31])
def test_nurofen_plus_contraindicated_stops_the_nsaid_and_replaces_the_codeine(weeks, profile):
    (alert,) = _about_nsaid(window_alerts(case(NUROFEN, weeks), profile))
    assert alert.status == "contraindicated"
    assert alert.action.startswith(WINDOW_STOP), alert.action
    assert "do not stop nurofen plus" not in alert.action.lower()
    assert "also contains codeine" in alert.action and "not stopped suddenly" in alert.action
    # both sources cited: the NSAID's (uk: the MHRA's, fxk20; us: the FDA's) and the codeine's
    assert ("MHRA Drug Safety Update" if profile == "uk" else "15 October 2020") in alert.source
    assert "9 April 2019" in alert.source


def test_at_29_weeks_the_nsaid_is_not_contraindicated_and_no_stop_now_is_said():
    alerts = _about_nsaid(window_alerts(case(NUROFEN, 29)))
    assert all(a.status != "contraindicated" for a in alerts)
    assert all(not a.action.startswith(WINDOW_STOP) for a in alerts)


@pytest.mark.parametrize("lang,stop,also", [
    ("en", "Do not take it.", "It also contains codeine"),
    ("es", "No lo tome.", "También contiene codeína"),
])
def test_the_nsaid_sheet_says_do_not_take_it_and_names_the_codeine(lang, stop, also):
    text = sheet(case(NUROFEN, 31), "med_nsaid", lang)
    assert stop in text and also in text
    assert "Do not stop it suddenly" not in text and "No lo deje de golpe" not in text


def test_the_opioid_sheet_of_the_same_product_stops_it_and_asks_for_the_codeine_to_be_replaced():
    """One product, one instruction (sheet19 item 3): the opioid sheet of Nurofen Plus at 31 weeks
    says what its NSAID sheet says, and never lets the codeine stop all at once (FDA 2019)."""
    text = sheet(case(NUROFEN, 31), "med_opioid", "en")
    assert "Do not take it: it also contains ibuprofen" in text
    assert "so the codeine is not stopped all at once" in text


def test_plain_ibuprofen_at_31_weeks_keeps_the_plain_stop_sentence():
    text = sheet(case([("ibuprofen 400mg tds", 1200)], 31), "med_nsaid", "en")
    assert STOP_EN in text and "also contains" not in text


def test_the_summary_says_stop_for_the_nsaid_and_replace_for_the_codeine():
    text = summary_text(case(NUROFEN, 31))
    assert "do not stop nurofen plus 2 tabs qds suddenly" not in text
    assert "also contains codeine" in text


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_paracetamol_above_its_maximum_in_co_codamol_is_not_tapered(profile):
    """12 tablets of 30/500 = 6000 mg/day of paracetamol (maximum 4000)."""
    alerts = window_alerts(case([("co-codamol 30/500 3 tabs qds", None)]), profile)
    (para,) = [a for a in alerts if "4000 mg/day" in a.text]
    assert "do not stop co-codamol" not in para.action
    # above the label maximum is "Reduce dose" (gp18 F9, dose19); the codeine it holds is still named
    assert para.action.startswith("Reduce the dose to the adjusted maximum or below.")
    assert para.status_label == "Reduce dose" and "also contains codeine" in para.action


def test_paracetamol_at_its_maximum_in_co_codamol_raises_no_paracetamol_alert():
    """8 tablets of 30/500 = 4000 mg/day: at the maximum, not above it."""
    alerts = window_alerts(case([("co-codamol 30/500 2 tabs qds", None)]))
    assert not [a for a in alerts if "4000 mg/day" in a.text]


def test_two_paracetamol_products_are_not_tapered_but_two_codeine_products_are():
    alerts = window_alerts(case([("tylenol no. 3 x2 qds", None), ("co-codamol 30/500 2 tabs qds", None)]))
    # fold33 (H-MED-699): the two rules on one pair are one alert at the stronger rating (two paracetamol products),
    # with both reasons; its action never tapers the paracetamol, and each product's codeine is replaced by the
    # prescriber so it is not stopped suddenly (wording30's taper, said of each product)
    (pair,) = [a for a in alerts if a.kind == "interaction"]
    assert "acetaminophen (paracetamol)" in pair.text and "Two products containing codeine" in pair.text
    assert "do not stop tylenol" not in pair.action
    for name in ("tylenol no. 3 x2 qds", "co-codamol 30/500 2 tabs qds"):
        assert f"{name} also contains codeine: ask the prescriber to replace the codeine" in pair.action
    assert pair.action.count("so it is not stopped suddenly") == 2 and pair.action.endswith("taper with the prescriber.")


def test_each_medicine_gets_its_own_why_in_one_action():
    """rt19 F6: morphine with gabapentin quoted only the first one's why."""
    alerts = window_alerts(case([("morphine", 60), ("gabapentin", 900)]))
    (ix,) = [a for a in alerts if a.kind == "interaction" and "gabapentinoid" in a.text.lower()]
    data = load_medicine_data()
    opioid_why = data.stopped_gradually(("morphine",))[0].rstrip(".")
    gaba_why = data.stopped_gradually(("gabapentin",))[0].rstrip(".")
    assert f"morphine: {opioid_why}" in ix.action and f"gabapentin: {gaba_why}" in ix.action


def test_stopped_gradually_about_keeps_only_the_named_ingredients():
    data = load_medicine_data()
    assert data.stopped_gradually(("ibuprofen", "codeine")) is not None
    assert data.stopped_gradually(("ibuprofen", "codeine"), about={"nsaid"}) is None
    assert data.stopped_gradually(("ibuprofen", "codeine"), about={"opioid"}) is not None
