"""Brands are printed as their makers print them, and a "12" fentanyl patch is named as printed beside
the 12.5 it delivers (sht24 items 4 and 5; H-MED-434, H-MED-435).

Before: the intake keeps a name in lower case, and the sheets printed it so: "take your fentalis 25",
"fentanyl (fentalis 25)", "You take pecfent 100 and fentalis 25". The clinician's note said
"fentalis 12 (a skin patch ...: 12.5 micrograms an hour" for a "12" patch, a number not on its box
(drugs.toml [patch_delivered_rates]: the "12" patch delivers 12.5 micrograms an hour, per the
Durogesic DTrans 12 SmPC and the Duragesic label).

The display names are data (resources/medicines/display_names.toml), each spelled as its source names
the product (Matrifen SmPC on emc, the Fentalis Reservoir leaflet, the PecFent EU SmPC...).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.reports.test_contraindicated_words_agree import AS_OF, case


def _req(meds, lang="en", sheets=("med_opioid",)):
    return h.request_for_case(case([(m, None) for m in meds]), AS_OF, clinic_name="Clinic", clinic_contact="555",
                              lang=lang, sheets=list(sheets), confirm_unrecognised=True)


def _text(meds, lang="en", sheets=("med_opioid",)):
    return " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(_req(meds, lang, sheets)))


def _note(meds):
    req = _req(meds)
    return " ".join([*h.dose_notices(req), *h.taken_now_notes(req.doses)])


# ------------------------------------------------------------------ item 5: display names
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("typed,shown", [("fentalis 25", "Fentalis 25"), ("FENTALIS 25", "Fentalis 25"),
                                         ("pecfent 100", "PecFent 100"), ("matrifen 50", "Matrifen 50"),
                                         ("durogesic dtrans 25", "Durogesic DTrans 25"),
                                         ("butrans 10 micrograms/hour patch", "Butrans 10 micrograms/hour patch")])
def test_a_brand_typed_in_any_case_is_printed_as_its_maker_prints_it(typed, shown, lang):
    text = _text([typed], lang)
    assert shown in text
    assert typed not in text or typed == shown
    assert shown in _note([typed])


def test_each_product_keeps_its_own_display_name_in_a_list():
    text = _text(["pecfent 100", "fentalis 25"])
    assert "You take PecFent 100 and Fentalis 25." in text or "You use PecFent 100 and Fentalis 25." in text
    # arthro36 (H-MED-753): a brand is named first, with what it is ("PecFent 100 (fentanyl)")
    assert "PecFent 100 (fentanyl) and Fentalis 25 (fentanyl)" in text


@pytest.mark.parametrize("typed", ["oxycodone 10mg bd", "fentanyl 25mcg/h patch", "morphine"])
def test_a_generic_is_printed_as_typed(typed):
    # no display name for a generic: "Oxycodone" mid-sentence would be another fault
    # plainwords (H-MED-647): "bd" is said in plain words after the name as typed ("oxycodone 10mg (twice a day)")
    assert typed.removesuffix(" bd") in _text([typed]) and "Oxycodone 10mg" not in _text([typed])


def test_a_name_that_only_contains_a_brand_inside_a_word_is_not_changed():
    assert h.display_name("xfentalis 25") == "xfentalis 25"
    assert h.display_name("fentalis25") == "Fentalis25"  # a number typed on to it, as the medicine data reads it
    assert h.display_name("fentalis reservoir 25") == "Fentalis Reservoir 25"


def test_the_plasters_are_named_as_their_makers_print_them():
    note = h.unrecognised_note(_req(["versatis", "qutenza"], sheets=("about_sciatica",)).unrecognised)
    assert "“Versatis” is a lidocaine plaster" in note and "“Qutenza” is a capsaicin patch" in note


def test_every_display_name_is_a_known_name_spelled_as_its_key_with_a_source():
    pattern, table = h.display_names()
    assert pattern is not None and "fentalis" in table and table["pecfent"] == "PecFent"
    for key, name in table.items():
        assert name.lower() == key and name != key  # a display name that changes nothing is not needed


def test_a_display_name_that_does_not_spell_its_key_is_refused(tmp_path, monkeypatch):
    import shutil

    from radiculopathy_desktop.resources import resource_path

    folder = tmp_path / "medicines"
    shutil.copytree(resource_path("medicines"), folder)
    (folder / "display_names.toml").write_text(
        '[display_names]\nfentalis = { name = "Fentanyl", source = "matrifen-uk" }\n', encoding="utf-8")
    real = h.resource_path
    monkeypatch.setattr(h, "resource_path", lambda *parts: folder / parts[1] if parts[0] == "medicines" else real(*parts))
    h.display_names.cache_clear()
    try:
        with pytest.raises(h.DisplayNamesError, match="must spell the key"):
            h.display_names()
        (folder / "display_names.toml").write_text(
            '[display_names]\nfentalys = { name = "Fentalys", source = "matrifen-uk" }\n', encoding="utf-8")
        with pytest.raises(h.DisplayNamesError, match="not a name the medicine data knows"):
            h.display_names()
        (folder / "display_names.toml").write_text(
            '[display_names]\nfentalis = { name = "Fentalis", source = "no-such-source" }\n', encoding="utf-8")
        with pytest.raises(h.DisplayNamesError, match="not in resources/medicines/sources.toml"):
            h.display_names()
    finally:
        h.display_names.cache_clear()


# ------------------------------------------------------------------ item 4: the "12" patch
@pytest.mark.parametrize("typed,said", [
    ("fentalis 12", "Fentalis 12, a skin patch, prescribed in micrograms an hour: the “12” patch (delivers 12.5 "
                    "micrograms an hour)"),
    ("fentanyl 12mcg/h patch", "the “12” patch (delivers 12.5 micrograms an hour), counted as 30 MME/day"),
    ("fentanyl 12mcg/h patch x2", "2 “12” patches (each delivers 12.5 micrograms an hour), 25 micrograms an hour in "
                                  "all, counted as 60 MME/day"),
    ("fentanyl 12 + 25 mcg/h patch", "37.5 micrograms an hour in all (the “12” patch delivers 12.5 micrograms an "
                                     "hour), counted as 90 MME/day"),
])
def test_the_note_names_the_12_patch_beside_what_it_delivers(typed, said):
    note = _note([typed])
    assert said in note
    assert ": 12.5 micrograms an hour" not in note  # never the bare rate alone


@pytest.mark.parametrize("typed,said", [("fentanyl 25mcg/h patch", ": 25 micrograms an hour, counted as 60 MME/day"),
                                        ("fentalis 50", ": 50 micrograms an hour (the number written with no unit")])
def test_a_strength_that_is_its_rate_is_said_once(typed, said):
    note = _note([typed])
    assert said in note and "delivers" not in note
