"""The import summary prints case IDs as the worklist shows them (red-team rt12 F5): `EX\\1`
is how the case whose ID holds one backslash is shown; an ID copied from the summary, typed
back, opens the case it names, not a look-alike. A new ID may no longer hold a backslash
(rt12 F5, round 13): the pair is stored as an older tracker stored it (no new-input check)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.store import CaseStore

from helpers.cli_run import cli_runner


TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def run_cli(tmp_path, capsys, monkeypatch):
    """Every command on a local data folder, today pinned (after the examples' intakes)."""
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"))


def _example(case_id: str, patient_id: str, name: str) -> dict:
    data = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    data["case_id"] = case_id
    data["patient"].update(id=patient_id, name=name)
    return data


def test_the_import_summary_and_save_messages_print_ids_as_shown(run_cli, tmp_path):
    one, two = "EX\\1", "EX\\\\1"  # one backslash; two backslashes
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([_example(one, "P-ONE", "One Backslash"),
                                _example(two, "P-TWO", "Two Backslashes")]), encoding="utf-8")
    code, out, err = run_cli("import", str(path))  # new input: refused since rt12 F5
    assert code == 2 and "case_id holds a backslash" in err and out == ""
    store = CaseStore.open(tmp_path / "data")  # stored as an older tracker stored them
    try:
        store.import_cases([parse_case(_example(one, "P-ONE", "One Backslash"))])
    finally:
        store.close()
    code, out, err = run_cli("import", str(path))  # the file is new input even where a case is stored
    assert code == 2 and "case_id holds a backslash" in err
    store = CaseStore.open(tmp_path / "data")
    try:
        result = store.import_cases([parse_case(_example(two, "P-TWO", "Two Backslashes"))])
    finally:
        store.close()
    assert list(result.added) == [two]
    shown_one, shown_two = "EX\\\\1", "EX\\\\\\\\1"  # each backslash doubled, as the worklist shows them
    code, out, err = run_cli("worklist", "--status", "all")
    assert code == 0 and shown_one in out and shown_two in out
    code, out, err = run_cli("case", shown_two)  # copied from the worklist: the case it names
    assert code == 0 and "P-TWO" in out.splitlines()[0]
    code, out, err = run_cli("decide", shown_two, "--kind", "referred", "--date", "2026-11-25", "--by", "Dr A")
    assert code == 0, err
    assert f"Recorded on case {shown_two}:" in out
    code, out, _ = run_cli("case", shown_one, "--format", "json")
    assert code == 0 and not json.loads(out)["case"].get("decisions")  # nothing went to ONE
