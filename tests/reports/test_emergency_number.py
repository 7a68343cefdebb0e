"""The emergency number on handouts follows the clinic's country (issue 13), at the command
line as in the window: ``settings set clinic_country uk|us|eu|other``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.domain.emergency import COUNTRIES, country_for, emergency_words


def _cli(data: Path, *args: str) -> int:
    from radiculopathy_desktop.cli import main
    return main(["--data-dir", str(data), *args])


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages).split())


def test_the_table_of_numbers():
    # NHS (999, and NHS 111 for urgent advice); FCC (911); Directive (EU) 2018/1972 art. 109 (112)
    assert emergency_words(COUNTRIES["uk"])["emergency_number"] == "999"
    assert "111" in emergency_words(COUNTRIES["uk"])["urgent_help"]
    assert emergency_words(COUNTRIES["us"])["emergency_number"] == "911"
    assert emergency_words(COUNTRIES["eu"])["emergency_number"] == "112"
    assert emergency_words(COUNTRIES["other"])["emergency_number"] == "your local emergency number"
    assert emergency_words(COUNTRIES["other"], "es")["emergency_number"] == "número local de emergencias"
    # unset: the guideline profile decides; an unknown profile gives no number at all
    assert country_for(None, "uk").code == "uk" and country_for(None, "us").code == "us"
    assert country_for(None, None).code == "other" and country_for("eu", "us").code == "eu"


def test_settings_set_clinic_country_then_the_handout_uses_it(qapp_offscreen, seeded_store, tmp_path, capsys):
    case = "EX-ROUTINE-S1-DUE"
    args = ("handout", case, "--as-of", "2026-11-21", "--sheets", "warning_signs")
    assert _cli(seeded_store, *args, "--out", str(tmp_path / "unset.pdf")) == 0
    unset = _text(tmp_path / "unset.pdf")
    # unset: the guideline profile's country, as the window does (hazard H-UI-23; red-team rt8 F3)
    assert "call 911" in unset and "999" not in unset and "your local emergency number" not in unset
    assert _cli(seeded_store, *args, "--profile", "uk", "--out", str(tmp_path / "unset-uk.pdf")) == 0
    assert "call 999" in _text(tmp_path / "unset-uk.pdf")

    assert _cli(seeded_store, "settings", "set", "clinic_country", "uk") == 0
    assert _cli(seeded_store, "settings", "get", "clinic_country") == 0
    assert capsys.readouterr().out.strip().endswith("uk")
    assert _cli(seeded_store, *args, "--out", str(tmp_path / "uk.pdf")) == 0
    uk = _text(tmp_path / "uk.pdf")
    assert "call 999" in uk and "NHS 111" in uk and "911" not in uk

    assert _cli(seeded_store, "settings", "set", "clinic_country", "us") == 0
    assert _cli(seeded_store, *args, "--lang", "es", "--out", str(tmp_path / "us-es.pdf")) == 0
    assert "llame al 911" in _text(tmp_path / "us-es.pdf")


def test_an_unknown_country_is_refused_and_nothing_changes(seeded_store, capsys):
    assert _cli(seeded_store, "settings", "set", "clinic_country", "eu") == 0
    capsys.readouterr()
    assert _cli(seeded_store, "settings", "set", "clinic_country", "mars") == 2
    err = capsys.readouterr().err
    assert "settings: clinic_country: the value must be one of uk, us, eu, other" in err and "Nothing was changed" in err
    assert _cli(seeded_store, "settings", "get", "clinic_country") == 0
    assert capsys.readouterr().out.strip().endswith("eu")
