"""Each opioid product's line uses its own form's verb, and each form gets its own box (sht24 item 3;
H-MED-433).

Before: "Fentalis 25" (a patch) with "Effentora 100", "Abstral 100" and "Instanyl 50" read "Your dose: take
your fentalis 25, effentora 100, abstral 100 and instanyl 50 as prescribed": a patch is worn, not taken;
a buccal tablet goes between cheek and gum (effentora-epar), a sublingual tablet "directly under the
tongue" (abstral-uk), a nasal spray into the nose. The sublingual tablet, the nasal spray and the lozenge
had no box of their own. Their SmPCs' wait between doses and daily number were not read ([unverified]):
the boxes give no number, never more in a day than the prescriber said.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

ALL_FOUR = ["Fentalis 25", "Effentora 100", "Abstral 100", "Instanyl 50"]


def _req(meds, lang="en"):
    return h.request_for_case(case([(m, None) for m in meds]), AS_OF, clinic_name="Clinic", clinic_contact="555",
                              lang=lang, sheets=["med_opioid"], confirm_unrecognised=True)


def _text(meds, lang="en"):
    return " ".join(hc.plain_text(h.filled_sheets(_req(meds, lang))[0]).split())


@pytest.mark.parametrize("lang,line", [
    ("en", "Your dose: wear your Fentalis 25, put your Effentora 100 between your cheek and gum, put your Abstral 100 "
           "under your tongue and spray your Instanyl 50 into your nose, each only as prescribed"),
    ("es", "Su dosis: lleve su Fentalis 25, ponga su Effentora 100 entre la mejilla y la encía, ponga su Abstral 100 "
           "debajo de la lengua y póngase su Instanyl 50 en la nariz, cada uno solo como se lo recetaron")])
def test_each_product_has_its_own_verb(lang, line):
    text = _text(ALL_FOUR, lang)
    assert line in text
    assert "take your Fentalis" not in text and "tome su Fentalis" not in text
    # the box says "use" beside a patch, never "You take" a patch
    assert ("You use Fentalis 25" if lang == "en" else "Usted usa Fentalis 25") in text


@pytest.mark.parametrize("lang,boxes", [
    ("en", ("If you use buccal tablets for flare-ups", "Tablets under your tongue. Let the tablet melt right under "
            "your tongue.", "Nasal spray. Spray it into your nose as you were shown.")),
    ("es", ("Si usa comprimidos bucales para las crisis de dolor", "Comprimidos sublinguales. Deje que se disuelva "
            "bajo la lengua.", "Nebulizador nasal. Úselo en la nariz como le enseñaron."))])
def test_each_form_gets_its_own_box(lang, boxes):
    text = _text(ALL_FOUR, lang)
    for box in boxes:
        assert box in text
    # sublingual, nasal: how long to wait asked, never more in a day; no number the SmPC was not read for
    wait = ("Ask how long to wait between doses. Never use more in a day than you were told." if lang == "en" else
            "Pregunte cuánto esperar entre dosis. No use más al día de lo indicado.")
    assert text.count(wait) == 2


@pytest.mark.parametrize("meds,box,absent", [
    (["Abstral 100"], "Tablets under your tongue. Let the tablet melt", "Nasal spray. Spray"),
    (["fentanyl nasal spray"], "Nasal spray. Spray it into your nose as you were shown.", "Tablets under your tongue."),
    (["fentanyl 200mcg lozenge"], "Lozenge. Use it only as you were shown.", "Nasal spray. Spray"),
    (["oxycodone 10mg bd"], None, "Ask how long to wait between doses."),
    (["fentanyl 25mcg/h patch"], None, "Ask how long to wait between doses."),
])
def test_a_box_only_for_its_own_form(meds, box, absent):
    text = _text(meds)
    if box:
        assert box in text
    assert absent not in text


def test_the_sources_line_names_only_the_forms_printed():
    sources = h.filled_sheets(_req(["Abstral 100"]))[0].sources
    assert "abstral-uk" in sources and "instanyl-eu" not in sources and "actiq-uk" not in sources
    assert not {"abstral-uk", "instanyl-eu", "actiq-uk"} & set(h.filled_sheets(_req(["codeine 30mg qds"]))[0].sources)


@pytest.mark.parametrize("meds", [["oxycodone 40mg bd"], ["fentanyl 50mcg/h patch"], ["morphine 30mg bd", "oxycodone 20mg bd"]])
def test_one_form_keeps_one_verb(meds):
    text = _text(meds)
    assert "each only as prescribed" not in text and "each exactly as" not in text
    if "patch" in meds[0]:
        assert "use your fentanyl 50mcg/h patch as prescribed" in text


def test_a_sublingual_buprenorphine_is_not_told_flare_ups():
    # Subutex is a sublingual tablet for opioid dependence: its box never says "flare-up"
    text = _text(["Subutex 8mg"])
    assert "Tablets under your tongue." in text
    start = text.index("Tablets under your tongue.")
    assert "flare-up" not in text[start:start + 300]
