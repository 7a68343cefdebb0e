"""sheet2 (H-MED-646): the pathway's "already taking" line of a row holding several products gives each product's
own dose, then the total of all of them, never the row's total as each product's dose.

Worked from the strengths: tramadol/paracetamol 37.5/325 2 tablets four times a day = 8 tablets = tramadol 300 mg
and paracetamol 2600 mg a day; tramadol 50 mg four times a day = 200 mg. Tramadol in all: 500 mg a day, above
its 400 mg label maximum; MME 500 x 0.2 (CDC 2022) = 100. Co-codamol 30/500 recorded as 4000 mg of paracetamol
with paracetamol 1 g four times a day (4000 mg): 8000 mg of paracetamol in all.
"""

from __future__ import annotations

import pytest

from helpers.pathway_recs import assessed, medicine_rec

OPIOID_REC = {"uk": "weak_opioid_acute_only", "us": "opioid"}


def _m(name, dose=None):
    return {"name": name, **({"daily_dose_mg": dose} if dose else {})}


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_tramadol_products_each_say_their_own_dose_and_the_total(profile):
    taking = medicine_rec(assessed([_m("tramadol/paracetamol 37.5/325 2 qds"), _m("tramadol 50mg qds")], profile),
                          OPIOID_REC[profile])["taking_now"]["taking"]
    assert ("tramadol/paracetamol 37.5/325 2 qds (300 mg/day of tramadol; both products together 500 mg/day of "
            "tramadol, above this patient's maximum of 400 mg/day; all opioids together 100 MME/day)") in taking
    assert ("tramadol 50mg qds (200 mg/day; both products together 500 mg/day, above this patient's maximum of "
            "400 mg/day; all opioids together 100 MME/day)") in taking
    assert "(500 mg/day of tramadol" not in taking and "(500 mg/day," not in taking


def test_two_paracetamol_products_each_say_their_own_dose_and_the_total():
    taking = medicine_rec(assessed([_m("co-codamol 30/500", 4000), _m("paracetamol 1g qds")], "uk"),
                          "acetaminophen")["taking_now"]["taking"]
    assert "co-codamol 30/500 (4000 mg/day of paracetamol; both products together 8000 mg/day of paracetamol" in taking
    assert "paracetamol 1g qds (4000 mg/day; both products together 8000 mg/day, above this patient's maximum" in taking


def test_one_product_keeps_its_line():
    # boundary: a row holding one product says its dose once, no "together"
    taking = medicine_rec(assessed([_m("tramadol 50mg", 200)], "uk"), "weak_opioid_acute_only")["taking_now"]["taking"]
    assert "tramadol 50mg (200 mg/day; this patient's maximum 400 mg/day; 40 MME/day)" in taking
    assert "together" not in taking
