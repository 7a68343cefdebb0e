"""Command output is unchanged, byte for byte, by the speed work of issue 17.

The digests in tests/golden/outputs.json were taken from the code *before* the
optimisations (worklist JSON/CSV/table today and on a past date, the cases CSV export,
`assess` JSON and text for every example and a generated cohort). Any difference fails
and the differing outputs are written under the test's tmp_path for a diff.

A deliberate change of output (a new column, new wording) is not a speed change: after
checking the difference is the intended one, refresh the digests with
``RD_UPDATE_GOLDEN=1 pytest tests/cli/test_output_golden.py`` and commit them with the change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.golden import assert_outputs_match_golden
from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "outputs.json"
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))
AS_OF = "2026-06-01"
PAST = "2026-03-01"
COHORT = 400


def _example_cases():
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in (data if isinstance(data, list) else [data]):
            yield parse_case(item)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    root = tmp_path_factory.mktemp("golden")
    data = root / "data"
    cases = [parse_case(d) for d in generate_case_dicts(COHORT, seed=17)]
    ids = {c.case_id for c in cases}
    cases += [c for c in _example_cases() if c.case_id not in ids]
    with CaseStore.open(data) as store:
        store.import_cases(cases)
    cohort = root / "cohort.json"
    cohort.write_text(json.dumps(list(generate_case_dicts(60, seed=23))), encoding="utf-8")
    return root, data, cohort


def _outputs(seeded, monkeypatch, capsys) -> dict[str, bytes]:
    root, data, cohort = seeded
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(root / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: __import__("datetime").date(2026, 6, 1))
    out: dict[str, bytes] = {}

    def run(name, *args):
        code = cli.main(list(args))
        captured = capsys.readouterr()
        assert code == 0, captured.err
        out[name] = captured.out.replace(str(root), "<tmp>").encode("utf-8")  # the folder differs per run

    for day in (AS_OF, PAST):
        for fmt in ("json", "csv", "table"):
            run(f"worklist {fmt} {day}", "--data-dir", str(data), "worklist", "--as-of", day, "--format", fmt)
            run(f"worklist {fmt} all {day}", "--data-dir", str(data), "worklist", "--as-of", day, "--format", fmt,
                "--status", "all")
    for day in (AS_OF, PAST):
        target = root / f"cases-{day}.csv"
        run(f"export cases message {day}", "--data-dir", str(data), "export", "cases", "--status", "all",
            "--as-of", day, "--format", "csv", "--out", str(target), "--force")
        out[f"export cases csv {day}"] = target.read_bytes()
    for profile in ("us", "uk"):
        for fmt in ("json", "text"):
            for path in EXAMPLES:
                run(f"assess {fmt} {profile} {path.stem}", "assess", str(path), "--as-of", "2026-11-21",
                    "--format", fmt, "--profile", profile)
            run(f"assess {fmt} {profile} cohort", "assess", str(cohort), "--as-of", AS_OF, "--format", fmt,
                "--profile", profile)
    return out


def test_outputs_are_unchanged_byte_for_byte(seeded, monkeypatch, capsys, tmp_path):
    outputs = _outputs(seeded, monkeypatch, capsys)
    # Every output has real content (a digest of nothing would prove nothing).
    assert all(len(data) > 100 for name, data in outputs.items() if "message" not in name)
    assert b'"rows": [' in outputs[f"worklist json {PAST}"] and outputs[f"worklist csv all {AS_OF}"].count(b"\n") > COHORT
    assert_outputs_match_golden(outputs, GOLDEN, tmp_path)
