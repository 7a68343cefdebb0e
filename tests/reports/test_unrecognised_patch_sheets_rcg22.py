"""An unrecognised non-opioid patch beside a tablet opioid (rt23 F2; H-MED-397).

Before: "nicotine patch 21mg" (or "HRT patch", "Td vaccine") beside codeine 30mg tablets made the
codeine sheet "Your medicine: a strong pain patch (opioid)": its "Do not take more than ... in a day"
line was gone, it said "Change your patch only as often as your prescriber says", and the sciatica
sheet told the smoker "You wear a pain patch ... This can cause an overdose and death."

Now whether a medicine sheet is a patch sheet follows the patient's own medicine of that sheet: a
name not recognised but written as a patch only withholds the heat advice of the sciatica and
exercise sheets, said as a condition ("If you wear a pain patch"), and is named to the clinician.
A real fentanyl patch (Fentalis 25) beside the codeine still makes the opioid sheet the patch sheet.

Primary source for the heat advice kept off: the fentanyl transdermal label (fentanyl-patch-label,
Duragesic, section 5.x "Risks of Use in Patients ... Exposure to heat"): "Exposure to heat may
increase fentanyl absorption and there have been reports of fatal overdose" (resources/handouts
sources); the nicotine or HRT patch is no opioid, so nothing from that label belongs on the
codeine sheet.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

DAILY_LIMIT_EN = "Do not take more than the amount on its label or your prescriber's instructions in a day"
CHANGE_PATCH_EN = "Change your patch only as often as your prescriber says"
WEAR_EN = "You wear a pain patch"
IF_WEAR_EN = "If you wear a pain patch, heat on or near the patch"
IF_WEAR_ES = "Si lleva un parche para el dolor, el calor sobre el parche"
WEAR_ES = "Usted lleva un parche para el dolor"
HEAT_PAD_EN = "Use a heat pad, a warm bath or a warm shower"
PATCH_TITLE = "Your medicine: a strong pain patch (opioid)"
PILLS_TITLE = "Your medicine: strong pain pills (opioids)"

NON_OPIOID_PATCHES = ["nicotine patch 21mg", "HRT patch", "estradiol 50 micrograms/24 hours patch"]


def _sheets(meds, lang="en", sheets=("med_opioid", "about_sciatica", "exercise_plan")):
    req = h.request_for_case(case(meds), AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=list(sheets), confirm_unrecognised=True)
    return req, {s.id: s for s in h.filled_sheets(req)}


def _text(sheet):
    return " ".join(hc.plain_text(sheet).split())


@pytest.mark.parametrize("patch", NON_OPIOID_PATCHES)
def test_codeine_tablets_keep_the_tablet_sheet_and_its_daily_limit(patch):
    req, sheets = _sheets([("codeine 30mg tablets", 120.0), (patch, None)])
    assert req.unrecognised_patch and not req.opioid_patch
    opioid = sheets["med_opioid"]
    text = _text(opioid)
    assert opioid.title == PILLS_TITLE
    assert DAILY_LIMIT_EN in text and CHANGE_PATCH_EN not in text
    assert "keep taking your codeine 30mg tablets" in text
    assert "A pain patch gives the medicine through your skin" not in text


@pytest.mark.parametrize("patch", NON_OPIOID_PATCHES)
def test_the_sciatica_sheet_says_the_patch_as_a_condition_and_keeps_heat_off(patch):
    _req, sheets = _sheets([("codeine 30mg tablets", 120.0), (patch, None)])
    text = _text(sheets["about_sciatica"]) + " " + _text(sheets["exercise_plan"])
    assert HEAT_PAD_EN not in text
    assert IF_WEAR_EN in text and WEAR_EN not in text
    assert "if you wear a pain patch, never put heat on or near it" in text


def test_in_spanish_the_condition_too():
    _req, sheets = _sheets([("codeine 30mg tablets", 120.0), ("nicotine patch 21mg", None)], lang="es",
                           sheets=("about_sciatica", "med_opioid"))
    text = _text(sheets["about_sciatica"])
    assert IF_WEAR_ES in text and WEAR_ES not in text
    assert "parche" not in sheets["med_opioid"].title.lower()


def test_co_codamol_beside_a_nicotine_patch_is_a_tablet_sheet():
    req, sheets = _sheets([("co-codamol 30/500", 8000.0), ("nicotine patch 21mg", None)], sheets=("med_opioid",))
    opioid = sheets["med_opioid"]
    assert opioid.title == PILLS_TITLE and CHANGE_PATCH_EN not in _text(opioid)


def test_a_real_fentanyl_patch_beside_codeine_still_makes_the_patch_sheet():
    req, sheets = _sheets([("codeine 30mg tablets", 120.0), ("Fentalis 25", None), ("nicotine patch 21mg", None)])
    assert req.opioid_patch
    # a patch beside codeine tablets: the patch sheet for both, titled for both (rt24 F5, sht23)
    assert sheets["med_opioid"].title == "Your medicines: a strong pain patch and other strong painkillers (opioids)"
    assert CHANGE_PATCH_EN in _text(sheets["med_opioid"])
    text = _text(sheets["about_sciatica"])
    assert WEAR_EN in text and HEAT_PAD_EN not in text  # a real patch: said as a fact


def test_without_any_patch_the_sheets_are_as_before():
    req, sheets = _sheets([("codeine 30mg tablets", 120.0)])
    assert not req.opioid_patch and not req.unrecognised_patch
    assert HEAT_PAD_EN in _text(sheets["about_sciatica"]) and sheets["med_opioid"].title == PILLS_TITLE


def test_the_clinician_note_says_no_medicine_sheet_becomes_a_patch_sheet():
    req, _ = _sheets([("codeine 30mg tablets", 120.0), ("nicotine patch 21mg", None)])
    note = h.unrecognised_note(req.unrecognised)
    assert "no medicine sheet becomes a patch sheet" in note and "the patch box" not in note


def test_the_possible_wording_needs_a_patch_section():
    import tomllib

    raw = tomllib.loads('''id = "x"
title = "T"
audience = "patient"
lang = "en"
reviewed = 2026-12-01
sources = ["nice-ng59"]
[[sections]]
heading = "H"
paragraphs = ["p"]
possible_paragraphs = ["q"]
''')
    with pytest.raises(hc.HandoutFormatError, match="possible_paragraphs and possible_bullets need opioid_patch"):
        hc.parse_sheet(raw)
