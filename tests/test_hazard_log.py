"""The hazard log (docs/safety/hazard-log.md) names real tests, and every hazard names one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
TEST_REF = re.compile(r"`?(tests/[\w/]+\.py)::([\w:\[\]-]+)`?")


def _rows(log: Path = LOG):
    """Every hazard row: (id, the 'Verified by' cell)."""
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| H-"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((cells[0], cells[-1]))
    return rows


def _defined(path: Path) -> set[str]:
    """Test names defined in a file: 'test_x' and 'TestClass::test_x'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{node.name}::{sub.name}")
    return names


def test_hazard_ids_are_unique():
    ids = [hid for hid, _ in _rows()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_hazard_names_a_test():
    missing = [hid for hid, verified in _rows() if not TEST_REF.search(verified)]
    assert not missing, f"hazards with no verifying test: {missing}"


def test_every_named_test_exists():
    problems = []
    cache: dict[Path, set[str]] = {}
    for hid, verified in _rows():
        for file, name in TEST_REF.findall(verified):
            path = ROOT / file
            if not path.is_file():
                problems.append(f"{hid}: {file} does not exist")
                continue
            defined = cache.setdefault(path, _defined(path))
            bare = name.split("[", 1)[0]
            if bare not in defined:
                problems.append(f"{hid}: {file}::{bare} is not defined")
    assert not problems, "\n".join(problems)


def test_checker_reports_a_row_without_a_test(tmp_path):
    fake = tmp_path / "log.md"
    fake.write_text("| H-X-1 | a | b | c | d | e | f | none yet |\n"
                    "| H-X-2 | a | b | c | d | e | f | `tests/test_hazard_log.py::test_hazard_ids_are_unique` |\n",
                    encoding="utf-8")
    assert [hid for hid, v in _rows(fake) if not TEST_REF.search(v)] == ["H-X-1"]


SEVERITIES = {"Minor", "Significant", "Considerable", "Major", "Catastrophic"}
LIKELIHOODS = {"Very low", "Low", "Medium", "High", "Very high"}


def test_every_hazard_is_rated_on_the_logs_own_scales():
    bad = []
    for line in LOG.read_text(encoding="utf-8").splitlines():
        if line.startswith("| H-"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[4] not in SEVERITIES or cells[5] not in LIKELIHOODS:
                bad.append(f"{cells[0]}: {cells[4]} / {cells[5]}")
    assert not bad, bad
