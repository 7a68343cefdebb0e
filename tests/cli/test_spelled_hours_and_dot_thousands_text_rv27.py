"""rv27 (the rt27 review) H1/H2 (H-MED-453, H-MED-454) in the CLI text report, end to end: a dose written "every four
hours" above the maximum is "!! REDUCE DOSE" at the top (paracetamol: at most 4 g in 24 hours,
FDA OTC acetaminophen labelling / paracetamol SmPC 4.2), and an interval or a strength the reading
cannot place ("every hour", "1.200mg") is "!! CHECK THE DOSE", never a quiet "ok" with no dose."""

from __future__ import annotations

import pytest

from helpers.cli_run import assess_text
from tests.cli._med26_cases import case_file


def _head(capsys, path):
    out = assess_text(capsys, path)
    return " ".join(out[:out.index("MEDICINES")].split())


def test_paracetamol_every_four_hours_is_above_the_maximum(capsys, tmp_path):
    head = _head(capsys, case_file(tmp_path, ["paracetamol 1g every four hours"]))
    assert "!! REDUCE DOSE: Taking paracetamol 1g every four hours 6000 mg/day" in head


@pytest.mark.parametrize("name", ["oxycodone 10mg every hour", "gabapentin 1.200mg tds", "paracetamol 1.000 mg qds"])
def test_an_interval_or_strength_not_read_is_check_the_dose(capsys, tmp_path, name):
    head = _head(capsys, case_file(tmp_path, [name]))
    assert f"!! CHECK THE DOSE: {name}" in head
