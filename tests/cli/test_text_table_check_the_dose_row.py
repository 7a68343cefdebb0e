"""The text report's medicine table labels a row whose only dose reason is a dose to check
"CHECK THE DOSE", as the window's table and the alert above it do, never "REDUCE DOSE".

Found trying the merged round-29 build: "paracetamol" with 4 typed in the mg-a-day field (4 g meant)
was "CHECK THE DOSE: ... far below any usual dose" in the alerts and "REDUCE DOSE ... taking 4 mg/day"
in the table, telling the reader to lower a dose a thousand times too small. The same held for a
far-above slip (40000 mg/day) and a regimen not read ("fentanyl 25mcg/24h")."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.cli_run import assess_text

PARACETAMOL = {"us": "Acetaminophen (paracetamol)", "uk": "Paracetamol"}
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "routine_l5_acute.json"


def _table_row(out: str, label: str) -> str:
    rows = [line for line in out.splitlines() if re.match(rf"  {re.escape(label)}\s+[A-Z]", line)]
    assert len(rows) == 1, (label, rows)
    return rows[0]


def _write(tmp_path, medicines) -> str:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    case["medicines"] = medicines
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("mg", [4, 40000])
def test_a_paracetamol_slip_is_check_the_dose_in_the_table_as_in_the_alert(capsys, tmp_path, profile, mg):
    out = assess_text(capsys, _write(tmp_path, [{"name": "paracetamol", "daily_dose_mg": mg}]), "--profile", profile)
    assert f"CHECK THE DOSE: Taking paracetamol {mg} mg/day" in out
    row = _table_row(out, PARACETAMOL[profile])
    assert "CHECK THE DOSE" in row and "REDUCE DOSE" not in row
    assert f"taking {mg} mg/day" in row


def test_a_dose_above_the_maximum_keeps_reduce_dose(capsys, tmp_path):
    # 5000 mg a day: above the 4000 mg label maximum, no slip (under three times it): reduce, as before
    out = assess_text(capsys, _write(tmp_path, [{"name": "paracetamol", "daily_dose_mg": 5000}]), "--profile", "us")
    row = _table_row(out, PARACETAMOL["us"])
    assert "REDUCE DOSE" in row and "CHECK THE DOSE" not in row


def test_a_regimen_not_read_is_check_the_dose_on_its_row(capsys, tmp_path):
    out = assess_text(capsys, _write(tmp_path, [{"name": "fentanyl 25mcg/24h"}]), "--profile", "uk")
    assert "CHECK THE DOSE: Taking fentanyl 25mcg/24h" in out
    row = _table_row(out, "Opioids (other than tramadol)")
    assert "CHECK THE DOSE" in row and "REDUCE DOSE" not in row
