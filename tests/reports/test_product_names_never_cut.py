"""A product's name printed for a patient is never cut (opi18, gp17 F6).

gp17 F6: for "tylenol no. 3 x2 qds" the opioid sheet said "This sheet is about codeine +
paracetamol (tylenol no.)". The cause was not a sentence splitter at the "." of "No.": the
sheet kept the typed words up to the first word holding a digit, so the "3" of the product's
own name was dropped with the regimen. The name shown is now the name as typed without only its
regimen (the name grammar of drugs.toml ``[name_reading]``) and its strength, so "No. 3", "#3",
"w/" and the typed capitals are kept, in the English and the Spanish sheet.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import product_words
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def case(meds):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    d["medicines"] = [{"name": n} for n in meds]
    return parse_case(d)


def sheet_text(c, sheet_id, lang):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=[sheet_id])
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


@pytest.mark.parametrize("typed, shown", [
    ("tylenol no. 3 x2 qds", "tylenol no. 3"),          # gp17 F6: was "tylenol no."
    ("Tylenol No. 3", "Tylenol No. 3"),
    ("Tylenol No.3 2 tabs qds", "Tylenol No.3"),
    ("tylenol #3 2 tabs qds", "tylenol #3"),
    ("tylenol # 3", "tylenol # 3"),
    ("tylenol w/ codeine no. 4", "tylenol w/ codeine no. 4"),
    ("tylenol with codeine #3 300/30", "tylenol with codeine #3"),
    ("percocet 10/325 1 tab qid", "percocet"),        # a strength with "/" is a strength
    ("co-codamol 30/500 caps", "co-codamol"),
    ("co-codamol 30⁄500", "co-codamol"),              # fraction slash
    ("ibuprofen 400 mg tds", "ibuprofen"),
    ("methadone 10mg/ml od", "methadone"),
    ("Medrol 4mg", "Medrol"),
])
def test_the_product_name_keeps_its_own_number_and_drops_only_strength_and_regimen(typed, shown):
    assert product_words(typed) == shown


@pytest.mark.parametrize("lang, generic", [("en", "codeine"), ("es", "codeína")])
@pytest.mark.parametrize("typed, shown", [
    ("tylenol no. 3 x2 qds", "tylenol no. 3"),
    ("Tylenol No. 3", "Tylenol No. 3"),
    ("tylenol #3 2 tabs qds", "tylenol #3"),
    ("TYLENOL #4", "TYLENOL #4"),
    ("tylenol with codeine no. 4", "tylenol with codeine no. 4"),
])
def test_the_opioid_sheet_names_the_product_whole(typed, shown, lang, generic):
    """The sheet's "This sheet is about" line names the product as typed, never cut at its
    "." or its number (the generics are named before it, in the sheet's language)."""
    text = sheet_text(case([typed]), "med_opioid", lang).lower()  # the case keeps names lower-cased
    assert f"({shown.lower()})" in text, text[:600]
    assert generic in text
    cut = shown.lower().split("3")[0].split("4")[0].rstrip()  # what main printed: up to the first digit
    assert f"({cut})" not in text


def test_a_combination_strength_is_still_left_out_of_the_bracket():
    """Percocet 10/325 is Percocet: its strength is the dose's business, not the name's."""
    text = sheet_text(case(["percocet 10/325 1 tab qid"]), "med_opioid", "en")
    assert "(percocet)" in text
    assert "(percocet 10/325" not in text


@pytest.mark.parametrize("typed, shown", [
    # rt19 F10 (fxc18): a liquid's strength written in pieces was cut at its slash
    ("Morphine sulfate 10 mg/5 mL", "Morphine sulfate"),
    ("oramorph 10 mg / 5 ml", "oramorph"),
    ("Oramorph 10 mg per 5 ml", "Oramorph"),
    ("oramorph 10 mg/ 5ml", "oramorph"),
    ("morphine 10 mg/ml", "morphine"),
    ("codeine 15 mg/5 ml 10 ml qds", "codeine"),
    # written whole, and the strengths that were already right, unchanged
    ("morphine sulfate 10mg/5ml oral solution", "morphine sulfate"),
    ("ibuprofen 400 mg", "ibuprofen"),
    ("Tylenol #3", "Tylenol #3"),
])
def test_a_liquid_strength_is_left_out_whole_never_cut_at_its_slash(typed, shown):
    assert product_words(typed) == shown
    assert "/" not in product_words(typed)
