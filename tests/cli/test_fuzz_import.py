"""Property-based fuzzing of the case importer (issue 7): hostile case files never reach the user as a
traceback and never leave the database half-written.

Documents start from the shipped examples (``resources/examples/*.json``) and are
mutated: keys dropped or duplicated, values replaced by the wrong type (huge numbers,
NaN, nested containers, text), impossible and far-away dates, huge lists, deep
nesting, case ids repeated, non-UTF-8 bytes, a byte-order mark, truncation. Each
document goes through ``radiculopathy-desktop import FILE`` on a copy of a database
that already holds the examples (so updates are exercised too).

* exit 0: every case in the file is in the database exactly as parsed;
* exit 2: a message naming the problem, and the database exactly as before
  (every stored case, the audit table); never anything in between.

``assess FILE`` runs on the same document (the whole engine on hostile input): exit 0
or 2 with a message, never a traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import case_to_dict, parse_case

EXAMPLES = int(os.environ.get("RD_FUZZ_EXAMPLES", "120"))
HUNT = bool(os.environ.get("RD_FUZZ_HUNT"))
TODAY = dt.date(2026, 11, 21)
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
BASE = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.json"))]
DATE_KEYS = ("onset_date", "visit_date", "care_start_date", "birth_date", "date", "until", "started", "stopped")


# --------------------------------------------------------------------------- mutations
def paths_in(value, prefix=()):
    """Every path (tuple of keys and indexes) to a value inside ``value``."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths_in(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:20]):
            yield from paths_in(v, prefix + (i,))


def get_parent(doc, path):
    node = doc
    for key in path[:-1]:
        node = node[key]
    return node


JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(-10**40, 10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "yes", "no", "unknown", "left", "right", "both", "2026-02-30", "9999-12-31", "0001-01-01",
                     "x" * 10_000, "L5", "S1", "-1", "1e309", "NaN", "null", "\u202e\u0645"]),
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=4)), max_leaves=8)
BAD_DATES = st.one_of(
    st.sampled_from(["2026-02-30", "2026-13-01", "2026-00-00", "0000-01-01", "0001-01-01", "9999-12-31",
                     "1800-01-01", "2200-01-01", "2026-1-1", "2026/01/01", "", "tomorrow", "2026-01-01T00:00"]),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
)


@st.composite
def mutated_case(draw):
    case = copy.deepcopy(draw(st.sampled_from(BASE)))
    for _ in range(draw(st.integers(0, 4))):
        paths = [p for p in paths_in(case) if p]
        path = draw(st.sampled_from(paths))
        parent = get_parent(case, path)
        key = path[-1]
        how = draw(st.sampled_from(["drop", "replace", "date", "huge_list", "deep", "duplicate_visit"]))
        if how == "drop" and isinstance(parent, dict):
            parent.pop(key, None)
        elif how == "replace":
            parent[key] = draw(JSON_VALUES)
        elif how == "date":
            date_paths = [p for p in paths if isinstance(p[-1], str) and p[-1] in DATE_KEYS]
            if date_paths:
                target = draw(st.sampled_from(date_paths))
                get_parent(case, target)[target[-1]] = draw(BAD_DATES)
        elif how == "huge_list":
            parent[key] = [copy.deepcopy(parent[key]) for _ in range(draw(st.integers(50, 400)))]
        elif how == "deep":
            value = parent[key]
            for _ in range(draw(st.integers(20, 300))):
                value = [value]
            parent[key] = value
        elif how == "duplicate_visit" and isinstance(case.get("visits"), list) and case["visits"]:
            case["visits"] = case["visits"] * draw(st.integers(2, 50))
    return case


