"""fhirnsaid35 (H-MED-726): "ultracet" typed in lower case was printed so on the sheets (no display name entry), beside
"Tramacet" and "Zaldiar" printed as their makers print them. Ultracet is spelled so on its US label (sources.toml
ultracet-label: "Ultracet (tramadol hydrochloride 37.5 mg and acetaminophen 325 mg tablets)"). Display names are
matched in any case, both in the recorded name and in the data's keys."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h
from tests.reports.test_display_names_and_patch_12_sht24 import _note, _text


@pytest.mark.parametrize("typed, shown", [
    ("ultracet 2 tabs qds", "Ultracet 2 tabs qds"), ("ULTRACET", "Ultracet"), ("Ultracet 37.5/325", "Ultracet 37.5/325"),
    ("uLtRaCeT 1", "Ultracet 1"), ("tramacet 1", "Tramacet 1"), ("zaldiar", "Zaldiar"),
])
def test_a_combination_brand_in_any_case_is_printed_as_its_maker_prints_it(typed, shown):
    assert h.display_name(typed) == shown


def test_a_name_holding_the_brand_inside_a_word_is_not_changed():
    assert h.display_name("xultracet 1") == "xultracet 1" and h.display_name("ultracets") == "ultracets"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sheet_and_its_note_print_ultracet_typed_in_lower_case(lang):
    text = _text(["ultracet 2 tabs qds"], lang)
    assert "Ultracet" in text and "ultracet" not in text
    assert "Ultracet" in _note(["ultracet 2 tabs qds"])


def _with_display_names(tmp_path, monkeypatch, body):
    import shutil

    from radiculopathy_desktop.resources import resource_path

    folder = tmp_path / "medicines"
    shutil.copytree(resource_path("medicines"), folder)
    (folder / "display_names.toml").write_text(body, encoding="utf-8")
    real = h.resource_path
    monkeypatch.setattr(h, "resource_path", lambda *parts: folder / parts[1] if parts[0] == "medicines" else real(*parts))
    h.display_names.cache_clear()


def test_a_key_written_in_capitals_is_the_name_it_spells(tmp_path, monkeypatch):
    _with_display_names(tmp_path, monkeypatch, '[display_names]\n"Ultracet" = { name = "Ultracet", '
                                               'source = "ultracet-label" }\n')
    try:
        assert h.display_names()[1] == {"ultracet": "Ultracet"}
        assert h.display_name("ultracet 1") == "Ultracet 1"
    finally:
        h.display_names.cache_clear()


def test_two_keys_that_are_one_name_are_refused(tmp_path, monkeypatch):
    _with_display_names(tmp_path, monkeypatch, '[display_names]\nultracet = { name = "Ultracet", source = '
                                               '"ultracet-label" }\n"ULTRACET" = { name = "Ultracet", source = '
                                               '"ultracet-label" }\n')
    try:
        with pytest.raises(h.DisplayNamesError, match="same name as another key"):
            h.display_names()
    finally:
        h.display_names.cache_clear()
