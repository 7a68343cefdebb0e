"""A dose check says the patient's dose once (dialog31, H-UI-517).

GP tryout 31 (D12): a medicine typed as "paracetamol 16000 mg/day" was checked as "Check the dose:
paracetamol 16000 mg/day 16000 mg/day is 4 times the label maximum" in the alerts, the worklist's
Why and the banner: the name already said the dose, and the total was added after it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "routine_med_interactions.json"


def _alerts(medicines):
    d = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    d["medicines"] = medicines
    a = assess_case(parse_case(d), dt.date(2026, 11, 21), profile="us").to_dict()
    return [x["text"] for x in a.get("medicine_alerts") or []]


@pytest.mark.parametrize("medicine, said", [
    ({"name": "paracetamol 16000 mg/day"}, "paracetamol 16000 mg/day is 4 times"),  # the name says the dose
    ({"name": "paracetamol 16000 mg a day"}, "paracetamol 16000 mg a day is 4 times"),
    ({"name": "paracetamol", "daily_dose_mg": 16000}, "paracetamol 16000 mg/day is 4 times"),  # the dose column
    ({"name": "paracetamol", "daily_dose_mg": 6000}, "paracetamol 6000 mg/day: reduce dose"),  # reduce, not a slip
])
def test_the_dose_is_said_once(medicine, said):
    texts = [t for t in _alerts([medicine]) if "label maximum" in t]
    assert texts, "no dose alert"
    assert any(said in t for t in texts), texts
    number = said.split()[1]
    # each mention of the medicine says its dose once (the alert names it, then its reason does)
    assert not any(re.search(rf"{number} mg(/day| a day) {number} mg", t) for t in texts), texts


def test_a_name_with_another_number_keeps_the_total():
    """Only the total itself is taken as said: "16000" in the name is not "1600" (boundary)."""
    texts = [t for t in _alerts([{"name": "paracetamol 1600 mg/day", "daily_dose_mg": 16000}]) if "label maximum" in t]
    assert texts and all("16000 mg/day" in t for t in texts), texts
