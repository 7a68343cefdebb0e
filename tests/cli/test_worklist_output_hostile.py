"""The fast worklist writers (``worklist --format json|csv`` and ``export cases``) give the
bytes of the plain path on a generated cohort of hostile rows.

The plain path is the obvious one: ``WorklistRow.to_dict`` through
``json.dumps(indent=1, ensure_ascii=False)``; the same dict's cells through the formula
escape and ``csv.writer``; ``row_from_worklist`` through ``safe_cell`` and ``export_csv``.
The rows are made straight from query-shaped tuples (the writers read nothing else), so
the text can be anything a damaged or hand-edited database could hold, not only what the
intake accepts: quotes, backslashes, commas, every control character (C0, DEL, C1),
line and paragraph separators, lone surrogates are left out (the file is UTF-8), non-BMP
characters, formula starts (= + - @ tab CR) on every text column, empty and missing
names, and numbers of unexpected types (the generic path).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_rows_json
from radiculopathy_desktop.domain.characters import REFUSED_IN_NAMES, shown_escaped
from radiculopathy_desktop.domain.followup import STATUS_ORDER, status_from_facts
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.reports.csv_export import (
    COLUMN_NAMES, SPECIAL_TEXT, export_csv, export_worklist_csv, plain_person_cells, row_from_worklist, safe_cell,
    worklist_lines)
from radiculopathy_desktop.storage.worklist import RANK_AT, WorklistRow

AS_OF = dt.date(2026, 6, 1)
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
PIECES = ['"', "'", "\\", ",", ";", " ", "\u2028", "\u2029", "\ufeff", "\U0001F600", "\U00010348", "é", "李",
          "a", "Z", "0", "=", "+", "-", "@", *CONTROLS]
STARTS = ["", "", "=", "+", "-", "@", "\t", "\r", "\n", '"', ",", " "]


DAMAGED_KINDS = ['=HYPERLINK("http://evil","x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx", "not_a_kind", 'a,"b"']


def _text(rng: random.Random, empty_ok: bool = False) -> str:
    n = rng.randint(0 if empty_ok else 1, 12)
    body = "".join(rng.choice(PIECES) if rng.random() < 0.5 else rng.choice("abcxyz019") for _ in range(n))
    return rng.choice(STARTS) + body if (body or not empty_ok) else body


def _row(rng: random.Random, n: int, settings) -> WorklistRow:
    care = AS_OF.toordinal() - rng.choice([3, 30, 40, 50, 70, 84, 85, 200, -5])
    has_follow_up = rng.random() < 0.6
    improving = rng.choice([None, 0, 1]) if has_follow_up else None
    immediate = rng.choice([0] * 8 + [1, 2])
    kind = rng.choice([None] * 4 + list(DecisionKind))
    decided = dt.date.fromordinal(care + rng.randint(1, 60)).isoformat() if kind else None
    until = (AS_OF + dt.timedelta(days=rng.randint(-10, 40))).isoformat() \
        if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and rng.random() < 0.8 else None
    last_visit = dt.date.fromordinal(care + rng.randint(0, 80)).isoformat()
    name = rng.choice([None, "", _text(rng, empty_ok=True), _text(rng)])
    visit_count, baseline, latest = rng.randint(1, 9), rng.randint(0, 10), rng.choice([None, rng.randint(0, 10)])
    case_id, patient_id = f"{_text(rng)}{n}", _text(rng)
    if n % 23 == 0:  # what only a damaged database holds: the generic path
        visit_count, latest, patient_id = float(visit_count) + 0.5, True, n
    if n % 31 == 0:  # a damaged or hand-edited decision code (rt6 F3): any text, formula starts too
        kind = rng.choice(DAMAGED_KINDS)
        decided = dt.date.fromordinal(care + rng.randint(1, 60)).isoformat()
    raw = [case_id, patient_id, rng.choice(["left", "right", "bilateral", "=left"]), care, improving,
           int(has_follow_up), int(rng.random() < 0.1), immediate, _text(rng) if immediate else None, kind,
           decided, until, care + 90, last_visit, visit_count, baseline, latest, name,
           dt.date.fromisoformat(last_visit).toordinal() if has_follow_up else None, 0]  # m008's column, the rank
    row = WorklistRow(tuple(raw), AS_OF, settings, {})
    raw[RANK_AT] = STATUS_ORDER.index(status_from_facts(row.facts(), AS_OF, settings)[0])
    row = WorklistRow(tuple(raw), AS_OF, settings, {})
    if rng.random() < 0.3:
        row.dose_alerts = tuple(_text(rng) for _ in range(rng.randint(1, 3)))
    return row


@pytest.fixture(scope="module")
def rows():
    rng = random.Random(1717)
    settings = default_review_settings()
    reasons: dict = {}  # shared by the rows, as in one query
    out = []
    for n in range(1500):
        r = _row(rng, n, settings)
        out.append(WorklistRow(r.raw, AS_OF, settings, reasons))
        out[-1].dose_alerts = r.dose_alerts
        # a third would not consider surgery (path33; the writers' fast path keeps a row whose
        # only mark this is, perfwl35), beside a red flag or not, with dose alerts or not
        out[-1].consider_no = n % 3 == 1
    return out


def test_rows_marked_only_by_the_wish_are_in_the_cohort_with_each_answer(rows):
    wish_only = [r for r in rows if r.consider_no]
    assert {r.would_not_consider_surgery for r in wish_only} == {True, False}  # red flags override it (path34)
    assert any(r.dose_alerts for r in wish_only) and any(not r.dose_alerts for r in wish_only)
    assert any(not isinstance(r.visit_count, int) for r in wish_only)  # and the generic path


def test_the_cohort_is_hostile(rows):
    ids = [r.case_id for r in rows] + [r.patient_id for r in rows if isinstance(r.patient_id, str)]
    names = [r.patient_name for r in rows]
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert any(t.startswith(start) for t in ids) and any(t and t.startswith(start) for t in names if t)
    for ch in CONTROLS + ['"', "\\", ",", "\U0001F600"]:
        assert any(ch in t for t in ids) and any(ch in t for t in names if t), repr(ch)
    assert None in names and "" in names
    assert {r.status for r in rows} == set(STATUS_ORDER)
    assert any(r.dose_alerts for r in rows) and any(not isinstance(r.visit_count, int) for r in rows)
    kinds = {r.last_decision_kind for r in rows}
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert any(type(k) is str and k.startswith(start) for k in kinds), start


@pytest.fixture(scope="module")
def mixed(rows):
    """The same rows with what one query never gives but the writers must still take: the
    as_of date changing from row to row (the writers make the date's pieces once per date),
    and flags that are neither 0, 1 nor None (read as truth values, as ``to_dict`` does)."""
    settings = default_review_settings()
    out = []
    for n, r in enumerate(rows):
        raw = list(r.raw)
        if n % 7 == 0:
            raw[4], raw[5] = (2, 3) if n % 2 else (True, 0)
        as_of = AS_OF + dt.timedelta(days=(0, 0, 3, -40)[n % 4])
        row = WorklistRow(tuple(raw), as_of, settings, {})
        row.dose_alerts, row.consider_no = r.dose_alerts, r.consider_no
        out.append(row)
    return out


def test_json_is_the_dicts_through_json_dumps(rows):
    payload = {"as_of": AS_OF.isoformat(), "statuses": ["all"], "count": len(rows)}
    expected = json.dumps({**payload, "rows": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=1) + "\n"
    assert worklist_rows_json(payload, rows) == expected


def test_rows_of_several_dates_and_odd_flags_give_the_plain_paths_bytes(mixed, tmp_path):
    assert len({r.as_of for r in mixed}) == 3 and {r.raw[4] for r in mixed} >= {2, True}
    test_json_is_the_dicts_through_json_dumps(mixed)
    test_command_csv_is_the_dicts_through_the_csv_writer(mixed)
    test_export_lines_and_file_are_the_generic_writers(mixed, tmp_path)


def test_rows_whose_ids_and_names_need_nothing_take_the_one_scan_shortcut_and_give_the_same_bytes(rows, tmp_path):
    """The CSV writers first check every row's ids and name in one scan (``plain_person_cells``);
    when none needs the formula escape or quoting, no row is searched again. The hostile rows
    whose ids and name are plain text (non-BMP characters, a formula character inside a
    name: anything but a special cell), with the reasons, decision
    codes and dose alerts as hostile as before, give the plain paths' bytes that way; one
    special name among them turns the shortcut off and the bytes stay right."""
    def tame(text):  # the same text, made plain: a letter first, no quoting character and no
        # hidden character (controls, NUL, direction controls: escaped, so special; rt8 F8)
        if text is None:
            return None
        return "P" + "".join(ch for ch in text if ch not in ',"\r\n\\' and not REFUSED_IN_NAMES.search(ch))

    plain = []
    for r in rows:
        if type(r.patient_id) is str:
            raw = list(r.raw)
            raw[0], raw[1], raw[17] = tame(raw[0]), tame(raw[1]), tame(raw[17])
            row = WorklistRow(tuple(raw), r.as_of, r.settings, {})
            row.dose_alerts, row.consider_no = r.dose_alerts, r.consider_no
            plain.append(row)
    assert len(plain) > 1000 and plain_person_cells(plain)
    texts = [t for r in plain for t in (r.case_id, r.patient_id, r.patient_name)]
    assert any(t[:2] in ("P=", "P@", "P-", "P+") for t in texts)
    assert any(SPECIAL_TEXT(r.reason) or (r.dose_alerts and SPECIAL_TEXT("; ".join(r.dose_alerts))) for r in plain)
    test_json_is_the_dicts_through_json_dumps(plain)
    test_command_csv_is_the_dicts_through_the_csv_writer(plain)
    test_export_lines_and_file_are_the_generic_writers(plain, tmp_path)
    special = next(r for r in rows if r.patient_name and SPECIAL_TEXT(r.patient_name))
    spoilt = plain[:60] + [special] + plain[60:]
    assert not plain_person_cells(spoilt)
    test_command_csv_is_the_dicts_through_the_csv_writer(spoilt)
    test_export_lines_and_file_are_the_generic_writers(spoilt, tmp_path)


def test_command_csv_is_the_dicts_through_the_csv_writer(rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(tracker.WORKLIST_CSV_COLUMNS)
    def shown(text, identifier=False):  # as `export cases` shows it: one line, escapes one-to-one (rt10 F15, F8)
        return shown_escaped(text, identifier=identifier) if isinstance(text, str) else text

    for r in rows:
        d = r.to_dict()
        last = d["last_decision"] or {}
        writer.writerow([tracker._csv_safe(v) for v in (
            d["status"], shown(d["case_id"], True), shown(d["patient_id"], True), shown(d["patient_name"]),
            d["care_start_date"],
            d["days_since_care_start"], d["weeks_since_care_start"],
            "" if d["improving"] is None else str(d["improving"]).lower(), str(d["has_follow_up"]).lower(),
            d["last_visit_date"], d["visit_count"], d["baseline_leg_nrs"], d["latest_leg_nrs"],
            last.get("kind", ""), last.get("date") or "", last.get("until") or "", d["reason"],
            "; ".join(d["dose_alerts"]),
            " ".join(f"{m['status_label']}: {', '.join(m['medicines'])}." + (f" {m['action']}" if m["action"] else "")
                     for m in d["medicine_alerts"]),
            d["pregnancy"] or "", str(d["would_not_consider_surgery"]).lower())])
    assert worklist_csv(tracker.WORKLIST_CSV_COLUMNS, rows, tracker._csv_safe) == buf.getvalue()


def test_export_lines_and_file_are_the_generic_writers(rows, tmp_path):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(
        [safe_cell(row_from_worklist(r, "cv=1")[c]) for c in COLUMN_NAMES] for r in rows)
    assert "".join(worklist_lines(rows, "cv=1")) == buf.getvalue()
    fast, slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    assert export_worklist_csv(rows, fast, content_version="cv=1") == len(rows)
    assert export_csv((row_from_worklist(r, "cv=1") for r in rows), slow) == len(rows)
    assert fast.read_bytes() == slow.read_bytes()


# --------------------------------------------------------------------------- a damaged decision code (rt6 F3)
def test_a_damaged_decision_code_is_escaped_in_every_csv_and_shown_as_its_code_in_json(tmp_path, monkeypatch,
                                                                                         capsys):
    """A row whose cases.last_decision_kind holds a formula (write access to the file is
    enough): the command's CSV and the export escape it, JSON writes the row with the code
    as its label (as `case` shows it), exit 0 each."""
    import sqlite3
    from pathlib import Path

    from radiculopathy_desktop import cli
    from radiculopathy_desktop.storage.paths import DB_FILENAME

    data = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    example = Path(__file__).resolve().parents[2] / "resources" / "examples" / "routine_s1_follow_up_due.json"

    def run(*args):
        code = cli.main(["--data-dir", str(data), *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("import", str(example))[0] == 0
    evil = '=HYPERLINK("http://evil","x")'
    with sqlite3.connect(data / DB_FILENAME) as conn:
        conn.execute("UPDATE cases SET last_decision_kind = ?, last_decision_date = '2026-11-01'", (evil,))
    conn.close()
    code, out, err = run("worklist", "--status", "all", "--format", "csv", "--as-of", "2026-11-29")
    assert code == 0, err
    cells = [row for row in csv.reader(io.StringIO(out))]
    column = cells[0].index("last_decision")
    assert [row[column] for row in cells[1:]] == ["'" + evil]
    code, out, err = run("worklist", "--status", "all", "--format", "json", "--as-of", "2026-11-29")
    assert code == 0, err
    last = json.loads(out)["rows"][0]["last_decision"]
    assert (last["kind"], last["label"], last["date"]) == (evil, evil, "2026-11-01")
    target = tmp_path / "cases.csv"
    code, out, err = run("export", "cases", "--status", "all", "--format", "csv", "--out", str(target))
    assert code == 0, err
    with target.open(newline="", encoding="utf-8-sig") as fh:
        exported = list(csv.DictReader(fh))
    assert [r["last_decision"] for r in exported] == ["'" + evil]
