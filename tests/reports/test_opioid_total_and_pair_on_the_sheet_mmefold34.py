"""mmefold34 (H-MED-706): the patient's sheet agrees with the window when the opioid carries its total beside a
benzodiazepine. Morphine 60 mg/day with diazepam: the window says the pair once (Avoid) and the morphine row's
total under its own label; the sheet's boxes (reports/handouts.other_medicine_alerts) say the combination once,
in one box naming both, and the morphine box is the one a patient on morphine 60 mg/day alone gets (the dose to
review, never stopped suddenly: classes.toml [stop_gradually], FDA 2019), so no second "not together" is printed."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.handouts import other_medicine_alerts
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 12, 1)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _case(meds):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1970-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    return parse_case(d)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("mg", [50, 60, 89, 90])
def test_the_sheet_says_the_pair_once_and_the_morphine_box_as_without_diazepam(mg, lang):
    boxes = other_medicine_alerts(_case([("morphine", mg), ("diazepam", 10)]), AS_OF, lang)
    together = [b for b in boxes if b.together]
    assert [b.medicines for b in together] == [("morphine", "diazepam")]
    (alone_box,) = other_medicine_alerts(_case([("morphine", mg)]), AS_OF, lang)
    (morphine_box,) = [b for b in boxes if b.medicines == ("morphine",)]
    assert morphine_box.paragraphs == alone_box.paragraphs and morphine_box.heading == alone_box.heading
    # the sheet never tells the patient to stop either on their own
    assert not any(b.heading.startswith("stop") for b in boxes)


def test_below_50_the_sheet_has_only_the_pair():
    boxes = other_medicine_alerts(_case([("morphine", 49), ("diazepam", 10)]), AS_OF)
    assert [(b.medicines, b.together) for b in boxes] == [(("morphine", "diazepam"), True)]
