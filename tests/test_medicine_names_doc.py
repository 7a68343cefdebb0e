"""docs/medicine-names.md is generated from resources/medicines and must be current."""

from __future__ import annotations

from pathlib import Path

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.medicine_names_doc import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "medicine-names.md"


def test_the_recognised_medicine_names_page_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/medicine-names.md is out of date: run "
        "`python -m radiculopathy_desktop.medicine_names_doc > docs/medicine-names.md`")


def test_every_generic_and_typed_name_is_listed():
    text = DOC.read_text(encoding="utf-8")
    data = load_medicine_data()
    for members in data.class_members.values():
        for name in members:
            assert f"- {name}" in text
    for name in data.synonyms:
        assert f"- {name}" in text
