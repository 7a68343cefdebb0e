"""pairs (H-UI-441): the handout box that asks about two NSAIDs or more taken together says "them", not "it",
in English and Spanish ("tomándolos", not "tomándolo").

Scenario from the GP tryout (gptry, GP-F): meloxicam 15mg bd, diclofenac 50mg tds, aspirin 900mg qds and
apixaban 5mg bd with cardiovascular disease under the uk profile. The NSAID sheet asked "whether to keep taking
it: it should not be taken with your aspirin 900mg qds and apixaban 5mg bd and for you, it may do more harm than
good" about meloxicam and diclofenac. One NSAID alone keeps "it".
"""

from __future__ import annotations

import copy

import pytest

from tests.reports.test_sheet_box_follows_strongest_rating import BASE, _sheet
from radiculopathy_desktop.domain.intake import parse_case

FIVE = [("meloxicam 15mg bd", None), ("diclofenac 50mg tds", None), ("aspirin 900mg qds", None),
        ("apixaban 5mg bd", None)]
THEM = {"en": ("whether to keep taking them: they should not be taken with your",
               "for you, they may do more harm than good"),
        "es": ("si debe seguir tomándolos: no deben tomarse con su", "en su caso pueden hacer más daño que bien")}
IT = {"en": ("whether to keep taking it", "it should not be taken with", "for you, it may do more harm"),
      "es": ("si debe seguir tomándolo:", "no debe tomarse junto con", "en su caso puede hacer más daño")}


def _case(meds, cvd=False, weeks=None):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1964-01-01", sex="female", weight_kg=70)
    if weeks is not None:
        d["patient"].update(pregnant=True, pregnancy_weeks=weeks, birth_date="1994-01-01")
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.8, "unit": "mg/dL"},
                       "cardiovascular_disease": cvd}
    d["medicines"] = [{"name": n, **({"daily_dose_mg": dose} if dose is not None else {})} for n, dose in meds]
    return parse_case(d)


# handout29 (H-MED-518): aspirin 900mg qds (an analgesic dose: an NSAID, rules.toml [[dose_class]]) is one of
# the NSAIDs the sheet asks about, never only the medicine "it should not be taken with": with cardiovascular
# disease under uk the diclofenac is stopped (contraindicated, MHRA 2013) and the two others asked about by
# name; without it, the together box's "which one to keep" and "whether to keep taking them at all"
# plainwords (H-MED-647): the regimens in plain words (they were printed as typed: "15mg bd", "900mg qds"): in
# brackets in a list, after a comma where the name ends the clause
KEPT_ASKED = {"en": ("Do not take your diclofenac 50mg, three times a day: for you, it may do more harm than good",
                     "whether to keep taking your meloxicam 15mg (twice a day) and aspirin 900mg (four times a day): "
                     "they should not be taken with your apixaban 5mg, twice a day"),
              "es": ("No tome su diclofenaco 50mg, tres veces al día: en su caso puede hacer más daño que bien",
                     "si debe seguir tomando su meloxicam 15mg (dos veces al día) y aspirina 900mg (cuatro veces al "
                     "día): no deben tomarse con su apixaban 5mg, dos veces al día")}
AT_ALL = {"en": "Also ask whether to keep taking them at all: they should not be taken with your apixaban 5mg, twice "
                "a day",
          "es": "Pregunte también si debe seguir tomándolos: no deben tomarse con su apixaban 5mg, dos veces al día"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_gp_tryout_box_about_two_nsaids_says_them(lang):
    text = _sheet(_case(FIVE, cvd=True), lang, "uk")
    for words in KEPT_ASKED[lang]:
        assert words in text, text
    for words in IT[lang][:2]:
        assert words not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_nsaids_with_apixaban_say_them_whatever_the_profile(lang, profile):
    text = _sheet(_case(FIVE, cvd=False), lang, profile)
    assert AT_ALL[lang] in text, text
    assert IT[lang][0] not in text and IT[lang][1] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_nsaid_keeps_it(lang):
    text = _sheet(_case([("naproxen 500mg bd", None), ("apixaban 5mg bd", None)], cvd=False), lang, "uk")
    assert f"{IT[lang][0]}" in text and IT[lang][1] in text, text
    assert THEM[lang][0] not in text, text
