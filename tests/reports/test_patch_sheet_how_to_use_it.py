"""A patch wearer's opioid sheet says how a patch is used, never a daily tablet count (fxi20
leftover; H-MED-368).

Before: the patch sheet (and the possible-patch sheet, "fentanyl 25" with no form) kept the
tablet section "How to take it" with "Do not take more than the amount on its label or your
prescriber's instructions in a day" and "while you take it" (es: "Cómo tomarlo", "No tome más de
... al día").

Primary source: MHRA Drug Safety Update, October 2018, "Transdermal fentanyl patches:
life-threatening and fatal opioid toxicity from accidental exposure, particularly in children"
(gov.uk, read with the search tool; mhra-fentanyl-patches-2018): "always fully inform patients and
their caregivers about directions for safe use for fentanyl patches, including the importance of:
not exceeding the prescribed dose; following the correct frequency of patch application ...; not
cutting patches ...; ensuring that old patches are removed before applying a new one". For a
buprenorphine patch the same advice is given ([unverified] against the Butrans/Butec label).

Boundaries: a patch (fentanyl, buprenorphine brands), a possible patch (no form), and tablets of
the same opioid ("fentanyl 100mcg tablets" is not a patch; codeine, oxycodone) keep "How to take
it"; en and es; a patch worn with an opioid tablet (the sheet is the patch wearer's).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.reports.test_contraindicated_words_agree import AS_OF, case

W = {
    "en": {"patch_heading": "How to use it", "pill_heading": "How to take it",
           "change": "Change your patch only as often as your prescriber says.",
           "old_off": "Take the old patch off before you put on a new one.",
           "never_more": "Never wear more patches than your prescriber says, and do not cut a patch.",
           "in_a_day": "in a day", "take_more": "Do not take more than",
           "drive": "until you know how it affects you", "drive_several": "until you know how they affect you", "drive_pill": "while you take it",  # taken now: gp21 F9 (sht23)
           "keep_using": "keep using your", "keep_taking": "keep taking your"},
    "es": {"patch_heading": "Cómo usarlo", "pill_heading": "Cómo tomarlo",
           "change": "Cambie el parche solo con la frecuencia que le indique quien se lo recetó.",
           "old_off": "Quítese el parche viejo antes de ponerse uno nuevo.",
           "never_more": "No lleve nunca más parches de los que le indique quien se lo recetó, y no corte ningún parche.",
           "in_a_day": "al día.", "take_more": "No tome más de",
           "drive": "hasta saber cómo le afecta", "drive_several": "hasta saber cómo le afectan", "drive_pill": "mientras lo toma",
           "keep_using": "siga usando su", "keep_taking": "siga tomando su"},
}


def _opioid_sheet(meds, lang):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"],
                             confirm_unrecognised=True)
    [sheet] = h.filled_sheets(req)
    return sheet, " ".join(hc.plain_text(sheet).split())


def _dose_section(sheet, lang):
    return [s for s in sheet.sections if s.heading in (W[lang]["patch_heading"], W[lang]["pill_heading"])]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [["fentanyl 25 mcg/h patch"], ["Fentalis 25"], ["BuTrans 5"], ["butrans 10 microgram/hour patch"],
                                  ["fentanyl 25"],  # a possible patch: printed as one (rt21 F4)
                                  ["fentanyl 25 mcg/h patch", "oxycodone 10mg bd"]])
def test_a_patch_sheet_says_how_to_use_the_patch_never_a_daily_tablet_count(meds, lang):
    sheet, text = _opioid_sheet(meds, lang)
    w = W[lang]
    [section] = _dose_section(sheet, lang)
    assert section.heading == w["patch_heading"]
    section_text = " ".join((*section.paragraphs, *section.bullets, *section.after))
    assert w["take_more"] not in section_text and w["in_a_day"] not in section_text
    # words33 (H-UI-522): a patch beside oxycodone is two medicines: "how they affect you"
    drive = "drive" if len(meds) == 1 else "drive_several"
    for key in ("change", "old_off", "never_more", drive):
        assert w[key] in text
    assert w["pill_heading"] not in text and w["drive_pill"] not in text
    assert "mhra-fentanyl-patches-2018" in sheet.sources


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [["fentanyl 100mcg tablets"], ["codeine 30mg qds"], ["oxycodone 5mg qds"]])
def test_opioid_tablets_keep_how_to_take_it(meds, lang):
    sheet, text = _opioid_sheet(meds, lang)
    w = W[lang]
    [section] = _dose_section(sheet, lang)
    assert section.heading == w["pill_heading"]
    assert w["take_more"] in " ".join(section.paragraphs)
    for key in ("change", "old_off", "never_more"):
        assert w[key] not in text
    assert w["patch_heading"] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_patch_sheet_asked_about_first_keeps_the_patch_section(lang):
    """At 33 weeks with diazepam (rated avoid together), the ask-first box renames the dose
    section "Before your next dose"; the patch's own words stay, and no daily count comes back."""
    c = case([("fentanyl 25 mcg/h patch", None), ("diazepam 5mg tds", 15)], 33)
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"],
                             confirm_unrecognised=True)
    [sheet] = h.filled_sheets(req)
    text = " ".join(hc.plain_text(sheet).split())
    w = W[lang]
    assert w["take_more"] not in text and w["pill_heading"] not in text
    assert w["never_more"] in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name, patch", [("fentanyl 25 mcg/h patch", True), ("BuTrans 5", True), ("fentanyl 25", True),
                                         ("fentanyl 100mcg tablets", False)])
def test_the_dose_line_of_a_patch_says_keep_using_it(name, patch, lang):
    """"Your dose: keep using your fentanyl 25 mcg/h patch as prescribed" (a patch is worn, not
    taken); a tablet of the same opioid keeps "keep taking"."""
    _, text = _opioid_sheet([name], lang)
    w = W[lang]
    if patch and name.startswith("fentanyl 25"):
        # 25 mcg/h x 2.4 = 60 MME/day: the high-dose sheet (mme21), still "use", never "take";
        # "fentanyl 25" with no form is counted as a 25 mcg/h patch too (mmx22, gp21 F1)
        es_name = name.replace("fentanyl", "fentanilo")
        assert (f"use your {name} as prescribed, and do not change the dose" if lang == "en" else
                f"use su {es_name} como se lo recetaron") in " ".join(text.split())
        assert w["keep_taking"] not in text
    elif patch:
        assert w["keep_using"] in text and w["keep_taking"] not in text
    else:
        assert w["keep_using"] not in text
