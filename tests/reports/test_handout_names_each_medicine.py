"""Every medicine sheet names exactly the medicines this patient takes, never another of its
class (hd16; rd13 D9 did it for the steroid sheet only).

Found by proofreading the printed sheets: a patient taking naproxen alone got a sheet titled
"anti-inflammatory pain pills (ibuprofen, naproxen)" opening "Ibuprofen and naproxen are ...";
a tizanidine patient read "Cyclobenzaprine is a muscle relaxant"; an oxycodone patient read
"opioids, such as tramadol"; a patient taking prednisolone AND dexamethasone got a steroid
sheet naming prednisolone alone, so the dexamethasone was on no sheet. Now the title gives the
class only ("Your medicine: anti-inflammatory pain pills"), the sheet opens "This sheet is
about <the medicine(s) taken>." and the dose line names each one taken.

The members are read from the medicine data (classes.toml), not listed here: a member added
there is covered. The "Do not mix it with" list may name others of the class as things NOT to
add (ibuprofen, naproxen or aspirin bought over the counter); that is where they belong.
"""

from __future__ import annotations

import re

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from .test_handout_steroid_class_caution import AS_OF, case

#: sheet -> the class in the medicine data whose members it covers
CLASSES = {"med_nsaid": "nsaid", "med_gabapentinoid": "gabapentinoid", "med_opioid": "opioid",
           "med_muscle_relaxant": "muscle_relaxant", "med_oral_steroid": "systemic_corticosteroid"}
TREATMENT = {v: k for k, v in hc.MEDICINE_SHEETS.items()}
OPENING = {"en": "This sheet is about {medicine}.", "es": "Esta hoja trata de su medicación: {medicine}."}


def members(cls: str) -> list[str]:
    return sorted(load_medicine_data().class_members[cls])


def named(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def sheet_for(meds, sheet_id: str, lang: str = "en"):
    c = case(meds, tried=(TREATMENT[sheet_id],))
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=(sheet_id,), confirm_unrecognised=True)
    (sheet,) = h.filled_sheets(req)
    return sheet, req


def who_it_names(sheet: hc.HandoutSheet, cls: str) -> dict[str, list[str]]:
    """Members of ``cls`` named in the title, the opening paragraph and the dose line."""
    what_for = sheet.sections[0].paragraphs[0]
    dose = next(p for s in sheet.sections for p in s.paragraphs if p.startswith(("Your dose:", "Su dosis:")))
    return {part: [m for m in members(cls) if named(text, m)]
            for part, text in (("title", sheet.title), ("opening", what_for), ("dose", dose))}


@pytest.mark.parametrize("sheet_id", sorted(CLASSES))
def test_no_title_names_a_medicine_of_its_class(sheet_id):
    for lang in hc.LANGUAGES:
        title = hc.load_sheet(sheet_id, lang).title
        assert "{" not in title  # the handout dialog lists titles unfilled
        assert [m for m in members(CLASSES[sheet_id]) if named(title, m)] == [], (sheet_id, lang, title)


@pytest.mark.parametrize("sheet_id, cls", sorted(CLASSES.items()))
def test_one_medicine_taken_the_sheet_names_it_and_no_other_of_its_class(sheet_id, cls):
    printed = []
    for member in members(cls):
        try:
            sheet, req = sheet_for([(member, None)], sheet_id)
        except h.UserError:
            continue  # the medicine check gives this member no sheet for this patient (e.g. avoid)
        printed.append(member)
        parts = who_it_names(sheet, cls)
        assert parts["title"] == [], (member, sheet.title)
        assert parts["opening"] == [member], (member, sheet.sections[0].paragraphs[0])
        assert parts["dose"] == [member], member
        assert sheet.sections[0].paragraphs[0].startswith(OPENING["en"].format(medicine=member)), member
    # the members the sheet's rows dose, at least, print: the test is not vacuous
    assert len(printed) >= 2, (sheet_id, printed)


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("sheet_id, meds, names", [
    ("med_nsaid", [("naproxen", 500)], {"en": "naproxen", "es": "naproxeno"}),
    ("med_nsaid", [("ibuprofen", 1200)], {"en": "ibuprofen", "es": "ibuprofeno"}),
    ("med_gabapentinoid", [("pregabalin", 150)], {"en": "pregabalin", "es": "pregabalina"}),
    ("med_opioid", [("oxycodone", 20)], {"en": "oxycodone", "es": "oxicodona"}),
    ("med_muscle_relaxant", [("tizanidine", 6)], {"en": "tizanidine", "es": "tizanidina"}),
])
def test_the_printed_sheet_opens_with_the_patients_own_medicine(sheet_id, meds, names, lang):
    sheet, _ = sheet_for(meds, sheet_id, lang)
    assert sheet.sections[0].paragraphs[0].startswith(OPENING[lang].format(medicine=names[lang]))
    text = " ".join(hc.plain_text(sheet).split())
    # the NSAID sheet opened "Ibuprofen and naproxen are ..." whatever the patient took
    assert "Ibuprofen and naproxen are" not in text and "El ibuprofeno y el naproxeno son" not in text


