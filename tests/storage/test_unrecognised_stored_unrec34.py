"""unrec34 (H-MED-701): a tracker's stored marks are rewritten at the first open after the upgrade (DOSE_ALERTS_VERSION
103), on both engines: a case whose medicines are "naproxn 500mg bd" and "apixban 5mg bd" (names not recognised) had
no stored mark at all, so the Medicine alerts filter and its count left it out; once the alerts-only rewrite has run,
the filter lists it with "Not recognised" and the names, and the count includes it. A case whose names are recognised
and carry no alert stays off the filter.
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

from test_alerts_only_rewrite import _alerts, _as_superuser, _expected_alerts, _stored_version, _with

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=20)
NAMES = ("naproxn 500mg bd", "apixban 5mg bd")


def _open_statuses():
    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.domain.vocab import ReviewStatus

    return [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]  # as worklist --medicine-alerts and the window


def _listed(store) -> dict:
    return {r.case_id: r for r in store.worklist(ANCHOR, statuses=_open_statuses(), profile="us",
                                                 medicine_alerts_only=True)}


def _count(store) -> int:
    return store.medicine_alert_count(ANCHOR, statuses=_open_statuses(), profile="us")


def test_a_stored_case_with_names_not_recognised_is_listed_after_the_upgrade(store, request):
    from radiculopathy_desktop.ui.worklist import safety_text

    unknown = case_dict("UNREC103", care_start=INTAKE)
    unknown["medicines"] = [{"name": n} for n in NAMES]
    known = case_dict("KNOWN103", care_start=INTAKE)
    known["medicines"] = [{"name": "paracetamol 1g qds"}]
    store.import_cases([parse_case(unknown), parse_case(known)])
    listed = _listed(store)
    assert set(listed) == {"UNREC103"} and _count(store) == 1
    (mark,) = listed["UNREC103"].medicine_alerts
    assert (mark.label, mark.medicines) == ("Not recognised", NAMES)
    fresh = _alerts(store)
    # what version 101 stored: no mark for names not recognised, so no row for this case
    _as_superuser(store, request, "DELETE FROM medicine_alerts WHERE case_id = ?", ("UNREC103",))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert _listed(store) == {} and _count(store) == 0
    _stored_version(store, request, _with("alerts", "101"))
    store.upgrade_derived_data(lambda done, total: None)
    assert _alerts(store) == fresh == _expected_alerts(store)
    listed = _listed(store)
    assert set(listed) == {"UNREC103"} and _count(store) == 1
    assert safety_text(listed["UNREC103"]).startswith(f"NOT RECOGNISED: {NAMES[0]}, {NAMES[1]} (check the names).")
