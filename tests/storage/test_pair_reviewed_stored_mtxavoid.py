"""mtxavoid (H-MED-670, H-FMT-902): a tracker's stored marks of methotrexate with an NSAID are rewritten at the first
open after the upgrade (DOSE_ALERTS_VERSION 90), on both engines: the marks stored before listed "Avoid: ibuprofen
400mg tds, methotrexate 15mg once weekly"; once the alerts-only rewrite has run, the worklist row names the pair to
review with the prescriber, never methotrexate as one to avoid.
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _alerts, _as_superuser, _expected_alerts, _stored_version, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=20)
IBU, MTX = "ibuprofen 400mg tds", "methotrexate 15mg once weekly"


def _row(store, case_id):
    from radiculopathy_desktop.domain.followup import STATUS_ORDER

    (row,) = [r for r in store.worklist(ANCHOR, statuses=list(STATUS_ORDER)) if r.case_id == case_id]
    return row


def test_a_stored_methotrexate_mark_becomes_the_pair_reviewed_with_the_prescriber_at_the_upgrade(store, request):
    from radiculopathy_desktop.ui.worklist import safety_text

    d = case_dict("MTX90", care_start=INTAKE)
    d["medicines"] = [{"name": IBU}, {"name": MTX}]
    store.import_cases([parse_case(d)])
    (mark,) = _row(store, "MTX90").medicine_alerts
    assert mark.both and mark.medicines == (IBU, MTX)
    assert _row(store, "MTX90").to_dict()["medicine_alerts"][0]["review_with_prescriber"] == [IBU, MTX]
    fresh = _alerts(store)
    # what version 88 stored: the same spans, each mark four items (no pair flag)
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = REPLACE(alerts_json, ?, ?)",
                  (',[],1]', ']'))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert _alerts(store) != fresh
    (stale,) = _row(store, "MTX90").medicine_alerts
    assert not stale.both and safety_text(_row(store, "MTX90")).startswith(f"AVOID: {IBU}, {MTX}.")  # as stored
    _stored_version(store, request, _with("alerts", "88"))
    store.upgrade_derived_data(lambda done, total: None)
    assert _alerts(store) == fresh == _expected_alerts(store)
    assert safety_text(_row(store, "MTX90")).startswith(
        f"AVOID: {IBU} and {MTX} together (review both with the prescriber).")