@st.composite
def document(draw) -> bytes:
    cases = draw(st.lists(mutated_case(), min_size=0, max_size=3))
    if cases and draw(st.booleans()):
        cases.append(copy.deepcopy(cases[0]))  # the same case_id twice
    shape = draw(st.sampled_from(["object", "list", "wrapped"]))
    doc = cases[0] if shape == "object" and cases else ({"cases": cases} if shape == "wrapped" else cases)
    try:
        text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    except (ValueError, RecursionError):  # nothing json can write: fall back to a plain document
        text = json.dumps(BASE[0])
    extra = draw(st.sampled_from(["none", "dup_key", "deep_text", "bom", "bad_byte", "truncate", "utf16",
                                  "trailing", "nan", "dup_flag", "huge_int", "controls"]))
    if extra == "dup_key":  # JSON objects with a repeated key (the last one wins in Python)
        text = text.replace('"case_id":', '"case_id": "DUP-1", "case_id":', 1)
    elif extra == "dup_flag":  # a red flag answered "yes", then "no" in the same object (issue 11)
        text = text.replace('"red_flags": {', '"red_flags": {"cauda_equina": "yes", "cauda_equina": "no", ', 1)
    elif extra == "huge_int":
        text = re.sub(r'"(leg_nrs|back_nrs|odi_percent|age_years)": \d+', lambda m: f'"{m.group(1)}": 1{"0" * 400}',
                      text, count=draw(st.integers(1, 3)))
    elif extra == "controls":
        text = text.replace('"name": "', '"name": "\\u001b[2J\\u009b\\u202e', 1)
    elif extra == "deep_text":
        depth = draw(st.integers(500, 50_000))
        text = '{"cases": ' + "[" * depth + "]" * depth + "}"
    elif extra == "trailing":
        text += draw(st.sampled_from([" x", ",", "}", "\x00", "\n\n"]))
    elif extra == "nan":
        text = re.sub(r'"leg_nrs": \d+', '"leg_nrs": NaN', text, count=1)
    data = text.encode("utf-8")
    if extra == "bom":
        data = b"\xef\xbb\xbf" + data
    elif extra == "bad_byte" and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + data[at:]
    elif extra == "truncate" and data:
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif extra == "utf16":
        data = text.encode("utf-16")
    return data


def has_repeated_key(data: bytes) -> bool:
    """Whether the document parses as JSON with some object repeating a key."""
    repeated = []

    def pairs(items):
        keys = [k for k, _ in items]
        if len(keys) != len(set(keys)):
            repeated.append(True)
        return dict(items)
    try:
        json.loads(data.decode("utf-8-sig"), object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return False
    return bool(repeated)


# --------------------------------------------------------------------------- the database before and after
def snapshot(db_file: Path) -> tuple:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return (conn.execute("SELECT case_id, case_json FROM case_documents ORDER BY case_id").fetchall(),
                conn.execute("SELECT * FROM audit ORDER BY id").fetchall(),
                conn.execute("SELECT count(*) FROM visits").fetchone()[0],
                conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def items_of(data):
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        return data["cases"]
    return data if isinstance(data, list) else [data]


def run(argv, capsys) -> tuple[int, str, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def template(tmp_path, monkeypatch):
    from radiculopathy_desktop.storage.store import CaseStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    folder = tmp_path / "template"
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(c) for c in BASE], user="fuzz")
    return tmp_path, folder


@pytest.mark.allow_log_warnings
def test_hostile_case_files_are_refused_in_words_or_imported_whole(template, capsys):
    root, folder = template
    counter = itertools.count()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not HUNT, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(document())
    def fuzz(data: bytes):
        n = next(counter)
        data_dir = root / f"data-{n}"
        shutil.copytree(folder, data_dir)
        source = root / f"case-{n}.json"
        source.write_bytes(data)
        db_file = data_dir / "radiculopathy.sqlite3"
        before = snapshot(db_file)

        code, out, err = run(["--data-dir", str(data_dir), "import", str(source)], capsys)
        shown = f"exit={code}\nstdout={out[-1500:]}\nstderr={err[-1500:]}\ndocument={data[:600]!r}"
        assert "Traceback" not in out + err, shown
        assert code in (0, 2), shown
        for control in ("\x1b", "\x9b", "\u202e"):  # never printed raw (issue 11, section 5)
            assert control not in out + err, shown
        if has_repeated_key(data):  # refused, naming the key: never the last value silently
            assert code == 2 and "appears twice" in err, shown
        if code == 2:
            assert err.startswith("error: ") and len(err.strip()) > len("error: "), shown
            assert "import" in err or str(source) in err, shown  # says which step or file
            assert snapshot(db_file) == before, "a refused import changed the database\n" + shown
        else:
            items = items_of(json.loads(data.decode("utf-8-sig")))
            with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
                for item in items:
                    case = parse_case(item)
                    row = conn.execute("SELECT case_json FROM case_documents WHERE case_id = ?",
                                       (case.case_id,)).fetchone()
                    assert row is not None, shown
                    stored = json.loads(row[0])
                    for record in stored.get("visits", []) + stored.get("decisions", []):
                        record.pop("entry", None)  # the order the tracker entered them in (rt12 F2)
                    assert stored == json.loads(json.dumps(case_to_dict(case))), shown
            conn.close()
            after = snapshot(db_file)
            assert after[3] - before[3] == len({parse_case(i).case_id for i in items} - {r[0] for r in before[0]})

        code, out, err = run(["assess", str(source), "--as-of", "2026-11-21", "--format", "json"], capsys)
        assert "Traceback" not in out + err, shown
        assert code in (0, 2), f"assess: exit={code}\nstderr={err[-1500:]}\ndocument={data[:600]!r}"
        shutil.rmtree(data_dir, ignore_errors=True)
        source.unlink()

    fuzz()

