"""The medicines a row or an alert names come in the order they were recorded, the same in every
run (red team rt17 F10: with two or more opioids, one of them a combination or a brand, the
names were taken from a set, so "Taking co-codamol, kadian, df 118" became "Taking kadian,
df 118, co-codamol" from one run to the next: PYTHONHASHSEED)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications

DAY = dt.date(2026, 11, 30)
OPIOIDS = ("co-codamol 30/500", "kadian", "df 118")


def _case(medicines):
    return {
        "case_id": "ORD-1", "patient": {"id": "ORD", "name": "Invented Patient", "age_years": 50, "sex": "male"},
        "onset_date": "2026-11-01", "visit_date": "2026-11-20", "side": "left", "regions": ["buttock"],
        "pain": {"leg_nrs": 6}, "medicines": [{"name": m} for m in medicines],
        "red_flags": {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                                        "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                                        "new_sexual_dysfunction", "fever", "history_of_cancer",
                                        "unexplained_weight_loss", "significant_trauma",
                                        "progressive_neurological_deficit")}}


@pytest.mark.parametrize("order", list(itertools.permutations(OPIOIDS)))
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_rows_medicines_are_named_in_the_order_recorded(order, profile):
    report = assess_medications(parse_case(_case(order)).intake, DAY, profile=profile)
    opioid = [r for r in report.rows if set(r.current_medicines) == set(OPIOIDS)]
    assert opioid, [r.current_medicines for r in report.rows]
    assert all(r.current_medicines == order for r in opioid)


def test_the_assessment_is_the_same_whatever_the_hash_seed(tmp_path: Path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case(OPIOIDS + ("hydromorphone", "morphine 10mg"))), encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, QT_QPA_PLATFORM="offscreen")
        done = subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "assess", str(path), "--profile", "uk",
                               "--as-of", DAY.isoformat(), "--format", "json"], capture_output=True, text=True,
                              env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
