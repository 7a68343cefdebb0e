"""The per-column CSV writers (issue 17) give exactly the cells the per-cell formula escape gave,
including hostile text in every person-typed column."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))

from radiculopathy_desktop.commands.tracker import WORKLIST_CSV_COLUMNS, _csv_safe  # noqa: E402
from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_json  # noqa: E402
from radiculopathy_desktop.domain.intake import parse_case  # noqa: E402
from radiculopathy_desktop.reports.csv_export import (  # noqa: E402
    COLUMN_NAMES, row_from_worklist, safe_cell, worklist_cells)
from radiculopathy_desktop.storage.store import CaseStore  # noqa: E402
from tracker_support import ANCHOR, case_dict  # noqa: E402

HOSTILE = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "'quoted", "Ann \"Q\" Lee, Jr", "Zoë Ñ"]


def _rows(tmp_path):
    cases = []
    for n, text in enumerate(HOSTILE):
        cases.append(parse_case(case_dict(f"{text[:1]}C-{n}", name=text, patient_id=f"{text[:1]}P{n}",
                                          care_start=ANCHOR - dt.timedelta(days=10 * n + 5))))
    store = CaseStore.open(tmp_path / "data")
    store.import_cases(cases)
    return store, store.worklist(ANCHOR, statuses=list(__import__(
        "radiculopathy_desktop.storage.worklist", fromlist=["STATUS_ORDER"]).STATUS_ORDER))


def test_export_cells_equal_the_escaped_dict_cells(tmp_path):
    store, rows = _rows(tmp_path)
    try:
        assert len(rows) == len(HOSTILE)
        fast = list(worklist_cells(rows, "cv-1"))
        slow = [[safe_cell(row_from_worklist(r, "cv-1")[c]) for c in COLUMN_NAMES] for r in rows]
        assert fast == slow
        names = [cells[COLUMN_NAMES.index("patient_name")] for cells in fast]
        # names are stripped on the way in (a leading tab or CR does not survive); the rest are escaped
        assert {"'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'quoted", "Zoë Ñ"} <= set(names)
        assert {"'=C-0", "'+C-1", "'-C-2", "'@C-3"} <= {cells[0] for cells in fast}
    finally:
        store.close()


def test_worklist_csv_and_json_equal_the_generic_writers(tmp_path):
    import csv
    import io
    import json

    store, rows = _rows(tmp_path)
    try:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(WORKLIST_CSV_COLUMNS)
        for r in rows:
            d = r.to_dict()
            last = d["last_decision"] or {}
            writer.writerow([_csv_safe(v) for v in (
                d["status"], d["case_id"], d["patient_id"], d["patient_name"], d["care_start_date"],
                d["days_since_care_start"], d["weeks_since_care_start"],
                "" if d["improving"] is None else str(d["improving"]).lower(), str(d["has_follow_up"]).lower(),
                d["last_visit_date"], d["visit_count"], d["baseline_leg_nrs"], d["latest_leg_nrs"],
                last.get("kind", ""), last.get("date") or "", last.get("until") or "", d["reason"],
                "; ".join(d["dose_alerts"]),
                " ".join(f"{m['status_label']}: {', '.join(m['medicines'])}." + (f" {m['action']}" if m["action"]
                                                                                 else "")
                         for m in d["medicine_alerts"]),
                d["pregnancy"] or "", str(d["would_not_consider_surgery"]).lower())])
        assert worklist_csv(WORKLIST_CSV_COLUMNS, rows, _csv_safe) == buf.getvalue()
        head = {"as_of": "2026-01-01", "statuses": ["due"], "settings": {"a": 1}, "count": len(rows)}
        dicts = [r.to_dict() for r in rows]
        assert worklist_json(head, dicts) == json.dumps({**head, "rows": dicts}, ensure_ascii=False, indent=1) + "\n"
        assert worklist_json(head, []) == json.dumps({**head, "rows": []}, ensure_ascii=False, indent=1) + "\n"
        odd = [{"f": 1.5, "n": [], "e": {}, "l": [1, "x", None, {"k": False}], "u": "\u2028\x00é"},
               {"a": "\x00rd-nested\x00", "b": {"c": 1, "d": [2, {}]}, "z": "last"},  # a value equal to the marker
               {"b": {"c": "\x00rd-nested\x00"}, "m": 3, "l": ["x"]}, {}, {"only": None}]
        assert worklist_json(head, odd) == json.dumps({**head, "rows": odd}, ensure_ascii=False, indent=1) + "\n"
    finally:
        store.close()
