"""Buprenorphine written in mg is not a possible skin patch (rt22 F6; H-MED-372).

Before: "buprenorphine 8mg od", "buprenorphine 16mg daily" and "buprenorphine 8mg tds" were a
"possible patch": the opioid sheet's title was "Your medicine: a strong pain patch (opioid)" (es "un
parche para el dolor fuerte") with the patch box, and the clinician was told it "names no form ...
treated as a skin patch".

Primary sources (resources/medicines/sources.toml):
- buprenorphine-patch-label: "Butrans (buprenorphine transdermal system) ...: 5, 7.5, 10, 15 and 20
  mcg/hour, each system worn for 7 days"; transtec-uk: "Nominal release rate: 35 micrograms of
  buprenorphine per hour".
- subutex-uk [unverified, read in copies]: "Subutex Sublingual Tablets are available in the following
  strengths: 0.4mg, 2mg and 8mg".

Boundaries: a dose in mg beside a patch word or brand is still a patch; a bare number ("buprenorphine
5") stays a possible patch; fentanyl written in mg stays a possible patch (a slip for micrograms an
hour is likelier than another form, and heat over a patch can kill).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import medications as M
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

PATCH_TITLE = {"en": "Your medicine: a strong pain patch (opioid)",
               "es": "Su medicamento: un parche para el dolor fuerte (opioide)"}
PATCH_BOX = {"en": "If you wear a pain patch", "es": "Si lleva un parche para el dolor"}
HEAT_PAD = {"en": "Use a heat pad, a warm bath or a warm shower",
            "es": "Use una almohadilla térmica, un baño o una ducha caliente"}


def _med(name):
    [m] = assess_medications(case([(name, None)]).intake, AS_OF).current_medicines
    return m


def _request(name, lang):
    return h.request_for_case(case([(name, None)]), AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                              sheets=["about_sciatica", "med_opioid"], confirm_unrecognised=True)


@pytest.mark.parametrize("name", ["buprenorphine 8mg od", "buprenorphine 16mg daily", "buprenorphine 8mg tds",
                                  "buprenorphine 0.4mg", "buprenorphine 2 mg", "buprenorfina 8mg"])
def test_buprenorphine_in_mg_is_not_a_possible_patch_and_its_form_is_not_known(name):
    data = M.load_medicine_data()
    m = _med(name)
    assert m.generics == ("buprenorphine",)
    assert data.patch_form(m) is None and data.form_not_known(m)


@pytest.mark.parametrize("name,form", [("buprenorphine 5", "possible"), ("buprenorphine 10 micrograms/hour", "patch"),
                                       ("buprenorphine 5 mg patch", "patch"), ("BuTrans 5", "patch"),
                                       ("fentanyl 25mg", "possible"), ("fentanyl 25", "possible")])
def test_boundaries_keep_the_patch(name, form):
    data = M.load_medicine_data()
    m = _med(name)
    assert data.patch_form(m) == form and not data.form_not_known(m)


def test_another_form_written_is_known():
    data = M.load_medicine_data()
    m = _med("buprenorphine 8 mg tablets")
    assert data.patch_form(m) is None and not data.form_not_known(m)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sheets_say_nothing_of_a_patch_and_the_clinician_is_told(lang):
    req = _request("buprenorphine 8mg od", lang)
    assert not req.opioid_patch and req.possible_patches == ()
    assert req.form_not_known == ("buprenorphine 8mg od",)
    filled = {s.id: s for s in h.filled_sheets(req)}
    text = " ".join(" ".join(hc.plain_text(s).split()) for s in filled.values())
    assert filled["med_opioid"].title != PATCH_TITLE[lang]
    assert PATCH_BOX[lang] not in text
    notes = " ".join(h.dose_notices(req))
    assert ("\u201cbuprenorphine 8mg od\u201d is written in mg and names no form: a skin patch is written in "
            "micrograms an hour, so the sheets do not treat it as a patch") in notes
    assert "names no form (patch, buccal" not in notes  # not the possible-patch note


def test_a_possible_patch_gets_no_form_note():
    req = _request("buprenorphine 5", "en")
    assert req.opioid_patch and req.form_not_known == ()
    assert "is written in mg" not in " ".join(h.dose_notices(req))


def test_the_loader_refuses_a_not_patch_in_mg_medicine_that_is_not_a_patch_opioid_and_a_wear_word_of_another_form():
    import tomllib

    from radiculopathy_desktop.domain.medications import (MedicineDataError, _Citer, _load_classes,
                                                          _load_patch_forms, default_data_dir)
    raw = tomllib.loads((default_data_dir() / "classes.toml").read_text(encoding="utf-8"))
    cite = _Citer(tomllib.loads((default_data_dir() / "sources.toml").read_text(encoding="utf-8")))
    cls = _load_classes(raw, cite)
    entry = {"generics": ["fentanyl", "buprenorphine"], "words": ["patch"], "other_form_words": ["buccal"],
             "source": ["fentanyl-patch-label"]}
    assert _load_patch_forms({"patch_forms": {**entry, "not_patch_in_mg": ["buprenorphine"]}}, cls, cite) \
        .not_patch_in_mg == frozenset({"buprenorphine"})
    with pytest.raises(MedicineDataError, match="not_patch_in_mg"):
        _load_patch_forms({"patch_forms": {**entry, "not_patch_in_mg": ["codeine"]}}, cls, cite)
    with pytest.raises(MedicineDataError, match="both a patch and another form"):
        _load_patch_forms({"patch_forms": {**entry, "wear_words": ["buccal"]}}, cls, cite)
