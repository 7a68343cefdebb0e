"""Fentanyl-patch spellings a clinic writes, and the warning about a medicine the engine does not
recognise whenever a handout is printed (rt22 F2; H-MED-371).

Before: "fentanyl 25 mcg/h (changed every 3 days)", "fentanyl 25 mcg per hr", "fentanyl 25 mcg/hour TD",
"fentanyl TTS 25", "fentanyl 25 mcg/h matrix", "fentanyl 25 mcg/h parche transdérmico", "fentanilo
transdérmico 25" and "fentanyl patch 25 removed" were not recognised at all: the sciatica sheet said
"Use a heat pad, a warm bath or a warm shower" (es: "Use una almohadilla térmica ..."), and `handout`
printed it without a word to the clinician (the unrecognised-medicine check ran only when a medicine
sheet was printed).

Primary source (resources/medicines/sources.toml, fentanyl-patch-label): fentanyl transdermal system
labeling: "avoid exposure of the patch application site to direct external heat sources because of
the potential for temperature-dependent increases in fentanyl release that may result in overdose and
death." Durogesic DTrans UK prescribing information (durogesic-dtrans-uk): "Durogesic DTrans 25 mcg/hr
Transdermal Patch"; "change 72 hourly".

Boundaries: the same medicine written as another form (buccal, nasal, sublingual, tablets) is not read
as a patch; a patch word beside another medicine ("fentanyl patch + morphine") is no guess; a brand no
primary page was read for stays not recognised, and the clinician is now told ("Mezolar Matrix 25" was
that example until src21 read its SmPC; the example is now a name the data does not hold, "Qlarvent 25").
A name not recognised but written as a patch is src21's (tests/reports/test_patch_brands_src21.py).
"""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain import medications as M
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

HEAT_PAD_EN = "Use a heat pad, a warm bath or a warm shower"
HEAT_PAD_ES = "Use una almohadilla térmica, un baño o una ducha caliente"
PATCH_BOX_EN = "If you wear a pain patch"
PATCH_BOX_ES = "Si lleva un parche para el dolor"

RT22_SPELLINGS = [
    "fentanyl 25 mcg/h (changed every 3 days)", "fentanyl 25 mcg per hr", "fentanyl 25 mcg/hour TD",
    "fentanyl TTS 25", "fentanyl 25 mcg/h matrix", "fentanyl 25 mcg/h parche transdérmico",
    "fentanilo transdérmico 25", "fentanyl patch 25 removed", "Fentanyl 12 micrograms/hour patch, change every 72 hours",
    "buprenorphine 10 micrograms/hour (changed weekly)", "buprenorfina transdérmica 35 mcg/h".replace("transdérmica", "TTS"),
]


def _form(name):
    meds = assess_medications(case([(name, None)]).intake, AS_OF).current_medicines
    data = M.load_medicine_data()
    return [(m.generics, data.patch_form(m)) for m in meds]


def _texts(meds, lang, sheets=("about_sciatica", "exercise_plan")):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets))
    return req, " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req))


@pytest.mark.parametrize("name", RT22_SPELLINGS)
def test_rt22_patch_spellings_are_read_as_a_patch(name):
    generic = "buprenorphine" if name.startswith("bupren") else "fentanyl"
    assert _form(name) == [((generic,), "patch")]


@pytest.mark.parametrize("lang,heat,box", [("en", HEAT_PAD_EN, PATCH_BOX_EN), ("es", HEAT_PAD_ES, PATCH_BOX_ES)])
@pytest.mark.parametrize("name", ["fentanyl 25 mcg/h (changed every 3 days)", "fentanyl TTS 25",
                                  "fentanilo transdérmico 25"])
def test_the_sheets_give_the_patch_box_and_no_heat_pad(name, lang, heat, box):
    req, text = _texts([name], lang, sheets=("about_sciatica", "exercise_plan", "med_opioid"))
    assert req.opioid_patch and not req.unrecognised
    assert heat not in text, text[text.find(heat) - 300:text.find(heat) + 80]
    assert box in text


@pytest.mark.parametrize("name", ["fentanyl 100mcg buccal", "fentanyl 50 mcg nasal spray",
                                  "buprenorphine 400mcg SL", "fentanyl 100 micrograms sublingual"])
