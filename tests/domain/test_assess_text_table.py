"""The medicine table of the `assess` text prints every name and seed dose whole (proofreader
rd13 D18: cut at the column width they read "starting at 60mg daily an 60 mg" and
"400-800mg three times dai"). A long cell wraps inside its column."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

SEED_COLUMN = 2 + 30 + 32  # indent, medicine, status


def _table(example: str):
    case = parse_case(json.loads(resource_path("examples", f"{example}.json").read_text(encoding="utf-8")))
    out = assess_case(case, dt.date(2026, 11, 30)).to_dict()
    lines = assessment_text(out).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  medicine "))
    rows = out["medications"]["rows"]
    return rows, lines[start + 1:]


@pytest.mark.parametrize("example", ["routine_s1_follow_up_due", "routine_l5_acute"])
def test_every_seed_dose_is_printed_whole_in_its_column(example):
    rows, lines = _table(example)
    assert any(len(str((r.get("seed_dose") or {}).get("text", r.get("seed_dose") or ""))) > 25 for r in rows)
    for row in rows:
        seed = row.get("seed_dose") or ""
        seed = seed.get("text", "") if isinstance(seed, dict) else str(seed)
        first = next(i for i, line in enumerate(lines) if line[2:].startswith(str(row.get("label", row.get("drug")))[:20]))
        column = [lines[first][SEED_COLUMN:SEED_COLUMN + 26].strip()]
        for line in lines[first + 1:]:  # continuation lines: blank up to the seed column
            if line[:SEED_COLUMN].strip() or not line[SEED_COLUMN:].strip():
                break
            column.append(line[SEED_COLUMN:].strip())
        assert " ".join(column) == " ".join(seed.split())


def test_a_long_line_no_longer_runs_into_the_next_column():
    _, lines = _table("routine_s1_follow_up_due")
    gabapentin = next(line for line in lines if line.startswith("  Gabapentin "))
    assert gabapentin[SEED_COLUMN:SEED_COLUMN + 26].rstrip().endswith("daily")  # a whole word
    assert gabapentin[SEED_COLUMN + 26:].startswith("1400 mg")
