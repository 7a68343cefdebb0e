"""mmefold34 (H-MED-706, H-UI-533): a tracker's stored marks of an opioid carrying its total beside a benzodiazepine
are rewritten at the first open after the upgrade (DOSE_ALERTS_VERSION 104), on both engines. Marks stored before
read "AVOID: morphine. AVOID: morphine and diazepam together ..." (the morphine row Avoid for the benzodiazepine the
pair says); once the alerts-only rewrite has run, the worklist row says Avoid once, for the pair, and the morphine
row's total under its own label ("Reassess opioid dose", CDC 2016 recommendation 5, sources.toml cdc-2022-dosage).
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _alerts, _as_superuser, _expected_alerts, _stored_version, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=20)


def _row(store, case_id):
    from radiculopathy_desktop.domain.followup import STATUS_ORDER

    (row,) = [r for r in store.worklist(ANCHOR, statuses=list(STATUS_ORDER)) if r.case_id == case_id]
    return row


def test_a_stored_double_avoid_becomes_the_pair_once_and_the_total_at_the_upgrade(store, request):
    from radiculopathy_desktop.ui.worklist import safety_text

    d = case_dict("MORPH104", care_start=INTAKE)
    d["medicines"] = [{"name": "morphine", "daily_dose_mg": 60}, {"name": "diazepam", "daily_dose_mg": 10}]
    store.import_cases([parse_case(d)])
    now = safety_text(_row(store, "MORPH104"))
    assert now.startswith("AVOID: morphine and diazepam together (review both with the prescriber). "
                          "REASSESS OPIOID DOSE: morphine. Current opioids total 60 MME/day."), now
    fresh = _alerts(store)
    # what version 101 stored: the morphine mark labelled Avoid (its total beside it)
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = REPLACE(alerts_json, ?, ?)",
                  ('["Reassess opioid dose",["morphine"]', '["Avoid",["morphine"]'))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert _alerts(store) != fresh
    stale = safety_text(_row(store, "MORPH104"))
    assert stale.count("AVOID:") == 2 and "AVOID: morphine." in stale, stale  # as stored: Avoid twice
    _stored_version(store, request, _with("alerts", "101"))
    store.upgrade_derived_data(lambda done, total: None)
    assert _alerts(store) == fresh == _expected_alerts(store)
    assert safety_text(_row(store, "MORPH104")) == now
