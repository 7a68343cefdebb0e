"""A "taken together" box belongs only on the sheet of the ingredient it is about (sheet19 item 2;
fxa18 "Not done"; gp18 OPI-1).

Codeine 30 mg with Tylenol No. 3 (codeine/acetaminophen 30/300): the rule ix-two-codeine-products
(the codeine in both adds up) put "They contain the same medicine, codeine ... Ask your clinician
before your next dose which one to keep taking" on the PARACETAMOL sheet. Codeine 30 mg holds no
paracetamol: the box is the opioid sheet's. The paracetamol sheet of Tylenol No. 3 still never
says "keep taking" it: it asks whether to keep taking it, and why (it should not be taken with the
codeine), as the medicine check rates the pair avoid.

Primary sources (resources/medicines/rules.toml, sources.toml): ix-two-codeine-products (UK codeine
SmPC 4.2, maximum 240 mg of codeine a day; US codeine sulfate label 360 mg); ix-two-acetaminophen-
products (acetaminophen label: 4000 mg a day from all products; UK SmPC: "do not take anything else
containing paracetamol").
Boundaries (uk): codeine 240 mg a day in all (at the maximum: no too-high box) and 360 mg (above).
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import case, sheet

SAME_CODEINE = "They contain the same medicine, codeine"
WHICH = "which one to keep taking"
AT_MAX = [("codeine 30mg bd", None), ("Tylenol No. 3 2 tabs tds", None)]       # 60 + 180 = 240 mg
OVER = [("codeine 30mg qds", None), ("Tylenol No. 3 2 tabs qds", None)]        # 120 + 240 = 360 mg


@pytest.mark.parametrize("lang, same, which", [("en", SAME_CODEINE, WHICH),
                                               ("es", "Llevan el mismo medicamento, codeína", "cuál debe seguir")])
@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("meds", [AT_MAX, OVER], ids=["240", "360"])
def test_the_codeine_box_is_on_the_opioid_sheet_only(meds, profile, lang, same, which):
    apap = sheet(case(meds), "med_acetaminophen", lang, profile)
    opioid = sheet(case(meds), "med_opioid", lang, profile)
    assert same not in apap and which not in apap
    assert same in opioid


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_at_the_maximum_the_paracetamol_sheet_asks_whether_to_keep_the_product(profile):
    text = sheet(case(AT_MAX), "med_acetaminophen", "en", profile)
    assert "Ask your clinician before your next dose whether to keep taking it: it should not be taken with " \
           "your codeine 30mg, twice a day." in text          # plainwords (H-MED-647): "bd" in plain words
    assert "keep taking your tylenol" not in text.lower().replace("whether to keep taking your tylenol", "")


def test_above_the_maximum_the_paracetamol_sheet_leads_with_the_codeine_plan_not_which_one():
    """uk 360 mg: the codeine is over, never cut down all at once (FDA 2019) on every sheet of a product
    holding it; the paracetamol sheet has no "which one to keep taking". Since fxh20 (rt21 F1) the
    sheet's box follows the strongest rating: the pair is rated Avoid, so the sheet asks first and the
    codeine above its maximum is said under that box, never "take no more than"."""
    text = sheet(case(OVER), "med_acetaminophen", "en", "uk")
    assert "Ask your clinician before your next dose whether to keep taking it" in text
    assert "You take codeine 360 mg a day now: that is also more than the most for you (240 mg a day)." in text
    assert "Do not stop it or cut it down all at once" in text and "step by step" in text
    assert "Take no more than" not in text and "too high for you" not in text
    assert WHICH not in text


def test_two_paracetamol_products_keep_their_box_on_the_paracetamol_sheet():
    text = sheet(case([("paracetamol 1g qds", None), ("Tylenol No. 3 2 tabs qds", None)]), "med_acetaminophen",
                 "en", "uk")
    assert "They contain the same medicine" in text and WHICH in text
