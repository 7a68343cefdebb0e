"""pathnsaid in the window: for a patient already taking naproxen the stepped-care view reviews
the naproxen (named, with its daily dose and this patient's maximum) instead of offering "an
oral NSAID"; an NSAID ruled out for the patient is never badged "Consider"."""

from __future__ import annotations

import pytest

from tests.ui.conftest import case_dict


def _open(window, qtbot, store, context, profile, meds, conditions=None, **patient):
    from radiculopathy_desktop.domain.intake import parse_case
    context.set_profile(profile)
    d = case_dict("P-NAP", "Nia Naproxen", 10)  # day 10 of care, no follow-up: the medicines step is open
    d["patient"].update(patient)
    d["medicines"] = meds
    if conditions:
        d["conditions"] = conditions
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-NAP-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    view = window.patient_view
    view.pathway.set_details_open(True)  # every step's recommendations, as the clinician unfolds them
    return " ".join(view.pathway.toPlainText().split())


@pytest.mark.parametrize("profile,offer", [
    ("uk", "NICE recommends considering an oral NSAID"),
    ("us", "If a medicine is wanted, use an NSAID"),
])
def test_the_pathway_view_reviews_the_naproxen_taken_now(window, qtbot, store, context, profile, offer):
    text = _open(window, qtbot, store, context, profile, [{"name": "naproxen 500mg bd"}])
    review = ("Review: already taking Already taking naproxen 500mg bd (1000 mg/day; this patient's maximum "
              "1000 mg/day): review it rather than start another NSAID")
    assert review in text
    assert "Do not add a second NSAID." in text
    assert offer not in text  # the offer of an NSAID is not made to a patient already taking one


def test_the_pathway_view_names_pregabalin_beside_nices_advice_against_it(window, qtbot, store, context):
    text = _open(window, qtbot, store, context, "uk", [{"name": "pregabalin 75mg bd"}])
    i = text.index("Do not offer gabapentinoids")
    assert "Taking now Already taking pregabalin 75mg bd (150 mg/day): NICE does not recommend gabapentinoids" \
        in text[i:i + 800]


def test_an_nsaid_ruled_out_for_this_patient_is_not_badged_consider(window, qtbot, store, context):
    text = _open(window, qtbot, store, context, "uk", [], sex="female", pregnancy_weeks=32)
    i = text.index("NICE recommends considering an oral NSAID")
    assert text[i - len("Not for this patient "):i] == "Not for this patient "
    assert "Consider NICE recommends considering an oral NSAID" not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_guideline_views_show_what_each_medicine_recommendation_says_to_a_patient_already_taking_one(profile):
    from html import unescape

    from radiculopathy_desktop.domain.guideline import load_guideline
    from radiculopathy_desktop.ui.guideline_view import guideline_html, review_html
    g = load_guideline(profile)
    clinical, review = unescape(guideline_html(g)), unescape(review_html(g))
    expected = [r.already_taking for s in g.steps for r in s.recommendations if r.already_taking]
    assert expected
    for a in expected:
        assert " ".join(a.text.split()) in " ".join(review.split())
        assert a.evidence_note in review  # the reviewer sees why it is [unverified]
    assert clinical.count("Already taking one") == len(expected)



# pathtake: the window's stepped-care view says what the JSON and the text report say: a dose the medicine table
# asks to check is "dose to check", never the patient's dose; an NSAID the table rates avoid is avoid here too
def _json_taking_now(profile, meds, conditions=None) -> str:
    from radiculopathy_desktop.domain.assess import assess_case
    from radiculopathy_desktop.domain.intake import parse_case
    from tests.ui.conftest import TODAY
    d = case_dict("P-NAP", "Nia Naproxen", 10)
    d["medicines"] = meds
    if conditions:
        d["conditions"] = conditions
    data = assess_case(parse_case(d), TODAY, profile=profile).to_dict()
    [now] = [r["taking_now"]["text"] for s in data["pathway"]["steps"] for r in s["recommendations"]
             if "taking_now" in r and r["id"] in ("acetaminophen", "nsaid")]
    return " ".join(now.split())


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_pathway_view_says_dose_to_check_for_a_dose_typed_in_grams(window, qtbot, store, context, profile):
    meds = [{"name": "paracetamol", "daily_dose_mg": 4}]
    text = _open(window, qtbot, store, context, profile, meds)
    assert ("Already taking paracetamol (dose to check: 4 mg/day recorded, far below any usual dose: typed in "
            "grams?; this patient's maximum 4000 mg/day)") in text
    assert "(4 mg/day;" not in text
    assert _json_taking_now(profile, meds) in text


def test_the_pathway_view_rates_high_dose_ibuprofen_with_heart_disease_as_the_table_does(window, qtbot, store,
                                                                                       context):
    meds, conditions = [{"name": "ibuprofen", "daily_dose_mg": 2400}], {"cardiovascular_disease": True}
    text = _open(window, qtbot, store, context, "uk", meds, conditions)
    assert ("Review: already taking Already taking ibuprofen (2400 mg/day; this patient's maximum 2400 mg/day): "
            "avoid for this patient in the medicine table: Cardiovascular disease") in text
    assert "review it rather than start another NSAID" not in text
    assert _json_taking_now("uk", meds, conditions) in text