@pytest.mark.parametrize("lang", hc.LANGUAGES)
def test_two_medicines_of_one_sheet_taken_both_are_named_with_each_dose(lang):
    """Two opioids: the sheet named the first alone and said "keep taking tramadol 200 mg a day",
    leaving the oxycodone off. Since opi18 two different opioids are rated avoid together (CDC
    2022): the sheet opens with the box naming both with their doses, then names both again."""
    sheet, req = sheet_for([("tramadol", 200), ("oxycodone", 20)], "med_opioid", lang)
    names = ("tramadol", "oxycodone") if lang == "en" else ("tramadol", "oxicodona")
    and_ = "and" if lang == "en" else "y"
    opening = next(p for sec in sheet.sections for p in sec.paragraphs
                   if p.startswith(OPENING[lang].split("{")[0]))
    assert opening.startswith(OPENING[lang].format(medicine=f"{names[0]} {and_} {names[1]}"))
    box = sheet.sections[0].paragraphs[0]
    day = "mg a day" if lang == "en" else "mg al día"
    assert f"{names[0]} 200 {day}" in box and f"{names[1]} 20 {day}" in box


def test_a_second_medicine_above_its_maximum_is_boxed_not_dropped():
    """Two medicines of one sheet, the second recorded above its maximum (tramadol 600 mg a day,
    label maximum 400, after oxycodone): the box names tramadol's dose above its maximum, and the
    dose line names both (the first alone would hide the excess)."""
    sheet, req = sheet_for([("oxycodone", 20), ("tramadol", 600)], "med_opioid")
    dose = req.doses["opioid"]
    # two different opioids are rated avoid together since opi18, stronger than tramadol's Reduce
    # dose: since fxl20 the together box leads (no too-high box of its own) and says the tramadol
    # dose under it, so the excess is still named; the dose line never says "keep taking" either
    assert dose.above_max is None and dose.together_box is not None
    assert "tramadol 600 mg a day now: that is also more than the most for you (400 mg a day)" in dose.together_box
    assert "oxycodone 20 mg a day" in dose.together_box and "should not be taken together" in dose.together_box
    assert "keep taking" not in dose.dose_range.replace("which one to keep taking", "")


@pytest.mark.parametrize("sheet_id, cls", sorted(CLASSES.items()))
def test_every_member_of_a_sheets_class_has_a_spanish_name(sheet_id, cls):
    """A sheet naming the medicine taken is refused where the name has no Spanish wording (never
    printed with the English name or another medicine's): each member has one, so a Spanish
    sheet is not lost for a patient on, say, tizanidine."""
    es = h.dose_wording("es")[0]
    assert [m for m in members(cls) if m not in es] == []


@pytest.mark.parametrize("member", members("muscle_relaxant"))
def test_a_spanish_muscle_relaxant_sheet_names_each_member_in_spanish(member):
    sheet, _ = sheet_for([(member, None)], "med_muscle_relaxant", "es")
    spanish = h.dose_wording("es")[0][member]
    assert sheet.sections[0].paragraphs[0].startswith(OPENING["es"].format(medicine=spanish))
