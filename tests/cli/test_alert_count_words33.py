"""words33 (H-FMT-904): `assess --format text` counts every alert it prints under MEDICINE SAFETY, a CHECK THE DOSE
one too, and with a dose to check among them says how many of each, so the count is read as what is printed."""

from __future__ import annotations

import re

import pytest

from .test_medicine_alerts_cli import _write, run


def _safety(out: str) -> tuple[str, list[str]]:
    """The heading line and the alert labels printed under it ("!!" lines) before the next section."""
    block = out[out.index("MEDICINE SAFETY"):out.index("\nROOT LEVEL")]
    heading = block.splitlines()[0]
    labels = re.findall(r"^  !! ([A-Z][A-Z ]+?):", block, flags=re.MULTILINE)
    return heading, labels


# nxm/fold33 (round 33 merge): "co-codamol 30/500 3 x 4" and "tramadol 50mg 2 x 4" are now read either way (N x M
# tablets a day), so they are reduce/reassess alerts, no longer doses to check; a dose far above the label still is one
@pytest.mark.parametrize("medicines, heading", [
    ([{"name": "ibuprofen 4000mg tds"}],
     "MEDICINE SAFETY: 1 current medicine alert (1 dose to check)"),
    ([{"name": "ibuprofen 4000mg tds"}, {"name": "paracetamol 1g qds"}, {"name": "co-codamol 30/500 2 tablets qds"}],
     "MEDICINE SAFETY: 3 current medicine alerts (2 to stop, change, reduce or review; 1 dose to check)"),
    ([{"name": "paracetamol", "daily_dose_mg": 16000}, {"name": "ibuprofen 4000mg tds"}],
     "MEDICINE SAFETY: 2 current medicine alerts (2 doses to check)"),
    # typed35 (H-MED-717): "tramadol 50mg 2 x 4" is counted either way (Reassess opioid dose) AND asked (which was
    # meant?): the question is its own CHECK THE DOSE line, counted, never folded into the opioid total's alert
    ([{"name": "paracetamol", "daily_dose_mg": 16000}, {"name": "tramadol 50mg 2 x 4"}],
     "MEDICINE SAFETY: 3 current medicine alerts (1 to stop, change, reduce or review; 2 doses to check)"),
])
def test_the_heading_counts_every_alert_printed_and_names_the_doses_to_check(tmp_path, capsys, medicines, heading):
    path = _write(tmp_path, "CNT", medicines)
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--format", "text")
    assert code == 0
    shown, labels = _safety(out)
    assert shown == heading
    count = int(re.search(r"(\d+) current medicine alert", shown).group(1))
    assert count == len(labels)  # the number is the lines printed
    checks = labels.count("CHECK THE DOSE")
    assert checks and f"{checks} dose{'s' if checks != 1 else ''} to check" in shown


def test_without_a_dose_to_check_the_heading_is_as_before(tmp_path, capsys):
    # boundary: no dose to check: the heading keeps its words (gp21 F3: review is named, stop is not the only word)
    path = _write(tmp_path, "CNT2", [{"name": "tramadol", "daily_dose_mg": 200}, {"name": "codeine", "daily_dose_mg": 120}])
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--format", "text")
    assert code == 0
    shown, labels = _safety(out)
    assert "CHECK THE DOSE" not in labels
    assert shown == (f"MEDICINE SAFETY: {len(labels)} current medicine alert{'s' if len(labels) != 1 else ''} "
                     "(stop, change, reduce or review)")
