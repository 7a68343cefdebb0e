"""unread30 (H-MED-574..576): a known medicine written with a regimen the reader cannot read for sure.

What a clinician means by these entries: the patient takes that medicine (methotrexate, ibuprofen, codeine), at a
dose the words do not give for sure. Before, the whole entry was NOT RECOGNISED, so every check on the medicine was
lost: methotrexate with an NSAID (the NSAID class labelling: NSAIDs reduce methotrexate clearance), an NSAID with
an anticoagulant (bleeding), an opioid with a benzodiazepine (the opioid class boxed warning). Now the medicine is
recognised and its daily dose is asked about ("check the dose", naming the words not read), never guessed:

- "qod"/"eod" (every other day) are asked, not read as half a dose a day: QOD is on the error-prone abbreviation
  lists because it is misread as QD (daily) or QID (four times a day) (sources.toml ismp-qod);
- "each day" is "every day", once a day (read, as "every day" is);
- "stat then tds", "tds-qds", "½-1 q4h", "for 5-7 days", "2tds": asked;
- "prn" with no most a day: how many a day at most is asked (the BNF: "it is best to add the maximum frequency");
- "2 x 3": a number that is neither the strength nor a count before a frequency: asked.

And what must stay NOT RECOGNISED, because the words left could change which medicine it is or whether it is
taken: a topical or other form (gel, cream, eye drops, nasal spray), a salt the data does not hold (ibuprofen
lysine, an injection for neonates), another medicine's name, a second strength, "stopped", a "?"."""
from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from helpers.medicines import daily_read, dose_asked, example_report, name_reading


def _alerts(meds, profile="uk"):
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    return [a.text for a in medicine_alerts(example_report([(n, None) for n in meds], profile=profile))]


@pytest.mark.parametrize("name,generic,unread", [
    ("methotrexate 10mg qod", "methotrexate", "qod"),
    ("ibuprofen 400mg eod", "ibuprofen", "eod"),
    ("ibuprofen 2tds", "ibuprofen", "2tds"),
    ("ibuprofen 400mg stat then tds", "ibuprofen", "then"),
    ("ibuprofen 400mg tds-qds", "ibuprofen", "2 different frequencies"),
    ("codeine 30mg \u00bd-1 q4h", "codeine", "1/2"),
    ("Ibuprofen 400 MG QOD", "ibuprofen", "qod"),
    ("naproxen 500mg bd then prn", "naproxen", "then"),
    ("naproxen 500mg bd with food", "naproxen", "with food"),
])
def test_a_known_medicine_with_a_regimen_not_read_is_recognised_and_its_dose_asked(name, generic, unread):
    assert load_medicine_data().resolve(name)[0] == (generic,)
    asked = dose_asked(name)
    assert unread in asked and "type the daily dose" in asked, asked
    report = example_report([(name, None)], profile="uk")
    assert report.unrecognised_medicines == () and report.fully_checked


@pytest.mark.parametrize("name", ["methotrexate 10mg qod", "methotrexate 2.5mg 4 tabs stat then weekly"])
def test_methotrexate_with_a_regimen_not_read_still_gets_the_nsaid_interaction(name):
    alerts = _alerts([name, "ibuprofen 400mg tds"])
    assert any("NSAID with methotrexate" in a for a in alerts), alerts


@pytest.mark.parametrize("nsaid", ["ibuprofen 400mg stat then tds", "ibuprofen 400mg eod", "ibuprofen 2tds",
                                   "ibuprofen 400mg tds-qds", "ibuprofen 400mg for 5-7 days"])
def test_an_nsaid_with_a_regimen_not_read_still_gets_its_methotrexate_and_anticoagulant_interactions(nsaid):
    alerts = _alerts(["methotrexate 10mg weekly", nsaid])
    assert any("NSAID with methotrexate" in a for a in alerts), alerts
    alerts = _alerts(["warfarin 5mg", nsaid])
    assert any("NSAID with an anticoagulant" in a for a in alerts), alerts


