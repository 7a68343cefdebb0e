"""The NSAID sheet of a medicine without a row of its own, taken above its label maximum, in
Spanish and English (combo28): the box in Spanish, the class named as the English sheet names it
("Los médicos los llaman AINE"), and the label whose maximum the sheet prints named on the
Sources line (before: "meloxicam 30 mg al día ... lo máximo es 15 mg" cited only the ibuprofen
and naproxen labels).

Figures from their primary sources (resources/medicines/sources.toml): meloxicam-label "The
maximum recommended daily oral dose of meloxicam is 15 mg regardless of formulation";
diclofenac-label 200 mg a day (us); voltarol-smpc "The recommended maximum daily dose of Voltarol
is 150mg" (uk).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _sheet(name, lang, profile="us"):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": name}]
    req = h.request_for_case(parse_case(d), AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=["med_nsaid"], profile=profile)
    sheet = h.filled_sheets(req)[0]
    return " ".join(hc.plain_text(sheet).split()), hc.printed_sources(sheet, lang)


def test_meloxicam_above_its_maximum_in_spanish_names_its_label():
    text, sources = _sheet("Meloxicam 15mg bd", "es")
    assert ("Su dosis es demasiado alta para usted. Ahora toma meloxicam 30 mg al día. Para usted, lo máximo es "
            "15 mg al día. Desde hoy, no tome más de 15 mg al día") in text
    assert "Los médicos los llaman AINE." in text
    assert "ficha técnica del meloxicam" in sources
    assert "mg a day" not in text and "keep taking" not in text.lower()


def test_meloxicam_at_its_maximum_prints_no_maximum_box_and_no_label_for_it():
    text, sources = _sheet("meloxicam 15mg od", "es")
    assert "demasiado alta" not in text
    # handout29 (H-MED-521): its label's maximum is printed ("No tome más de 15 mg al día"), so it is named
    assert "No tome más de 15 mg al día." in text and "ficha técnica del meloxicam" in sources


def test_the_english_sheet_names_the_label_too():
    text, sources = _sheet("Meloxicam 15mg bd", "en")
    assert "For you, the most is 15 mg a day." in text and "meloxicam label" in sources


@pytest.mark.parametrize("profile, above, label", [("uk", True, "ficha técnica británica de Voltarol (diclofenaco)"),
                                                   ("us", False, "ficha técnica del diclofenaco")])
def test_diclofenac_200_mg_is_above_the_uk_maximum_and_at_the_us_one(profile, above, label):
    text, sources = _sheet("diclofenac 50mg qds", "es", profile)
    assert ("lo máximo es 150 mg al día" in text) is above
    # at the us maximum the label's 200 mg is printed as the most a day (handout29), so it is named too
    assert label in sources and ("No tome más de 200 mg al día." in text) is not above


def test_every_label_maximum_the_sheets_can_print_has_a_printed_name_in_both_languages():
    with resource_path("medicines", "drugs.toml").open("rb") as fh:
        checks = tomllib.load(fh)["dose_checks"]
    ids = {s for e in checks.values() if "label_max_daily_mg" in e for s in e["source"]}
    ids |= {s for e in checks.values() for alt in (e.get("profile_max") or {}).values() for s in alt["source"]}
    assert "meloxicam-label" in ids
    for lang in ("en", "es"):
        missing = [x for x in sorted(ids) if hc.source_label(x, lang) == x]
        assert not missing, (lang, missing)
