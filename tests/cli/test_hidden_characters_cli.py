"""Control characters and direction overrides in names (red-team rt8 F8): import refuses
them naming the case, field and character; a case stored before the check stays readable,
``check --full`` lists it, and its CSV and FHIR exports hold visible ``\\uXXXX`` escapes
instead of the characters (FHIR R4 ``string``: nothing below U+0020 but tab, CR and LF)."""

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

RLO_NAME = "\u202eevil\u202c Sam \u0645\u062d\u0645\u062f \u05d3\u05d5\u05d3"
CTRL_NAME = "Ann\u0007\u001b[31m Red\u0000X"


def test_import_refuses_hidden_characters_naming_case_field_and_character(tmp_path, run_cli, db_path):
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps([case_dict("OK-1")]))
    assert run_cli("import", str(ok))[0] == 0
    before = file_state(db_path)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([case_dict("H-RTL", name=RLO_NAME), case_dict("H-CTRL", name=CTRL_NAME),
                                case_dict("H-OK", name="\u0645\u062d\u0645\u062f \u05d3\u05d5\u05d3")]))
    code, out, err = run_cli("import", str(path))
    assert code == 2 and out == "" and "nothing was imported" in err
    assert "case_id H-RTL" in err and "patient.name holds U+202E RIGHT-TO-LEFT OVERRIDE; U+202C POP DIRECTIONAL FORMATTING" in err
    assert "case_id H-CTRL" in err and "U+0007 BELL; U+001B ESCAPE; U+0000 NULL" in err
    assert "H-OK" not in err  # Arabic and Hebrew letters are names like any other
    assert "\x1b" not in err and "\u202e" not in err  # the message itself never carries them
    assert file_state(db_path) == before


def _store_hostile(data_dir: Path) -> None:
    """Cases stored as an earlier version stored them (before new input refused these)."""
    rtl = case_dict("H-RTL", name=RLO_NAME)
    ctrl = case_dict("H-CTRL\u0007", name=CTRL_NAME, patient_id="P\u001bX")
    ctrl["notes"] = "first line\nsecond\tline\u0007"
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(rtl), parse_case(ctrl)])
    finally:
        store.close()


def _main(data_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    return run_main(capsys, ["--data-dir", str(data_dir), *args])


@pytest.fixture
def hostile(data_dir, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    _store_hostile(data_dir)
    return data_dir


def test_the_csv_export_of_stored_hostile_cases_holds_escapes_not_controls(hostile, tmp_path, capsys):
    out = tmp_path / "cases.csv"
    code, _, err = _main(hostile, capsys, "export", "cases", "--status", "all", "--as-of", ANCHOR.isoformat(),
                         "--format", "csv", "--out", str(out))
    assert code == 0, err
    raw = out.read_bytes()
    assert not any(b < 0x20 and b not in (0x0d, 0x0a) for b in raw)  # only the row ends
    text = raw.decode("utf-8-sig")
    assert "\u202e" not in text and "\u202c" not in text
    rows = {r["case_id"]: r for r in csv.DictReader(text.splitlines())}
    assert rows["H-RTL"]["patient_name"] == "\\u202eevil\\u202c Sam \u0645\u062d\u0645\u062f \u05d3\u05d5\u05d3"
    ctrl = rows["H-CTRL\\u0007"]
    assert ctrl["patient_name"] == "Ann\\u0007\\u001b[31m Red\\u0000X" and ctrl["patient_id"] == "P\\u001bX"


def test_the_fhir_bundle_of_a_stored_hostile_case_has_no_forbidden_character(hostile, tmp_path, capsys):
    out = tmp_path / "ctrl.json"
    code, _, err = _main(hostile, capsys, "export", "summary", "H-CTRL\u0007", "--as-of", ANCHOR.isoformat(),
                         "--format", "fhir", "--out", str(out))
    assert code == 0, err
    bundle = json.loads(out.read_text(encoding="utf-8"))

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    every = list(strings(bundle))
    assert every and not [s for s in every if any(ord(c) < 0x20 and c not in "\t\r\n" for c in s)]
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["name"][0]["text"] == "Ann\\u0007\\u001b[31m Red\\u0000X"
    assert bundle["identifier"]["value"] == "H-CTRL\\u0007"


def test_check_full_lists_stored_hidden_characters_and_the_case_stays_readable(hostile, capsys):
    code, out, err = _main(hostile, capsys, "check", "--full")
    text = out + err
    assert code == 0, text
    assert "case H-RTL: patient.name holds U+202E RIGHT-TO-LEFT OVERRIDE; U+202C POP DIRECTIONAL FORMATTING" in text
    assert "case H-CTRL\\u0007: case_id holds U+0007 BELL" in text
    assert "patient.id holds U+001B ESCAPE" in text and "notes holds U+0007 BELL" in text
    assert "\x1b" not in text and "\u202e" not in text
    code, out, _ = _main(hostile, capsys, "case", "H-RTL")
    assert code == 0 and "\\u202eevil\\u202c Sam" in out
