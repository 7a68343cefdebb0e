"""One product, one instruction on every sheet (sheet19 item 3; fxa18 "Not done"; rt19 F1).

Nurofen Plus (ibuprofen + codeine) at 31 weeks with its strength typed: the NSAID sheet said "Do
not take it" while the opioid sheet of the same product said "Your dose: keep taking your nurofen
plus 200/12.8 2 tabs qds (8 tablets a day)". The patient holds one packet: one instruction.

Primary sources (resources/medicines/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020), FDA Drug Safety
  Podcast of the same date: "At around 30 weeks, NSAIDs can cause a problem that may result in
  heart issues in the unborn baby"; the rule nsaid-pregnancy-30 rates an NSAID contraindicated
  from 30 weeks, nsaid-pregnancy-20 avoid from 20. So the product is stopped from 30 weeks.
- FDA Drug Safety Communication, 9 April 2019 (fda-opioid-tapering-2019): harm when opioids are
  "suddenly discontinued or the dose rapidly decreased" in a physically dependent patient: the
  codeine of the product is replaced (a codeine-only product or a plan), never stopped at once.
Boundaries: 29 weeks (avoid: the opioid sheet keeps the dose), 30 (contraindicated), 31.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import AS_OF, case, sheet

from radiculopathy_desktop.reports import handouts as h

STRENGTH = [("nurofen plus 200/12.8 2 tabs qds", None)]
NO_STRENGTH = [("nurofen plus 2 tabs qds", None)]
STOP_OPIOID_EN = ("Do not take it: it also contains ibuprofen, which is not safe for you now. Contact your "
                  "clinician today about a replacement for the codeine")
STOP_OPIOID_ES = ("No lo tome: también contiene ibuprofeno, que ahora no es seguro para usted. Llame hoy a su "
                  "profesional para cambiar codeína por otro medicamento")


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks", [30, 31])
@pytest.mark.parametrize("meds", [STRENGTH, NO_STRENGTH], ids=["strength", "no-strength"])
def test_the_opioid_sheet_stops_the_product_the_nsaid_sheet_stops(meds, weeks, profile):
    c = case(meds, weeks)
    nsaid = sheet(c, "med_nsaid", "en", profile)
    opioid = sheet(c, "med_opioid", "en", profile)
    assert "Do not take it" in nsaid
    assert STOP_OPIOID_EN in opioid, opioid
    assert "so the codeine is not stopped all at once" in opioid
    for text in (nsaid, opioid):
        assert "keep taking your nurofen plus" not in text
        assert "Check your dose before you take more" not in text
    assert "Your dose: do not take your nurofen plus" in opioid
    # never the opposite instruction beside it
    assert "Do not stop it suddenly: if it needs to stop" not in opioid


def test_the_spanish_opioid_sheet_says_the_same():
    text = sheet(case(STRENGTH, 31), "med_opioid", "es")
    assert STOP_OPIOID_ES in text, text
    assert "siga tomando su nurofen plus" not in text.lower()


@pytest.mark.parametrize("meds", [STRENGTH, NO_STRENGTH], ids=["strength", "no-strength"])
def test_at_29_weeks_the_opioid_sheet_does_not_stop_the_product(meds):
    """29 weeks: the NSAID is rated avoid (ask first), not contraindicated: no "Do not take it" on
    the opioid sheet, whose own words stay."""
    text = sheet(case(meds, 29), "med_opioid", "en")
    assert "Do not take it" not in text
    assert "also contains ibuprofen" not in text


def test_codeine_alone_at_31_weeks_keeps_do_not_stop_suddenly():
    text = sheet(case([("codeine 30mg qds", None)], 31), "med_opioid", "en")
    assert "Do not take it" not in text and "Do not stop it suddenly" in text


def test_nurofen_plus_with_plain_codeine_stops_only_the_product_and_keeps_the_codeine():
    """The codeine-only product is what the codeine goes on as: never stopped at once."""
    meds = [("nurofen plus 200/12.8 2 tabs qds", None), ("codeine 30mg qds", None)]
    text = sheet(case(meds, 31), "med_opioid", "en")
    assert STOP_OPIOID_EN in text
    # plainwords (H-MED-647): "qds" in plain words (after a comma at the clause's end, in brackets mid-sentence)
    # sheets36 (H-MED-740): the count word in full
    assert "Do not take your nurofen plus 200/12.8 2 tablets, four times a day: it also contains ibuprofen" in text
    assert "keep taking your codeine 30mg (four times a day) until your clinician tells you how to go on" in text
    assert "Do not stop your codeine 30mg (four times a day) suddenly" in text
    # the question "which one to keep taking" is answered: never asked beside "Do not take it"
    assert "which one to keep taking" not in text
    es = sheet(case(meds, 31), "med_opioid", "es")
    # esnames (H-MED-689): the count of tablets in Spanish on the Spanish sheet
    assert "No tome su nurofen plus 200/12.8 2 comprimidos, cuatro veces al día: también contiene ibuprofeno" in es
    assert "cuál debe seguir" not in es


def test_the_clinicians_note_says_what_the_sheets_say():
    """The note for a "Do not take it" sheet never says it asks "whether to keep taking it"."""
    req = h.request_for_case(case(STRENGTH, 31), AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=["med_nsaid", "med_opioid"], profile="uk")
    notes = h.dose_notices(req)
    stop = [n for n in notes if "the sheet says not to take it" in n]
    assert stop and stop[0].startswith("med_nsaid, med_opioid:")
    assert "replacement for the codeine" in stop[0]
    assert not any("whether to keep taking it" in n for n in notes)
    dialog = h.taken_now_notes(req.doses)
    assert any("The sheet says not to take it" in n and "replacement for the codeine" in n for n in dialog)
    assert not any("whether to keep taking it" in n for n in dialog)
