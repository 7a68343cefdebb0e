"""Hostile case files, bounded (issue 11, section 5).

Before: 9 MB of ``{}`` took 2.8 GB and a memory limit ended in a traceback; a
``leg_nrs`` of 10**400 was exit 70; a repeated key silently replaced a red-flag "yes"
by a later "no"; a pipe given as the file made the command wait forever; names with
terminal control characters were printed raw. Each limit of
``radiculopathy_desktop.commands.case_files`` is tried here at and beyond its value.
"""

from __future__ import annotations

import copy
import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import fault_figures

from helpers.cli_run import run_main
from radiculopathy_desktop.commands import case_files, tracker
from radiculopathy_desktop.domain.intake import parse_case

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
BASE = json.loads((EXAMPLES_DIR / "routine_l5_acute.json").read_text(encoding="utf-8"))
FLAG = next(iter(BASE["red_flags"]))


@pytest.fixture
def run(capsys, tmp_path):
    def run(*args: str, data: Path | None = None) -> tuple[int, str, str]:
        return run_main(capsys, ["--data-dir", str(data or tmp_path / "data"), *args])
    return run


def _write(tmp_path: Path, text: str | bytes, name: str = "cases.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _case(case_id: str = "H-1", **changes) -> dict:
    case = copy.deepcopy(BASE)
    case["case_id"] = case_id
    case["patient"]["id"] = "P-" + case_id
    case.update(changes)
    return case


def _no_database(tmp_path: Path) -> bool:
    return not (tmp_path / "data" / "radiculopathy.sqlite3").exists()


def TOP_LEVEL_REPEATS(one: str) -> tuple[str, ...]:  # noqa: N802 - a table, named like one
    return (f'{{"cases": [{one}], "cases": []}}', one[:-1] + ', "case_id": "OTHER"}')


def SPECIAL_FILES(fifo: Path) -> tuple[list[str], ...]:  # noqa: N802
    return (["import", str(fifo)], ["assess", str(fifo)], ["import", "/dev/zero"])


def TERMINAL_COMMANDS(case_file: str) -> tuple[list[str], ...]:  # noqa: N802
    return (["case", "EVIL\x1b[31m"], ["worklist", "--status", "all", "--as-of", "2026-11-21"],
            ["worklist", "--status", "all", "--format", "csv"], ["case", "EVIL\x1b[31m", "--format", "json"],
            ["worklist", "--status", "all", "--format", "json"], ["case", "NOPE\x1b[2J"], ["assess", case_file])


# --------------------------------------------------------------------------- duplicate keys
def _with_repeated_flag(case: dict) -> str:
    """The red flag answered "yes", then again "no" in the same object (JSON keeps the last)."""
    text = json.dumps(case)
    key = f'"{FLAG}": '
    at = text.index(key, text.index('"red_flags"'))
    end = text.index(",", at) if text.find(",", at) < text.find("}", at) else text.index("}", at)
    return text[:at] + f'"{FLAG}": "yes", "{FLAG}": "no"' + text[end:]


SHAPES = ("object", "list", "wrapped")
READERS = ("import", "assess")


#: What the tests below actually tried, recorded for the README fault table when
#: RADICULOPATHY_FAULT_FIGURES is set (tests/fault_figures.py, tests/fault_table.py).
TALLY = fault_figures.Tally("hostile_files")

_record_fault_figures = fault_figures.recorded_at_module_end(TALLY)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", READERS)
def test_a_repeated_key_is_an_error_naming_the_key(tmp_path, run, shape, command):
    one = _with_repeated_flag(_case())
    text = {"object": one, "list": f"[{one}]", "wrapped": f'{{"cases": [{one}]}}'}[shape]
    code, out, err = run(command, str(_write(tmp_path, text)))
    assert code == 2, (out, err)
    assert f"the key {FLAG!r} appears twice" in err and "Keep one of them" in err
    assert _no_database(tmp_path)
    TALLY.add(bad_files_tried=1)


def test_a_repeated_top_level_key_is_an_error_too(tmp_path, run):
    one = json.dumps(_case())
    for text in TOP_LEVEL_REPEATS(one):
        code, _, err = run("import", str(_write(tmp_path, text)))
        assert code == 2 and "appears twice" in err
    TALLY.add(bad_files_tried=len(TOP_LEVEL_REPEATS(one)))


def test_a_repeated_key_in_a_visit_file_is_an_error(tmp_path, run):
    path = _write(tmp_path, json.dumps(_case()))
    assert run("import", str(path))[0] == 0
    visit = _write(tmp_path, '{"date": "%s", "leg_nrs": 2, "leg_nrs": 9}' % BASE["visit_date"], "visit.json")
    code, _, err = run("visit", "H-1", "--json", str(visit))
    assert code == 2 and "the key 'leg_nrs' appears twice" in err
    TALLY.add(bad_files_tried=1)


# --------------------------------------------------------------------------- numbers
HUGE = "1" + "0" * 400


NUMBER_PLACES = ("pain.leg_nrs", "visits[0].leg_nrs", "visits[0].odi_percent", "float", "nan", "infinity")


@pytest.mark.parametrize("where", NUMBER_PLACES)
@pytest.mark.parametrize("command", READERS)
def test_absurd_numbers_are_exit_2_not_70(tmp_path, run, where, command):
    case = _case()
    case["visits"] = [{"date": BASE["visit_date"], "leg_nrs": 12345}]
    text = json.dumps(case)
    if where == "pain.leg_nrs":
        case["pain"]["leg_nrs"] = 12345
        text = json.dumps(case).replace('"leg_nrs": 12345', f'"leg_nrs": {HUGE}', 1)
    elif where == "visits[0].leg_nrs":
        text = text.replace('"leg_nrs": 12345', f'"leg_nrs": {HUGE}')
    elif where == "visits[0].odi_percent":
        text = text.replace('"leg_nrs": 12345', f'"leg_nrs": 3, "odi_percent": {HUGE}')
    elif where == "float":
        text = text.replace('"leg_nrs": 12345', '"leg_nrs": 1e400')
    else:
        text = text.replace('"leg_nrs": 12345', '"leg_nrs": ' + ("NaN" if where == "nan" else "-Infinity"))
    code, out, err = run(command, str(_write(tmp_path, text)))
    assert code == 2, (out, err)
    assert "unexpected" not in err and "Traceback" not in err
    assert "number" in err
    TALLY.add(bad_files_tried=1)


COMMAND_LINES = ([["visit", "H-1", "--date", "2026-11-01", "--leg-nrs", HUGE],
                  ["visit", "H-1", "--date", "2026-11-01", "--rmdq", "9" * 40],
                  ["worklist", "--limit", "9" * 30]])


@pytest.mark.parametrize("argv", COMMAND_LINES)
def test_absurd_numbers_on_the_command_line_are_exit_2(tmp_path, run, argv):
    assert run("import", str(_write(tmp_path, json.dumps(_case()))))[0] == 0
    code, out, err = run(*argv)
    assert code == 2 and "digits" in err and "unexpected" not in err
    TALLY.add(bad_files_tried=1)


# --------------------------------------------------------------------------- limits
def test_more_cases_than_the_limit_are_refused_before_anything_is_stored(tmp_path, run, monkeypatch):
    monkeypatch.setattr(case_files, "MAX_CASES", 5)
    at_limit = _write(tmp_path, json.dumps({"cases": [_case(f"L-{n}") for n in range(5)]}), "five.json")
    over = _write(tmp_path, json.dumps([_case(f"M-{n}") for n in range(6)]), "six.json")
    code, out, err = run("import", str(over))
    assert code == 2 and "more than 5 cases" in err and "Split it" in err
    assert _no_database(tmp_path)
    assert run("import", str(at_limit))[0] == 0
    TALLY.add(bad_files_tried=1)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, run, monkeypatch):
    monkeypatch.setattr(case_files, "MAX_FILE_BYTES", 4096)
    path = _write(tmp_path, json.dumps(_case()) + " " * 5000)
    code, _, err = run("import", str(path))
    assert code == 2 and "the limit for one file is 4,096 bytes" in err and "nothing was read" in err
    assert _no_database(tmp_path)
    code, _, err = run("assess", str(path))
    assert code == 2 and "limit for one file" in err
    TALLY.add(bad_files_tried=2)


