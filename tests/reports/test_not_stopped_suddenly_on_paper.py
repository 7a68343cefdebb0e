""""Do not stop diazepam suddenly" reaches paper (gp19 F3, H-MED-341).

Before: the window said "do not stop diazepam 5mg tds suddenly ... withdrawal reactions, including
seizures", but a 31-week patient on ibuprofen and diazepam got no sheet naming the diazepam, and the
opioid sheet told a patient on fentanyl and codeine that they "should not be taken with your
diazepam 5mg tds" and nothing more: read as "stop the diazepam".

Primary source (resources/medicines/sources.toml fda-benzodiazepine-boxed-2020, FDA Drug Safety
Communication, 23 September 2020, read on fda.gov): "Physical dependence can occur when
benzodiazepines are taken steadily for several days to weeks, even as prescribed. Stopping them
abruptly or reducing the dosage too quickly can result in withdrawal reactions, including seizures,
which can be life-threatening." Baclofen and tizanidine are in the same taper data (their labels read
in copies, [unverified]); cyclobenzaprine is not (the boundary: stopped at once, never told this).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

# plainwords (H-MED-647): "tds" in plain words: in brackets inside the sentence, after a comma at the clause's end
EN_LINE = "Do not stop your diazepam 5mg (three times a day) suddenly: your clinician will plan any change."
ES_LINE = "No deje de golpe su diazepam 5mg, tres veces al día: su profesional planeará cualquier cambio."


def _sheets(meds, lang, sheets, weeks=None):
    c = case([(m, None) for m in meds], weeks=weeks)
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets),
                             confirm_unrecognised=True)
    return {s.id: " ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req)}


@pytest.mark.parametrize("lang,line", [("en", EN_LINE), ("es", ES_LINE)])
def test_the_opioid_sheet_that_names_diazepam_says_not_to_stop_it_suddenly(lang, line):
    texts = _sheets(["fentanyl 25mcg/h patch", "codeine 30mg qds", "diazepam 5mg tds"], lang, ["med_opioid"])
    assert line in texts["med_opioid"]
    # named on that sheet: no second, general box
    assert texts["med_opioid"].count("diazepam 5mg") == 2 and " tds" not in texts["med_opioid"]


@pytest.mark.parametrize("lang,line", [("en", EN_LINE), ("es", ES_LINE)])
def test_one_opioid_with_diazepam_its_ask_box_says_not_to_stop_the_diazepam_suddenly(lang, line):
    texts = _sheets(["oxycodone 5mg qds", "diazepam 5mg tds"], lang, ["med_opioid"])
    assert line in texts["med_opioid"]


@pytest.mark.parametrize("lang,head,box", [
    ("en", "Do not stop it suddenly",
     "You also take diazepam 5mg, three times a day. Do not stop it suddenly: your clinician will plan any change."),
    ("es", "No lo deje de golpe",
     "Usted también toma diazepam 5mg, tres veces al día. No lo deje de golpe: su profesional planeará cualquier "
     "cambio.")])
def test_diazepam_that_no_sheet_names_gets_a_box_on_the_first_sheet(lang, head, box):
    texts = _sheets(["ibuprofen 400mg tds", "diazepam 5mg tds"], lang, ["about_sciatica", "med_nsaid"], weeks=31)
    first = texts["about_sciatica"]
    assert head in first and box in first
    assert "diazepam" not in texts["med_nsaid"]


@pytest.mark.parametrize("lang,box", [
    ("en", "You also take baclofen 10mg (three times a day) and tizanidine 4mg (three times a day). Do not stop them "
           "suddenly"),
    ("es", "Usted también toma baclofeno 10mg (tres veces al día) y tizanidina 4mg (tres veces al día). No los deje "
           "de golpe")])
def test_two_such_medicines_no_sheet_names_are_them(lang, box):
    texts = _sheets(["baclofen 10mg tds", "tizanidine 4mg tds"], lang, ["about_sciatica"])
    assert box in texts["about_sciatica"]


def test_the_muscle_relaxant_sheet_that_names_baclofen_needs_no_second_box():
    texts = _sheets(["baclofen 10mg tds"], "en", ["about_sciatica", "med_muscle_relaxant"])
    assert "Do not stop it suddenly: your clinician will plan" not in texts["about_sciatica"]


@pytest.mark.parametrize("meds", [["cyclobenzaprine 10mg tds"], ["ibuprofen 400mg tds"], []])
def test_a_medicine_stopped_at_once_or_none_gets_no_box(meds):
    texts = _sheets(meds, "en", ["about_sciatica"])
    assert "Do not stop it suddenly" not in texts["about_sciatica"]
    assert "Do not stop them suddenly" not in texts["about_sciatica"]


def test_a_red_flag_sheet_keeps_its_place_first_and_the_box_goes_on_the_next_sheet():
    c = case([("diazepam 5mg tds", None)])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=["about_sciatica"])
    sheets = h._not_suddenly_box([hc.load_sheet("emergency_now", "en"), hc.load_sheet("about_sciatica", "en")], req)
    assert sheets[0].sections[0].heading != "Do not stop it suddenly"
    assert sheets[1].sections[0].heading == "Do not stop it suddenly"
