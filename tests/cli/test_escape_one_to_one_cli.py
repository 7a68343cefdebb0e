"""The command line shows stored texts one-to-one (red-team rt10 F8) and the worklist CSV
writes a stored name on one line, as ``export cases`` does (rt10 F15).

F8 repro (/tmp/rt10/dcol): two cases stored as an earlier version could store them, one
whose id holds a real U+202E RIGHT-TO-LEFT OVERRIDE and one whose id holds the six typed
characters backslash, u, 2, 0, 2, e. Both were shown ``EX\\u202e1``. Now the typed one is
shown ``EX\\\\u202e1`` (a backslash is doubled) in the worklist table, the worklist CSV,
``export cases`` and the FHIR Bundle, and the import refuses the typed look-alike.

F15: a name stored with a line feed, a carriage return and other controls (set by SQL, as
an old version could hold it) is one ``\\u000a``-escaped cell on one line in
``worklist --format csv``, the same cell as ``export cases``.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sqlite3
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("escape_storage_conftest", _HERE.parent / "storage" / "conftest.py")
_support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_support)
data_dir = _support.data_dir
db_path = _support.db_path
run_cli = _support.run_cli
from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402

REAL = "EX\u202e1"  # a stored real override
TYPED = "EX\\u202e1"  # the six typed characters


def _main(data_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def stored(data_dir, monkeypatch):
    """The rt10 F8 pair, stored as an earlier version stored them (no new-input check)."""
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(case_dict(REAL, name="Real Patient", patient_id="P-REAL")),
                            parse_case(case_dict(TYPED, name="Literal Backslash", patient_id="P\\u200b"))])
    finally:
        store.close()
    return data_dir


def test_the_import_refuses_a_typed_escape_in_a_case_or_patient_id(tmp_path, run_cli, db_path):
    first = tmp_path / "first.json"
    first.write_text(json.dumps([case_dict("EX-A", name="Real Patient")]))
    assert run_cli("import", str(first))[0] == 0
    before = file_state(db_path)
    typed = tmp_path / "typed.json"
    typed.write_text(json.dumps([case_dict(TYPED, name="Literal Backslash"),
                                 case_dict("EX-B", name="Other", patient_id="DEMO\\u200b1")]))
    code, out, err = run_cli("import", str(typed))
    assert code == 2 and out == "" and "nothing was imported" in err
    assert "case_id holds the text \\u202e (character 3)" in err
    assert "patient.id holds the text \\u200b (character 5)" in err
    assert file_state(db_path) == before


def test_the_worklist_table_and_case_show_the_pair_apart(stored, capsys):
    code, out, err = _main(stored, capsys, "worklist", "--status", "all", "--as-of", ANCHOR.isoformat())
    assert code == 0, err
    real = next(line for line in out.splitlines() if "Real Patient" in line)
    typed = next(line for line in out.splitlines() if "Literal Backslash" in line)
    assert " EX\\u202e1 " in real and "\\\\" not in real
    assert " EX\\\\u202e1 " in typed
    assert "\u202e" not in out
    # `case` takes the id as shown: what the reader sees opens that case, never its look-alike
    for typed, who in (("EX\\\\u202e1", "literal"), ("EX\\u202e1", "real"), (REAL, "real")):
        code, out, err = _main(stored, capsys, "case", typed, "--as-of", ANCHOR.isoformat())
        assert code == 0, err
        if who == "literal":
            assert out.startswith("Case EX\\\\u202e1  patient P\\\\u200b  Literal Backslash"), typed
        else:
            assert out.startswith("Case EX\\u202e1  patient P-REAL  Real Patient"), typed


def test_a_typed_id_with_a_backslash_and_no_look_alike_opens_as_typed(data_dir, monkeypatch, capsys):
    """Only the typed-text case stored: its raw id and its shown form both open it."""
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(case_dict(TYPED, name="Literal Backslash"))])
    finally:
        store.close()
    for typed in (TYPED, "EX\\\\u202e1"):
        code, out, err = _main(data_dir, capsys, "case", typed, "--as-of", ANCHOR.isoformat())
        assert code == 0, err
        assert out.startswith("Case EX\\\\u202e1  patient"), typed


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_outputs_and_fhir_show_the_pair_apart(stored, tmp_path, capsys):
    code, out, err = _main(stored, capsys, "worklist", "--status", "all", "--as-of", ANCHOR.isoformat(),
                           "--format", "csv")
    assert code == 0, err
    shown = {r["patient_name"]: (r["case_id"], r["patient_id"]) for r in _csv_rows(out)}
    assert shown == {"Real Patient": ("EX\\u202e1", "P-REAL"), "Literal Backslash": ("EX\\\\u202e1", "P\\\\u200b")}
    export = tmp_path / "cases.csv"
    code, _, err = _main(stored, capsys, "export", "cases", "--status", "all", "--as-of", ANCHOR.isoformat(),
                         "--format", "csv", "--out", str(export))
    assert code == 0, err
    rows = _csv_rows(export.read_bytes().decode("utf-8-sig"))
    assert {r["patient_name"]: (r["case_id"], r["patient_id"]) for r in rows} == shown
    for n, (case_id, want) in enumerate(((REAL, "EX\\u202e1"), ("EX\\\\u202e1", "EX\\\\u202e1"))):
        fhir = tmp_path / f"bundle{n}.json"
        code, _, err = _main(stored, capsys, "export", "summary", case_id, "--as-of", ANCHOR.isoformat(),
                             "--format", "fhir", "--out", str(fhir))
        assert code == 0, err
        bundle = json.loads(fhir.read_text(encoding="utf-8"))
        assert bundle["identifier"]["value"] == want
        assert "\u202e" not in fhir.read_text(encoding="utf-8")


def test_check_full_names_only_the_real_override(stored, capsys):
    code, out, err = _main(stored, capsys, "check", "--full")
    text = out + err
    assert code == 0, text
    assert "case EX\\u202e1: case_id holds U+202E RIGHT-TO-LEFT OVERRIDE" in text
    # the typed look-alike holds no hidden character; it is listed for its backslash only,
    # which a new id may no longer hold (rt12 F5)
    typed = [line.split(": a new ID may not hold it")[0] for line in text.splitlines() if "case EX\\\\u202e1" in line]
    assert typed == ["warning: case EX\\\\u202e1: case_id holds a backslash (\\) (character 3)",
                     "warning: case EX\\\\u202e1: patient.id holds a backslash (\\) (character 2)"]
    assert "U+202E" not in "".join(typed) and "U+200B" not in "".join(typed)


# --- rt10 F15: the worklist CSV writes a stored name on one line ------------------------

HOSTILE_NAME = "Ann\x07\u202eevil\x1b[31m\nX\rY\\Z"


@pytest.fixture
def stored_line_feed(data_dir, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(case_dict("PN-LF", name="Ann Plain", patient_id="PN-SHY")),
                            parse_case(case_dict("PN-OK", name="Bo Plain"))])
    finally:
        store.close()
    conn = sqlite3.connect(data_dir / "radiculopathy.sqlite3")
    with conn:  # as an old version could hold it (rt10 F15 steps)
        conn.execute("UPDATE cases SET patient_name = ? WHERE patient_id = 'PN-SHY'", (HOSTILE_NAME,))
    conn.close()
    return data_dir


def test_the_worklist_csv_writes_a_stored_line_feed_as_export_cases_does(stored_line_feed, tmp_path, capsys):
    code, out, err = _main(stored_line_feed, capsys, "worklist", "--status", "all", "--as-of", ANCHOR.isoformat(),
                           "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3  # the header and one physical line per case: a line-based reader sees 2 rows
    assert all(line.count(",") >= 17 for line in lines)
    worklist_name = {r["case_id"]: r["patient_name"] for r in _csv_rows(out)}["PN-LF"]
    assert worklist_name == "Ann\\u0007\\u202eevil\\u001b[31m\\u000aX\\u000dY\\\\Z"
    export = tmp_path / "cases.csv"
    code, _, err = _main(stored_line_feed, capsys, "export", "cases", "--status", "all", "--as-of",
                         ANCHOR.isoformat(), "--format", "csv", "--out", str(export))
    assert code == 0, err
    text = export.read_bytes().decode("utf-8-sig")
    assert len(text.splitlines()) == 3
    assert {r["case_id"]: r["patient_name"] for r in _csv_rows(text)}["PN-LF"] == worklist_name
    # the JSON keeps the stored text exactly (a JSON string escape is already one-to-one)
    code, out, err = _main(stored_line_feed, capsys, "worklist", "--status", "all", "--as-of", ANCHOR.isoformat(),
                           "--format", "json")
    assert code == 0, err
    names = {r["case_id"]: r["patient_name"] for r in json.loads(out)["rows"]}
    assert names["PN-LF"] == HOSTILE_NAME and names["PN-OK"] == "Bo Plain"
