"""Stored marks of an opioid total get the rule's own label at the first open after the upgrade
(mme22, H-MED-353), on both engines: a tracker whose stored spans say "Avoid: morphine 30mg bd"
(dose alerts version 7) shows "Reassess opioid dose" once the alerts-only rewrite of version 8 has
run; never the stale "Avoid" (read as "stop the morphine").

CDC 2016 recommendation 5 (sources.toml cdc-2022-dosage): "should carefully reassess evidence of
individual benefits and risks when considering increasing dosage to >=50 morphine milligram
equivalents (MME)/day"; CDC 2022 recommendation 5: opioid therapy "should not be discontinued
abruptly".
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _alerts, _as_superuser, _expected_alerts, _stored_version, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=20)


def _labels(store, case_id):
    from radiculopathy_desktop.domain.followup import STATUS_ORDER

    (row,) = [r for r in store.worklist(ANCHOR, statuses=list(STATUS_ORDER)) if r.case_id == case_id]
    return [m.label for m in row.medicine_alerts]


def test_an_older_tracker_s_avoid_mark_is_relabelled_at_the_upgrade(store, request):
    d = case_dict("OPI60", care_start=INTAKE)
    d["medicines"] = [{"name": "morphine 30mg bd"}]
    store.import_cases([parse_case(d)])
    assert _labels(store, "OPI60") == ["Reassess opioid dose"]
    fresh = _alerts(store)
    # what version 7 stored: the same spans, their marks labelled "Avoid" (the index table
    # medicine_alert_spans keeps days only, no words)
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = REPLACE(alerts_json, ?, ?)",
                  ("Reassess opioid dose", "Avoid"))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert _alerts(store) != fresh and _labels(store, "OPI60") == ["Avoid"]  # the stale mark, as stored
    _stored_version(store, request, _with("alerts", "7"))
    store.upgrade_derived_data(lambda done, total: None)
    assert _alerts(store) == fresh == _expected_alerts(store)
    assert _labels(store, "OPI60") == ["Reassess opioid dose"]
