"""Two opioids on one sheet: the daily amount says which medicine it counts, and they are "them"
(gp19 F9, H-MED-342).

Before: "You take fentanyl 25mcg/h patch and codeine 30mg qds (120 mg a day in all)": the 120 mg is
the codeine's alone, read as the total of the patch and the codeine; the pregnancy box of a
buprenorphine patch and tramadol said "Do not stop it suddenly: if it needs to stop".

Source of what the box says (unchanged, only its grammar and the amount's subject): FDA Drug Safety
Communication, 9 April 2019 (fda-opioid-tapering-2019): do not abruptly discontinue opioids in a
physically dependent patient. Boundaries: one product keeps "(120 mg a day in all)" and "it".
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case


def _opioid_sheet(meds, lang, weeks=None):
    c = case([(m, None) for m in meds], weeks=weeks)
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"],
                             confirm_unrecognised=True)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


@pytest.mark.parametrize("lang,said,not_said", [
    # plainwords (H-MED-647): "qds" in plain words, before the sentence's own bracket without a comma
    ("en", "fentanyl 25mcg/h patch and codeine 30mg four times a day (codeine 120 mg a day)", "(120 mg a day in all)"),
    ("es", "fentanilo 25mcg/h patch y codeína 30mg cuatro veces al día (codeína: 120 mg al día)",
     "(120 mg al día en total)")])
def test_a_patch_and_a_tablet_the_amount_names_the_medicine_it_counts(lang, said, not_said):
    text = _opioid_sheet(["fentanyl 25mcg/h patch", "codeine 30mg qds"], lang)
    assert said in text
    assert not_said not in text


@pytest.mark.parametrize("lang,said", [("en", "codeine 30mg four times a day (120 mg a day in all)"),
                                       ("es", "codeína 30mg cuatro veces al día (120 mg al día en total)")])
def test_one_product_alone_keeps_its_daily_amount_in_all(lang, said):
    # the codeine alone on the sheet (the diazepam is the reason it asks, not a second product)
    text = _opioid_sheet(["codeine 30mg qds", "diazepam 5mg tds"], lang)
    assert said in text


@pytest.mark.parametrize("lang,them,it", [
    ("en", "Do not stop them suddenly: if they need to stop, your clinician will lower them step by step.",
     "Do not stop it suddenly: if it needs to stop"),
    ("es", "No los deje de golpe: si hay que dejarlos, su profesional se los bajará paso a paso.",
     "No lo deje de golpe: si hay que dejarlo")])
def test_two_opioids_in_pregnancy_are_them(lang, them, it):
    text = _opioid_sheet(["buprenorphine 10mcg/h patch", "tramadol 50mg qds"], lang, weeks=31)
    assert them in text and it not in text


@pytest.mark.parametrize("lang,it", [("en", "Do not stop it suddenly: if it needs to stop"),
                                     ("es", "No lo deje de golpe: si hay que dejarlo")])
def test_one_opioid_in_pregnancy_stays_it(lang, it):
    text = _opioid_sheet(["codeine 30mg qds"], lang, weeks=31)
    assert it in text


def test_every_new_wording_has_a_spanish_form():
    for key in ("product_dose_strength_of", "pregnancy_keep_taper_them", "pregnancy_ask_them",
                "others_not_suddenly", "not_suddenly_heading", "not_suddenly_heading_them", "not_suddenly_box",
                "not_suddenly_box_them"):
        assert h.tr("es", key, name="x", current="1", generic="y", others="z")