def test_text_longer_than_the_limit_is_refused(tmp_path, run):
    case = _case()
    case["notes"] = "x" * (case_files.MAX_STRING_CHARS + 1)
    code, _, err = run("import", str(_write(tmp_path, json.dumps(case))))
    assert code == 2 and f"the limit is {case_files.MAX_STRING_CHARS:,}" in err
    case["patient"]["extra" * 5000] = 1  # a key that long is refused too
    case["notes"] = "short"
    code, _, err = run("import", str(_write(tmp_path, json.dumps(case))))
    assert code == 2 and "a key is" in err
    TALLY.add(bad_files_tried=2)


DEPTHS = (case_files.MAX_DEPTH + 1, 5000, 200_000)


@pytest.mark.parametrize("depth", DEPTHS)
def test_nesting_beyond_the_limit_is_refused(tmp_path, run, depth):
    case = _case()
    case["notes"] = "__DEEP__"
    text = json.dumps([case]).replace('"__DEEP__"', "[" * depth + "]" * depth)
    code, _, err = run("import", str(_write(tmp_path, text)))
    assert code == 2 and "nested too deeply" in err and "Traceback" not in err
    TALLY.add(bad_files_tried=1)


def test_one_case_larger_than_the_limit_is_refused(tmp_path, run, monkeypatch):
    monkeypatch.setattr(case_files, "MAX_CASE_CHARS", 20_000)
    case = _case()
    case["visits"] = [{"date": BASE["visit_date"], "leg_nrs": 3, "notes": "n" * 900} for _ in range(40)]
    code, _, err = run("import", str(_write(tmp_path, json.dumps([case]))))
    assert code == 2 and "more than 20,000 characters of JSON" in err
    TALLY.add(bad_files_tried=1)


