"""The batch paths of issue 17 print the same bytes as the code before the speed work.

``tests/golden/batch_outputs.json`` holds SHA-256 digests of the outputs that the code
*before* the second round of issue-17 speed work (commit 76ce176) printed for the cohort
below. The cohort is generated (no file to keep in step) and made to hold what a fast
path could get wrong:

* every worklist status, on today's date and on past dates (the past-date path);
* red flags (immediate and ask-red-flags rows), every decision kind, "continue until";
* dose alerts ("Reduce dose") under both guideline profiles;
* CSV formula characters (``=``, ``+``, ``-``, ``@``) leading the patient name and the
  patient id (a leading tab or carriage return is stripped at intake; names with them are
  in the cohort too), quotes, commas and a line break inside a name;
* non-ASCII names and ids (accents, CJK).

``test_cohort_covers_what_a_fast_path_can_get_wrong`` proves the cohort holds all of
these, so the digests cover them. A differing output is written under the test's
tmp_path. These digests are never refreshed for a speed change; a deliberate change of
output (new column, new wording) refreshes them with ``RD_UPDATE_GOLDEN=1`` and says so
in its commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from helpers.golden import assert_outputs_match_golden
from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.followup import STATUS_ORDER
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import DECISIONS
from radiculopathy_desktop.storage.store import CaseStore

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "batch_outputs.json"
AS_OF = "2026-06-01"
PAST_DATES = ("2026-03-01", "2026-04-20")
COHORT = 320
# A leading tab or carriage return is stripped at intake (parse_case), so stored text
# can only start with these four formula characters.
FORMULA_STARTS = ("=", "+", "-", "@")
NAMES = ("=SUM(A1:A9)", "+44 20 7946 0000", "-2+3", "@cmd", "\tTabbed Name", "\rCarriage Return",
         "Zoë Ångström-Núñez", "李小龍", 'O\'Brien, "Jim"\nsecond line', "Renée Ørsted")
PATIENT_IDS = ("=1+1-", "-P9-", "@P-", "+P-", "Pé-ü-", "患者-")


def cohort_dicts() -> list[dict]:
    out = []
    renamed: dict[str, str] = {}  # a patient's later episode keeps the name given to the first
    for i, d in enumerate(generate_case_dicts(COHORT, seed=17)):
        pid = d["patient"]["id"]
        if i % 7 == 0 and pid not in renamed and not any(o["patient"]["id"] == pid for o in out):
            renamed[pid] = NAMES[(i // 7) % len(NAMES)]
        if pid in renamed:
            d["patient"]["name"] = renamed[pid]
        if i % 11 == 0:
            d["patient"]["id"] = PATIENT_IDS[(i // 11) % len(PATIENT_IDS)] + str(i)
        if i % 13 == 0:
            d["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
        if i % 17 == 0:
            d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 3600},
                              {"name": "Tramadol 50 mg", "daily_dose_mg": 600}]
        out.append(d)
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch-golden")
    data = root / "data"
    with CaseStore.open(data) as store:
        store.import_cases([parse_case(d) for d in cohort_dicts()])
    return root, data


def _outputs(seeded, monkeypatch, capsys) -> dict[str, bytes]:
    root, data = seeded
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(root / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 6, 1))
    out: dict[str, bytes] = {}

    def run(name, *args):
        code = cli.main(["--data-dir", str(data), *args])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        out[name] = captured.out.replace(str(root), "<tmp>").encode("utf-8")

    for day in (AS_OF, *PAST_DATES):
        for profile in ("us", "uk"):
            for fmt in ("json", "csv", "table"):
                base = ("worklist", "--as-of", day, "--format", fmt, "--profile", profile)
                run(f"worklist {fmt} {profile} {day}", *base)
                run(f"worklist {fmt} {profile} all {day}", *base, "--status", "all")
                run(f"worklist {fmt} {profile} reduce-dose {day}", *base, "--status", "all", "--reduce-dose")
            run(f"worklist json {profile} search {day}", "worklist", "--as-of", day, "--format", "json",
                "--profile", profile, "--status", "all", "--search", "=")
            run(f"worklist csv {profile} limit {day}", "worklist", "--as-of", day, "--format", "csv",
                "--profile", profile, "--limit", "25")
        target = root / f"cases-{day}.csv"
        run(f"export cases message {day}", "export", "cases", "--status", "all", "--as-of", day,
            "--format", "csv", "--out", str(target), "--force")
        out[f"export cases csv {day}"] = target.read_bytes()
    return out


def test_cohort_covers_what_a_fast_path_can_get_wrong(seeded):
    _root, data = seeded
    with CaseStore.open(data, create=False) as store:
        today = store.worklist(dt.date.fromisoformat(AS_OF), statuses=list(STATUS_ORDER), profile="uk")
        past = [r for day in PAST_DATES
                for r in store.worklist(dt.date.fromisoformat(day), statuses=list(STATUS_ORDER), profile="us")]
    assert {r.status for r in today} == set(STATUS_ORDER)
    assert len({r.status for r in past}) >= len(STATUS_ORDER) - 1
    for rows in (today, past):
        assert {r.last_decision_kind for r in rows} >= set(DECISIONS) | {None}
        assert any(r.continue_until for r in rows)
        assert any(r.dose_alerts for r in rows)
        assert {r.improving for r in rows} == {True, False, None}
        names = [r.patient_name or "" for r in rows]
        ids = [r.patient_id for r in rows]
        for start in FORMULA_STARTS:
            assert any(n.startswith(start) for n in names), start
        for start in FORMULA_STARTS:
            assert any(i.startswith(start) for i in ids), start
        assert any(not n.isascii() for n in names) and any(not i.isascii() for i in ids)
        assert any("\n" in n and '"' in n and "," in n for n in names)


def test_batch_outputs_are_unchanged_byte_for_byte(seeded, monkeypatch, capsys, tmp_path):
    outputs = _outputs(seeded, monkeypatch, capsys)
    assert all(len(data) > 100 for name, data in outputs.items() if "message" not in name)
    csv_text = outputs[f"export cases csv {AS_OF}"].decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(csv_text)) for c in row]
    assert "'=SUM(A1:A9)" in cells and "Tabbed Name" in cells and "李小龍" in cells
    assert_outputs_match_golden(outputs, GOLDEN, tmp_path)


def test_the_fast_writers_escape_exactly_what_the_formula_escapes_escape():
    """The per-column writers skip the escape for a cell that does not start with one of
    their formula characters: those must be every character the escape functions act on."""
    from radiculopathy_desktop.commands.worklist_output import FORMULA_STARTS
    from radiculopathy_desktop.reports import csv_export

    for code in range(0x3000):
        text = chr(code) + "x"
        assert (tracker._csv_safe(text) != text) == text.startswith(FORMULA_STARTS), repr(text)
        # and a hidden character (rt8 F8) becomes its visible escape wherever it stands, and a
        # backslash is doubled (the shown form is one-to-one: rt10 F8)
        assert (csv_export.safe_cell(text) != text) == (text.startswith(csv_export._DANGEROUS)
                                                        or bool(csv_export._HIDDEN(text)) or code == 0x5C), repr(text)


def test_the_per_column_json_is_the_rows_to_dict_through_the_json_writer(seeded):
    """The command writes rows as text straight from the query's columns: the same text as
    ``WorklistRow.to_dict`` through ``json.dumps(indent=1)``, so a key added to ``to_dict``
    (or a changed value) cannot be missed by the fast writer."""
    from radiculopathy_desktop.commands.worklist_output import worklist_json, worklist_rows_json

    _root, data = seeded
    with CaseStore.open(data, create=False) as store:
        for day in (AS_OF, *PAST_DATES):
            rows = store.worklist(dt.date.fromisoformat(day), statuses=list(STATUS_ORDER), profile="uk")
            payload = {"as_of": day, "count": len(rows)}
            fast = worklist_rows_json(payload, rows)
            assert fast == worklist_json(payload, (r.to_dict() for r in rows))
            assert fast == json.dumps({**payload, "rows": [r.to_dict() for r in rows]}, ensure_ascii=False,
                                      indent=1) + "\n"
            assert worklist_rows_json(payload, []) == json.dumps({**payload, "rows": []}, indent=1) + "\n"


def test_each_worklist_row_holds_the_engines_facts_and_reason(seeded):
    """A row's facts (built straight from the stored columns) and its reason are the
    engine's own for the whole case on that date, today and on past dates."""
    from radiculopathy_desktop.domain.followup import review_facts, surgical_review

    _root, data = seeded
    with CaseStore.open(data, create=False) as store:
        settings = store.get_settings()
        for day in (AS_OF, *PAST_DATES):
            as_of = dt.date.fromisoformat(day)
            rows = store.worklist(as_of, statuses=list(STATUS_ORDER))
            assert len(rows) > 100
            for r in rows:
                case = store.get_case(r.case_id)
                assert r.facts() == review_facts(case, as_of, settings), r.case_id
                review = surgical_review(case, as_of, settings)
                assert (r.status, r.reason) == (review.status, review.reason), r.case_id
