"""UK opioid patch brands read on their SmPC, leaflet or MHRA record, and a medicine not recognised
but written as a skin patch (src21; gp20 F3; H-MED-396).

Before: "Mezolar Matrix 25", "Opiodur 50", "Yemex 25", "Victanyl 75", "Osmanil 100", "Osmach 25" (fentanyl)
and "Bupeaze 35", "Hapoctasin 52.5", "Panitaz 20", "Sevodyne 5", "Norspan 10" (buprenorphine) were not
recognised: the sciatica sheet said "Use a heat pad, a warm bath or a warm shower" to a patient wearing
one, with no patch box; and "Qlarvent 25 micrograms/hour patch" (a patch brand the data does not hold)
got the same heat pad although its name says it is a patch.

Primary sources (resources/medicines/sources.toml; each read 2026-12-01 through the search tool):
- Mezolar Matrix SmPC on emc 5180 (mezolar-matrix-uk): "Each patch releases 100 micrograms fentanyl per
  hour"; "3. Pharmaceutical form: Transdermal patch".
- Opiodur SmPC on emc 10999 (opiodur-uk): "... transdermal patch contains 1.375 mg of fentanyl in a patch
  size of 5cm2, releasing 12.5 micrograms of fentanyl per hour".
- Bupeaze SmPC on emc 2103 (bupeaze-uk): "Nominal release rate: 35 micrograms of buprenorphine per hour
  (over a period of 96 hours)".
- Yemex and Osmanil leaflets (yemex-uk, osmanil-uk; copies): "Do not expose the patches to a heat source
  (such as a hot water bottle)"; Osmach leaflet (osmach-uk; copy): "Do not soak in a hot bath or take a
  hot shower whilst wearing a patch".
- Panitaz MHRA leaflet (panitaz-uk; copy): "Panitaz patches act through the skin. After application,
  buprenorphine passes through the skin into the blood. Each patch lasts for seven days."
- Norspan consumer leaflet, Australia (norspan-au): "NORSPAN patches act through the skin."

Boundaries: a name the data does not hold with no patch word or rate ("Qlarvent 25") keeps the heat advice
and the "not recognised" warning; the same name written as another form ("Qlarvent 25 mcg/h tablets") is
not a patch; one written with a patch word or a rate ("Qlarvent 25 micrograms/hour patch", "Qlarvent matrix
25 mcg/h", "Qlarvent 25 mcg/h") is printed as a possible patch and the clinician is told ("matrix" or "td" alone
no longer does: rt23 F4, tests/reports/test_transmucosal_and_patch_names_rcg22.py).
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
EXERCISE_HEAT_EN = "Use heat before you exercise if it helps you move."
PATCH_BOX_EN = "If you wear a pain patch"
PATCH_BOX_ES = "Si lleva un parche para el dolor"
HOT_SHOWER_EN = "Do not take hot baths or hot showers"
HOT_SHOWER_ES = "No se dé baños ni duchas calientes"

BRANDS = [
    ("Mezolar Matrix 25", "fentanyl", "mezolar-matrix-uk"), ("Mezolar 12", "fentanyl", "mezolar-matrix-uk"),
    ("Opiodur 50", "fentanyl", "opiodur-uk"), ("Yemex 25", "fentanyl", "yemex-uk"),
    ("Victanyl 75", "fentanyl", "victanyl-uk"), ("Osmanil 100", "fentanyl", "osmanil-uk"),
    ("Osmach 25", "fentanyl", "osmach-uk"),
    ("Bupeaze 35", "buprenorphine", "bupeaze-uk"), ("Hapoctasin 52.5", "buprenorphine", "hapoctasin-uk"),
    ("Panitaz 20", "buprenorphine", "panitaz-uk"), ("Sevodyne 5", "buprenorphine", "sevodyne-uk"),
    ("Norspan 10", "buprenorphine", "norspan-au"), ("Norspan5", "buprenorphine", "norspan-au"),
]
WRITTEN_AS_PATCH = ["Qlarvent 25 micrograms/hour patch", "Qlarvent matrix 25 mcg/h", "Qlarvent 25 mcg/h", "Qlarvent TTS 25",
                    "Qlarvent transdermal 10"]


def _meds(name):
    return assess_medications(case([(name, None)]).intake, AS_OF).current_medicines


def _form(name):
    data = M.load_medicine_data()
    return [(m.generics, data.patch_form(m)) for m in _meds(name)]


def _texts(meds, lang, sheets=("about_sciatica", "exercise_plan")):
    c = case([(m, None) for m in meds])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=list(sheets),
                             confirm_unrecognised=True)
    return req, " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req))


# --------------------------------------------------------------------------- the brands read
@pytest.mark.parametrize("name,generic,_source", BRANDS)
def test_each_brand_read_is_its_opioid_as_a_patch(name, generic, _source):
    assert _form(name) == [((generic,), "patch")]
    assert M.is_opioid_patch(_meds(name)[0])


@pytest.mark.parametrize("name,generic,source", BRANDS)
def test_each_brand_cites_the_page_it_was_read_on(name, generic, source):
    import tomllib

    from radiculopathy_desktop.domain.medications import default_data_dir
    routes = tomllib.loads((default_data_dir() / "routes.toml").read_text(encoding="utf-8"))
    sources = tomllib.loads((default_data_dir() / "sources.toml").read_text(encoding="utf-8"))["sources"]
    assert source in routes["patch_forms"]["source"]
    text = sources[source]
    assert name.split()[0].rstrip("0123456789").lower() in text.lower()  # the brand it is about
    assert generic in text and "read 2026-12-01" in text
    assert "patch" in text.lower()


@pytest.mark.parametrize("name,generic,_source", BRANDS)
def test_a_brand_wearer_gets_no_heat_pad_and_the_patch_box(name, generic, _source):
    req, text = _texts([name], "en", sheets=("about_sciatica", "exercise_plan", "med_opioid"))
    assert req.opioid_patch
    assert HEAT_PAD_EN not in text and EXERCISE_HEAT_EN not in text
    assert PATCH_BOX_EN in text and HOT_SHOWER_EN in text
    assert req.unrecognised == () and h.unrecognised_note(req.unrecognised) is None


@pytest.mark.parametrize("name", ["Mezolar Matrix 25", "Bupeaze 35"])
def test_in_spanish_too(name):
    req, text = _texts([name], "es", sheets=("about_sciatica", "med_opioid"))
    assert HEAT_PAD_ES not in text and PATCH_BOX_ES in text and HOT_SHOWER_ES in text


@pytest.mark.parametrize("name", ["Opiodur 50", "Panitaz 20"])
def test_the_opioid_sheet_is_the_patch_sheet(name):
    req, _ = _texts([name], "en", sheets=("med_opioid",))
    [sheet] = h.filled_sheets(req)
    assert "patch" in sheet.title.lower() and "pills" not in sheet.title.lower()


# --------------------------------------------------------------------------- a name the data does not hold
def test_a_name_not_held_and_not_written_as_a_patch_keeps_the_heat_advice_and_the_warning():
    req, text = _texts(["Qlarvent 25"], "en")
    assert not req.opioid_patch and HEAT_PAD_EN in text and HOT_SHOWER_EN not in text
    note = h.unrecognised_note(req.unrecognised)
    assert "\u201cqlarvent 25\u201d is not recognised: the sheets give no advice for it (heat advice included)" in note
    assert "written as a skin patch" not in note


@pytest.mark.parametrize("name", WRITTEN_AS_PATCH)
def test_a_name_not_held_but_written_as_a_patch_is_printed_as_a_possible_patch(name):
    [med] = _meds(name)
    assert not med.generics  # never guessed to be fentanyl: the medicine checks do not count it
    assert M.load_medicine_data().unrecognised_patch(med)
    req, text = _texts([name], "en")
    assert req.unrecognised_patch and not req.opioid_patch  # rt23 F2: no medicine sheet becomes a patch sheet
    assert HEAT_PAD_EN not in text and EXERCISE_HEAT_EN not in text and HOT_SHOWER_EN in text
    assert "You wear a pain patch" not in text and PATCH_BOX_EN in text  # said as a condition (rt23 F2)
    note = h.unrecognised_note(req.unrecognised)
    assert note.startswith(f"\u201c{med.name}\u201d is not recognised but written as a skin patch: the sheets treat "
                           "it as a possible opioid patch (no heat pad or hot bath; \u201cif you wear a pain patch\u201d; no "
                           "medicine sheet becomes a patch sheet)")
    assert "the sheets give no advice for it (heat advice included)" not in note


@pytest.mark.parametrize("name", ["Qlarvent 25 mcg/h tablets", "Qlarvent patch buccal 25", "Qlarvent 25 mg"])
def test_a_name_not_held_written_as_another_form_or_in_mg_is_not_a_patch(name):
    [med] = _meds(name)
    assert not M.load_medicine_data().unrecognised_patch(med)
    req, text = _texts([name], "en")
    assert not req.opioid_patch and not req.unrecognised_patch and HEAT_PAD_EN in text


def test_both_kinds_of_unrecognised_medicine_are_named_apart():
    req, text = _texts(["Qlarvent 25", "Xyphorin 10 micrograms/hour patch"], "en")
    assert req.unrecognised_patch and HEAT_PAD_EN not in text  # one may be a patch: no heat for anyone
    note = h.unrecognised_note(req.unrecognised)
    assert "\u201cqlarvent 25\u201d is not recognised: the sheets give no advice for it" in note
    assert "\u201cxyphorin 10 micrograms/hour patch\u201d is not recognised but written as a skin patch" in note


def test_a_recognised_non_patch_medicine_keeps_the_heat_advice():
    req, text = _texts(["ibuprofen 400mg tds"], "en")
    assert not req.opioid_patch and HEAT_PAD_EN in text


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


def test_the_handout_command_warns_of_a_name_written_as_a_patch(tmp_path, capsys):
    from radiculopathy_desktop.cli import main

    data, case_id = _store_case(tmp_path, ["Qlarvent 25 micrograms/hour patch"])
    out = tmp_path / "h.pdf"
    code = main(["--data-dir", str(data), "handout", case_id, "--as-of", "2026-11-21", "--clinic-contact", "555",
                 "--out", str(out), "--sheets", "about_sciatica", "--confirm-unrecognised"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 0 and out.exists()
    assert ("warning: \u201cqlarvent 25 micrograms/hour patch\u201d is not recognised but written as a skin patch: "
            "the sheets treat it as a possible opioid patch") in err


def test_the_handout_command_is_silent_for_a_brand_read(tmp_path, capsys):
    from radiculopathy_desktop.cli import main

    data, case_id = _store_case(tmp_path, ["Mezolar Matrix 25"])
    out = tmp_path / "h.pdf"
    code = main(["--data-dir", str(data), "handout", case_id, "--as-of", "2026-11-21", "--clinic-contact", "555",
                 "--out", str(out), "--sheets", "about_sciatica"])
    assert code == 0 and out.exists() and "not recognised" not in capsys.readouterr().err
