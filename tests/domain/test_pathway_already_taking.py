"""pathnsaid: a pathway medicine recommendation for a class the patient already takes is a review.

What the sources say, and what is tested from them:
- NICE NG59 (2016, low back pain): consider an oral NSAID, taking into account gastrointestinal,
  liver and cardio-renal toxicity and the person's risk factors including age, with ongoing
  monitoring and gastroprotection, at the lowest effective dose for the shortest possible time.
  For a patient already on one, "Consider an oral NSAID" is wrong: the step reviews the NSAID
  taken (its dose against this patient's maximum, the duration, those risks) and adds no second
  NSAID (NSAID labels; the medicine table's own "do not take NSAIDs together").
- NICE NG59 (2020, sciatica): do not offer gabapentinoids, other antiepileptics, oral
  corticosteroids or benzodiazepines; do not offer opioids for chronic sciatica; if a person is
  already taking opioids, gabapentinoids or benzodiazepines for sciatica, explain the risks of
  continuing them, and if a shared decision is made to stop, discuss the problems of withdrawal.
- CDC 2022 recommendations 5 and 7 (us profile): a patient already receiving opioids: weigh
  benefits and risks, take care changing the dose, re-evaluate regularly.
Medicines count by drug class (an NSAID with no row of its own, etoricoxib, counts), by mouth
only (an injected steroid is not an oral corticosteroid). A class the medicine table rules out
for this patient is never "consider" (NSAIDs after 28 weeks of pregnancy, MHRA; 30, FDA).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.phase import CHRONIC_AFTER_DAY
from tests.helpers.example_case import l5_case
from tests.helpers.pathway_recs import AS_OF, NO_NSAID_TRIED, assessed, medicine_rec, medicine_recs

# the assessment of the example case with these medicines, and its medicine step's recommendations
_data, _recs, _one = assessed, medicine_recs, medicine_rec


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicine,words", [
    ("naproxen 500mg bd", "naproxen 500mg bd (1000 mg/day; this patient's maximum 1000 mg/day)"),
    # ibuprofen's maximum: 2400 mg/day in the UK (SmPC/BNF), 3200 mg/day on the US prescription label
    ("ibuprofen 400mg tds", "ibuprofen 400mg tds (1200 mg/day; this patient's maximum {ibu} mg/day)"),
    # no row of its own: named, and said to have no maximum checked (nothing guessed)
    ("etoricoxib 60mg", "etoricoxib 60mg (no daily dose read; not a row of the medicine table, "
                        "so no maximum is checked: check its dose against its label by hand)"),
])
def test_an_nsaid_taken_now_turns_the_nsaid_recommendation_into_a_review(profile, medicine, words):
    rec = _one(_data([medicine], profile), "nsaid")
    words = words.format(ibu={"uk": 2400, "us": 3200}[profile])
    now = rec["taking_now"]
    assert now["medicines"] == [medicine]
    assert now["text"].startswith(f"Already taking {words}: review it rather than start another NSAID")
    assert "Do not add a second NSAID." in now["text"]
    assert "how long it has been taken" in now["text"]  # duration
    if profile == "uk":  # NICE's own terms for the review
        assert "gastrointestinal, liver and cardio-renal" in now["text"]
        assert {s["source_id"] for s in now["sources"]} == {"nice_ng59", "nice_ng59_2020"}
    else:
        assert {s["source_id"] for s in now["sources"]} == {"acp2017"}
    assert not now["verified"] and "[unverified]" in now["evidence_note"]


@pytest.mark.parametrize("medicine,above", [
    ("naproxen 500mg bd", False),   # 1000 mg/day: at the maximum, not above it
    ("naproxen 500mg tds", True),   # 1500 mg/day: above
])
def test_the_review_says_when_the_dose_is_above_the_maximum(medicine, above):
    text = _one(_data([medicine]), "nsaid")["taking_now"]["text"]
    assert ("above this patient's maximum of 1000 mg/day" in text) is above
    assert ("this patient's maximum 1000 mg/day" in text) is not above


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_no_review_without_a_medicine_of_the_class(profile):
    data = _data(["paracetamol 1g qds"], profile)
    assert "taking_now" not in _one(data, "nsaid")
    assert "taking_now" in _one(data, "acetaminophen")  # the paracetamol itself is named
    assert all("taking_now" not in r for r in _recs(data, "gabapentinoid") + _recs(data, "oral_corticosteroid"))


def test_two_nsaids_are_both_named():
    text = _one(_data(["ibuprofen 400mg tds", "naproxen 250mg bd"]), "nsaid")["taking_now"]["text"]
    assert "ibuprofen 400mg tds (1200 mg/day" in text and "naproxen 250mg bd (500 mg/day" in text


def test_pregabalin_taken_now_is_named_beside_nices_advice_against_it():
    rec = _one(_data(["pregabalin 75mg bd"]), "gabapentinoid")
    assert rec["direction"] == "do_not_offer"
    text = rec["taking_now"]["text"]
    assert text.startswith("Already taking pregabalin 75mg bd (150 mg/day): NICE does not recommend "
                           "gabapentinoids or other antiepileptics for sciatica.")
    assert "explain the risks of continuing it" in text
    assert "discuss the\nproblems" not in text and "discuss the problems associated with withdrawal" in text
    assert "Check what it was prescribed for" in text


def test_a_steroid_by_mouth_is_named_and_an_injected_one_is_not():
    by_mouth = _one(_data(["prednisolone 10mg od"]), "oral_corticosteroid")
    assert by_mouth["taking_now"]["text"].startswith(
        "Already taking prednisolone 10mg od (10 mg/day): NICE does not recommend oral corticosteroids for sciatica.")
    injected = _one(_data(["Depo-Medrol 80mg"]), "oral_corticosteroid")
    assert "taking_now" not in injected


@pytest.mark.parametrize("days,chronic", [(CHRONIC_AFTER_DAY, False), (CHRONIC_AFTER_DAY + 1, True)])
def test_an_opioid_taken_now_meets_the_opioid_advice_of_its_phase(days, chronic):
    data = _data(["co-codamol 30/500 2 qds"], onset=AS_OF - dt.timedelta(days=days))
    if chronic:  # NICE 2020: do not offer opioids for chronic sciatica; already taking: explain the risks
        assert not _recs(data, "weak_opioid_acute_only")
        text = _one(data, "opioid")["taking_now"]["text"]
        assert text.startswith("Already taking co-codamol 30/500 2 qds (36 MME/day): NICE does not recommend "
                               "opioids for chronic sciatica: explain the risks of continuing it")
    else:  # still acute/subacute: the weak-opioid option of acute low back pain, reviewed
        assert not _recs(data, "opioid")
        text = _one(data, "weak_opioid_acute_only")["taking_now"]["text"]
        assert text.startswith("Already taking co-codamol 30/500 2 qds (36 MME/day): NICE allows only a weak opioid "
                               "(such as codeine), and only for acute low back pain")
    # the same product's paracetamol is named on the paracetamol recommendation, with its dose
    assert _one(data, "acetaminophen")["taking_now"]["text"].startswith(
        "Already taking co-codamol 30/500 2 qds (4000 mg/day of paracetamol")


@pytest.mark.parametrize("name", ["fentanyl 25mcg/h patch", "oxycodone 10mg bd", "morphine sulfate 10mg qds"])
def test_a_strong_opioid_taken_in_the_acute_phase_is_not_read_as_a_weak_one(name):
    # NICE NG59 (2016) considers only weak opioids, only for acute low back pain; no recommendation offers a strong
    # one. "Already taking fentanyl ...: NICE allows a weak opioid only ..." read as if fentanyl were one
    text = _one(_data([name], onset=AS_OF - dt.timedelta(days=20)), "weak_opioid_acute_only")["taking_now"]["text"]
    assert text.startswith(f"Already taking {name}")
    assert "NICE allows only a weak opioid (such as codeine)" in text
    assert "no recommendation of NG59 offers a strong opioid (morphine, oxycodone, fentanyl)" in text


def test_us_opioid_review_follows_cdc_2022():
    now = _one(_data(["tramadol 50mg qds"], "us"), "opioid")["taking_now"]
    assert now["text"].startswith("Already taking tramadol 50mg qds (200 mg/day; this patient's maximum 400 mg/day; "
                                  "40 MME/day): CDC 2022 asks to weigh its benefits and risks")
    assert [s["section"] for s in now["sources"]] == ["Recommendations 5 and 7"]


def _medicine_lines(text: str) -> str:
    return text[text.index("3. Medicines"):text.index("4. Imaging")]


def test_assess_text_reviews_the_naproxen_and_does_not_say_consider():
    # uk: the medicines step is the current one here, so `assess` prints its recommendations
    case = l5_case([{"name": "naproxen 500mg bd"}], treatments_tried=NO_NSAID_TRIED)
    lines = " ".join(_medicine_lines(assessment_text(assess_case(case, AS_OF, profile="uk").to_dict())).split())
    assert "3. Medicines [current]" in lines
    assert "- review (already taking): Already taking naproxen 500mg bd (1000 mg/day;" in lines
    assert "considering an oral NSAID" not in lines and "use an NSAID" not in lines


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("conditions,patient,status", [
    ({}, {"pregnancy_weeks": 32}, "CONTRAINDICATED"),
    ({"gi_bleed_or_ulcer": True}, {}, "AVOID"),
])
def test_an_nsaid_ruled_out_for_this_patient_is_never_shown_as_consider(profile, conditions, patient, status):
    case = l5_case([], conditions, treatments_tried=NO_NSAID_TRIED, **patient)
    lines = " ".join(_medicine_lines(assessment_text(assess_case(case, AS_OF, profile=profile).to_dict())).split())
    nsaid_line = "- not for this patient: " + ("NICE recommends considering an oral NSAID" if profile == "uk"
                                               else "If a medicine is wanted, use an NSAID")
    assert nsaid_line in lines
    assert f"!! NOT FOR THIS PATIENT ({status}): NSAID (non-aspirin)" in lines
    assert "- consider: NICE recommends considering an oral NSAID" not in lines
    assert "- recommend: If a medicine is wanted" not in lines


def test_a_contraindicated_nsaid_taken_now_is_not_reviewed_as_if_it_could_go_on():
    case = l5_case([{"name": "naproxen 500mg bd"}], treatments_tried=NO_NSAID_TRIED, pregnancy_weeks=32)
    lines = " ".join(_medicine_lines(assessment_text(assess_case(case, AS_OF, profile="uk").to_dict())).split())
    assert ("- not for this patient: Already taking naproxen 500mg bd (1000 mg/day): not for this patient, "
            "see why below and the medicine alerts.") in lines
    assert "review it rather than start another NSAID" not in lines
    assert "after 28 weeks" in lines


@pytest.mark.parametrize("medicine,rec_id,words,read", [
    # NICE 2020: "other antiepileptics" and benzodiazepines are not offered for sciatica; neither has a
    # treatment code of its own, so they count by their drug class (already_taking.classes). step3dose34
    # (H-MED-705): the daily dose the regimen in the name gives (200 mg twice a day: 400 mg) is said as read,
    # never "no daily dose read"
    ("carbamazepine 200mg bd", "gabapentinoid", "NICE does not recommend gabapentinoids or other antiepileptics",
     "400 mg/day read from its name"),
    ("diazepam 5mg tds", "muscle_relaxant", "advises against benzodiazepines for it", "15 mg/day read from its name"),
])
def test_an_antiepileptic_or_a_benzodiazepine_taken_now_is_named_by_its_class(medicine, rec_id, words, read):
    text = _one(_data([medicine]), rec_id)["taking_now"]["text"]
    assert text.startswith(f"Already taking {medicine} ({read}; not a row of the medicine table")
    assert words in text and "discuss the problems associated with withdrawal" in text
    # and nowhere else: a diazepam is no gabapentinoid, a carbamazepine no muscle relaxant
    other = {"gabapentinoid": "muscle_relaxant", "muscle_relaxant": "gabapentinoid"}[rec_id]
    assert "taking_now" not in _one(_data([medicine]), other)


def test_a_benzodiazepine_given_by_injection_is_not_taken_by_mouth():
    assert "taking_now" not in _one(_data(["diazepam injection 10mg"]), "muscle_relaxant")


@pytest.mark.parametrize("profile", ["uk", "us"])
# (meloxicam, whose label maximum is held: test_pathway_step3_dose_as_alerts.py, step3dose34)
@pytest.mark.parametrize("medicine", ["aceclofenac 100mg bd", "etoricoxib 60mg"])
def test_a_row_less_nsaid_s_review_says_where_its_maximum_is(profile, medicine):
    """gptry29 (H-MED-552): the review asks for "the dose against this patient's maximum in the medication
    table"; for an NSAID with no row there is none there, so the words before it send the clinician to the
    label, never leave "no maximum is checked" as the last word on the dose."""
    now = _one(_data([medicine], profile), "nsaid")["taking_now"]["text"]
    assert "not a row of the medicine table, so no maximum is checked: check its dose against its label by hand" in now
