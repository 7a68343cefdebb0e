"""Correcting a saved case's current medicines (medfix; H-MED-620, H-DATA-900..902), on both engines.

A GP tryout: once the intake was saved, "ibuprofen" typed for a patient 24 weeks pregnant (or a
medicine she stopped) could only be corrected by ``import --replace-records``; the stored dose
alerts, the Medicine alerts filter, the cases CSV and the FHIR bundle kept the stale list.
``store.set_medicines`` replaces the list, derives the stored alerts again, keeps the lists
before and after in the audit trail, and refuses (nothing written) a list changed on another
workstation since the editor opened.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from radiculopathy_desktop.domain import medicine_edit
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import Medicine, ValidationError, parse_case
from radiculopathy_desktop.reports.csv_export import export_cases_csv
from radiculopathy_desktop.reports.fhir import case_bundle
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
IBUPROFEN = Medicine("ibuprofen", 1200.0)
PARACETAMOL = Medicine("paracetamol", 3000.0)


def _pregnant_on_ibuprofen():
    d = case_dict("M-1", care_start=ANCHOR - dt.timedelta(days=40))
    d["patient"]["pregnancy_weeks"] = 24  # an NSAID after 20 weeks: an alert (FDA, 15 October 2020)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    return parse_case(d)


def _csv_rows(store, tmp_path):
    path = tmp_path / "cases.csv"
    export_cases_csv(store, path, ANCHOR, list(ReviewStatus), profile="us")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _fhir_medicines(case):
    bundle = case_bundle(case, ANCHOR)
    return sorted(r["resource"]["medicationCodeableConcept"]["text"] for r in bundle["entry"]
                  if r["resource"]["resourceType"] == "MedicationStatement")


def test_corrected_medicines_reach_alerts_csv_fhir_and_the_audit(store, tmp_path):
    store.import_cases([_pregnant_on_ibuprofen()], user="dr.a")
    assert store.medicine_alert_count(ANCHOR) == 1
    assert "ibuprofen" in _csv_rows(store, tmp_path)[0]["medicine_alerts"].lower()
    before = len(store.audit("M-1"))

    changes = store.set_medicines("M-1", [PARACETAMOL], user="dr.b", shown=(IBUPROFEN,))

    assert changes.worklist and changes.case_ids == ("M-1",)
    assert changes.case.intake.medicines == (PARACETAMOL,)
    stored = store.get_case("M-1")
    assert stored.intake.medicines == (PARACETAMOL,)
    # the stored dose alerts derived again: the Medicine alerts filter no longer lists her
    assert store.medicine_alert_count(ANCHOR) == 0
    row = _csv_rows(store, tmp_path)[0]
    assert row["medicine_alerts"] == ""
    assert _fhir_medicines(stored) == ["paracetamol"]
    entries = store.audit("M-1")[before:]
    assert [(e.action, e.user) for e in entries] == [("medicines_changed", "dr.b")]
    detail = entries[0].detail
    assert detail["before"] == [{"name": "ibuprofen", "daily_dose_mg": 1200.0}]
    assert detail["after"] == [{"name": "paracetamol", "daily_dose_mg": 3000.0}]
    assert detail["added"] == [{"name": "paracetamol", "daily_dose_mg": 3000.0}]
    assert detail["removed"] == [{"name": "ibuprofen", "daily_dose_mg": 1200.0}]


def test_a_dose_changed_and_a_medicine_removed_are_named(store):
    d = case_dict("M-2")
    d["medicines"] = [{"name": "naproxen", "daily_dose_mg": 1000}, {"name": "gabapentin", "daily_dose_mg": 900}]
    store.import_cases([parse_case(d)], user="dr.a")
    shown = store.get_case("M-2").intake.medicines
    store.set_medicines("M-2", [Medicine("gabapentin", 1200.0)], user="dr.b", shown=shown)
    entry = store.audit("M-2")[-1]
    assert entry.detail["changed"] == [{"name": "gabapentin", "daily_dose_mg_before": 900.0,
                                        "daily_dose_mg_after": 1200.0}]
    assert entry.detail["removed"] == [{"name": "naproxen", "daily_dose_mg": 1000.0}]
    assert entry.detail["added"] == []
    # every medicine removed: an empty list is a correction too
    store.set_medicines("M-2", [], user="dr.b", shown=(Medicine("gabapentin", 1200.0),))
    assert store.get_case("M-2").intake.medicines == ()


def test_a_list_changed_elsewhere_since_it_was_shown_is_refused_and_nothing_written(store):
    store.import_cases([_pregnant_on_ibuprofen()], user="dr.a")
    # workstation 1 removes ibuprofen; workstation 2, opened on the same list, then saves its own
    store.set_medicines("M-1", [PARACETAMOL], user="dr.one", shown=(IBUPROFEN,))
    count = len(store.audit("M-1"))
    with pytest.raises(medicine_edit.MedicinesChangedMeanwhile) as caught:
        store.set_medicines("M-1", [IBUPROFEN, Medicine("codeine", 120.0)], user="dr.two", shown=(IBUPROFEN,))
    assert "changed on another workstation" in str(caught.value)
    assert caught.value.case.intake.medicines == (PARACETAMOL,)  # the list saved now, for the editor to show
    assert store.get_case("M-1").intake.medicines == (PARACETAMOL,)
    assert len(store.audit("M-1")) == count


@pytest.mark.parametrize("bad", [Medicine("ibuprofen", 0.0), Medicine("ibuprofen", -5.0),
                                 Medicine("ibuprofen", 200000.0), Medicine("", 100.0)])
def test_an_impossible_dose_or_empty_name_is_refused_and_nothing_written(store, bad):
    store.import_cases([_pregnant_on_ibuprofen()], user="dr.a")
    count = len(store.audit("M-1"))
    with pytest.raises(ValidationError):
        store.set_medicines("M-1", [bad], user="dr.b", shown=(IBUPROFEN,))
    assert store.get_case("M-1").intake.medicines == (IBUPROFEN,)
    assert len(store.audit("M-1")) == count
    assert store.medicine_alert_count(ANCHOR) == 1


def test_the_same_list_saved_again_writes_nothing(store):
    store.import_cases([_pregnant_on_ibuprofen()], user="dr.a")
    count = len(store.audit("M-1"))
    changes = store.set_medicines("M-1", [IBUPROFEN], user="dr.b", shown=(IBUPROFEN,))
    assert not changes.worklist
    assert len(store.audit("M-1")) == count
