"""Issue 18 in the handouts: the extra-care sheet goes to the patients it is for, and the next
visit printed for a patient aged 65 or over is never more than two weeks away (seed summary 2:
more frequent follow-up for older patients; the 14-day cap is the app's, marked unverified)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.handout_content import load_sheet
from radiculopathy_desktop.reports.handouts import default_next_follow_up, request_for_case
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 19)  # the example's intake visit: the review window opens on day 42


@pytest.fixture()
def raw():
    return json.loads(resource_path("examples/routine_l5_acute.json").read_text())


def _case(raw, birth_date=None, **conditions):
    data = copy.deepcopy(raw)
    if birth_date:
        data["patient"]["birth_date"] = birth_date
    data["conditions"].update(conditions)
    return parse_case(data)


def _sheets(case):
    return request_for_case(case, AS_OF, clinic_name="Clinic", clinic_contact="0100").sheets


@pytest.mark.parametrize("birth_date, extra", [("1961-11-20", False), ("1961-11-19", True), ("1940-01-01", True)])
def test_extra_care_sheet_from_the_65th_birthday(raw, birth_date, extra):
    assert ("extra_care" in _sheets(_case(raw, birth_date))) is extra


@pytest.mark.parametrize("condition", ["connective_tissue_disorder", "pelvic_floor_dysfunction"])
def test_extra_care_sheet_for_a_recorded_special_consideration(raw, condition):
    assert "extra_care" in _sheets(_case(raw, **{condition: True}))
    assert "extra_care" not in _sheets(_case(raw, **{condition: False}))


def test_older_patients_next_visit_is_within_two_weeks(raw):
    young = default_next_follow_up(_case(raw), AS_OF)
    old = default_next_follow_up(_case(raw, "1950-01-01"), AS_OF)
    assert young == AS_OF + dt.timedelta(days=42)  # the review window opening
    assert old == AS_OF + dt.timedelta(days=14)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_extra_care_keeps_new_bladder_or_bowel_trouble_an_emergency(lang):
    sheet = load_sheet("extra_care", lang)
    urgent = [s for s in sheet.sections if s.important]
    assert len(urgent) == 1
    text = " ".join(urgent[0].paragraphs).lower()
    assert ("emergency department" in text) if lang == "en" else ("urgencias" in text)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_follow_up_sheet_names_treatments_we_do_not_offer(lang):
    sheet = load_sheet("follow_up", lang)
    text = " ".join(t for s in sheet.sections for t in s.texts()).lower()
    assert "ozone" in text or "ozono" in text
    assert "radiofrequency" in text or "radiofrecuencia" in text
