"""Two products rated Avoid together, one (or their sum) above the maximum: the "taken together"
box leads and asks before the next dose which one to keep; the dose above the maximum is said
under it as a fact, never "Take no more than X a day from now on" (fxh20 leftover; H-MED-367).

Before: the sheet led with "Your dose is too high for you ... Take no more than 4000 mg a day from
now on" and then, in the same box, "Ask your clinician before your next dose which one to keep
taking": an instruction to go on at the maximum beside a question whether to go on at all.

The one order is the worklist's (``worklist_marks.strongest_label``, read by the sheet through
``handouts._asks_before_dose``, fxh20): Contraindicated > Avoid > Reduce dose > Check the dose.
The pair is rated Avoid together, so its box leads.

Maxima (the medicine data's own citations, not re-read here [unverified here]): acetaminophen
4000 mg a day (FDA OTC label; BNF), ibuprofen 2400 mg a day under uk (BNF, prescription) and 3200
under us (FDA label), tramadol 400 mg a day (FDA label; BNF). Boundaries: at the maximum (the
together box alone, no "more than the most"), one mg above it, and far above it.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h
from tests.reports.test_contraindicated_words_agree import AS_OF, case, sheet

WORDS = {
    "en": {"together": "Two of your medicines should not be taken together",
           "too_high": "Your dose is too high for you",
           "ceiling": "Take no more than",
           "which": "Ask your clinician before your next dose which one to keep taking.",
           "plan": "Ask your clinician soon how to go on to one plan.",
           "over": "that is also more than the most for you",
           "not_all_at_once": "Do not stop it or cut it down all at once"},
    "es": {"together": "Dos de sus medicamentos no deben tomarse juntos",
           "too_high": "Su dosis es demasiado alta para usted",
           "ceiling": "Desde hoy, no tome más de",
           "which": "Pregunte a su profesional antes de su próxima dosis cuál debe seguir tomando.",
           "plan": "Pregunte a su profesional pronto cómo pasar a un solo plan.",
           "over": "también es más de lo máximo para usted",
           "not_all_at_once": "No lo deje ni lo baje de golpe"},
}

NAPROXEN = ("naproxen 500mg bd", 1000)


def _leads_with_together_and_says_the_dose_under_it(text, lang, ask):
    w = WORDS[lang]
    assert w["together"] in text
    assert w["too_high"] not in text and w["ceiling"] not in text
    assert w["over"] in text
    assert text.index(w["together"]) < text.index(w[ask]) < text.index(w["over"])


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("paracetamol_mg", [2001, 4000])
def test_paracetamol_twice_above_the_maximum_asks_which_one_to_keep(paracetamol_mg, profile, lang):
    """Plain paracetamol plus co-codamol 30/500 1 tablet qds (2000 mg of paracetamol): over 4000 mg
    a day in all, one mg over (2001 + 2000) and far over (4000 + 2000)."""
    text = sheet(case([("paracetamol", paracetamol_mg), ("co-codamol 30/500 1 tab qds", None)]),
                 "med_acetaminophen", lang, profile=profile)
    _leads_with_together_and_says_the_dose_under_it(text, lang, "which")
    total = paracetamol_mg + 2000
    assert f"{total} mg" in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_paracetamol_twice_at_the_maximum_keeps_the_together_box_alone(profile, lang):
    text = sheet(case([("paracetamol", 2000), ("co-codamol 30/500 1 tab qds", None)]),
                 "med_acetaminophen", lang, profile=profile)
    w = WORDS[lang]
    assert w["together"] in text and w["which"] in text
    assert w["over"] not in text and w["too_high"] not in text and w["ceiling"] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile, mg, over", [
    ("uk", 2399, False), ("uk", 2400, False), ("uk", 2401, True), ("uk", 3200, True),
    ("us", 3199, False), ("us", 3200, False), ("us", 3201, True)])
def test_two_nsaids_with_one_above_its_maximum(profile, mg, over, lang):
    text = sheet(case([("ibuprofen", mg), NAPROXEN]), "med_nsaid", lang, profile=profile)
    w = WORDS[lang]
    assert w["together"] in text and w["which"] in text
    assert w["too_high"] not in text and w["ceiling"] not in text
    if over:
        _leads_with_together_and_says_the_dose_under_it(text, lang, "which")
        assert f"{mg} mg" in text
    else:
        assert w["over"] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("mg, over", [(400, False), (401, True), (600, True)])
def test_two_opioids_with_one_above_its_maximum_lead_with_one_plan_said_once(mg, over, profile, lang):
    """Two different opioids (rt19 F4, gp18 F2): the together box asks how to go on to one plan and
    not to stop either suddenly; above the maximum, the dose is said under it, and "do not stop it or
    cut it down all at once" is not said a second time."""
    text = sheet(case([("tramadol", mg), ("oxycodone 10mg bd", 20)]), "med_opioid", lang, profile=profile)
    w = WORDS[lang]
    assert w["together"] in text and w["plan"] in text
    assert w["too_high"] not in text and w["ceiling"] not in text
    if over:
        _leads_with_together_and_says_the_dose_under_it(text, lang, "plan")
    else:
        assert w["over"] not in text
    assert w["not_all_at_once"] not in text


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_clinician_is_told_the_together_box_leads_and_the_dose_is_said_under_it(profile):
    req = h.request_for_case(case([("paracetamol", 4000), ("co-codamol 30/500 1 tab qds", None)]), AS_OF,
                             clinic_name="Clinic", clinic_contact="555", sheets=["med_acetaminophen"],
                             profile=profile)
    notes = " ".join(h.dose_notices(req))
    assert "which one to keep taking" in notes
    generic = "paracetamol" if profile == "uk" else "acetaminophen"  # the profile's name for it
    assert f"also above the maximum ({generic} 6000 mg a day, above this patient's maximum of 4000 mg a day)" in notes
    assert "no \"take no more than\" from now on" in notes
    assert "tells them to take no more than the maximum from now on" not in notes
