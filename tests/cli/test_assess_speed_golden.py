"""``assess`` output is unchanged, byte for byte, by the assessment speed work (issue 17).

tests/cli/test_output_golden.py covers the shipped examples and the demo cohort, whose
medicine lists are short. This test adds the benchmark's own generated cohort
(benchmarks/bench_assess.py ``generate``): 16 medicines in random combinations and doses,
random ages, weights, creatinine, CKD, diabetes, heart failure, red flags and power, so
the medicine table, renal adjustment and interaction rules are exercised on hundreds of
patients in both guideline profiles. The digests in tests/golden/assess_cohort.json
were taken from the code *before* the optimisation; refresh them only for a deliberate
change of output (``RD_UPDATE_GOLDEN=1``), never for a speed change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "assess_cohort.json"
COHORT = 300
AS_OF = dt.date(2026, 11, 21)


def _generate(n: int, seed: int) -> list[dict]:
    spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, seed=seed)


@pytest.fixture(scope="module")
def cohort() -> list[dict]:
    return _generate(COHORT, seed=17)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_in_process_assessments_are_unchanged(cohort):
    """Every assessment's JSON (both profiles, two dates) hashed together, plus its medicine table alone."""
    whole, meds = hashlib.sha256(), hashlib.sha256()
    statuses = set()
    for d in cohort:
        case = parse_case(d)
        for profile in ("us", "uk"):
            for as_of in (AS_OF, AS_OF + dt.timedelta(days=400)):
                out = assess_case(case, as_of, profile=profile).to_dict()
                whole.update(json.dumps(out, sort_keys=False).encode("utf-8"))
                meds.update(json.dumps(out["medications"]).encode("utf-8"))
                statuses.update(r["status"] for r in out["medications"]["rows"])
    # the cohort reaches every medicine verdict, so the digest covers them all
    assert {"ok", "caution", "reduce_dose", "avoid", "contraindicated"} <= statuses
    digests = {"in-process whole": whole.hexdigest(), "in-process medications": meds.hexdigest()}
    _compare(digests, update_key="in-process")


def test_assess_command_output_is_unchanged(cohort, tmp_path, monkeypatch, capsys):
    path = tmp_path / "cohort.json"
    # the command refuses intakes dated after the real today; keep those on or before the assessment date
    cases = [d for d in cohort if d["visit_date"] <= AS_OF.isoformat()][:120]
    assert len(cases) == 120
    path.write_text(json.dumps(cases), encoding="utf-8")
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    digests = {}
    for profile in ("us", "uk"):
        for fmt in ("json", "text"):
            code = cli.main(["assess", str(path), "--as-of", AS_OF.isoformat(), "--format", fmt,
                             "--profile", profile])
            captured = capsys.readouterr()
            assert code == 0, captured.err
            assert len(captured.out) > 10_000
            digests[f"assess {fmt} {profile}"] = _digest(captured.out)
    _compare(digests, update_key="assess")


def _compare(digests: dict[str, str], update_key: str) -> None:
    stored = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
    if os.environ.get("RD_UPDATE_GOLDEN") == "1":
        stored.update(digests)
        GOLDEN.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    differing = sorted(k for k in digests if stored.get(k) != digests[k])
    assert not differing, f"assess output changed: {differing}"
