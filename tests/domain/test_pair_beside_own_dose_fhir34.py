"""fhir34 (H-MED-715, tryout33 F8): a medicine with its own dose problem beside a pair. Ibuprofen 3600 mg/day (above
its 3200 mg label maximum) with lithium was two Avoid alerts for one pair: the ibuprofen row's ("avoid for this patient:
Taking lithium: NSAIDs raise lithium levels ... Reduce dose: ...") and the pair's ("NSAID with lithium"). The row's
Avoid was the pair's; what the row has of its own is the dose. So the pair says the pair, once, and the row says its
dose as it does with no lithium: "Reduce dose" (or "Check the dose" for a likely slip). A rating of the row's own
(pregnancy) keeps the row's alert as before, and an opioid total is not folded here (another change's)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts

from helpers.medicines import example_report, typed_case

LITHIUM = ("lithium 400mg", 800.0)
PAIR_WORDS = "NSAIDs raise lithium levels"  # the ibuprofen row's wording of the pair's warning


def _said(report):
    alerts = medicine_alerts(report)
    assert tuple((a.medicines, a.status_label) for a in alerts) == alert_heads(report)  # one selection
    return [(a.status_label, a.medicines) for a in alerts], alerts


def test_a_dose_above_the_maximum_beside_lithium_is_the_pair_once_and_the_dose_as_without_lithium():
    shown, alerts = _said(example_report([("ibuprofen", 3600.0), LITHIUM]))
    assert shown == [("Avoid", ("ibuprofen", "lithium 400mg")), ("Reduce dose", ("ibuprofen",))]
    assert not any(PAIR_WORDS in a.text for a in alerts)
    (_alone,) = medicine_alerts(example_report([("ibuprofen", 3600.0)]))
    assert alerts[1].text == _alone.text and alerts[1].action == _alone.action  # the dose said as it is alone
    assert "3200 mg/day" in alerts[1].text


@pytest.mark.parametrize("mg, shown", [
    (3200.0, [("Avoid", ("ibuprofen", "lithium 400mg"))]),  # at the label maximum: the pair alone
    (3201.0, [("Avoid", ("ibuprofen", "lithium 400mg")), ("Reduce dose", ("ibuprofen",))]),
    # far above the label (a likely slip): the dose to check, never folded away
    (40000.0, [("Avoid", ("ibuprofen", "lithium 400mg")), ("Check the dose", ("ibuprofen",))]),
])
def test_boundaries_of_the_dose_beside_the_pair(mg, shown):
    said, alerts = _said(example_report([("ibuprofen", mg), LITHIUM]))
    assert said == shown
    assert not any(PAIR_WORDS in a.text for a in alerts)
    assert sum("NSAID with lithium" in a.text for a in alerts) == 1


def test_two_pairs_sharing_the_medicine_and_its_dose():
    """Ibuprofen 3600 mg/day with lithium and apixaban: each pair once, the dose once."""
    said, alerts = _said(example_report([("ibuprofen", 3600.0), LITHIUM, ("apixaban 5mg bd", 10.0)]))
    assert sorted(said) == sorted([("Avoid", ("ibuprofen", "apixaban 5mg bd")), ("Avoid", ("ibuprofen", "lithium 400mg")),
                                   ("Reduce dose", ("ibuprofen",))])
    assert not any(PAIR_WORDS in a.text or "avoid NSAIDs" in a.text for a in alerts)


def test_a_rating_of_the_medicines_own_keeps_its_alert_with_the_dose():
    """At 32 weeks of pregnancy (uk) ibuprofen is contraindicated for her: the row's own alert, Contraindicated, keeps
    the pregnancy and the dose and leaves the lithium to the pair, as before this change."""
    day = dt.date(2026, 11, 21)
    report = assess_medications(parse_case(typed_case([("ibuprofen", 3600.0), LITHIUM], day, pregnancy_weeks=32)).intake,
                                day, profile="uk")
    said, alerts = _said(report)
    assert said == [("Contraindicated", ("ibuprofen",)), ("Avoid", ("ibuprofen", "lithium 400mg"))]
    own = alerts[0].text
    assert "Pregnant" in own and "3600 mg/day is above the label maximum" in own and PAIR_WORDS not in own


def test_a_gabapentinoid_above_its_maximum_beside_an_opioid_is_the_pair_and_the_dose():
    """The same for another kind of pair: gabapentin 6000 mg/day (label maximum 3600) with oxycodone."""
    said, alerts = _said(example_report([("gabapentin", 6000.0), ("oxycodone 5mg bd", 10.0)]))
    assert said == [("Avoid", ("oxycodone 5mg bd", "gabapentin")), ("Reduce dose", ("gabapentin",))]
    assert sum("gabapentinoid" in a.text.lower() for a in alerts) == 1
