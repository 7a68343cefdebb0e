"""CaseStore.iter_cases / case_count limited to an intake period (issue 16: the outcomes
audit reads only the period's cases)."""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore
from tracker_support import case_dict


def test_only_cases_with_an_intake_in_the_period_both_ends_included(tmp_path):
    days = {"C-BEFORE": dt.date(2025, 12, 31), "C-FIRST": dt.date(2026, 1, 1), "C-MID": dt.date(2026, 2, 14),
            "C-LAST": dt.date(2026, 3, 31), "C-AFTER": dt.date(2026, 4, 1)}
    with CaseStore.open(tmp_path / "data") as store:
        store.import_cases([parse_case(case_dict(cid, care_start=day)) for cid, day in days.items()])
        start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
        got = [c.case_id for c in store.iter_cases(batch=2, intake_from=start, intake_to=end)]
        assert got == ["C-FIRST", "C-LAST", "C-MID"]  # case_id order, across batches
        assert store.case_count(start, end) == 3 and store.case_count() == 5
        assert len(list(store.iter_cases())) == 5
