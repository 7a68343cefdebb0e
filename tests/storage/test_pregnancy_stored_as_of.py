"""A stored pregnancy on the worklist and the case for a past or future date, and the stored
"not pregnant" answer, on both engines (preg16; tests/storage/conftest.py ``store``).

The weeks are recorded on the intake's visit date and move on with time (docs/case-format.md).
What the tracker stores at save for the worklist must not freeze them: the stored medicine
alerts (``medicine_alerts``) are dose reductions, which no pregnancy rule caps, so they hold
for any ``--as-of``; everything that applies a pregnancy rule reads the case for its date.
FDA Drug Safety Communication 2020: "We recommend avoiding NSAIDs in pregnant women at 20
weeks, rather than the 30 weeks currently described in NSAID prescribing information".
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.errors import UserError
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
ALL = list(ReviewStatus)
INTAKE = ANCHOR - dt.timedelta(days=50)


def pregnant(case_id="P", weeks=18, dose=3300.0, **patient) -> dict:
    """Recorded 18 weeks pregnant at the intake, taking ibuprofen above the US 3200 mg maximum."""
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    d["patient"].update(patient)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": dose}]
    return d


def row(store, case_id, as_of):
    return next(r for r in store.worklist(as_of, statuses=ALL, profile="us") if r.case_id == case_id)


def test_no_pregnancy_rule_caps_a_dose_so_the_stored_dose_alerts_hold_for_any_date():
    """The worklist's stored marks are dose reductions on the latest record's date: a pregnancy
    rule with a cap would make them depend on the weeks, which move on after the save."""
    data = load_medicine_data()
    rules = [r for rules in data.rules_by_drug.values() for r in rules
             if r.pregnant or r.pregnancy_weeks_at_least is not None or r.pregnancy_weeks_below is not None]
    assert rules and all(r.cap is None and not r.cap_mg_per_kg for r in rules)


def test_the_worklist_and_the_case_for_a_past_and_a_future_date(store):
    store.import_cases([parse_case(pregnant())])
    case = store.get_case("P")
    assert case.patient.pregnancy_weeks == 18 and case.intake.visit_date == INTAKE
    for as_of in (INTAKE + dt.timedelta(days=13), INTAKE + dt.timedelta(days=14),
                  INTAKE + dt.timedelta(weeks=12), INTAKE + dt.timedelta(weeks=30)):
        alerts = row(store, "P", as_of).dose_alerts
        assert alerts and "ibuprofen 3300 mg/day > max 3200 mg/day" in alerts[0]
    def alert(days):
        (only,) = assess_case(store.get_case("P"), INTAKE + dt.timedelta(days=days), profile="us").medicine_alerts
        return only.status, only.text

    # 19+6 weeks: above the label maximum only (reduce dose, dose19); 20: the FDA's 20-week advice
    # makes it avoid; 30: contraindicated
    assert alert(13)[0] == "reduce_dose" and "weeks" not in alert(13)[1]
    assert alert(14)[0] == "avoid" and "Pregnant, 20 weeks: avoid NSAIDs from 20 weeks" in alert(14)[1]
    assert alert(83)[0] == "avoid" and "from 30 weeks" not in alert(83)[1]
    assert alert(84)[0] == "contraindicated" and "Pregnant, 30 weeks: do not use NSAIDs from 30 weeks" in alert(84)[1]
    late = assess_case(store.get_case("P"), INTAKE + dt.timedelta(weeks=30), profile="us").to_dict()["patient"]
    assert "still pregnant or breastfeeding" in late["pregnancy_note"]


def test_not_pregnant_is_stored_and_read_back(store):
    store.import_cases([parse_case(pregnant("N", weeks=None, pregnant=False))])
    case = store.get_case("N")
    assert case.patient.pregnant is False and case.patient.pregnancy_weeks is None
    assert assess_case(case, ANCHOR).to_dict()["patient"]["pregnant"] == "no"
    store.import_cases([parse_case(pregnant("U", weeks=None))])
    assert store.get_case("U").patient.pregnant is None


def test_a_re_import_answering_not_pregnant_over_a_pregnancy_is_refused(store):
    store.import_cases([parse_case(pregnant())])
    with pytest.raises(UserError) as info:
        store.import_cases([parse_case(pregnant(weeks=None, pregnant=False))], user="import")
    message = str(info.value)
    assert "the file records patient" in message and "as not pregnant (18 weeks" in message
    assert "--replace-records" in message
    assert store.get_case("P").patient.pregnancy_weeks == 18
    result = store.import_cases([parse_case(pregnant(weeks=None, pregnant=False))], user="import",
                                replace_records=True)
    assert {"case_id": "P", "field": "patient.pregnancy_weeks", "stored": 18, "file": None} in result.replaced
    assert store.get_case("P").patient.pregnant is False


def test_a_re_import_dropping_a_stored_not_pregnant_is_refused(store):
    store.import_cases([parse_case(pregnant(weeks=None, pregnant=False))])
    with pytest.raises(UserError) as info:
        store.import_cases([parse_case(pregnant(weeks=None))], user="import")
    assert "leaves out the answer 'not pregnant'" in str(info.value)
    assert store.get_case("P").patient.pregnant is False
    store.import_cases([parse_case(pregnant(weeks=None))], user="import", replace_records=True)
    assert store.get_case("P").patient.pregnant is None