def test_a_range_of_days_is_a_course_length_read_as_one_number_of_days_is():
    # esread2 reads "for 5-7 days" / "durante 5-7 días" as how long the course lasts: the daily dose is the same
    # as with "for 5 days" (no frequency: nothing read), never NOT RECOGNISED
    from radiculopathy_desktop.domain.medications import read_recorded_dose

    data = load_medicine_data()
    for a, b in [("ibuprofen 400mg for 5-7 days", "ibuprofen 400mg for 5 days"),
                 ("ibuprofen 400mg tds for 5-7 days", "ibuprofen 400mg tds for 5 days")]:
        ra, rb = (read_recorded_dose(n, ("ibuprofen",), None, data) for n in (a, b))
        assert (ra and ra.components) == (rb and rb.components), (ra, rb)
    assert example_report([("ibuprofen 400mg for 5-7 days", None)], profile="uk").unrecognised_medicines == ()


def test_an_opioid_with_a_regimen_not_read_still_gets_the_benzodiazepine_interaction():
    alerts = _alerts(["codeine 30mg \u00bd-1 q4h", "diazepam 5mg tds"])
    assert any("Opioid with a benzodiazepine" in a for a in alerts), alerts
    alerts = _alerts(["codeine 30mg \u00bd-1 q4h"])
    assert any(a.startswith("Check the dose: codeine 30mg") for a in alerts), alerts


def test_each_day_is_once_a_day():
    assert daily_read("naproxen 500mg each day") == {"naproxen": 500.0}


@pytest.mark.parametrize("name,mg", [("ibuprofen 400mg every other day", 200), ("ibuprofen 400mg tds", 1200),
                                     ("co-codamol 30/500 2 tabs qds", None)])
def test_what_was_read_before_is_read_as_before(name, mg):
    if mg is None:
        assert daily_read(name) == {"codeine": 240.0, "acetaminophen": 4000.0}
    else:
        assert sum(daily_read(name).values()) == mg


def test_as_needed_with_no_most_a_day_asks_how_many_a_day_at_most():
    assert "how many a day at most" in dose_asked("ibuprofen 400 mg prn")
    assert "how many a day at most" in dose_asked("paracetamol 500mg 2 tabs as required")
    # with its most a day written, as before: asked as the most taken (up to 4 doses a day)
    assert "up to 4 doses a day" in dose_asked("paracetamol 1g qds prn")


def test_a_number_neither_strength_nor_count_beside_a_count_is_asked():
    # readers31 (H-MED-624): "2 x 3" is asked as two numbers joined by "x" (2 tablets 3 times a day? 3 tablets twice?)
    assert "may be 2 tablets 3 times a day" in dose_asked("ibuprofen 400mg 2 x 3")
    assert "neither its strength nor a number of tablets" in dose_asked("ibuprofen 400mg 2 x 200")
    assert name_reading("ibuprofen 400mg x2") is None  # a count alone gives no daily amount, as before


def test_a_recorded_dose_is_the_dose_beside_a_regimen_not_read():
    assert load_medicine_data().resolve("methotrexate 10mg qod")[0] == ("methotrexate",)
    assert name_reading("methotrexate 10mg qod", 5) is None  # the recorded 5 mg a day is used, as for any name
    assert name_reading("ibuprofen 400 mg prn", 1200) is None


@pytest.mark.parametrize("name", [
    "ibuprofen 400mg gel tds", "ibuprofen 5% gel qod", "diclofenac 1% gel qod", "ibuprofen cream then tds",
    "ibuprofen 400mg eye drops qod", "ibuprofen 400mg nasal spray eod", "ibuprofen lysine qod",
    "ibuprofen 400mg famotidine", "ibuprofen 400mg famotidine 26.6mg tds", "ibuprofen 400mg then naproxen",
    "ibuprofen 400mg stopped", "ibuprofen 400mg stat then tds?", "ibuprofen 400mg then & paracetamol",
    "ibuprofen 400mg patch qod", "fentanyl 25 qod", "buprenorphine 10 then weekly",
    "ibuprofen 400mg qod famotidine 26.6mg", "ibuprofen 400mg qod 10%",
])
def test_words_that_could_change_the_medicine_keep_it_not_recognised(name):
    assert load_medicine_data().resolve(name)[0] == (), name


