"""sheet3 (round 31, tryout31 D2, D3, D4, D7, D9): patient sheets for paracetamol far above its maximum beside
co-codamol, the pairs that really clash, every-other-day tramadol, and methotrexate written more than once a week.

H-MED-651: one product (or the products' total) far above the label maximum wins over "which one to keep taking".
H-MED-652: tramadol clashes with the codeine of co-codamol, never with plain paracetamol: the sheet names that pair.
H-MED-653: "tramadol 50 mg días alternos" beside co-codamol is "tramadol 50 mg every other day", never "25 mg a day".
H-MED-654: a sheet naming methotrexate written on more than one day a week asks the patient to check it is taken
once a week (MHRA 2020) and never repeats the regimen as if right.
H-UI-509: the handout dialog's label for that paracetamol sheet is "dose to check: far above the maximum".
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import AS_OF, case, sheet_text

GP_LIST = [("paracetamol 16000 mg/day", None), ("tramadol 50 mg días alternos", None),
           ("methotrexate 2.5mg twice weekly", None), ("co-codamol 30/500 3 x 4", None),
           ("ibuprofen 400mg tds", None), ("apixaban 5mg bd", None)]
FAR_EN = "Contact your prescriber or pharmacist today, before your next dose."
FAR_ES = "Hable hoy mismo con su profesional o su farmacéutico"


def _c(meds):
    return case(meds=meds, tried=["acetaminophen", "opioid", "nsaid"])


# --------------------------------------------------------------------------- H-MED-651 / H-UI-509
@pytest.mark.parametrize("lang, far_words", [("en", FAR_EN), ("es", FAR_ES)])
def test_far_above_maximum_box_wins_beside_co_codamol(lang, far_words):
    text = sheet_text(_c(GP_LIST), "med_acetaminophen", lang=lang)
    assert far_words in text
    assert "which one to keep taking" not in text and "cuál seguir tomando" not in text
    # the 16 g is never printed as her dose in the together wording
    assert "(acetaminophen 16000 mg a day)" not in text and "(paracetamol 16000 mg al día)" not in text
    if lang == "en":
        # words33 (H-MED-693): the unread "3 x 4" is not printed as if it were her dose
        assert "Your co-codamol 30/500 also has acetaminophen in it: ask about it at the same time." in text
        assert "Do not take any more of it until they have checked your dose." in text


@pytest.mark.parametrize("paracetamol, co_codamol, far", [
    (2000, 2000, False),   # 4000 mg in all: at the maximum
    (2001, 2000, False),   # 4001: above the maximum, not far above
    (8000, 4000, False),   # 12000: at the slip bound (3 times the maximum)
    (8001, 4000, True),    # 12001: far above, only as the total of the two products
])
def test_total_across_two_products_far_above_the_maximum(paracetamol, co_codamol, far):
    c = case(meds=[("paracetamol 500mg", paracetamol), ("co-codamol 30/500", co_codamol)], tried=["acetaminophen"])
    en = sheet_text(c, "med_acetaminophen")
    es = sheet_text(c, "med_acetaminophen", lang="es")
    label = h.sheet_status_words("Reduce dose", h.doses_from_engine(c, AS_OF, "en")["acetaminophen"])
    if far:
        total = paracetamol + co_codamol
        assert f"Your record says you take acetaminophen {total} mg a day. That is your paracetamol 500mg and " \
               f"co-codamol 30/500 added together." in en
        assert FAR_EN in en and FAR_ES in es
        assert f"Es la suma de su paracetamol 500mg y co-codamol 30/500." in es
        assert "which one to keep taking" not in en
        assert label == "dose to check: far above the maximum"
    else:
        assert FAR_EN not in en and FAR_ES not in es
        assert "which one to keep taking" in en
        assert label != "dose to check: far above the maximum"


def test_dialog_label_for_the_gp_list_says_far_above_the_maximum():
    doses = h.doses_from_engine(_c(GP_LIST), AS_OF, "en")
    assert h.sheet_status_words("Reduce dose", doses["acetaminophen"]) == "dose to check: far above the maximum"


# --------------------------------------------------------------------------- H-MED-652
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sheets_name_the_pairs_that_clash_through_co_codamol(lang):
    meds = [("paracetamol 500mg", 2000), ("co-codamol 30/500", 2000), ("tramadol 50mg bd", None)]
    c = _c(meds)
    para = sheet_text(c, "med_acetaminophen", lang=lang)
    opioid = sheet_text(c, "med_opioid", lang=lang)
    if lang == "en":
        assert "Also ask whether to keep taking your co-codamol 30/500 at all: it should not be taken with your " \
               "tramadol 50mg, twice a day." in para  # plainwords: the regimen in plain words on a patient sheet
        assert "they should not be taken with your tramadol" not in para
        assert "it should not be taken with your paracetamol 500mg." in opioid
        assert "they should not be taken with your paracetamol" not in opioid
    else:
        assert "Pregunte también si debe seguir tomando su co-codamol 30/500: no debe tomarse junto con su " \
               "tramadol 50mg, dos veces al día." in para
        assert "no deben tomarse con su tramadol" not in para
        assert "no deben tomarse con su paracetamol" not in opioid


def test_the_clinicians_note_names_the_pair_too():
    doses = h.doses_from_engine(_c([("paracetamol 500mg", 2000), ("co-codamol 30/500", 2000),
                                    ("tramadol 50mg bd", None)]), AS_OF, "en")
    assert doses["acetaminophen"].together_pairs == (("co-codamol 30/500", "tramadol 50mg bd"),)
    assert doses["acetaminophen"].avoid.startswith("co-codamol 30/500 with tramadol 50mg bd: Two different opioids")
    assert doses["opioid"].together_pairs == (("co-codamol 30/500", "paracetamol 500mg"),)


# --------------------------------------------------------------------------- H-MED-653
@pytest.mark.parametrize("lang, said, never", [("en", "You take tramadol 50 mg every other day and co-codamol",
                                                  "25 mg a day"),
                                                 ("es", "Usted toma tramadol 50 mg en días alternos y co-codamol",
                                                  "25 mg al día")])
def test_every_other_day_tramadol_in_the_two_opioid_box(lang, said, never):
    text = sheet_text(_c(GP_LIST), "med_opioid", lang=lang)
    assert said in text
    assert never not in text


def test_a_daily_tramadol_in_the_two_opioid_box_keeps_its_daily_amount():
    # boundary: "bd" is every day: the day's amount is a true daily figure
    text = sheet_text(_c([("tramadol 50mg bd", None), ("co-codamol 30/500", 2000)]), "med_opioid")
    assert "tramadol 50mg twice a day (tramadol 100 mg a day)" in text  # plainwords: "bd" in plain words


# --------------------------------------------------------------------------- H-MED-654
@pytest.mark.parametrize("lang, heading, ask, never", [
    ("en", "Check how often you take methotrexate",
     "check with your prescriber or pharmacist that you take it once a week", "2.5mg twice weekly"),
    ("es", "Compruebe cada cuánto toma metotrexato",
     "compruebe con quien se lo recetó o con su farmacéutico que lo toma una vez por semana", "twice weekly"),
])
@pytest.mark.parametrize("sheet", ["med_nsaid", "med_acetaminophen"])
def test_methotrexate_more_than_once_a_week_is_asked_about_on_every_sheet_naming_it(lang, heading, ask, never,
                                                                                  sheet):
    text = sheet_text(_c(GP_LIST), sheet, lang=lang)
    assert heading in text and ask in text
    assert never not in text


@pytest.mark.parametrize("name", ["methotrexate 2.5mg od", "methotrexate 2.5mg twice weekly"])
def test_methotrexate_written_daily_or_twice_weekly_gets_the_box(name):
    text = sheet_text(_c([("ibuprofen 400mg tds", None), (name, None)]), "med_nsaid")
    assert "Check how often you take methotrexate" in text and name not in text


def test_methotrexate_once_a_week_on_a_named_day_gets_no_box():
    # boundary: once a week, on one named day, is the right regimen: repeated as recorded, no box
    name = "methotrexate 15mg once a week on Mondays"
    text = sheet_text(_c([("ibuprofen 400mg tds", None), (name, None)]), "med_nsaid")
    assert "Check how often you take methotrexate" not in text
    assert "methotrexate 15mg once a week on mondays" in text.lower()
