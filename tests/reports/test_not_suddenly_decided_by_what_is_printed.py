"""A benzodiazepine named only in an "Ask about your other medicines" box still gets "do not stop it
suddenly" on paper; the general box is left out only for a medicine a printed sheet actually tells
the patient not to stop suddenly, never because its name appears on a sheet (rt21 F3; H-MED-351).

Before: "pregabalin 150mg bd" + "diazepam 5mg tds" printed "You also take diazepam 5mg tds. Ask your
clinician about taking it with your pregabalin 150mg bd: the medicine check says to take care with them
together." and nothing about not stopping the diazepam, in en and es, under us and uk: the general "Do
not stop it suddenly" box was skipped because the name "diazepam" was on a printed sheet.

Primary source (resources/medicines/sources.toml fda-benzodiazepine-boxed-2020, FDA Drug Safety
Communication, 23 September 2020, read on fda.gov by src19): "Physical dependence can occur when
benzodiazepines are taken steadily for several days to weeks, even as prescribed. Stopping them
abruptly or reducing the dosage too quickly can result in withdrawal reactions, including seizures,
which can be life-threatening."

Boundaries: a medicine stopped at once (cyclobenzaprine, ibuprofen) gets no taper sentence; a sheet's own
medicine of the taper data (oxycodone, pregabalin, prednisolone, baclofen) is covered by its own sheet
and gets no second box, but gets the box when its own sheet is not printed.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

# plainwords (H-MED-647): "tds" is said in plain words; inside a sentence in brackets, at a clause's end after a comma
LINE = {"en": "Do not stop your diazepam 5mg (three times a day) suddenly: your clinician will plan any change.",
        "es": "No deje de golpe su diazepam 5mg, tres veces al día: su profesional planeará cualquier cambio."}
BOX = {"en": "You also take diazepam 5mg, three times a day. Do not stop it suddenly",
       "es": "Usted también toma diazepam 5mg, tres veces al día. No lo deje de golpe"}
DIAZEPAM = {"en": "diazepam 5mg (three times a day)", "es": "diazepam 5mg (tres veces al día)"}
TAPER_WORDS = {"en": "suddenly", "es": "de golpe"}


def _request(meds, lang, sheets, profile="us"):
    c = case([(m, None) for m in meds])
    return h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets),
                              confirm_unrecognised=True, profile=profile)


def _texts(req):
    return {s.id: " ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req)}


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("gabapentinoid", ["pregabalin 150mg bd", "gabapentin 300mg tds"])
def test_a_benzodiazepine_in_the_caution_box_gets_do_not_stop_it_suddenly(gabapentinoid, lang, profile):
    req = _request([gabapentinoid, "diazepam 5mg tds"], lang, ["about_sciatica", "med_gabapentinoid"], profile)
    dose = req.doses["gabapentinoid"]
    if profile == "uk":
        # NICE does not offer a gabapentinoid: rated Avoid, so the diazepam is asked about in the
        # box that asks first, never a softer caution box (sheet21, H-MED-394)
        assert dose.caution_box is None and dose.caution_in == "ask" and "diazepam 5mg" in dose.avoid_box and " tds" not in dose.avoid_box
    else:
        assert dose.caution_box and "diazepam 5mg" in dose.caution_box and " tds" not in dose.caution_box
    texts = _texts(req)
    assert LINE[lang] in texts["med_gabapentinoid"]
    assert DIAZEPAM[lang] in dose.not_suddenly_for
    # said once: the caution box says it, so no general box as well
    assert BOX[lang] not in texts["about_sciatica"]


def test_two_benzodiazepines_in_the_caution_box_are_both_named():
    req = _request(["pregabalin 150mg bd", "diazepam 5mg tds", "lorazepam 1mg bd"], "en", ["med_gabapentinoid"])
    text = _texts(req)["med_gabapentinoid"]
    assert ("Do not stop your diazepam 5mg (three times a day) and lorazepam 1mg (twice a day) suddenly: your clinician "
            "will plan any change."
            in text)


def test_a_medicine_stopped_at_once_in_the_caution_box_gets_no_taper_sentence():
    req = _request(["ibuprofen 400mg tds", "prednisolone 5mg od"], "en", ["med_nsaid"])
    dose = req.doses["nsaid"]
    assert dose.caution_box and "prednisolone" in dose.caution_box
    # prednisolone is in the taper data (steroids), the NSAID sheet's caution box says so; ibuprofen is not
    assert not any(n.startswith("ibuprofen") for n in dose.not_suddenly_for)
    req = _request(["pregabalin 150mg bd"], "en", ["med_gabapentinoid"])
    assert "Do not stop your" not in _texts(req)["med_gabapentinoid"]


def test_a_printed_name_without_the_taper_sentence_does_not_count():
    """The structural rule itself: a sheet that names diazepam but was not recorded as telling the
    patient not to stop it gets the general box; one recorded as telling it does not."""
    req = _request(["diazepam 5mg tds"], "en", ["about_sciatica"])
    named = hc.HandoutSection(heading="Ask about your other medicines",
                              paragraphs=("You also take diazepam 5mg, three times a day. Ask your clinician about it.",))
    sheet = hc.load_sheet("about_sciatica", "en")
    sheet = sheet.__class__(**{**sheet.__dict__, "sections": (named, *sheet.sections)})
    boxed = h._not_suddenly_box([sheet], req)
    assert boxed[0].sections[0].heading == "Do not stop it suddenly"
    assert h._not_suddenly_box([sheet], req, frozenset({DIAZEPAM["en"]}))[0].sections[0].heading == named.heading


HEADING = {"en": "Do not stop it suddenly", "es": "No lo deje de golpe"}
# the name as the sheet writes it (plainwords: the regimen in plain words, in brackets inside a sentence)
ON_SHEET = {"en": {"oxycodone 5mg qds": "oxycodone 5mg (four times a day)", "pregabalin 150mg bd": "pregabalin 150mg (twice a day)",
                   "prednisolone 5mg od": "prednisolone 5mg (once a day)", "baclofen 10mg tds": "baclofen 10mg (three times a day)"},
            "es": {"oxycodone 5mg qds": "oxicodona 5mg (cuatro veces al día)",
                   "pregabalin 150mg bd": "pregabalina 150mg (dos veces al día)",
                   "prednisolone 5mg od": "prednisolona 5mg (una vez al día)",
                   "baclofen 10mg tds": "baclofeno 10mg (tres veces al día)"}}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("med,sheet_id,cls", [
    ("oxycodone 5mg qds", "med_opioid", "opioid"), ("pregabalin 150mg bd", "med_gabapentinoid", "gabapentinoid"),
    ("prednisolone 5mg od", "med_oral_steroid", "oral_corticosteroid"),
    ("baclofen 10mg tds", "med_muscle_relaxant", "muscle_relaxant")])
def test_a_sheets_own_tapered_medicine_is_told_there_and_gets_no_second_box(med, sheet_id, cls, lang):
    name = ON_SHEET[lang][med]
    req = _request([med], lang, ["about_sciatica", sheet_id])
    assert req.doses[cls].not_suddenly_for == (name,)
    texts = _texts(req)
    assert TAPER_WORDS[lang] in texts[sheet_id]  # its own sheet says it
    assert HEADING[lang] not in texts["about_sciatica"]  # so no second, general box
    # without its own sheet, the general box names it
    only = _texts(_request([med], lang, ["about_sciatica"]))["about_sciatica"]
    # the box's sentence ends with the name: "You also take oxycodone 5mg, four times a day."
    assert HEADING[lang] in only and name.replace(" (", ", ").removesuffix(")") + "." in only
