"""A patch sheet's boxes say patch words, never "take" (mmx22, gp21 F5): the high-dose box said
"You take fentanyl 100 + 50 mcg/h" and the dose-to-check heading said "Check your dose before you
take more" over a body that says "before you put on your next patch". A skin patch is put on and
worn, not taken (sheet21/fxl20 wording). A tablet keeps "take" (unchanged)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _sheet(meds, lang):
    d = copy.deepcopy(BASE)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    d["medicines"] = [{"name": n} for n in meds]
    req = h.request_for_case(parse_case(d), AS_OF, clinic_name="C", clinic_contact="5", lang=lang,
                             sheets=["med_opioid"], profile="us")
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


@pytest.mark.parametrize("lang, said, never", [
    ("en", "You use fentanyl 100 + 50 mcg/h patches.", "You take fentanyl"),
    ("es", "Usted usa fentanilo 100 + 50 mcg/h patches.", "Usted toma fentanilo"),
])
def test_the_high_dose_box_of_a_patch_says_use(lang, said, never):
    text = _sheet(["fentanyl 100 + 50 mcg/h patches"], lang)
    assert said in text and never not in text


# plainwords (H-MED-647): the recorded "bd" is said in plain words before the box's own bracket
@pytest.mark.parametrize("lang, said", [
    ("en", "You take morphine 200mg twice a day (400 mg a day in all)."),
    ("es", "Usted toma morfina 200mg dos veces al día (400 mg al día en total)."),
])
def test_the_high_dose_box_of_a_tablet_still_says_take(lang, said):
    assert said in _sheet(["morphine 200mg bd"], lang)


@pytest.mark.parametrize("lang, heading, never", [
    ("en", "Check your dose before you put on your next patch", "Check your dose before you take more"),
    ("es", "Revise su dosis antes de ponerse el próximo parche", "Revise su dosis antes de tomar más"),
])
def test_the_dose_to_check_heading_of_a_patch_says_next_patch(lang, heading, never):
    text = _sheet(["Fentalis 250"], lang)
    assert heading in text and never not in text


def test_a_tablet_dose_to_check_keeps_its_heading():
    d = _sheet(["morphine 20000mg daily"], "en")
    assert "Check your dose before you take more" in d or "Your dose is too high for you" in d
