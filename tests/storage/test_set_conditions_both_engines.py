"""Correcting a saved case's conditions (medfix2; H-MED-630, H-DATA-903..905), on both engines.

Before, an eGFR of 75 typed at the intake stood for ever: when her kidney function fell to 25
(chronic kidney disease), the medicine check, the Medicine alerts filter and the cases CSV went
on saying nothing about her ibuprofen. ``store.set_conditions`` replaces the conditions, derives
the stored dose alerts again in the same write, keeps the conditions before and after in the
audit trail, and refuses (nothing written) conditions changed elsewhere since the editor opened.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from radiculopathy_desktop.domain import conditions_edit
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import ValidationError, parse_case
from radiculopathy_desktop.reports.csv_export import export_cases_csv
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")


def _on_ibuprofen(egfr=75):
    d = case_dict("K-1", care_start=ANCHOR - dt.timedelta(days=40))
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    d["conditions"] = {"egfr": egfr, "gi_bleed_or_ulcer": False}
    return parse_case(d)


def _csv_alerts(store, tmp_path):
    path = tmp_path / "cases.csv"
    export_cases_csv(store, path, ANCHOR, list(ReviewStatus), profile="us")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))[0]["medicine_alerts"]


def test_a_kidney_function_fallen_since_the_intake_reaches_the_alerts_csv_and_the_audit(store, tmp_path):
    store.import_cases([_on_ibuprofen(75)], user="dr.a")
    assert store.medicine_alert_count(ANCHOR) == 0  # eGFR 75: no kidney alert for ibuprofen
    assert _csv_alerts(store, tmp_path) == ""
    shown = store.get_case("K-1")
    before = len(store.audit("K-1"))

    changes = store.set_conditions("K-1", {"egfr": 25, "ckd": True, "gi_bleed_or_ulcer": False}, user="dr.b",
                                   shown=shown)

    assert changes.worklist and changes.case_ids == ("K-1",)
    stored = store.get_case("K-1")
    assert stored.intake.conditions.egfr == 25 and stored.intake.conditions.has("ckd") is True
    assert stored.intake.medicines == shown.intake.medicines  # only the conditions changed
    assert stored.patient == shown.patient
    # derived again in the same write: the Medicine alerts filter and the CSV now name ibuprofen
    assert store.medicine_alert_count(ANCHOR) == 1
    assert "ibuprofen" in _csv_alerts(store, tmp_path).lower()
    entries = store.audit("K-1")[before:]
    assert [(e.action, e.user) for e in entries] == [("conditions_changed", "dr.b")]
    detail = entries[0].detail
    assert detail["before"]["egfr"] == 75.0 and detail["after"]["egfr"] == 25.0
    assert {"field": "egfr", "before": 75.0, "after": 25.0} in detail["changed"]
    assert {"field": "ckd", "before": None, "after": True} in detail["changed"]
    assert all(c["field"] != "gi_bleed_or_ulcer" for c in detail["changed"])  # unchanged: not listed
    # and back: a corrected eGFR clears the alert again
    store.set_conditions("K-1", {"egfr": 75, "gi_bleed_or_ulcer": False}, user="dr.b", shown=stored)
    assert store.medicine_alert_count(ANCHOR) == 0


def test_conditions_changed_elsewhere_since_they_were_shown_are_refused_and_nothing_written(store):
    store.import_cases([_on_ibuprofen(75)], user="dr.a")
    opened = store.get_case("K-1")  # two workstations open the editor on the same conditions
    store.set_conditions("K-1", {"egfr": 25}, user="dr.one", shown=opened)
    count = len(store.audit("K-1"))
    with pytest.raises(conditions_edit.ConditionsChangedMeanwhile) as caught:
        store.set_conditions("K-1", {"egfr": 80}, user="dr.two", shown=opened)
    assert "changed on another workstation" in str(caught.value)
    assert caught.value.case.intake.conditions.egfr == 25  # the conditions saved now, for the editor to show
    assert store.get_case("K-1").intake.conditions.egfr == 25
    assert len(store.audit("K-1")) == count


@pytest.mark.parametrize("bad", [{"egfr": 201}, {"egfr": -1},
                                 {"serum_creatinine": {"value": 0.01, "unit": "mg/dL"}},
                                 {"serum_creatinine": {"value": 90, "unit": "grams"}}, {"ckd": "maybe"}])
def test_a_value_the_intake_refuses_is_refused_and_nothing_written(store, bad):
    store.import_cases([_on_ibuprofen(75)], user="dr.a")
    shown = store.get_case("K-1")
    count = len(store.audit("K-1"))
    with pytest.raises(ValidationError):
        store.set_conditions("K-1", bad, user="dr.b", shown=shown)
    assert store.get_case("K-1").intake.conditions == shown.intake.conditions
    assert len(store.audit("K-1")) == count


def test_the_same_conditions_saved_again_write_nothing(store):
    store.import_cases([_on_ibuprofen(75)], user="dr.a")
    shown = store.get_case("K-1")
    count = len(store.audit("K-1"))
    changes = store.set_conditions("K-1", conditions_edit.conditions_dict(shown), user="dr.b", shown=shown)
    assert not changes.worklist
    assert len(store.audit("K-1")) == count
