"""ukcv (H-MED-469, H-MED-470): the NSAID sheet agrees with the window. Under uk, diclofenac or
celecoxib with cardiovascular disease recorded is Contraindicated (MHRA Drug Safety Update June
2013; the COX-2 inhibitor SmPCs): the sheet says "Do not take it", never "Ask before your next dose";
under us (the FDA's class Caution) it does not. Aspirin 900 mg qds at 31 weeks is rated as an NSAID
in the window (Contraindicated); low-dose aspirin is not."""

from __future__ import annotations

import dataclasses

import pytest

from tests.reports.test_contraindicated_words_agree import WINDOW_STOP, case, sheet, window_alerts
from tests.reports.test_nsaid_class_sheet_preg27 import STOP_EN


def _cv(meds):
    c = case([(m, None) for m in meds])
    flags = dict(c.intake.conditions.flags, cardiovascular_disease=True)
    intake = dataclasses.replace(c.intake, conditions=dataclasses.replace(c.intake.conditions, flags=flags))
    return dataclasses.replace(c, intake=intake)


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib 200mg"])
def test_uk_cv_disease_sheet_says_do_not_take_it(name):
    c = _cv([name])
    assert [a.status for a in window_alerts(c, "uk")] == ["contraindicated"]
    assert WINDOW_STOP in window_alerts(c, "uk")[0].text
    assert STOP_EN in sheet(c, "med_nsaid", "en", "uk")
    assert window_alerts(c, "us") == ()
    assert STOP_EN not in sheet(c, "med_nsaid", "en", "us")


def test_aspirin_window_rating_follows_the_dose():
    assert [a.status for a in window_alerts(case([("aspirin 900mg qds", None)], 31))] == ["contraindicated"]
    assert window_alerts(case([("aspirin 75mg od", None)], 31)) == ()
