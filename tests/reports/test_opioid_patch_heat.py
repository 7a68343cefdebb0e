"""A patient who wears a fentanyl or buprenorphine skin patch is never told to use a heat pad, a hot
bath or a hot-water bottle, and the opioid sheet carries the patch label's points (gp19 F1, H-MED-340).

Before: the sciatica sheet said "Use a heat pad, a warm bath or a warm shower. Wrap a hot water bottle
in a towel" and the exercise plan "Use heat before you exercise" to a patient on a fentanyl 25 mcg/h
patch; the opioid sheet said nothing of heat, fever, children or used patches.

Sources (resources/handouts/README.md, both [unverified]: read in copies, not on the FDA's own pages):
- Fentanyl transdermal system labeling (fentanyl-patch-label), as the FDA's 2008 label change quotes it:
  "Patients and caregivers should also be advised to avoid exposure of the patch application site to
  direct external heat sources because of the potential for temperature-dependent increases in fentanyl
  release that may result in overdose and death." "Heat sources include heating pads, electric
  blankets, heat lamps, saunas, hot tubs, and heated water beds; sunbathing and hot baths should
  likewise be avoided. Patients in whom fever or increased core body temperature from strenuous
  exertion develops should be monitored for opioid adverse events".
- FDA consumer update on fentanyl patches and children (fda-fentanyl-patch-children): "Children can
  overdose on new and used fentanyl patches by putting them in their mouth or sticking the patches on
  their skin."

Boundaries: the same medicines not as a patch (a fentanyl lozenge, sublingual buprenorphine), another
opioid (codeine) and a topical NSAID patch (not recognised) keep the ordinary heat advice and no patch
box; a product name that is a patch without saying so (Durogesic 25, Butec 10) is a patch.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import CurrentMedicine, is_opioid_patch
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

HEAT_PAD_EN = "Use a heat pad, a warm bath or a warm shower"
HEAT_PAD_ES = "Use una almohadilla térmica, un baño o una ducha caliente"
NO_HEAT_EN = "Do not put a heat pad, a hot water bottle, a heat lamp or an electric blanket on or near the patch."
NO_HEAT_ES = ("No ponga una almohadilla térmica, una bolsa de agua caliente, una lámpara de calor ni una manta "
              "eléctrica sobre el parche o cerca de él.")
EXERCISE_HEAT_EN = "Use heat before you exercise if it helps you move."
EXERCISE_HEAT_ES = "Póngase calor antes del ejercicio si le ayuda a moverse."
PATCH_BOX_EN = ("If you wear a pain patch", "Keep heat away from the patch", "If you get a fever, call us.",
                "Keep new and used patches away from children.",
                "Ask your pharmacist how to get rid of used patches safely.")
PATCH_BOX_ES = ("Si lleva un parche para el dolor", "Aleje el calor del parche", "Si tiene fiebre, llámenos.",
                "Guarde los parches nuevos y usados lejos de los niños.",
                "Pregunte en la farmacia cómo tirar los parches usados sin peligro.")

PATCHES = ["fentanyl 25mcg/h patch", "buprenorphine 10 microgram patch", "Durogesic 25", "Butec 10",
           "fentanyl transdermal system 12 mcg/hr", "BuTrans 5"]
NOT_PATCHES = ["fentanyl", "buprenorphine 2mg sublingual", "codeine 30mg qds", "ibuprofen patch"]


def _texts(meds, lang, sheets=("about_sciatica", "exercise_plan", "med_opioid")):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets),
                             confirm_unrecognised=True)
    filled = h.filled_sheets(req)
    texts = {s.id: " ".join(hc.plain_text(s).split()) for s in filled}
    texts["sources"] = {s.id: s.sources for s in filled}
    return req, texts


@pytest.mark.parametrize("name", PATCHES)
def test_a_fentanyl_or_buprenorphine_patch_is_recognised_as_one(name):
    from radiculopathy_desktop.domain.medications import assess_medications
    meds = assess_medications(case([(name, None)]).intake, AS_OF).current_medicines
    assert [is_opioid_patch(m) for m in meds] == [True], meds


@pytest.mark.parametrize("name", NOT_PATCHES)
def test_the_same_medicine_not_as_a_patch_another_opioid_or_an_nsaid_patch_is_not(name):
    from radiculopathy_desktop.domain.medications import assess_medications
    meds = assess_medications(case([(name, None)]).intake, AS_OF).current_medicines
    assert not any(is_opioid_patch(m) for m in meds), meds


def test_the_word_patch_alone_is_not_enough_it_must_be_an_opioid_patch():
    assert not is_opioid_patch(CurrentMedicine("lidocaine patch", ("lidocaine",), None))
    assert is_opioid_patch(CurrentMedicine("fentanyl patch", ("fentanyl",), None))


@pytest.mark.parametrize("lang,heat_pad,no_heat,exercise_heat,box", [
    ("en", HEAT_PAD_EN, NO_HEAT_EN, EXERCISE_HEAT_EN, PATCH_BOX_EN),
    ("es", HEAT_PAD_ES, NO_HEAT_ES, EXERCISE_HEAT_ES, PATCH_BOX_ES)])
@pytest.mark.parametrize("meds", [["fentanyl 25mcg/h patch", "codeine 30mg qds", "diazepam 5mg tds"],
                                  ["buprenorphine 10 microgram patch", "tramadol 50mg qds"]])
def test_with_a_patch_no_sheet_says_use_a_heat_pad_and_the_opioid_sheet_has_the_patch_box(
        meds, lang, heat_pad, no_heat, exercise_heat, box):
    req, texts = _texts(meds, lang)
    assert req.opioid_patch
    assert heat_pad not in texts["about_sciatica"]
    assert no_heat in texts["about_sciatica"]
    assert exercise_heat not in texts["exercise_plan"]
    for words in box:
        assert words in texts["med_opioid"], (words, texts["med_opioid"])
    # the Sources line names the label the patch words rest on, and the FDA's children warning
    assert all("fentanyl-patch-label" in ids for ids in texts["sources"].values())
    assert "fda-fentanyl-patch-children" in texts["sources"]["med_opioid"]


@pytest.mark.parametrize("lang,heat_pad,no_heat,exercise_heat,box", [
    ("en", HEAT_PAD_EN, NO_HEAT_EN, EXERCISE_HEAT_EN, PATCH_BOX_EN),
    ("es", HEAT_PAD_ES, NO_HEAT_ES, EXERCISE_HEAT_ES, PATCH_BOX_ES)])
# "fentanyl" with no form is a possible patch since rt21 F4 (tests/reports/test_patch_names_from_data.py):
# the fentanyl boundary is a form that is not a patch
@pytest.mark.parametrize("meds", [["fentanyl 100mcg tablets"], ["buprenorphine 2mg sublingual"], ["codeine 30mg qds"]])
def test_without_a_patch_the_heat_advice_is_unchanged_and_there_is_no_patch_box(
        meds, lang, heat_pad, no_heat, exercise_heat, box):
    req, texts = _texts(meds, lang)
    assert not req.opioid_patch
    assert heat_pad in texts["about_sciatica"] and no_heat not in texts["about_sciatica"]
    assert exercise_heat in texts["exercise_plan"]
    if "med_opioid" in texts:
        assert box[0] not in texts["med_opioid"]
    assert not any({"fentanyl-patch-label", "fda-fentanyl-patch-children"} & set(ids)
                   for ids in texts["sources"].values())


def test_no_medicine_recorded_gives_the_ordinary_heat_advice():
    """No medicine recorded: no patch words, the heat pad as before."""
    req, texts = _texts([], "en", sheets=("about_sciatica",))
    assert not req.opioid_patch and HEAT_PAD_EN in texts["about_sciatica"]


def test_a_sheet_section_marked_for_a_patch_must_say_true_or_false():
    with pytest.raises(hc.HandoutFormatError, match="opioid_patch"):
        hc.parse_sheet({"id": "x", "title": "T", "audience": "patient", "lang": "en", "reviewed": AS_OF,
                        "sources": ["nice-ng59"],
                        "sections": [{"heading": "H", "paragraphs": ["p"], "opioid_patch": "yes"}]})
