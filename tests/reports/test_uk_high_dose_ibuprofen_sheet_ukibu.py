"""ukibu (H-MED-542, H-MED-543): the NSAID sheet agrees with the window, in English and Spanish.
Under uk, with cardiovascular disease recorded, ibuprofen at 2400 mg a day (MHRA Drug Safety Update
June 2015: avoid high-dose ibuprofen in established cardiovascular disease) is Avoid: the sheet asks
the patient to ask before the next dose whether to keep taking it, as for any medicine rated Avoid;
1200 mg a day keeps today's sheet. Aceclofenac (MHRA Drug Safety Update 2014: contraindicated, as
diclofenac) is "Do not take it", as diclofenac is. Under us neither changes."""

from __future__ import annotations

import dataclasses

import pytest

from tests.reports.test_contraindicated_words_agree import case, sheet, window_alerts
from tests.reports.test_nsaid_class_sheet_preg27 import STOP_EN, STOP_ES

#: the ask-first box of a medicine rated Avoid (handouts.py avoid_box; dose_phrases_es.toml avoid_box)
ASK_EN = "Ask your clinician before your next dose whether to keep taking it:"
ASK_ES = "Pregunte a su profesional antes de su próxima dosis si debe seguir tomándolo:"


def _cv(meds):
    c = case(meds)
    flags = dict(c.intake.conditions.flags, cardiovascular_disease=True)
    intake = dataclasses.replace(c.intake, conditions=dataclasses.replace(c.intake.conditions, flags=flags))
    return dataclasses.replace(c, intake=intake)


@pytest.mark.parametrize("meds", [[("ibuprofen 800mg tds", None)], [("ibuprofen", 2400)]])
def test_uk_high_dose_ibuprofen_sheet_asks_before_the_next_dose(meds):
    c = _cv(meds)
    assert [a.status for a in window_alerts(c, "uk")] == ["avoid"]
    assert ASK_EN in sheet(c, "med_nsaid", "en", "uk")
    assert ASK_ES in sheet(c, "med_nsaid", "es", "uk")
    assert STOP_EN not in sheet(c, "med_nsaid", "en", "uk")
    # us: the FDA class Caution, no alert, the sheet does not ask
    assert window_alerts(c, "us") == ()
    assert ASK_EN not in sheet(c, "med_nsaid", "en", "us")


@pytest.mark.parametrize("meds", [[("ibuprofen 400mg tds", None)], [("ibuprofen", 2399)]])
def test_uk_ibuprofen_below_2400_mg_sheet_is_unchanged(meds):
    c = _cv(meds)
    assert window_alerts(c, "uk") == ()
    assert ASK_EN not in sheet(c, "med_nsaid", "en", "uk")
    assert ASK_ES not in sheet(c, "med_nsaid", "es", "uk")


def test_uk_aceclofenac_sheet_says_do_not_take_it():
    c = _cv([("aceclofenac 100mg bd", None)])
    assert [a.status for a in window_alerts(c, "uk")] == ["contraindicated"]
    en, es = sheet(c, "med_nsaid", "en", "uk"), sheet(c, "med_nsaid", "es", "uk")
    assert "Do not take it" in en and STOP_EN in en
    assert "No lo tome" in es and STOP_ES in es
    assert window_alerts(c, "us") == ()
    assert STOP_EN not in sheet(c, "med_nsaid", "en", "us")
