"""step3dose34: the pathway's medicine step says a medicine's dose and maximum as the medicine alerts do.

GP tryout: "Enantyum 50mg c/8h" (dexketoprofen 50 mg every 8 hours: 150 mg a day, twice the Keral SmPC's
75 mg) had a "Reduce dose" alert reading 150 mg/day above the label maximum, while the step said "no daily dose
read; ... so no maximum is checked" (H-MED-704, H-MED-705). "tramadol retard 200mg bd" (80 MME/day) had the
alert "Reassess opioid dose" while the step said "NOT FOR THIS PATIENT (AVOID) ... avoid for this patient"
for the same reason (H-PATH-909)."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from tests.helpers.example_case import l5_case
from tests.helpers.pathway_recs import AS_OF, NO_NSAID_TRIED, assessed, medicine_rec


def _taking(medicines, profile="uk") -> tuple[str, list[dict]]:
    data = assessed(medicines, profile)
    return medicine_rec(data, "nsaid")["taking_now"]["taking"], data["medicine_alerts"]


def _reduce_dose_alerts(alerts, name) -> list[dict]:
    return [a for a in alerts if a["status_label"] == "Reduce dose" and name in a["medicines"]]


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicine,daily,how,above", [
    # dexketoprofen (Keral SmPC: "The total daily dose should not exceed 75 mg"), read from the regimen
    ("Enantyum 50mg c/8h", 150, "read from its name", True),     # the tryout's: twice the maximum
    ("Enantyum 25mg c/6h", 100, "read from its name", True),
    ("Enantyum 25mg c/8h", 75, "read from its name", False),     # exactly the maximum: not above it
    ("Enantyum 12.5mg c/8h", 37.5, "read from its name", False),
    # the same boundary with the daily dose typed in: 76 mg just above, 75 mg at it
    ({"name": "dexketoprofen 25mg", "daily_dose_mg": 76}, 76, "recorded", True),
    ({"name": "dexketoprofen 25mg", "daily_dose_mg": 75}, 75, "recorded", False),
    # meloxicam (label maximum 15 mg a day) and celecoxib (400 mg a day), also without a row of their own
    ("meloxicam 15mg bd", 30, "read from its name", True),
    ("meloxicam 7.5mg bd", 15, "read from its name", False),
    ("celecoxib 200mg tds", 600, "read from its name", True),
    ("celecoxib 200mg bd", 400, "read from its name", False),
])
def test_a_row_less_nsaid_s_dose_and_maximum_are_the_ones_its_dose_check_used(profile, medicine, daily, how, above):
    taking, alerts = _taking([medicine], profile)
    name = (medicine["name"] if isinstance(medicine, dict) else medicine).lower()
    # the generic (Enantyum is a dexketoprofen brand) and its label maximum, mg a day (drugs.toml [dose_checks])
    generic, limit = next((g, mg) for g, mg in (("dexketoprofen", 75), ("meloxicam", 15), ("celecoxib", 400))
                          if g in name.replace("enantyum", "dexketoprofen"))
    assert f"{daily:g} mg/day {how}" in taking
    assert "no daily dose read" not in taking and "no maximum is checked" not in taking
    assert "its label maximum is checked, not one adjusted for this patient" in taking
    reduce = _reduce_dose_alerts(alerts, name)
    if above:
        assert f", above the label maximum of {limit:g} mg/day of {generic}" in taking
        assert len(reduce) == 1 and f"{daily:g} mg/day" in reduce[0]["text"]  # the alert says the same dose
    else:
        assert f"; label maximum {limit:g} mg/day of {generic}" in taking and "above" not in taking
        assert not reduce


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicine", ["Enantyum", "dexketoprofen 25mg", "meloxicam 15mg"])
def test_a_row_less_nsaid_with_no_dose_read_names_the_maximum_to_check_it_by_hand(profile, medicine):
    """No regimen in the name and no daily dose typed: nothing is checked (no number is guessed), and the step
    gives the label maximum the data holds to check it against by hand."""
    taking, alerts = _taking([medicine], profile)
    limit = "15 mg/day of meloxicam" if "meloxicam" in medicine else "75 mg/day of dexketoprofen"
    assert taking == (f"Already taking {medicine.lower()} (no daily dose read; not a row of the medicine table: check "
                      f"its dose by hand against its label maximum of {limit} (not adjusted for this patient))")
    assert not _reduce_dose_alerts(alerts, medicine.lower())


@pytest.mark.parametrize("medicine,profile,read", [
    ("aceclofenac 100mg bd", "uk", 200),  # no label maximum held for aceclofenac ([dose_not_checked])
    ("Arcoxia 60mg od", "uk", 60),        # nor for etoricoxib
    ("piroxicam 20mg bd", "us", 40),      # piroxicam's maximum is a UK SmPC's: not checked under us
])
def test_a_dose_read_from_the_name_with_no_maximum_held_is_said_as_read_and_unchecked(medicine, profile, read):
    taking, alerts = _taking([medicine], profile)
    assert taking == (f"Already taking {medicine.lower()} ({read} mg/day read from its name; not a row of the medicine "
                      "table, so no maximum is checked: check its dose against its label by hand)")
    assert not _reduce_dose_alerts(alerts, medicine.lower())


def test_the_same_piroxicam_is_checked_under_uk_where_its_smpc_maximum_applies():
    taking, alerts = _taking(["piroxicam 20mg bd"], "uk")
    assert "40 mg/day read from its name, above the label maximum of 20 mg/day of piroxicam" in taking
    assert len(_reduce_dose_alerts(alerts, "piroxicam 20mg bd")) == 1


def test_two_products_of_one_row_less_nsaid_say_their_own_doses_and_the_total_checked():
    taking, alerts = _taking(["Enantyum 25mg c/8h", {"name": "dexketoprofen 25mg", "daily_dose_mg": 25}])
    assert ("enantyum 25mg c/8h (75 mg/day read from its name; all its products together 100 mg/day of "
            "dexketoprofen, above the label maximum of 75 mg/day;") in taking
    assert "dexketoprofen 25mg (25 mg/day recorded; all its products together 100 mg/day" in taking
    reduce = _reduce_dose_alerts(alerts, "enantyum 25mg c/8h")
    assert len(reduce) == 1 and "100 mg/day" in reduce[0]["text"]


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicine,label", [
    # 400 mg of tramadol a day (its label maximum, not above it) is 80 MME/day: CDC's 50 MME/day point
    ("tramadol retard 200mg bd", "Reassess opioid dose"),
    ("morphine sulfate 50mg bd", "High opioid dose"),  # 100 MME/day: the 90 point
])
def test_an_opioid_step_ruled_out_by_the_mme_total_says_the_label_its_alert_gives(profile, medicine, label):
    data = assessed([medicine], profile)
    (alert,) = [a for a in data["medicine_alerts"] if medicine in a["medicines"]]
    mine = [r["for_this_patient"] for s in data["pathway"]["steps"] for r in s["recommendations"]
            if r.get("for_this_patient")]
    assert mine, "the opioid the step offers is ruled out for this patient"
    for position in mine:
        assert alert["status_label"] == label == position["status_label"]
        assert position["status"] == alert["status"] == "avoid"  # the medicine table's rating, unchanged
        assert position["text"].startswith(f"Opioid: {label.lower()} for this patient in the medicine table: ")
        assert "avoid for this patient" not in position["text"]


def test_an_opioid_rated_avoid_for_another_reason_too_keeps_the_word_avoid():
    """With diazepam the opioid's rating has a reason with no label of its own (an opioid with a benzodiazepine):
    the alert says "Avoid", and so does the step."""
    data = assessed(["tramadol retard 200mg bd", "diazepam 5mg tds"], "uk")
    labels = {a["status_label"] for a in data["medicine_alerts"] if "tramadol retard 200mg bd" in a["medicines"]}
    # mmefold34 (H-MED-706): the pair says the benzodiazepine's Avoid, the row its total under the total's own label
    assert labels == {"Avoid", "Reassess opioid dose"}
    assert {a["status_label"] for a in data["medicine_alerts"] if set(a["medicines"]) == {
        "tramadol retard 200mg bd", "diazepam 5mg tds"}} == {"Avoid"}
    (position,) = [r["for_this_patient"] for s in data["pathway"]["steps"] for r in s["recommendations"]
                   if r.get("for_this_patient")]
    assert position["status_label"] == "Avoid" and "Opioid: avoid for this patient" in position["text"]


def test_assess_text_step_and_alert_say_reassess_opioid_dose_for_tramadol_at_80_mme():
    case = l5_case([{"name": "tramadol retard 200mg bd"}], treatments_tried=NO_NSAID_TRIED)
    text = " ".join(assessment_text(assess_case(case, AS_OF, profile="uk").to_dict()).split())
    assert "!! REASSESS OPIOID DOSE: Taking tramadol retard 200mg bd" in text
    assert "!! NOT FOR THIS PATIENT (REASSESS OPIOID DOSE): Opioid: reassess opioid dose for this patient" in text
    assert "NOT FOR THIS PATIENT (AVOID)" not in text