def test_an_indication_at_the_end_does_not_change_the_medicine():
    # nxread34 (H-MED-711): "for pain" at the end of a name is the indication (drugs.toml trailing_indications), set
    # aside as "(for pain)" was: the medicine is recognised, so its checks run (it was NOT RECOGNISED, total 0)
    assert load_medicine_data().resolve("ibuprofen 400mg tds for pain")[0] == ("ibuprofen",)


@pytest.mark.parametrize("name,generic", [("morphine 10mg injection then qds", "morphine"),
                                          ("ibuprofen 400mg iv then", "ibuprofen")])
def test_a_route_written_with_a_regimen_not_read_is_said_and_never_read_as_by_mouth(name, generic):
    # as "morphine 10mg im" and "ibuprofen 400mg iv" are (rt26): recognised, the route said, the dose asked
    assert load_medicine_data().resolve(name)[0] == (generic,)
    asked = dose_asked(name)
    assert "given by injection" in asked and "by mouth" in asked, asked


def test_the_text_report_names_no_known_medicine_not_recognised_and_says_check_the_dose():
    import datetime as dt
    import json

    from radiculopathy_desktop.commands.assessment_text import assessment_text
    from radiculopathy_desktop.domain.assess import assess_case
    from radiculopathy_desktop.domain.intake import parse_case
    from helpers.medicines import example_case

    case = parse_case(example_case([("methotrexate 10mg qod", None), ("ibuprofen 400mg stat then tds", None)]))
    data = json.loads(json.dumps(assess_case(case, dt.date(2026, 11, 25), profile="us").to_dict()))
    meds = data["medications"]
    assert meds["unrecognised_medicines"] == [] and meds["fully_checked"]
    assert {tuple(m["generics"]) for m in meds["current_medicines"]} == {("methotrexate",), ("ibuprofen",)}
    text = assessment_text(data)
    assert "NOT RECOGNISED" not in text
    assert "CHECK THE DOSE: methotrexate 10mg qod" in text and "CHECK THE DOSE: ibuprofen 400mg stat then tds" in text
    assert "Interaction: NSAID with methotrexate" in text


@pytest.mark.parametrize("name,product", [("methotrexate 10mg qod", "methotrexate"),
                                          ("ibuprofen 400mg stat then tds", "ibuprofen"),
                                          ("Nurofen 400mg tds with food", "Nurofen"),
                                          ("ibuprofen 400mg for 5-7 days", "ibuprofen"),
                                          ("tylenol no. 3 x2 qds", "tylenol no. 3")])
def test_the_product_name_a_sheet_prints_holds_no_regimen_word_not_read(name, product):
    # the sheet names the medicine as "generic (product)": "ibuprofen (ibuprofen then)" would put the unread
    # English words on a patient's sheet, in Spanish too
    from radiculopathy_desktop.domain.medications import product_words

    assert product_words(name) == product


@pytest.mark.parametrize("name", ["tylenol #3 qod", "tylenol 3 then tds", "tylenol with codeine #3 qod"])
def test_a_product_named_with_its_number_is_read_whole_so_its_codeine_is_checked(name):
    # the longest part that names a medicine is the product: Tylenol #3 is codeine with acetaminophen, never plain
    # Tylenol; its codeine gets the opioid with benzodiazepine interaction (opioid class boxed warning)
    assert set(load_medicine_data().resolve(name)[0]) == {"codeine", "acetaminophen"}
    assert "type the daily dose" in dose_asked(name)
    alerts = _alerts([name, "diazepam 5mg tds"], profile="us")
    assert any("Opioid with a benzodiazepine" in a for a in alerts), alerts
