"""Two products containing tramadol (red-team rt10 F2 c).

Ultram (tramadol) US prescribing information: not more than 400 mg/day (all tramadol taken,
whatever the product). Ultracet (tramadol 37.5 mg / acetaminophen 325 mg) US prescribing
information, Dosage and Administration: "Do not co-administer ULTRACET with other tramadol
or acetaminophen containing products"; at most 8 tablets a day (300 mg of tramadol). A patient on plain tramadol and a tramadol combination product (Tramacet, Ultracet) takes
tramadol twice: both count toward the one 400 mg/day maximum, so the medicine check rates
the pair avoid, as it does two paracetamol products.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import medications

from .test_medications import VISIT, intake


def rules(meds):
    report = medications.assess_medications(intake(meds=meds), VISIT)
    return {i.rule: i for i in report.interactions}


@pytest.mark.parametrize("meds", [[("tramadol", 400), ("tramacet", None)],
                                  [("tramadol", 100), ("ultracet", None)],
                                  [("ultracet", None), ("tramacet", None)]])
def test_two_tramadol_products_are_rated_avoid(meds):
    found = rules(meds)
    # fold33 (H-MED-699): two tramadol-with-paracetamol products match two rules on one pair; they are one line at
    # the stronger rating, under the paracetamol rule, carrying the tramadol rule's words and sources too
    ix = found.get("ix-two-tramadol-products") or found["ix-two-acetaminophen-products"]
    assert "Two products containing tramadol" in ix.text
    assert ix.severity == "avoid"
    assert set(ix.medicines) == {n for n, _ in meds}
    assert "400 mg/day" in ix.text and "Ultram" in ix.source
    # the combination's own label says so, and its maximum is 8 tablets, 300 mg of tramadol, a day
    assert "Ultracet" in ix.source and "do not co-administer with other tramadol" in ix.source
    assert "8 tablets, 300 mg of tramadol" in ix.text


@pytest.mark.parametrize("meds", [[("tramadol", 400)], [("tramacet", None)],
                                  [("tramadol", 200), ("oxycodone", 20)], [("tramadol", 200), ("codeine", 60)]])
def test_one_tramadol_product_is_not_a_duplicate(meds):
    assert "ix-two-tramadol-products" not in rules(meds)
