"""Which recorded medicines are opioid skin patches is medicine data (routes.toml [patch_forms]),
and fentanyl or buprenorphine written with no form is treated as a possible patch (rt21 F4, F8;
H-MED-349).

Before: "Fentalis 25" (a brand the data already mapped to fentanyl), "fentanyl 25" and "fentanyl 25mcg
every 72 hours" were read as fentanyl but not as a patch: the sciatica sheet said "Use a heat pad, a
warm bath or a warm shower. Wrap a hot water bottle in a towel", the exercise plan "Use heat before you
exercise", and the opioid sheet was "strong pain pills" with no patch box. "BuTrans5", "Butec10",
"butrans-5", "fentanyl 25 \u03bcg/h" (Greek mu), "25mcgs/hr", "25 microgramme/hour", "25 mcg/72h",
"Durogesic DTrans 25", "Fentalis Reservoir 25", "(Transtec)" in brackets and "fentanilo parche" were
not recognised at all and got the heat pad too.

Primary sources (resources/medicines/sources.toml):
- Fentanyl transdermal system labeling (fentanyl-patch-label), as quoted in the FDA's 2008 label
  change: "avoid exposure of the patch application site to direct external heat sources because of the
  potential for temperature-dependent increases in fentanyl release that may result in overdose and
  death."
- Durogesic DTrans UK prescribing information (Janssen-Cilag, durogesic-dtrans-uk): "Durogesic DTrans
  25 mcg/hr Transdermal Patch"; "Titration and maintenance: change 72 hourly" (so "fentanyl 25mcg every
  72 hours" is how a patch is written); its leaflet: "Do not expose the patches to a heat source (such
  as a hot water bottle)".
- Butec patient leaflet on emc (butec-uk): "Butec patches act through the skin. After application,
  buprenorphine passes through the skin into the blood. Each patch lasts for seven days."
- Fencino leaflet on emc 7515 (fencino-uk), Reletrans SmPC emc 7334 (reletrans-uk), Relevtec SmPC emc
  2443 (relevtec-uk), Transtec SmPC emc 14559 (transtec-uk): each a transdermal patch.

Boundaries: the same medicines written as another form (tablets, a buccal film brand: Belbuca; a
sublingual brand: Subutex, Temgesic) are not patches and keep the heat advice; another opioid
(codeine) and no medicine keep it; a brand the data does not hold stays "not recognised" (Mezolar and
Sevodyne were such brands until src21 read their SmPC and MHRA record).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import medications as M
from radiculopathy_desktop.domain.medications import CurrentMedicine, MedicineDataError, assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case

HEAT_PAD_EN = "Use a heat pad, a warm bath or a warm shower"
HEAT_PAD_ES = "Use una almohadilla térmica, un baño o una ducha caliente"
EXERCISE_HEAT_EN = "Use heat before you exercise if it helps you move."
NO_HEAT_EN = "Do not put a heat pad, a hot water bottle, a heat lamp or an electric blanket on or near the patch."
PATCH_BOX_EN = "If you wear a pain patch"
PATCH_BOX_ES = "Si lleva un parche para el dolor"


def _form(name):
    meds = assess_medications(case([(name, None)]).intake, AS_OF).current_medicines
    data = M.load_medicine_data()
    return [(m.generics, data.patch_form(m)) for m in meds]


def _texts(meds, lang, sheets=("about_sciatica", "exercise_plan", "med_opioid")):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets),
                             confirm_unrecognised=True)
    filled = h.filled_sheets(req)
    return req, {s.id: " ".join(hc.plain_text(s).split()) for s in filled}, {s.id: s.title for s in filled}


@pytest.mark.parametrize("name,generic", [
    ("Fentalis 25", "fentanyl"), ("Fentalis Reservoir 25", "fentanyl"), ("Durogesic DTrans 25", "fentanyl"),
    ("Fencino 25", "fentanyl"), ("Reletrans 5", "buprenorphine"), ("Relevtec 35", "buprenorphine"),
    ("BuTrans5", "buprenorphine"), ("Butec10", "buprenorphine"), ("butrans-5", "buprenorphine"),
    ("fentanyl 25 \u03bcg/h", "fentanyl"), ("fentanyl 25 \u00b5g/h", "fentanyl"), ("fentanyl 25mcgs/hr", "fentanyl"),
    ("fentanyl 25 microgramme/hour", "fentanyl"), ("buprenorphine 35 micrograms/hour (Transtec)", "buprenorphine"),
    ("fentanilo parche 25 mcg/h", "fentanyl"), ("parche de buprenorfina 5", "buprenorphine")])
def test_patch_brands_and_spellings_are_read_as_a_patch(name, generic):
    assert _form(name) == [((generic,), "patch")]


@pytest.mark.parametrize("name", ["fentanyl 25", "fentanyl 25mcg every 72 hours", "fentanyl 25 mcg/72h",
                                  "buprenorphine 10", "fentanilo 25"])
def test_fentanyl_or_buprenorphine_with_no_form_is_a_possible_patch(name):
    [(generics, form)] = _form(name)
    assert generics and form == "possible"
    assert not M.is_opioid_patch(assess_medications(case([(name, None)]).intake, AS_OF).current_medicines[0])


@pytest.mark.parametrize("name", ["fentanyl 100mcg tablets", "Belbuca 150", "Subutex 2mg", "Temgesic 200 micrograms",
                                  "codeine 30mg qds"])
def test_another_form_or_another_opioid_is_not_a_patch(name):
    assert [form for _g, form in _form(name)] == [None]


# Mezolar, Mezolar Matrix and Sevodyne were here until src21 read their SmPC / MHRA record
# (tests/reports/test_patch_brands_src21.py); a name the data does not hold still stays unrecognised
@pytest.mark.parametrize("name", ["Carlosafine 10", "Zalviso 25"])  # "fentanyl matrix 25": a patch (rt22 F2)
def test_a_brand_no_primary_page_was_read_for_stays_not_recognised(name):
    assert _form(name) == [((), None)]


def test_a_wear_time_is_not_read_as_a_rate():
    """"25 mcg/72h" is a 25 mcg/h patch changed every 72 hours: its rate is not guessed (no MME)."""
    assert M.patch_rate("fentanyl 25 mcg/72h") is None
    assert M.patch_rate("fentanyl 25 \u03bcg/h") == 25
    assert M.patch_rate("fentanyl 12.5 microgrammes/hour") == 12.5


def test_the_patch_brands_are_data_each_a_known_brand_of_a_patch_opioid():
    data = M.load_medicine_data()
    forms = data.patch_forms
    assert forms is not None and forms.generics == {"fentanyl", "buprenorphine"}
    for n in forms.names:
        assert set(data.synonyms[n]) <= forms.generics, n
    # every brand name of the data that is a patch is recognised from the data alone
    assert data.patch_form(CurrentMedicine("fentalis 25", ("fentanyl",), None)) == "patch"


def test_a_patch_brand_that_is_not_a_brand_of_a_patch_opioid_is_refused():
    import tomllib

    from radiculopathy_desktop.domain.medications import _Citer, _load_classes, _load_patch_forms, default_data_dir
    raw = tomllib.loads((default_data_dir() / "classes.toml").read_text(encoding="utf-8"))
    src = tomllib.loads((default_data_dir() / "sources.toml").read_text(encoding="utf-8"))
    cite = _Citer(src)
    cls = _load_classes(raw, cite)
    entry = {"generics": ["fentanyl"], "names": ["nurofen"], "words": ["patch"], "source": ["fentanyl-patch-label"]}
    with pytest.raises(MedicineDataError, match="nurofen"):
        _load_patch_forms({"patch_forms": entry}, cls, cite)
    with pytest.raises(MedicineDataError, match="source"):
        _load_patch_forms({"patch_forms": {**entry, "names": [], "source": []}}, cls, cite)


@pytest.mark.parametrize("name", ["Fentalis 25", "fentanyl 25", "fentanyl 25mcg every 72 hours", "BuTrans5"])
@pytest.mark.parametrize("lang,heat_pad,box", [("en", HEAT_PAD_EN, PATCH_BOX_EN), ("es", HEAT_PAD_ES, PATCH_BOX_ES)])
def test_no_heat_pad_and_the_patch_box_for_a_patch_or_a_possible_patch(name, lang, heat_pad, box):
    req, texts, _titles = _texts([name], lang)
    assert req.opioid_patch
    assert heat_pad not in texts["about_sciatica"]
    assert box in texts["med_opioid"]
    if lang == "en":
        assert NO_HEAT_EN in texts["about_sciatica"]
        assert EXERCISE_HEAT_EN not in texts["exercise_plan"]


@pytest.mark.parametrize("name", ["fentanyl 100mcg tablets", "Belbuca 150", "codeine 30mg qds"])
def test_another_form_keeps_the_heat_advice_and_no_patch_box(name):
    req, texts, _titles = _texts([name], "en")
    assert not req.opioid_patch and not req.possible_patches
    assert HEAT_PAD_EN in texts["about_sciatica"] and EXERCISE_HEAT_EN in texts["exercise_plan"]
    assert PATCH_BOX_EN not in texts.get("med_opioid", "")


def test_the_clinician_is_told_a_possible_patch_is_printed_as_a_patch():
    req, _texts_, _titles = _texts(["fentanyl 25", "ibuprofen 400mg tds"], "en")
    assert req.possible_patches == ("fentanyl 25",)
    notes = [n for n in h.dose_notices(req) if "names no form" in n]
    assert len(notes) == 1 and "\u201cfentanyl 25\u201d" in notes[0] and "record the form" in notes[0]
    req, _texts_, _titles = _texts(["Fentalis 25"], "en")
    assert req.possible_patches == () and not [n for n in h.dose_notices(req) if "names no form" in n]
