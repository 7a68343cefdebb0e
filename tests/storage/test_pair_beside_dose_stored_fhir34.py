"""fhir34 (H-MED-715): a tracker's stored marks are rewritten at the first open after the upgrade (DOSE_ALERTS_VERSION
109), on both engines. Ibuprofen 3600 mg/day with lithium was stored as two Avoid marks (ibuprofen alone, and the pair):
the worklist read "AVOID +1", both saying the lithium warning. After the alerts-only rewrite the marks are the pair's
Avoid and the ibuprofen dose's "Reduce dose", as a fresh import makes them."""

from __future__ import annotations

import datetime as dt
import json

from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _alerts, _as_superuser, _expected_alerts, _stored_version, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=20)


def _marks(store, case_id):
    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.domain.vocab import ReviewStatus

    statuses = [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]
    rows = {r.case_id: r for r in store.worklist(ANCHOR, statuses=statuses, profile="us", medicine_alerts_only=True)}
    return [(m.label, tuple(m.medicines)) for m in rows[case_id].medicine_alerts]


def _rows(store, case_id):
    sql = "SELECT profile, alerts_json FROM medicine_alerts WHERE case_id = ?"
    if hasattr(store, "_tx"):
        with store._tx() as conn:
            return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), (case_id,)).fetchall()]
    return [tuple(r) for r in store._db.conn.execute(sql, (case_id,)).fetchall()]


def test_marks_stored_before_are_the_pair_and_the_dose_after_the_upgrade(store, request):
    d = case_dict("IBL109", care_start=INTAKE)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 3600}, {"name": "lithium 400mg", "daily_dose_mg": 800}]
    store.import_cases([parse_case(d)])
    want = [("Avoid", ("ibuprofen", "lithium 400mg")), ("Reduce dose", ("ibuprofen",))]
    assert _marks(store, "IBL109") == want
    fresh = _alerts(store)
    # what version 106 stored: the ibuprofen mark rated Avoid (the pair's warning on its row)
    for profile, stored in _rows(store, "IBL109"):  # each profile's marks
        data = json.loads(stored)
        data["spans"] = [[start, end, [["Avoid" if m[0] == "Reduce dose" else m[0], *m[1:]] for m in marks]]
                         for start, end, marks in data["spans"]]
        old = json.dumps(data, separators=(",", ":"))
        assert old != stored, stored
        _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = ? WHERE case_id = ? AND profile = ?",
                      (old, "IBL109", profile))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert ("Avoid", ("ibuprofen",)) in _marks(store, "IBL109")
    _stored_version(store, request, _with("alerts", "106"))
    store.upgrade_derived_data(lambda done, total: None)
    assert _alerts(store) == fresh == _expected_alerts(store)
    assert _marks(store, "IBL109") == want
