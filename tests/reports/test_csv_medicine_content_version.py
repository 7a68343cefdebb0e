"""The cases CSV names the medicine-safety content its medicine columns come from (red team
rt19 F9, fxc18): ``content_version`` is the guideline content (2026.11.7), while
``dose_alerts`` and ``medicine_alerts`` come from the medicine content (resources/medicines);
docs/csv-columns.md says every row says what produced it. Column 27,
``medicine_content_version``, is that version, on every path that writes the file (the fast
line writer, the per-column cells, the per-case rows), with or without a medicine alert."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))

from radiculopathy_desktop.domain.intake import parse_case  # noqa: E402
from radiculopathy_desktop.domain.medications import load_medicine_data  # noqa: E402
from radiculopathy_desktop.reports.csv_export import (  # noqa: E402
    COLUMN_NAMES, export_worklist_csv, row_from_case, row_from_worklist, worklist_cells)
from radiculopathy_desktop.storage.store import CaseStore  # noqa: E402
from radiculopathy_desktop.storage.worklist import STATUS_ORDER  # noqa: E402
from tracker_support import ANCHOR, case_dict  # noqa: E402


def test_column_27_is_the_medicine_content_version_on_every_path(tmp_path):
    version = load_medicine_data().content_version
    assert COLUMN_NAMES[26] == "medicine_content_version" and COLUMN_NAMES.index("content_version") == 21
    plain = case_dict("C-PLAIN", care_start=ANCHOR - dt.timedelta(days=20))
    alert = case_dict("C-ALERT", care_start=ANCHOR - dt.timedelta(days=20))
    alert["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 4000}]  # above its maximum: a dose alert
    store = CaseStore.open(tmp_path / "data")
    try:
        store.import_cases([parse_case(plain), parse_case(alert)])
        rows = store.worklist(ANCHOR, statuses=list(STATUS_ORDER))
        assert {r.case_id for r in rows} == {"C-PLAIN", "C-ALERT"}
        out = tmp_path / "cases.csv"
        export_worklist_csv(rows, out, content_version="2026.11.7")
        table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert table[0] == list(COLUMN_NAMES)
        by_case = {line[0]: dict(zip(table[0], line)) for line in table[1:]}
        for cells in by_case.values():
            assert len(cells) == len(COLUMN_NAMES)
            assert cells["medicine_content_version"] == version and cells["content_version"] == "2026.11.7"
        assert by_case["C-ALERT"]["dose_alerts"] and not by_case["C-PLAIN"]["dose_alerts"]
        for cells in worklist_cells(rows, "2026.11.7"):
            assert cells[26] == version
        for r in rows:
            assert row_from_worklist(r, "2026.11.7")["medicine_content_version"] == version
        assert row_from_case(parse_case(alert), ANCHOR)["medicine_content_version"] == version
    finally:
        store.close()