def test_cases_spanning_many_read_chunks_import_whole(tmp_path, run, monkeypatch):
    """The stream reader joins a case cut at any chunk edge (small chunks force many cuts)."""
    monkeypatch.setattr(case_files, "CHUNK_BYTES", 97)
    cases = [_case(f"C-{n}") for n in range(30)]
    code, out, err = run("import", str(_write(tmp_path, "\ufeff" + json.dumps({"cases": cases}, indent=3))))
    assert code == 0, err
    conn = sqlite3.connect(tmp_path / "data" / "radiculopathy.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 30
    finally:
        conn.close()
    expected = [parse_case(c).case_id for c in cases]
    assert [c.case_id for c in tracker._streamed_cases(tmp_path / "cases.json", [])] == expected


def _limited_run(tmp_path: Path, *argv: str, limit_bytes: int) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    return subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(tmp_path / "data"),
                           *argv], capture_output=True, text=True, timeout=600, env=env, preexec_fn=limit)


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit (RLIMIT_AS) as on Linux")
def test_nine_megabytes_of_empty_objects_stay_within_a_memory_limit(tmp_path):
    """Before: 2.8 GB, and a 2 GB limit ended in a traceback. Now: a few hundred MB at most."""
    path = _write(tmp_path, "[" + ",".join(["{}"] * 3_000_000) + "]")
    assert path.stat().st_size > 8_900_000
    done = _limited_run(tmp_path, "import", str(path), limit_bytes=768 * 1024 * 1024)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "nothing was imported" in done.stderr and "checking stopped after 1,000 invalid cases" in done.stderr
    assert "MemoryError" not in done.stderr and "unexpected" not in done.stderr
    TALLY.add(bad_files_tried=1)


def test_a_pipe_or_a_device_given_as_the_file_does_not_hang(tmp_path):
    fifo = tmp_path / "cases.json"
    os.mkfifo(fifo)
    for argv in SPECIAL_FILES(fifo):
        done = _limited_run(tmp_path, *argv, limit_bytes=2 * 1024 ** 3)
        assert done.returncode == 2, (argv, done.stderr)
        assert ("a pipe (FIFO), not a file" in done.stderr or "a device, not a file" in done.stderr)
    TALLY.add(bad_files_tried=len(SPECIAL_FILES(fifo)))


# --------------------------------------------------------------------------- terminal
EVIL_NAME = "Eve\x1b[2J\x1b]0;owned\x07 \u202eevil\u202c\r\nAudit (latest 10)\x9b31m"


def test_text_from_a_case_never_reaches_the_terminal_as_control_characters(tmp_path, run):
    case = _case("EVIL\x1b[31m")
    case["patient"]["name"] = EVIL_NAME
    case["notes"] = "note\x1b[8m hidden"
    code, _, err = run("import", str(_write(tmp_path, json.dumps(case))))
    assert code == 2 and "U+001B ESCAPE" in err and "\x1b" not in err  # new input refuses them (rt8 F8)
    from radiculopathy_desktop.storage.store import CaseStore
    store = CaseStore.open(tmp_path / "data")  # a case stored before that check: still shown, never obeyed
    try:
        store.import_cases([parse_case(case)])
    finally:
        store.close()
    outputs = []
    for argv in TERMINAL_COMMANDS(str(tmp_path / "cases.json")):
        code, out, err = run(*argv)
        outputs.append((argv, code, out, err))
        for text in (out, err):
            for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
                assert bad not in text, (argv, bad, text[:400])
    case_text = outputs[0][2]
    assert "Eve\\u001b[2J" in case_text and "\\u202eevil" in case_text
    assert "\nAudit (latest 10)\\u009b" not in case_text  # the name cannot forge a line of its own
    shown = json.loads(outputs[3][2])  # JSON output stays valid and means the same
    assert shown["case"]["patient"]["name"] == EVIL_NAME.strip()
    assert outputs[5][1] == 2 and ("NOPE\\u001b[2J" in outputs[5][3] or "NOPE\\x1b[2J" in outputs[5][3])
    TALLY.add(bad_files_tried=len(outputs))
