"""The pitfall checks count the medicines the patient takes now, as the pathway does.

Issue 13 made the pathway, the medicine table and the handout picker agree that a patient on
ibuprofen is on an NSAID (``assess.treatments_taken_now``); issue 18's checks read only the
treatments recorded as tried. Merged, a patient on ibuprofen with an opioid tried must not be
told "no NSAID has been tried", and an opioid entered only in the medicine list must still be
checked against ACP 2017 Recommendation 3 / NICE NG59 (an opioid only after an NSAID).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.guideline import load_guideline
from radiculopathy_desktop.domain.intake import TreatmentTried, parse_case
from radiculopathy_desktop.domain.pitfalls import find_pitfalls

PROFILES = ("us", "uk")
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "routine_l5_acute.json"
AS_OF = dt.date(2026, 11, 28)


def _ids(profile, treatments=(), current=(), day=10):
    raised = find_pitfalls(load_guideline(profile), treatments=treatments, days_since_care_start=day,
                           start_back_risk=None, improving=None, current=current)
    return {c.id: c for c in raised}


@pytest.mark.parametrize("profile", PROFILES)
def test_an_opioid_in_the_medicine_list_only_is_checked(profile):
    got = _ids(profile, current={"opioid"})
    assert "opioid_before_nsaid" in got
    assert "no NSAID has been tried" in got["opioid_before_nsaid"].why


@pytest.mark.parametrize("profile", PROFILES)
def test_an_nsaid_taken_now_counts_as_tried(profile):
    # opioid recorded as tried, NSAID only in the medicine list: not "no NSAID has been tried"
    assert "opioid_before_nsaid" not in _ids(profile, treatments=[TreatmentTried("opioid")], current={"nsaid"})
    # both taken now: nothing dated, so no order is claimed
    assert "opioid_before_nsaid" not in _ids(profile, current={"opioid", "nsaid"})


@pytest.mark.parametrize("profile", PROFILES)
def test_current_medicines_count_for_the_week_6_checks(profile):
    # day 42, only a medicine taken now: passive care only, and a single modality (medicines)
    got = _ids(profile, current={"nsaid"}, day=42)
    assert "passive_only_by_week_6" in got and "NSAID" in got["passive_only_by_week_6"].why
    assert "single_modality" in got
    assert not _ids(profile, current={"nsaid"}, day=41)


def _example(medicines, treatments):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["medicines"] = medicines
    data["treatments_tried"] = treatments
    return parse_case(data)


@pytest.mark.parametrize("profile", PROFILES)
def test_assessment_passes_the_medicine_list_to_the_checks(profile):
    only_listed = _example([{"name": "oxycodone", "daily_dose_mg": 10}], [])
    a = assess_case(only_listed, AS_OF, profile)
    assert "opioid_before_nsaid" in {c.id for c in a.checks}
    on_ibuprofen = _example([{"name": "ibuprofen", "daily_dose_mg": 1200}],
                            [{"code": "opioid", "started": "2026-11-19"}])
    a = assess_case(on_ibuprofen, AS_OF, profile)
    assert "opioid_before_nsaid" not in {c.id for c in a.checks}
