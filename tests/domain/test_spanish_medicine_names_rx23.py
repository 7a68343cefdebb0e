"""rx23 (rt24 leftover): the Spanish generic names a Spanish-speaking clinic types ("morfina",
"oxicodona", "codeína", "ibuprofeno" ...) were not recognised, so an opioid written in Spanish beside
diazepam lost the opioid + benzodiazepine alert and its MME. They are held where the data already
holds the Spanish "fentanilo" and "buprenorfina": classes.toml [synonyms] (spellings as AEMPS's
fichas técnicas print them; see the data's note on what was read)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.resources import resource_path

DATA = load_medicine_data()
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 29)


@pytest.mark.parametrize("name, generic", [
    ("morfina", "morphine"), ("Morfina 10 mg", "morphine"), ("oxicodona 10 mg comprimidos", "oxycodone"),
    ("codeína 30mg", "codeine"), ("codeina 30 mg", "codeine"), ("hidromorfona 2mg", "hydromorphone"),
    ("metadona 10mg", "methadone"), ("ibuprofeno 600 mg comprimidos", "ibuprofen"), ("naproxeno 500mg", "naproxen"),
    ("diclofenaco 50mg", "diclofenac"), ("gabapentina 300mg", "gabapentin"), ("pregabalina 75 mg cápsulas", "pregabalin"),
    ("fentanilo 100 microgramos comprimidos bucales", "fentanyl"),
    ("tramadol 50mg", "tramadol"), ("diazepam 5mg", "diazepam"),
])
def test_a_spanish_generic_name_is_its_medicine(name, generic):
    assert DATA.resolve(name)[0] == (generic,)


@pytest.mark.parametrize("opioid, mme", [("morfina 30mg", 30), ("oxicodona 20 mg comprimidos", 30),
                                         ("codeína 240mg", 36)])
def test_a_spanish_opioid_keeps_its_alert_and_its_mme(opioid, mme):
    d = copy.deepcopy(BASE)
    d["medicines"] = [{"name": opioid, "daily_dose_mg": float(opioid.split()[1].rstrip("mg"))}, {"name": "diazepam 5mg"}]
    report = assess_medications(parse_case(d).intake, AS_OF, profile="us")
    assert not report.unrecognised_medicines
    assert any(i[0] == "ix-opioid-benzodiazepine" for i in report.interactions)
    assert report.current_daily_mme == pytest.approx(mme)


@pytest.mark.parametrize("name", ["morfinaa", "oxicodonas", "ibuprofenox"])
def test_a_near_spelling_is_not_taken_for_it(name):
    assert DATA.resolve(name)[0] == ()
