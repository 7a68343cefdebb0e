"""English sheets for a clinic in the United Kingdom use UK words (rd13 D21): paracetamol (BNF
and NHS name; acetaminophen is the US name), A&E (NHS: "go to A&E or call 999"), programme.
The table is data (resources/handouts/uk_words.toml); every other country keeps the sheet's words."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
SHEETS = ["about_sciatica", "warning_signs", "exercise_plan", "follow_up", "med_acetaminophen"]


def _text(country: str, sheets=SHEETS) -> str:
    c = parse_case(json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8")))
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", sheets=sheets, country=country)
    return " ".join(" ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req))


def test_uk_sheets_say_paracetamol_a_and_e_and_programme():
    text = _text("uk")
    # the US name is not printed for a UK clinic (gp17 F13, src18)
    assert "acetaminophen" not in text and "United States" not in text
    for us_word in ("Acetaminophen", "Tylenol", "emergency department"):
        assert us_word not in text, us_word
    assert not re.search(r"\bprogram\b", text)
    assert "Your medicine: paracetamol." in text and "A&E" in text and "programme" in text


@pytest.mark.parametrize("country", ["us", "eu", "other"])
def test_other_countries_keep_the_sheets_words(country):
    text = _text(country)
    assert "acetaminophen" in text and "emergency department" in text and "A&E" not in text


def test_the_uk_table_only_names_words_the_english_sheets_use():
    import tomllib
    with open(resource_path("handouts", "uk_words.toml"), "rb") as fh:
        pairs = tomllib.load(fh)["replace"]
    every = " ".join(t for s in hc.sheet_ids("en") for t in hc.load_sheet(s, "en").texts())
    unused = [old for old, _ in pairs if old not in every and old.lower() not in every.lower()]
    assert not unused, unused
