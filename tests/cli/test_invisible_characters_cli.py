"""Invisible identifiers (red-team rt10 F6) through the command line: the import refuses a
look-alike case or patient id, naming the character; a case stored before the check shows
its id with the invisible characters escaped in the CSV, the FHIR Bundle and ``check --full``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from helpers.cli_run import run_main
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402


def _main(data_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    return run_main(capsys, ["--data-dir", str(data_dir), *args])


def test_a_look_alike_patient_or_case_id_is_refused_and_nothing_is_imported(tmp_path, run_cli, db_path):
    first = tmp_path / "first.json"
    first.write_text(json.dumps([case_dict("EX-ROUTINE-L5", name="Alex Example", patient_id="DEMO-1001")]))
    assert run_cli("import", str(first))[0] == 0
    before = file_state(db_path)
    twin = tmp_path / "twin.json"
    twin.write_text(json.dumps([case_dict("EX-ROUTINE-L5\u200d", name="Alex Example", patient_id="DEMO-1001"),
                                case_dict("EX-OTHER", name="Alex Example", patient_id="DEMO-1001\u200b"),
                                case_dict("EX-TAG", name="Alex\U000e0041 Example", patient_id="DEMO-1002")]))
    code, out, err = run_cli("import", str(twin))
    assert code == 2 and out == "" and "nothing was imported" in err
    assert "case_id holds U+200D ZERO WIDTH JOINER (character 14)" in err
    assert "patient.id holds U+200B ZERO WIDTH SPACE (character 10)" in err
    assert "patient.name holds U+E0041 TAG LATIN CAPITAL LETTER A" in err
    assert "\u200b" not in err and "\u200d" not in err
    assert file_state(db_path) == before


@pytest.fixture
def stored(data_dir, monkeypatch):
    """Cases stored as an earlier version stored them (before new input refused these)."""
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    plain = case_dict("EX-ROUTINE-L5", name="Alex Example", patient_id="DEMO-1001")
    twin = case_dict("EX-ROUTINE-L5\u200c", name="Alex Example", patient_id="DEMO-1001\u200b")
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(plain), parse_case(twin)])
    finally:
        store.close()
    return data_dir


def test_the_csv_export_shows_the_look_alike_ids_apart(stored, tmp_path, capsys):
    out = tmp_path / "cases.csv"
    code, _, err = _main(stored, capsys, "export", "cases", "--status", "all", "--as-of", ANCHOR.isoformat(),
                         "--format", "csv", "--out", str(out))
    assert code == 0, err
    text = out.read_bytes().decode("utf-8-sig")
    assert "\u200b" not in text and "\u200c" not in text
    ids = sorted((r["case_id"], r["patient_id"]) for r in csv.DictReader(text.splitlines()))
    assert ids == [("EX-ROUTINE-L5", "DEMO-1001"), ("EX-ROUTINE-L5\\u200c", "DEMO-1001\\u200b")]


def test_the_fhir_identifiers_are_escaped(stored, tmp_path, capsys):
    out = tmp_path / "twin.json"
    code, _, err = _main(stored, capsys, "export", "summary", "EX-ROUTINE-L5\u200c", "--as-of",
                         ANCHOR.isoformat(), "--format", "fhir", "--out", str(out))
    assert code == 0, err
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["identifier"]["value"] == "EX-ROUTINE-L5\\u200c"
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["identifier"][0]["value"] == "DEMO-1001\\u200b"
    assert "\u200b" not in out.read_text(encoding="utf-8")


def test_check_full_lists_the_invisible_identifiers(stored, capsys):
    code, out, err = _main(stored, capsys, "check", "--full")
    text = out + err
    assert code == 0, text
    assert "case EX-ROUTINE-L5\\u200c: case_id holds U+200C ZERO WIDTH NON-JOINER" in text
    assert "patient.id holds U+200B ZERO WIDTH SPACE" in text
    assert "case EX-ROUTINE-L5:" not in text
