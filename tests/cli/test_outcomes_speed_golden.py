"""``outcomes`` output is unchanged, byte for byte, by the outcomes speed work (issue 16 figures).

The digests in tests/golden/outcomes.json were taken from the code *before* the speed work,
over the demo cohort (the generator gives imaging, advice, STarT Back, visits, decisions and
scores) plus the shipped examples: JSON with and without the case lists, text with cases and
CSV, for two periods and two profiles. Refresh them (``RD_UPDATE_GOLDEN=1``) only for a
deliberate change of output, never for a speed change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "outcomes.json"
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("outcomes-golden") / "data"
    cases = [parse_case(d) for d in generate_case_dicts(600, seed=16)]
    ids = {c.case_id for c in cases}
    for path in EXAMPLES:
        item = json.loads(path.read_text(encoding="utf-8"))
        for d in (item if isinstance(item, list) else [item]):
            if d["case_id"] not in ids:
                cases.append(parse_case(d))
    with CaseStore.open(data) as store:
        store.import_cases(cases)
    return data


def test_outcomes_outputs_are_unchanged_byte_for_byte(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 6, 1))
    digests, cohorts = {}, []
    periods = {"year": ("--as-of", "2026-06-01"),
               "quarter": ("--as-of", "2026-06-01", "--from", "2026-01-01", "--to", "2026-03-31")}
    for name, period in periods.items():
        for profile in ("uk", "us"):
            for fmt, extra in (("json", ()), ("json", ("--cases",)), ("text", ("--cases",)), ("csv", ())):
                code = cli.main(["--data-dir", str(data_dir), "outcomes", *period, "--profile", profile,
                                 "--format", fmt, *extra])
                captured = capsys.readouterr()
                assert code == 0, captured.err
                key = f"outcomes {name} {profile} {fmt}{' cases' if extra else ''}"
                digests[key] = hashlib.sha256(captured.out.encode("utf-8")).hexdigest()
                if fmt == "json" and not extra:
                    cohorts.append(json.loads(captured.out)["cohort_size"])
    assert min(cohorts) > 100  # real cohorts, not empty reports
    stored = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
    if os.environ.get("RD_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        stored = digests
    differing = sorted(k for k in digests.keys() | stored.keys() if stored.get(k) != digests.get(k))
    assert not differing, f"outcomes output changed: {differing}"
