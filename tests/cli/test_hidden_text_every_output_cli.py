"""Every command-line output that shows a stored name or identifier escapes the hidden
characters the window escapes (red-team rt11 F10), on both engines.

rt11 F10: a case stored as an earlier version could store it (no new-input check), whose
id, patient id and name hold U+200B ZERO WIDTH SPACE (and the name a U+202E override), was
printed with the zero width space RAW by `worklist` (text, CSV, JSON), `case` (text and
JSON) and `outcomes --cases` (text and JSON), so it looked exactly like its neighbour
``EX-ZW``/``DEMO-1001``; only the override was escaped. Also the Default_Ignorable code
points outside the earlier hand lists (rt11 F9: U+17B4, U+180B, E0080) are escaped now.

The text outputs write each hidden character as ``\\uXXXX`` (as the window, `export cases`,
FHIR and the PDF do); the JSON outputs write it as the JSON escape ``\\uXXXX`` (the same
bytes for a character below U+10000, a surrogate pair above), so a script reading the JSON
gets the stored text exactly, and a person reading the bytes sees the escape.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.characters import REFUSED_IN_IDS, REFUSED_IN_NOTES
from radiculopathy_desktop.domain.intake import parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

# (case id, patient id, name) stored raw: the plain one and its look-alikes
PLAIN = ("EX-ZW", "DEMO-1001", "Alex Example")
ZW = ("EX-ZW\u200b", "DEMO-1001\u200b", "Alex\u200b Example\u202e")
DI = ("EX-1\u17b4", "P-1\u180b", "Kim\u17b4 Tag\U000e0080")  # Default_Ignorable outside the old lists
SHOWN = {PLAIN[0]: ("EX-ZW", "DEMO-1001", "Alex Example"),
         ZW[0]: ("EX-ZW\\u200b", "DEMO-1001\\u200b", "Alex\\u200b Example\\u202e"),
         DI[0]: ("EX-1\\u17b4", "P-1\\u180b", "Kim\\u17b4 Tag\\U000e0080")}


def _hidden_in(text: str) -> list[str]:
    """Hidden characters left raw in an output (tab and line feed are its layout)."""
    return [hex(ord(m.group())) for pattern in (REFUSED_IN_IDS, REFUSED_IN_NOTES)
            for m in pattern.finditer(text) if m.group() not in "\t\n"]


@pytest.fixture
def stored(target, monkeypatch):
    """The three cases stored without the new-input check, on the engine under test."""
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    cases = [parse_case(case_dict(cid, name=name, patient_id=pid)) for cid, pid, name in (PLAIN, ZW, DI)]
    if target[0] == "--server":
        from radiculopathy_desktop.storage.pg.store import PgStore

        with PgStore.open(target[1]) as store:
            store.import_cases(cases, user="test")
    else:
        from radiculopathy_desktop.storage.store import CaseStore

        store = CaseStore.open(Path(target[1]))
        try:
            store.import_cases(cases, user="test")
        finally:
            store.close()
    return target


@pytest.fixture
def run(capsys, stored):
    def run(*args: str) -> str:
        code = cli.main([*stored, *args])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert not _hidden_in(captured.out), (args, _hidden_in(captured.out))
        return captured.out
    return run


def test_the_worklist_table_csv_and_json_escape_stored_hidden_characters(run):
    out = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat())
    for case_id, (shown_id, _, shown_name) in SHOWN.items():
        line = next(line for line in out.splitlines() if f" {shown_id} " in line)
        assert shown_name in line, (line, shown_name)
    assert len([line for line in out.splitlines() if " EX-ZW " in line]) == 1  # the look-alike is not "EX-ZW"

    out = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "csv")
    rows = {r["case_id"]: (r["case_id"], r["patient_id"], r["patient_name"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows == {shown[0]: shown for shown in SHOWN.values()}

    out = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "json")
    rows = json.loads(out)["rows"]
    # the JSON value is the stored text exactly; its bytes show the escape
    assert {(r["case_id"], r["patient_id"], r["patient_name"]) for r in rows} == {PLAIN, ZW, DI}
    assert '"case_id": "EX-ZW\\u200b"' in out and '"patient_name": "Alex\\u200b Example\\u202e"' in out
    assert '"patient_name": "Kim\\u17b4 Tag\\udb40\\udc80"' in out  # astral: a JSON surrogate pair


def test_case_text_and_json_escape_stored_hidden_characters(run):
    for case_id in (ZW[0], "EX-ZW\\u200b"):  # stored, or as the worklist shows it
        out = run("case", case_id, "--as-of", ANCHOR.isoformat())
        assert out.startswith("Case EX-ZW\\u200b  patient DEMO-1001\\u200b  Alex\\u200b Example\\u202e  ")
    out = run("case", DI[0], "--as-of", ANCHOR.isoformat())
    assert out.startswith("Case EX-1\\u17b4  patient P-1\\u180b  Kim\\u17b4 Tag\\U000e0080  ")
    out = run("case", ZW[0], "--as-of", ANCHOR.isoformat(), "--format", "json")
    case = json.loads(out)["case"]
    assert (case["case_id"], case["patient"]["id"], case["patient"]["name"]) == ZW
    assert '"case_id": "EX-ZW\\u200b"' in out


def test_outcomes_cases_text_and_json_escape_stored_hidden_characters(run):
    out = run("outcomes", "--from", "2026-01-01", "--to", ANCHOR.isoformat(), "--as-of", ANCHOR.isoformat(),
              "--cases")
    listed = {line.split(": ", 1)[1].rsplit(")", 1)[0] + ")" for line in out.splitlines()
              if line.strip().startswith(("in numerator:", "not recorded:"))}
    assert {"EX-ZW (DEMO-1001)", "EX-ZW\\u200b (DEMO-1001\\u200b)", "EX-1\\u17b4 (P-1\\u180b)"} <= listed
    out = run("outcomes", "--from", "2026-01-01", "--to", ANCHOR.isoformat(), "--as-of", ANCHOR.isoformat(),
              "--cases", "--format", "json")
    json.loads(out)
    assert '"EX-ZW\\u200b"' in out and '"EX-1\\u17b4"' in out
    assert ZW[0] in {m for m in _case_ids(json.loads(out))}


def _case_ids(data) -> set:
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "case_id" and isinstance(value, str):
                found.add(value)
            else:
                found |= _case_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _case_ids(value)
    return found


_HIDDEN_SAMPLES = ["\u200b", "\u202e", "\u17b4", "\u180b", "\ufeff", "\u00a0", "\u200d", "\x1b", "\r", "\u2028",
                   "\U000e0080", "\U0001d159", "\U000e0100", "\U000f0001"]


@pytest.mark.parametrize("tail", ["", "\U0001f600", "\u00e9"])  # ASCII, astral, other non-ASCII texts
def test_json_safe_keeps_the_value_exactly_and_leaves_nothing_hidden(tail):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from radiculopathy_desktop.terminal import json_safe, terminal_safe

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.one_of(st.sampled_from(_HIDDEN_SAMPLES), st.text(max_size=5)), max_size=8))
    def check(parts):
        value = {"case_id": "".join(parts) + tail, "notes": ["\t".join(parts), "\n".join(parts)]}
        for indent in (None, 1):
            text = json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
            assert json.loads(text) == value
            assert not _hidden_in(text)
        shown = terminal_safe("".join(parts) + tail + "\n\tend")
        # the terminal escapes what a note refuses (a note keeps joiners, selectors, no-break spaces)
        assert shown.endswith("\n\tend") and not REFUSED_IN_NOTES.search(shown.replace("\n\tend", ""))

    check()
