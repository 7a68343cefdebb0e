"""pairs (H-MED-500): two NSAIDs taken together where one is contraindicated for the patient herself. Under the
uk profile with cardiovascular disease, diclofenac is Contraindicated (MHRA Drug Safety Update, June 2013:
diclofenac contraindicated in established ischaemic heart disease, peripheral arterial disease,
cerebrovascular disease, congestive heart failure), while meloxicam and ibuprofen (at 1200 mg a day) are not.
The sheet said "Ask your clinician before your next dose which one to keep taking" without saying that
diclofenac is the one to stop. It now says "Do not take your diclofenac" and never asks which one to keep;
without the heart condition (or under us, where the check does not contraindicate it) the pair keeps asking
which one.
"""

from __future__ import annotations

import pytest

from tests.reports.test_handout_box_them_pairs import _case
from tests.reports.test_sheet_box_follows_strongest_rating import _sheet

WHICH = {"en": "which one to keep taking", "es": "cuál debe seguir tomando"}
STOP = {"en": "Do not take your diclofenac 50mg, three times a day: for you, it may do more harm than good",
        "es": "No tome su diclofenaco 50mg, tres veces al día: en su caso puede hacer más daño que bien"}
KEEP = {"en": "Keep taking your {} as prescribed, unless your clinician changes it",
        "es": "Siga tomando su {} como se lo recetaron, salvo que su profesional lo cambie"}
ASK_WITH = {"en": "Ask your clinician before your next dose whether to keep taking your meloxicam 7.5mg, once a day: "
                  "it should not be taken with your apixaban 5mg, twice a day",
            "es": "Pregunte a su profesional antes de su próxima dosis si debe seguir tomando su meloxicam 7.5mg, una "
                  "vez al día: no debe tomarse junto con su apixaban 5mg, dos veces al día"}
ASK_AMOUNT = {"en": "Ask your clinician before your next dose how much of your meloxicam 15mg (twice a day) to take",
              "es": "Pregunte a su profesional antes de su próxima dosis cuánto debe tomar de su meloxicam 15mg, dos "
                    "veces al día"}
# plainwords (H-MED-647): the regimens in plain words (the names were printed as typed: "7.5mg od", "5mg bd"); inside
# a sentence in brackets, at a clause's end after a comma
PLAIN = {"en": {" od": " (once a day)", " tds": " (three times a day)", " bd": " (twice a day)"},
         "es": {" od": " (una vez al día)", " tds": " (tres veces al día)", " bd": " (dos veces al día)"}}


def _said(name, lang):
    for written, words in PLAIN[lang].items():
        name = name.replace(written, words)
    return name.replace("ibuprofen", "ibuprofeno") if lang == "es" else name
MORE_HARM_THEM = {"en": "they may do more harm", "es": "pueden hacer más daño"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("other", ["meloxicam 7.5mg od", "ibuprofen 400mg tds"])
def test_uk_cvd_says_stop_the_diclofenac_and_keep_the_other(lang, other):
    text = _sheet(_case([("diclofenac 50mg tds", None), (other, None)], cvd=True), lang, "uk")
    assert STOP[lang] in text, text
    assert KEEP[lang].format(_said(other, lang)) in text, text
    assert WHICH[lang] not in text and MORE_HARM_THEM[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_other_rated_avoid_with_apixaban_is_asked_about_not_kept(lang):
    meds = [("diclofenac 50mg tds", None), ("meloxicam 7.5mg od", None), ("apixaban 5mg bd", None)]
    text = _sheet(_case(meds, cvd=True), lang, "uk")
    assert STOP[lang] in text and ASK_WITH[lang] in text, text
    assert WHICH[lang] not in text and KEEP[lang].format(_said("meloxicam 7.5mg od", lang)) not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_other_above_its_maximum_is_asked_how_much_never_kept(lang):
    # meloxicam 15 mg bd = 30 mg a day, above the 15 mg a day label maximum
    text = _sheet(_case([("diclofenac 50mg tds", None), ("meloxicam 15mg bd", None)], cvd=True), lang, "uk")
    assert STOP[lang] in text and ASK_AMOUNT[lang] in text, text
    assert KEEP[lang].format(_said("meloxicam 15mg bd", lang)) not in text and WHICH[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile, cvd", [("uk", False), ("us", False)])
def test_without_the_contraindication_the_pair_still_asks_which_one(lang, profile, cvd):
    text = _sheet(_case([("diclofenac 50mg tds", None), ("meloxicam 7.5mg od", None)], cvd=cvd), lang, profile)
    assert WHICH[lang] in text and STOP[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_both_contraindicated_is_not_told_to_keep_either(lang):
    # diclofenac and celecoxib with cardiovascular disease under uk: both contraindicated, neither is kept
    text = _sheet(_case([("diclofenac 50mg tds", None), ("celecoxib 200mg bd", None)], cvd=True), lang, "uk")
    assert "Keep taking your" not in text and "Siga tomando su" not in text, text
