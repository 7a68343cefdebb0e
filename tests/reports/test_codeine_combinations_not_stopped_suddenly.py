"""A codeine combination is never stopped at once: with chosen sheets, paper still says so (rt22 F8;
H-MED-373).

Before: "co-codamol 30/500 2 qds", "Zapain 30/500 2 qds" and "nurofen plus 200/12.8 2 tabs qds" were
not on the never-stopped-at-once list (every ingredient had to be in the taper data), so with only the
sciatica sheet, or only the NSAID or paracetamol sheet, chosen, no sheet said not to stop them
suddenly; "codeine 30mg qds" with the same choice did get the general box.

Primary source (resources/medicines/sources.toml, fda-opioid-tapering-2019; classes.toml
[stop_gradually.opioid]): FDA Drug Safety Communication, 9 April 2019: "FDA identifies harm reported
from sudden discontinuation of opioid pain medicines and requires label changes to guide prescribers on
gradual, individualized tapering" - in a patient who is physically dependent, a sudden stop or a rapid
cut risks serious withdrawal, uncontrolled pain, psychological distress and suicide.

Boundaries: a medicine with no ingredient in the taper data (ibuprofen, paracetamol) gets no box; the
opioid sheet printed says it itself (no second box); a sheet that says "Do not take it" and asks for
the codeine to be replaced (uk, 31 weeks) gets no "Do not stop it suddenly" beside it.
"""

from __future__ import annotations

import re

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

BOX = {"en": "Do not stop it suddenly: your clinician will plan any change.",
       "es": "No lo deje de golpe: su profesional planeará cualquier cambio."}
HEADING = {"en": "Do not stop it suddenly", "es": "No lo deje de golpe"}
COMBINATIONS = ["co-codamol 30/500 2 qds", "Zapain 30/500 2 qds", "nurofen plus 200/12.8 2 tabs qds"]


def _sheets(meds, lang, sheets, weeks=None, profile="uk"):
    req = h.request_for_case(case([(m, None) for m in meds], weeks), AS_OF, clinic_name="Clinic",
                             clinic_contact="555", lang=lang, sheets=sheets, profile=profile)
    return req, h.filled_sheets(req)


def _general_box(filled, lang):
    return [sec for s in filled for sec in s.sections if sec.heading == HEADING[lang]]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("med", COMBINATIONS)
def test_a_codeine_combination_gets_the_box_with_only_the_sciatica_sheet(med, lang):
    req, filled = _sheets([med], lang, ["about_sciatica"])
    # plainwords (H-MED-647): "qds" in plain words; in brackets as a name, after a comma at the box's sentence end
    words = {"en": "four times a day", "es": "cuatro veces al día"}[lang]
    name = med.lower().removesuffix(" qds")
    # sheets36 (H-MED-740/741): the count in full words; a bare count after a combination's strength as tablets of it
    name = re.sub(r" (\S+/\S+) 2$", {"en": r" 2 tablets of \1", "es": r" 2 comprimidos de \1"}[lang], name)
    name = name.replace(" 2 tabs", {"en": " 2 tablets", "es": " 2 comprimidos"}[lang])
    assert [n for n, _g in req.never_stopped_at_once] == [f"{name} ({words})"]
    [box] = _general_box(filled, lang)
    assert BOX[lang] in " ".join(box.paragraphs) and f"{name}, {words}." in " ".join(box.paragraphs)


@pytest.mark.parametrize("med,sheet", [("nurofen plus 200/12.8 2 tabs qds", "med_nsaid"),
                                       ("co-codamol 30/500 2 qds", "med_acetaminophen")])
def test_the_other_ingredients_sheet_alone_gets_the_box(med, sheet):
    _req, filled = _sheets([med], "en", [sheet])
    assert len(_general_box(filled, "en")) == 1


@pytest.mark.parametrize("med", COMBINATIONS)
def test_the_opioid_sheet_says_it_itself_and_no_second_box(med):
    _req, filled = _sheets([med], "en", ["about_sciatica", "med_opioid"])
    assert _general_box(filled, "en") == []
    text = " ".join(" ".join(hc.plain_text(s).split()) for s in filled)
    assert "Do not stop it suddenly" in text


@pytest.mark.parametrize("med", ["ibuprofen 400mg tds", "paracetamol 1g qds"])
def test_no_box_for_a_medicine_without_a_tapered_ingredient(med):
    req, filled = _sheets([med], "en", ["about_sciatica"])
    assert req.never_stopped_at_once == () and _general_box(filled, "en") == []


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [29, 30, 31])
def test_do_not_take_it_with_a_replacement_gets_no_contradicting_box(weeks, lang):
    """uk: NSAIDs are contraindicated from 28 weeks (MHRA); from 30 weeks the sheet says "Do not take
    it" and asks for the codeine to be replaced so it is not stopped all at once."""
    _req, filled = _sheets(["nurofen plus 200/12.8 2 tabs qds"], lang, ["med_nsaid"], weeks=weeks)
    text = " ".join(" ".join(hc.plain_text(s).split()) for s in filled)
    replacement = {"en": "so the codeine is not stopped all at once", "es": "codeína"}[lang]
    if "Do not take it" in text or "No lo tome" in text:
        assert replacement in text and _general_box(filled, lang) == []
    else:
        assert len(_general_box(filled, lang)) == 1


def test_at_31_weeks_uk_the_nsaid_sheet_stops_and_asks_for_a_replacement():
    _req, filled = _sheets(["nurofen plus 200/12.8 2 tabs qds"], "en", ["med_nsaid"], weeks=31)
    text = " ".join(" ".join(hc.plain_text(s).split()) for s in filled)
    assert "Do not take it" in text and "so the codeine is not stopped all at once" in text
    assert _general_box(filled, "en") == []