def test_other_forms_are_not_read_as_a_patch(name):
    assert all(form is None for _g, form in _form(name))


@pytest.mark.parametrize("name", ["fentanyl patch + morphine 10mg", "fentanyl tts and oxycodone 5mg"])
def test_a_patch_word_beside_another_medicine_is_no_guess(name):
    # either both medicines are read, or neither: never fentanyl alone
    generics = {g for gs, _f in _form(name) for g in gs}
    assert generics != {"fentanyl"}


def test_an_unread_brand_stays_not_recognised_and_keeps_no_patch():
    assert _form("Qlarvent 25") == [((), None)]


@pytest.mark.parametrize("lang,heat", [("en", HEAT_PAD_EN), ("es", HEAT_PAD_ES)])
def test_an_unrecognised_medicine_is_named_to_the_clinician_with_only_general_sheets(lang, heat):
    req, text = _texts(["Qlarvent 25"], lang)
    assert heat in text  # nothing says it is a patch: the sheet cannot know
    note = h.unrecognised_note(req.unrecognised)
    assert note.startswith("\u201cqlarvent 25\u201d")  # as the engine reads it
    assert "is not recognised: the sheets give no advice for it (heat advice included); check the name" in note


def test_the_note_names_each_unrecognised_medicine_with_its_suggestion():
    req, _ = _texts(["fentanyl 25 mcg/h crushed", "apixiban 5mg bd", "ibuprofen 400mg tds"], "en")
    note = h.unrecognised_note(req.unrecognised)
    assert "\u201capixiban 5mg bd\u201d (did you mean apixaban?) is not recognised" in note
    # src21: a rate in micrograms an hour says patch, so it is named as one printed as a possible patch
    patch_part = note[note.index("\u201cfentanyl 25 mcg/h crushed\u201d"):]
    assert "is not recognised but written as a skin patch" in patch_part and "apixiban" not in patch_part
    assert "ibuprofen" not in note


def test_no_note_when_every_medicine_is_recognised():
    req, _ = _texts(["fentanyl TTS 25", "ibuprofen 400mg tds"], "en")
    assert req.unrecognised == () and h.unrecognised_note(req.unrecognised) is None


# --------------------------------------------------------------------------- the command
def _store_case(tmp_path, meds):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.resources import resource_path
    from radiculopathy_desktop.storage.store import CaseStore

    raw = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    raw["medicines"] = [{"name": n} for n in meds]
    parsed = parse_case(raw)
    data = tmp_path / "data"
    store = CaseStore.open(data)
    store.import_cases([parsed], user="test")
    store.close()
    return data, parsed.case_id


def _handout(capsys, data, case_id, out, *more):
    from radiculopathy_desktop.cli import main

    code = main(["--data-dir", str(data), "handout", case_id, "--as-of", "2026-11-21", "--clinic-contact", "555",
                 "--out", str(out), *more])
    return code, *capsys.readouterr()


@pytest.mark.parametrize("sheets", [(), ("--sheets", "about_sciatica"), ("--sheets", "about_sciatica,exercise_plan")])
def test_handout_warns_about_an_unrecognised_medicine_whatever_sheets_print(tmp_path, capsys, sheets):
    data, case_id = _store_case(tmp_path, ["Qlarvent 25", "ibuprofen 400mg tds"])
    out = tmp_path / "h.pdf"
    code, printed, err = _handout(capsys, data, case_id, out, *sheets, "--confirm-unrecognised")
    assert code == 0 and out.exists()
    text = " ".join(err.split())
    assert ("warning: \u201cqlarvent 25\u201d is not recognised: the sheets give no advice for it "
            "(heat advice included); check the name") in text


def test_handout_is_silent_when_the_patch_is_read(tmp_path, capsys):
    data, case_id = _store_case(tmp_path, ["fentanyl 25 mcg/h (changed every 3 days)"])
    out = tmp_path / "h.pdf"
    code, _printed, err = _handout(capsys, data, case_id, out, "--sheets", "about_sciatica")
    assert code == 0 and out.exists() and "not recognised" not in err
