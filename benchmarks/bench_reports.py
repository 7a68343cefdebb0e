"""Report timings: one handout PDF (median of repeated runs; target < 300 ms) and a CSV
export of 100,000 cases (target < 5 s). Run: .venv/bin/python benchmarks/bench_reports.py"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from radiculopathy_desktop.domain.intake import parse_case  # noqa: E402
from radiculopathy_desktop.reports import csv_export, handouts  # noqa: E402
from radiculopathy_desktop.reports.common import ensure_gui_app  # noqa: E402
from radiculopathy_desktop.resources import resource_path  # noqa: E402

AS_OF = dt.date(2026, 11, 21)


def bench_handout(runs: int = 15) -> float:
    ensure_gui_app()
    case = parse_case(json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text()))
    req = handouts.request_for_case(case, AS_OF, clinic_name="Riverside Health Centre",
                                    clinic_contact="0161 555 0134", sheets=["about_sciatica", "warning_signs"])
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            t = time.perf_counter()
            handouts.write_handout_pdf(req, Path(tmp) / "h.pdf")
            if i:  # the first run loads fonts
                times.append(time.perf_counter() - t)
    return statistics.median(times)


class _Row:
    """Shaped like storage's WorklistRow (the attributes the exporter reads); the reason
    is computed by the engine's ``status_from_facts`` on access, as the real row does."""

    def __init__(self, i: int, settings, statuses):
        from radiculopathy_desktop.domain.followup import ReviewFacts

        self.case_id, self.patient_id, self.patient_name = f"C-{i:06d}", f"P-{i:06d}", f"Patient {i}"
        self.side, self.as_of, self.settings = "left", AS_OF, settings
        self.care_start_date = AS_OF - dt.timedelta(days=i % 120)
        self.improving = (None, True, False)[i % 3]
        self.has_follow_up, self.resolved = bool(i % 2), False
        self.last_decision_kind = self.last_decision_date = self.continue_until = None
        self.last_visit_date, self.visit_count = AS_OF, 1 + i % 4
        self.baseline_leg_nrs, self.latest_leg_nrs = 7, 6
        self.facts = ReviewFacts(self.care_start_date, self.has_follow_up, self.improving, False, False, None,
                                 None, None, None, AS_OF)
        self.status = statuses[i % len(statuses)]
        self.days_since_care_start = (AS_OF - self.care_start_date).days
        self.weeks_since_care_start = self.days_since_care_start // 7
        self.trend = {True: "improving", False: "not improving", None: "unknown"}[self.improving]

    @property
    def reason(self) -> str:
        from radiculopathy_desktop.domain.followup import status_from_facts

        return status_from_facts(self.facts, self.as_of, self.settings)[1]


def bench_csv(n: int = 100_000) -> float:
    """100,000 worklist-shaped rows through the exporter (row building, escaping, writing)."""
    from radiculopathy_desktop.domain.followup import ReviewStatus
    from radiculopathy_desktop.domain.settings import default_review_settings

    s = default_review_settings()
    statuses = list(ReviewStatus)
    rows = [_Row(i, s, statuses) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        written = csv_export.export_csv((csv_export.row_from_worklist(r, "x") for r in rows), Path(tmp) / "c.csv")
        elapsed = time.perf_counter() - t
    assert written == n
    return elapsed


if __name__ == "__main__":
    h = bench_handout()
    print(f"handout PDF (2 sheets, A4): median {h * 1000:.0f} ms (target < 300 ms)")
    c = bench_csv()
    print(f"CSV export of 100,000 cases: {c:.2f} s (target < 5 s)")
