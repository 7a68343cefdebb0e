"""Fentanyl and buprenorphine in their other forms, makers' names, Spanish units, false possible
patches, a diclofenac patch and Norspan's strengths (rt23 F1, F3-F6; H-MED-398, H-MED-286).

Before (rt23):
- F1: "fentanyl 100 micrograms buccal tablet", "buprenorphine 8mg sublingual", "Effentora 100",
  "Abstral 100", "Instanyl 50", "Espranor 8mg" ... were not recognised, so beside diazepam no
  opioid + benzodiazepine alert fired (and the possible-patch note told clinicians to write such a
  name).
- F3: "Fentanyl Zentiva 25", "fentanyl sandoz 25", "fentanyl plaster 25", "fentanilo 25
  microgramos/h", "fentanilo 25 mcg/hora", "fentanyl 25 mcg.h-1" were not recognised and the
  sciatica sheet said "Use a heat pad, a warm bath or a warm shower".
- F4: "ibuprofen 400 mg td", "Td vaccine", "Matrix vitamins", "Qlarvent 25 mcg/h cream / tableta /
  PO / sachet" were possible opioid patches (heat advice withheld, "You wear a pain patch").
- F5: "diclofenac patch" / "Flector 1.3% patch" were "a possible opioid patch (did you mean
  diclofenac?)".
- F6: "Norspan 25/30/40" got "Check the dose ... no single buprenorphine patch is 25 micrograms an hour".

Primary sources (resources/medicines/sources.toml; read 2026-12-01 through the search tool):
- Abstral UK SmPC, emc 10268 (abstral-uk): "3. Pharmaceutical form: Sublingual tablet".
- Effentora SmPC (effentora-eu, a copy): "3. PHARMACEUTICAL FORM: Buccal tablet".
- Instanyl SmPC (instanyl-eu, a copy): "Nasal spray, solution (nasal spray)".
- Actiq SmPC (actiq-uk, a copy): "Compressed lozenge with integral oromucosal applicator".
- SMC advice 1245/17 (espranor-uk): "buprenorphine oral lyophilisate (Espranor)".
- CDC 2022 MME table (cdc-2022-mme-fentanyl): the only fentanyl row is "Fentanyl transdermal (in
  mcg/hr) 2.4": no factor for a buccal, sublingual or nasal form, so it is "not counted" and the
  total is "at least".
- Opiodur SmPC, emc 10999 (opiodur-uk): "Each Opiodur/Fentanyl Zentiva 12 micrograms/ hour
  transdermal patch".
- Norspan Australian PI section 2 (norspan-strengths-au, a copy): "Norspan patch 5. Norspan patch 10.
  Norspan patch 15. Norspan patch 20. Norspan patch 25. Norspan patch 30. Norspan patch 40."
- FLECTOR, openFDA (flector-label): "DICLOFENAC EPOLAMINE TOPICAL SYSTEM 1.3%".
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import medications as M
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

HEAT_PAD_EN = "Use a heat pad, a warm bath or a warm shower"
WEAR_EN = "You wear a pain patch"

TRANSMUCOSAL = [
    ("fentanyl 100 micrograms buccal tablet", "fentanyl"), ("fentanyl 100 mcg sublingual", "fentanyl"),
    ("fentanyl nasal spray 100", "fentanyl"), ("fentanyl 100 mcg lozenge", "fentanyl"),
    ("fentanilo 100 microgramos comprimido bucal", "fentanyl"),
    ("Effentora 100", "fentanyl"), ("Abstral 100", "fentanyl"), ("Actiq 200", "fentanyl"),
    ("Breakyl 200", "fentanyl"), ("Instanyl 50", "fentanyl"), ("PecFent 100", "fentanyl"),
    ("buprenorphine 8mg sublingual", "buprenorphine"), ("buprenorphine 8mg SL", "buprenorphine"),
    ("Espranor 8mg", "buprenorphine"), ("Subutex 8mg", "buprenorphine"), ("Buvidal 96mg", "buprenorphine"),
]
MAKER_AND_SPANISH = ["Fentanyl Zentiva 25", "fentanyl sandoz 25", "fentanyl (Sandoz) 25", "fentanyl teva 25",
                     "buprenorphine Sandoz 10", "fentanyl plaster 25", "fentanilo 25 microgramos/h",
                     "fentanilo 25 mcg/hora", "fentanyl 25 mcg.h-1",
                     "Durogesic Matrix 25 microgramos/h parches transdérmicos"]
RATE_60_MME = ["fentanilo 25 microgramos/h", "fentanilo 25 mcg/hora", "fentanyl 25 mcg.h-1",
               "Durogesic Matrix 25 microgramos/h parches transdérmicos", "fentanyl sandoz 25 mcg/h"]
NOT_A_POSSIBLE_PATCH = ["ibuprofen 400 mg td", "pregabalin 75mg td", "Td vaccine", "Td/IPV", "Matrix vitamins",
                        "Ostenil matrix", "Qlarvent matrix 25", "Qlarvent 25 mcg/h caps", "Qlarvent capsule 25 mcg/h",
                        "Qlarvent sachet 25 mcg/h", "Qlarvent 25 mcg/h cream", "Qlarvent 25 mcg/h tableta",
                        "Qlarvent 25 mcg/h cápsulas", "Qlarvent 25 mcg/h jarabe", "Qlarvent 25 mcg/hr PO"]
STILL_A_POSSIBLE_PATCH = ["Qlarvent td 25 mcg/h", "Qlarvent matrix 25 mcg/h", "Qlarvent 25 micrograms/hour patch",
                          "Qlarvent plaster 25"]


def _meds(meds):
    return assess_medications(case(meds).intake, AS_OF)


def _text(meds, sheets=("about_sciatica",), lang="en"):
    req = h.request_for_case(case(meds), AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=list(sheets), confirm_unrecognised=True)
    return req, " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req))


# --------------------------------------------------------------------------- F1: other forms
@pytest.mark.parametrize("name,generic", TRANSMUCOSAL)
def test_a_transmucosal_opioid_beside_diazepam_gets_the_opioid_benzodiazepine_alert(name, generic):
    report = _meds([(name, None), ("diazepam 5mg", 10.0)])
    assert [m.generics for m in report.current_medicines] == [(generic,), ("diazepam",)]
    assert "ix-opioid-benzodiazepine" in [i.rule for i in report.interactions]


@pytest.mark.parametrize("name,generic", TRANSMUCOSAL)
def test_a_transmucosal_opioid_is_no_patch_and_keeps_the_heat_advice(name, generic):
    [med] = _meds([(name, None)]).current_medicines
    data = M.load_medicine_data()
    assert data.patch_form(med) is None and not data.unrecognised_patch(med)
    req, text = _text([(name, None)], sheets=("about_sciatica", "exercise_plan"))
    assert not req.opioid_patch and not req.unrecognised_patch and not req.possible_patches
    assert HEAT_PAD_EN in text and "pain patch" not in text


def test_a_buccal_fentanyl_is_not_counted_in_mme_and_the_total_says_at_least():
    report = _meds([("Effentora 100", None), ("morphine 30mg", 60.0)])
    texts = " ".join(r.text for row in report.rows for r in row.reasons)
    assert "total at least 60 MME/day" in texts
    assert ("effentora 100 (fentanyl not as a patch: no MME factor in the CDC 2022 table, whose fentanyl factor is "
            "for transdermal patches only)") in texts


def test_the_clinicians_note_names_the_form_and_why_it_is_not_counted():
    [med] = [m for m in _meds([("Instanyl 50", None)]).current_medicines]
    said = h._form_said(med)
    assert said.startswith("a nasal spray, not a skin patch") and "not counted in MME" in said


def test_the_possible_patch_notes_example_is_a_name_the_engine_reads_as_no_patch():
    note = h.possible_patch_note(["fentanyl 25"])
    example = note.split("\u201c")[2].split("\u201d")[0]
    [med] = _meds([(example, None)]).current_medicines
    assert med.generics == ("fentanyl",) and M.load_medicine_data().patch_form(med) is None


@pytest.mark.parametrize("name", ["fentanyl gel", "fentanyl cream 25"])
def test_a_topical_word_never_makes_fentanyl(name):
    [med] = _meds([(name, None)]).current_medicines
    assert med.generics == ()


def test_fentanyl_with_no_form_is_still_a_possible_patch():
    [med] = _meds([("fentanyl 25", None)]).current_medicines
    assert M.load_medicine_data().patch_form(med) == "possible"


# --------------------------------------------------------------------------- F3: makers, plaster, Spanish units
@pytest.mark.parametrize("name", MAKER_AND_SPANISH)
def test_a_makers_name_plaster_or_spanish_units_is_the_opioid_as_a_patch(name):
    [med] = _meds([(name, None)]).current_medicines
    assert med.generics in (("fentanyl",), ("buprenorphine",))
    assert M.load_medicine_data().patch_form(med) in ("patch", "possible")
    req, text = _text([(name, None)])
    assert req.opioid_patch and HEAT_PAD_EN not in text and WEAR_EN in text


@pytest.mark.parametrize("name", ["Fentanyl Zentiva 25", "fentanyl plaster 25", "fentanilo 25 microgramos/h"])
def test_a_patch_word_or_brand_makes_it_a_patch_not_a_possible_one(name):
    [med] = _meds([(name, None)]).current_medicines
    assert M.load_medicine_data().patch_form(med) == "patch"


@pytest.mark.parametrize("name", RATE_60_MME)
def test_a_rate_in_spanish_or_with_a_maker_is_counted_in_mme(name):
    assert M.patch_rate(name) == 25.0
    report = _meds([(name, None), ("morphine 30mg", 60.0)])
    texts = " ".join(r.text for row in report.rows for r in row.reasons)
    assert "total 120 MME/day" in texts


def test_a_makers_name_is_taken_out_only_for_the_patch_opioids():
    [med] = _meds([("ibuprofen teva 400", None)]).current_medicines
    assert med.generics == ()  # unchanged: makers are read only beside fentanyl or buprenorphine


def test_a_maker_with_a_transmucosal_word_is_that_form():
    [med] = _meds([("fentanyl sandoz buccal 100", None)]).current_medicines
    assert med.generics == ("fentanyl",) and M.load_medicine_data().patch_form(med) is None


# --------------------------------------------------------------------------- F4: false possible patches
@pytest.mark.parametrize("name", NOT_A_POSSIBLE_PATCH)
def test_td_matrix_or_another_form_word_alone_is_no_possible_patch(name):
    [med] = _meds([(name, None)]).current_medicines
    assert not M.load_medicine_data().unrecognised_patch(med)
    req, text = _text([(name, None)])
    assert not req.unrecognised_patch and HEAT_PAD_EN in text


@pytest.mark.parametrize("name", STILL_A_POSSIBLE_PATCH)
def test_with_a_rate_or_a_strong_patch_word_it_is_still_a_possible_patch(name):
    [med] = _meds([(name, None)]).current_medicines
    assert M.load_medicine_data().unrecognised_patch(med)
    req, text = _text([(name, None)])
    assert req.unrecognised_patch and HEAT_PAD_EN not in text


@pytest.mark.parametrize("name", ["fentanyl td 25", "fentanyl matrix 25"])
def test_td_and_matrix_beside_fentanyl_still_mark_a_patch(name):
    [med] = _meds([(name, None)]).current_medicines
    assert med.generics == ("fentanyl",) and M.load_medicine_data().patch_form(med) == "patch"


# --------------------------------------------------------------------------- F5: a diclofenac patch
@pytest.mark.parametrize("name", ["diclofenac patch", "Voltarol patch", "diclofenac epolamine patch",
                                  "Flector 1.3% patch", "Flector"])
def test_a_diclofenac_patch_is_no_possible_opioid_patch(name):
    [med] = _meds([(name, None)]).current_medicines
    data = M.load_medicine_data()
    assert not med.generics  # a topical NSAID is not the NSAID by mouth the checks are for
    assert data.non_opioid_written_as_patch(med.name) == "diclofenac"
    assert not data.unrecognised_patch(med)
    req, text = _text([(name, None)])
    assert not req.unrecognised_patch and HEAT_PAD_EN in text
    note = h.unrecognised_note(req.unrecognised)
    assert f"\u201c{h.display_name(med.name)}\u201d (diclofenac as a skin patch) is not checked" in note  # "Flector": sht24
    assert "possible opioid patch" not in note and "did you mean" not in note


# --------------------------------------------------------------------------- F6: Norspan strengths
@pytest.mark.parametrize("name", ["Norspan 25", "Norspan 30 micrograms/hour", "Norspan 40 micrograms/hour",
                                  "Norspan 5", "Norspan 20"])
def test_norspan_strengths_are_no_typing_slip(name):
    report = _meds([(name, None)])
    assert not [c for c in report.dose_checks if "no single" in c.text]


@pytest.mark.parametrize("name", ["Norspan 45", "Norspan 24", "buprenorphine 41 mcg/h patch"])
def test_just_beside_them_is_still_a_dose_to_check(name):
    report = _meds([(name, None)])
    assert [c for c in report.dose_checks if "no single" in c.text]
