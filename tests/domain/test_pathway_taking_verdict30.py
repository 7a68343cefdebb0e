"""pathtake: what the stepped pathway says to a clinician whose patient already takes a medicine of a
class it recommends on, read against what the medicine table (the Medicines panel) says of the same
medicine. The pathway never contradicts the table.

What a clinician should read, and where it comes from:
- A dose the table asks to CHECK (paracetamol typed as 4 mg a day, probably 4 g; a regimen in the
  name it could not read; a dose ten times the label maximum; two numbers of tablets with one
  frequency) is not the patient's dose: the pathway says "dose to check" with the same reason, and
  never "4 mg/day; this patient's maximum 4000 mg/day" as if it were settled, nor an "above the
  maximum" or MME worked out of it (house rule: what cannot be read for sure is asked, never guessed).
- Paracetamol's maximum is 4 g a day (label; uk and us); a dose exactly at it is not above it,
  one more milligram is (the table's own "Reduce dose").
- An NSAID the table rates Avoid or Contraindicated for this patient (MHRA Drug Safety Update 2015:
  avoid ibuprofen 2400 mg a day or more in established cardiovascular disease; kidney function below
  30 mL/min; an anticoagulant; FDA 2020: avoid NSAIDs from 20 weeks of pregnancy) is not "reviewed
  rather than start another NSAID" as if it could go on: the step says the table's rating, its
  reason and its alert's action. 2399 mg of ibuprofen is below the MHRA's high dose.
- Two medicines of one class are "them", never "it" (wording29 did this for NSAIDs).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.guideline import load_guideline
from tests.helpers.pathway_recs import assessed, medicine_rec

MAXIMUM = {"uk": 2400, "us": 3200}  # ibuprofen a day: UK SmPC/BNF; US prescription label


def _now(medicines, rec_id, profile="uk", conditions=None, **kw) -> dict:
    return medicine_rec(assessed(medicines, profile, conditions, **kw), rec_id)["taking_now"]


def _alerts(data: dict) -> list[dict]:
    return data["medicine_alerts"]


# ---------------------------------------------------------------- 1. a dose to check is never settled
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_a_dose_probably_typed_in_grams_is_to_check_not_the_patients_dose(profile):
    text = _now([{"name": "paracetamol", "daily_dose_mg": 4}], "acetaminophen", profile)["text"]
    assert text.startswith("Already taking paracetamol (dose to check: 4 mg/day recorded, far below any usual "
                           "dose: typed in grams?; this patient's maximum 4000 mg/day): ")
    assert "(4 mg/day;" not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("dose,words", [
    (4000, "paracetamol (4000 mg/day; this patient's maximum 4000 mg/day)"),       # at the maximum
    (4001, "paracetamol (4001 mg/day, above this patient's maximum of 4000 mg/day)"),  # just above
    (1000, "paracetamol (1000 mg/day; this patient's maximum 4000 mg/day)"),       # an ordinary dose
])
def test_a_settled_dose_is_said_against_the_maximum_at_its_boundary(profile, dose, words):
    text = _now([{"name": "paracetamol", "daily_dose_mg": dose}], "acetaminophen", profile)["text"]
    assert text.startswith(f"Already taking {words}: ")
    assert "dose to check" not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("name", [
    "ibuprofen 800mg 1 tab times a day",  # "times" with no number: how often is not known
    "ibuprofen 400mg 1 tab morning, 1 tab at night",  # two counts, one frequency
])
def test_a_regimen_the_table_could_not_read_is_to_check(profile, name):
    text = _now([name], "nsaid", profile)["text"]
    assert text.startswith(f"Already taking {name} (dose to check: the regimen in its name cannot be read; "
                           f"this patient's maximum {MAXIMUM[profile]} mg/day): ")
    assert "no daily dose recorded" not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_a_dose_far_above_the_label_maximum_is_to_check_not_above_the_maximum(profile):
    dose = MAXIMUM[profile] * 10  # an extra zero typed
    text = _now([{"name": "ibuprofen", "daily_dose_mg": dose}], "nsaid", profile)["text"]
    # opioidnum (H-MED-612): the check's own words, more than [dose_check_slip] times the label maximum
    assert text.startswith(f"Already taking ibuprofen (dose to check: {dose} mg/day recorded, far above the label "
                           f"maximum: a typing or unit slip?; this patient's maximum {MAXIMUM[profile]} mg/day): ")
    assert "above this patient's maximum" not in text


def test_an_opioid_dose_to_check_gives_no_mme_worked_out_of_it():
    # co-codamol typed as 8 mg a day: which strength (8/500 ... 30/500) is not known, so neither is its MME
    now = _now([{"name": "co-codamol", "daily_dose_mg": 8}], "weak_opioid_acute_only")
    assert now["text"].startswith("Already taking co-codamol (dose to check: 8 mg/day recorded, combination product: "
                                  "the mg of each component is not known): ")
    assert "MME" not in now["taking"]


def test_a_total_counting_another_products_dose_to_check_is_not_settled_either():
    text = _now(["co-codamol 30/500 2 qds", {"name": "paracetamol", "daily_dose_mg": 4}], "acetaminophen")["text"]
    assert ("co-codamol 30/500 2 qds (daily total of paracetamol to check: it counts paracetamol, whose dose is "
            "to check; this patient's maximum 4000 mg/day of paracetamol)") in text
    assert "4004" not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicines,rec_id", [
    ([{"name": "paracetamol", "daily_dose_mg": 4}], "acetaminophen"),
    ([{"name": "paracetamol", "daily_dose_mg": 4000}], "acetaminophen"),
    (["ibuprofen 800mg 1 tab times a day"], "nsaid"),
    (["ibuprofen 400mg tds"], "nsaid"),
    ([{"name": "ibuprofen", "daily_dose_mg": 32000}], "nsaid"),
    (["gabapentin 300mg 1 cap morning, 1 cap at night"], "gabapentinoid"),
    (["gabapentin 300mg tds"], "gabapentinoid"),
])
def test_the_pathway_says_dose_to_check_exactly_where_the_medicine_table_asks(profile, medicines, rec_id):
    from radiculopathy_desktop.domain.medications import assess_medications
    from tests.helpers.example_case import l5_case
    from tests.helpers.pathway_recs import AS_OF
    now = _now(medicines, rec_id, profile)
    recorded = [m if isinstance(m, dict) else {"name": m} for m in medicines]
    report = assess_medications(l5_case(recorded).intake, AS_OF, profile=profile)
    asked = {n for c in report.dose_checks if c.rule == "check-dose" for n in c.medicines}
    for name in now["medicines"]:
        assert (f"{name} (dose to check" in now["text"]) is (name in asked), name


# ---------------------------------------------------------------- 2. the table's rating, not a general review
def _avoid_words(name, dose_words):
    return f"Already taking {name} ({dose_words}): avoid for this patient in the medicine table: "


@pytest.mark.parametrize("dose,avoid", [(2400, True), (2399, False)])  # MHRA: high dose is 2400 mg a day or more
def test_uk_high_dose_ibuprofen_with_cardiovascular_disease_is_avoid_in_the_step_too(dose, avoid):
    data = assessed([{"name": "ibuprofen", "daily_dose_mg": dose}], "uk", {"cardiovascular_disease": True})
    now = medicine_rec(data, "nsaid")["taking_now"]
    if avoid:
        assert now["text"].startswith(_avoid_words("ibuprofen", "2400 mg/day; this patient's maximum 2400 mg/day"))
        assert "MHRA advises avoiding" in now["text"]
        assert now["text"].endswith("Review now: stop or change it unless there is a clear reason to continue. "
                                    "Do not add a second NSAID.")
        assert "review it rather than start another NSAID" not in now["text"]
        [rated] = now["rated"]
        assert (rated["medicine"], rated["status"], rated["status_label"]) == ("ibuprofen", "avoid", "Avoid")
        assert "MHRA Drug Safety Update" in rated["source"]
    else:
        assert "avoid for this patient" not in now["text"] and "rated" not in now
        assert "review it rather than start another NSAID" in now["text"]


def test_us_ibuprofen_2400_with_cardiovascular_disease_follows_its_own_table():
    # the MHRA's high-dose advice is uk data; the us table rates it caution, and so does the step
    now = _now([{"name": "ibuprofen", "daily_dose_mg": 2400}], "nsaid", "us", {"cardiovascular_disease": True})
    assert "avoid for this patient" not in now["text"]
    assert "review it rather than start another NSAID" in now["text"]


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("medicines,conditions,patient,reason", [
    (["naproxen 500mg bd"], {"ckd": True, "serum_creatinine": {"value": 3.0, "unit": "mg/dL"}}, {},
     "avoid NSAIDs when kidney function is below 30 mL/min"),
    (["naproxen 500mg bd", "apixaban 5mg bd"], {}, {}, "Taking apixaban 5mg bd (anticoagulant): avoid NSAIDs"),
    (["naproxen 500mg bd"], {}, {"pregnancy_weeks": 20}, "avoid NSAIDs from 20 weeks"),
    (["etoricoxib 60mg od"], {}, {"pregnancy_weeks": 22}, "avoid NSAIDs from 20 weeks"),  # no row: its note
])
def test_an_nsaid_the_table_rates_avoid_is_avoid_in_the_step(profile, medicines, conditions, patient, reason):
    data = assessed(medicines, profile, conditions, **patient)
    now = medicine_rec(data, "nsaid")["taking_now"]
    assert "avoid for this patient in the medicine table: " in now["text"] and reason in now["text"]
    # avoidside (H-MED-600): beside an anticoagulant the step names the NSAID to review and keeps the anticoagulant
    action = ("Review now: stop or change naproxen 500mg bd unless there is a clear reason to continue; keep apixaban "
              "5mg bd: do not stop it without its prescriber (stopping an anticoagulant on its own raises the risk of "
              "clots and stroke)." if "apixaban 5mg bd" in medicines else
              "Review now: stop or change it unless there is a clear reason to continue.")
    assert now["text"].endswith(f"{action} Do not add a second NSAID."), now["text"]
    assert "review it rather than start another NSAID" not in now["text"]
    # the same rating as the Medicines panel's alert naming it
    labels = {a["status_label"] for a in _alerts(data) if medicines[0] in a["medicines"]}
    assert "Avoid" in labels


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_nsaids_both_rated_avoid_say_the_rating_once(profile):
    # kidney function below 30 mL/min rates every NSAID avoid: one rating, naming both
    now = _now(["naproxen 500mg bd", "ibuprofen 400mg tds"], "nsaid", profile,
               {"ckd": True, "serum_creatinine": {"value": 3.0, "unit": "mg/dL"}})
    assert now["text"].count("avoid for this patient in the medicine table") == 1
    assert "naproxen 500mg bd, ibuprofen 400mg tds: avoid for this patient" in now["text"]
    assert "review them: more than one NSAID" not in now["text"]


def test_one_nsaid_rated_avoid_beside_one_that_is_not_says_each():
    # uk, cardiovascular disease: ibuprofen 2400 mg/day is avoid (MHRA), naproxen 500 mg/day is not; the
    # naproxen keeps the data's review of several NSAIDs ("stop all but one")
    now = _now([{"name": "ibuprofen", "daily_dose_mg": 2400}, "naproxen 250mg bd"], "nsaid", "uk",
               {"cardiovascular_disease": True})
    assert "ibuprofen: avoid for this patient in the medicine table: " in now["text"]
    assert "naproxen 250mg bd: avoid" not in now["text"]
    assert ". Review them: more than one NSAID is taken now" in now["text"]  # a sentence of its own after the rating
    assert [r["medicine"] for r in now["rated"]] == ["ibuprofen"]


def test_an_nsaid_at_19_weeks_of_pregnancy_is_still_the_general_review():
    now = _now(["naproxen 500mg bd"], "nsaid", "us", pregnancy_weeks=19)
    assert "avoid for this patient" not in now["text"]


def test_the_opioid_total_is_said_with_the_tables_own_label_and_once():
    # us: CDC 2022 reassess at 50 MME/day or more; the table labels it "Reassess opioid dose". Reassessing is
    # what CDC 2022's review of an opioid already taken asks too, so the data's review follows it
    data = assessed(["tramadol 50mg qds", "codeine 30mg qds"], "us")
    text = medicine_rec(data, "opioid")["taking_now"]["text"]
    assert "tramadol 50mg qds, codeine 30mg qds: reassess opioid dose for this patient in the medicine table" in text
    assert text.count("for this patient in the medicine table") == 1
    assert ". More than one opioid is taken now: CDC 2022 asks to weigh their benefits and risks" in text
    assert any(a["status_label"] == "Reassess opioid dose" for a in _alerts(data))


def test_a_disputed_class_taken_now_says_the_tables_avoid_before_its_review():
    # us: gabapentinoids are disputed; at 73 with a history of falls the table rates gabapentin avoid
    # (Beers 2023); the step says so, then still asks what it was prescribed for
    text = _now([{"name": "gabapentin", "daily_dose_mg": 900}], "gabapentinoid", "us", {"falls_history": True},
                birth_date="1953-01-01")["text"]
    assert text.startswith("Already taking gabapentin (900 mg/day): avoid for this patient in the medicine table: "
                           "Age 73 with a history of falls or fractures: Beers 2023 says avoid")
    assert "do not stop gabapentin suddenly" in text  # its alert's action: a gabapentinoid is tapered
    assert ". Check what it was prescribed for" in text  # the data's review, as a sentence of its own
    without = _now([{"name": "gabapentin", "daily_dose_mg": 900}], "gabapentinoid", "us", birth_date="1953-01-01")
    assert "for this patient in the medicine table" not in without["text"]


def test_a_recommendation_that_does_not_offer_the_class_keeps_the_guidelines_own_words():
    # uk: NICE does not offer gabapentinoids; the table's "Avoid: NICE does not offer" is that same position
    text = _now(["pregabalin 75mg bd"], "gabapentinoid")["text"]
    assert "for this patient in the medicine table" not in text
    assert "NICE does not recommend gabapentinoids" in text


def test_the_text_report_prints_the_same_words():
    data = assessed([{"name": "ibuprofen", "daily_dose_mg": 2400}], "uk", {"cardiovascular_disease": True})
    lines = " ".join(assessment_text(data).split())
    assert "- review (already taking): " + " ".join(medicine_rec(data, "nsaid")["taking_now"]["text"].split()) \
        in lines
    data = assessed([{"name": "paracetamol", "daily_dose_mg": 4}], "uk")
    lines = " ".join(assessment_text(data).split())
    assert "Already taking paracetamol (dose to check: 4 mg/day recorded" in lines
    assert "(4 mg/day;" not in lines


# ---------------------------------------------------------------- 3. two of a class are "them"
@pytest.mark.parametrize("profile,medicines,rec_id,plural", [
    ("uk", ["gabapentin 300mg tds", "pregabalin 75mg bd"], "gabapentinoid", "explain the risks of continuing them"),
    ("us", ["gabapentin 300mg tds", "pregabalin 75mg bd"], "gabapentinoid", "check what each was prescribed for"),
    ("uk", ["prednisolone 10mg od", "dexamethasone 2mg od"], "oral_corticosteroid", "review them with the prescriber"),
    ("us", ["prednisolone 10mg od", "dexamethasone 2mg od"], "oral_corticosteroid", "Review them with the prescriber"),
    ("uk", ["diazepam 5mg tds", "baclofen 10mg tds"], "muscle_relaxant", "review whether each helps"),
    ("us", ["cyclobenzaprine 10mg tds", "methocarbamol 750mg tds"], "muscle_relaxant", "review whether each helps"),
    ("uk", ["co-codamol 30/500 2 qds", "paracetamol 1g qds"], "acetaminophen", "review them together"),
    ("us", ["tylenol 500mg 2 tabs tds", "acetaminophen 500mg qds"], "acetaminophen", "review whether they help"),
    # 19 MME/day in all: no opioid-total rating, so the data's review is said (in the plural)
    ("uk", ["codeine 15mg qds", "tramadol 50mg od"], "weak_opioid_acute_only", "explain the risks of continuing them"),
])
def test_two_medicines_of_a_class_are_named_and_reviewed_as_them(profile, medicines, rec_id, plural):
    now = _now(medicines, rec_id, profile)
    assert sorted(now["medicines"]) == sorted(medicines)
    assert all(f"{m} (" in now["taking"] for m in medicines)
    assert plural in now["text"]
    assert "continuing it;" not in now["text"] and "stop it," not in now["text"]


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_every_review_of_a_medicine_taken_has_words_for_several(profile):
    found = [r for s in load_guideline(profile).steps for r in s.recommendations if r.already_taking]
    assert found
    for rec in found:
        several = " ".join(rec.already_taking.text_several.split())
        assert several, rec.id
        assert "more than one" in several.lower(), rec.id


def test_one_medicine_keeps_the_singular_review():
    text = _now(["pregabalin 75mg bd"], "gabapentinoid")["text"]
    assert "explain the risks of continuing it;" in text and "More than one" not in text


def test_the_rated_review_matches_the_output_schema():
    import json

    import jsonschema

    from radiculopathy_desktop.resources import resource_path
    schema = json.loads(resource_path("schemas", "assessment.schema.json").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(assessed([{"name": "ibuprofen", "daily_dose_mg": 2400}], "uk",
                                          {"cardiovascular_disease": True})))
    assert medicine_rec(data, "nsaid")["taking_now"]["rated"]
    jsonschema.validate(data, schema)
    bad = json.loads(json.dumps(data))
    del medicine_rec(bad, "nsaid")["taking_now"]["rated"][0]["source"]  # each rating says where it comes from
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_opioids_give_their_mme_as_the_total_not_as_each_ones(profile):
    # tramadol 200 mg/day x 0.2 = 40 MME and codeine 120 mg/day x 0.15 = 18 MME (CDC 2022 conversion factors):
    # "codeine 30mg qds (120 mg/day; 58 MME/day)" read as if the codeine alone were 58
    text = _now(["codeine 30mg qds", "tramadol 50mg qds"], "opioid" if profile == "us" else "weak_opioid_acute_only",
                profile)["taking"]
    assert "codeine 30mg qds (120 mg/day; all opioids together 58 MME/day)" in text
    assert "(120 mg/day; 58 MME/day)" not in text
    alone = _now(["tramadol 50mg qds"], "opioid" if profile == "us" else "weak_opioid_acute_only", profile)["taking"]
    assert "40 MME/day" in alone and "together" not in alone
