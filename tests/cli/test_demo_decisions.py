"""`demo` (the command, `demo --json` and the window's demo cohort) writes decisions of the
current kind: each names the red flags standing on its date in `acknowledged_red_flags`,
exactly as `decide` records them, so a demo or training tracker never holds a decision of
the old kind (no field), which cleared by date any red flag typed in later with an earlier
date (red-team rt10 F1, demo_backdate.sh). The cohort stays the same for a seed: only the
field is added, and every case keeps the status it had."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.pg.choose import open_store

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: AS_OF)

    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(["--data-dir", str(folder), *args])
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _stored_decisions(folder: Path) -> dict[str, list]:
    with open_store(folder, None, create=False) as store:
        return {case.case_id: list(case.decisions) for case in store.iter_cases()}


def test_demo_json_decisions_are_what_decide_records_on_their_date(run, tmp_path):
    """The oracle is `decide` itself: each demo case without its decisions is imported, the
    decision is recorded with `decide` (same date, kind, until, by; --acknowledge-red-flags
    where it asks), and what `decide` stored must be what `demo --json` wrote. Seed 16 holds a
    referral decided after a visit raising urinary retention (a 'continue conservative care'
    before the demo referred such cases: tests/cli/test_demo_red_flag_decisions.py)."""
    out_file = tmp_path / "demo.json"
    code, out, err = run(tmp_path / "unused", "demo", "--cases", "600", "--seed", "16", "--as-of",
                         AS_OF.isoformat(), "--json", str(out_file))
    assert code == 0, err
    cases = json.loads(out_file.read_text(encoding="utf-8"))["cases"]
    decided = [c for c in cases if c["decisions"]]
    assert decided and all(isinstance(d.get("acknowledged_red_flags"), list)
                           for c in decided for d in c["decisions"])
    named = [c for c in decided if any(d["acknowledged_red_flags"] for d in c["decisions"])]
    assert [c["case_id"] for c in named] == ["DEMO-16-0000110"]
    assert named[0]["decisions"][0]["acknowledged_red_flags"] == ["urinary_retention_or_incontinence"]
    # decide as the oracle: the named case and the first 15 others (none standing: [])
    folder = tmp_path / "oracle"
    for case in named + [c for c in decided if c not in named][:15]:
        bare = copy.deepcopy(case)
        decisions = bare.pop("decisions")
        path = tmp_path / f"{case['case_id']}.json"
        path.write_text(json.dumps(bare), encoding="utf-8")
        assert run(folder, "import", str(path))[0] == 0
        for d in decisions:
            args = ["decide", case["case_id"], "--kind", d["kind"], "--date", d["date"], "--by", d["by"]]
            if "until" in d:
                args += ["--until", d["until"]]
            if d["acknowledged_red_flags"] and d["kind"] != "referred_for_surgical_opinion":
                code, _, err = run(folder, *args)  # decide asks first, naming them
                assert code == 2 and "urinary" in err.lower(), err
                args.append("--acknowledge-red-flags")  # a referral acts on them: decide does not ask
            code, _, err = run(folder, *args)
            assert code == 0, err
        stored = _stored_decisions(folder)[case["case_id"]]
        assert [list(d.acknowledged_red_flags) for d in stored] == [d["acknowledged_red_flags"] for d in decisions]


def test_the_demo_cohort_is_the_same_but_for_the_field_and_every_status_is_kept():
    """Deterministic for a seed, and reading the decisions as the old kind (field removed)
    gives every case the same status and reason on three dates: the field names what the date
    rule already cleared, so no demo worklist changes."""
    first = list(generate_case_dicts(1500, seed=1, as_of=AS_OF))
    assert first == list(generate_case_dicts(1500, seed=1, as_of=AS_OF))
    decisions = 0
    for data in first:
        if not data["decisions"]:
            continue
        decisions += len(data["decisions"])
        legacy = copy.deepcopy(data)
        for d in legacy["decisions"]:
            del d["acknowledged_red_flags"]
        now, before = parse_case(data), parse_case(legacy)
        assert all(d.acknowledged_red_flags is not None for d in now.decisions)
        assert all(d.acknowledged_red_flags is None for d in before.decisions)
        for day in (AS_OF - dt.timedelta(days=45), AS_OF, AS_OF + dt.timedelta(days=30)):
            a, b = surgical_review(now, day), surgical_review(before, day)
            assert (a.status, a.reason) == (b.status, b.reason), (data["case_id"], day)
    assert decisions > 250


def test_a_demo_tracker_holds_no_old_decision_and_a_backdated_red_flag_shows_immediate(run, tmp_path,
                                                                                        monkeypatch):
    """rt10 demo_backdate.sh: seed 9, 300 cases; DEMO-9-0000010 was discharged on 2026-07-21;
    a cauda equina visit typed in later, dated the day before, must make it Immediate."""
    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 11, 29))
    folder = tmp_path / "demo"
    code, out, err = run(folder, "demo", "--cases", "300", "--seed", "9", "--as-of", "2026-11-29")
    assert code == 0 and "300 added" in out, err
    stored = _stored_decisions(folder)
    assert sum(map(len, stored.values())) > 50
    assert all(d.acknowledged_red_flags is not None for ds in stored.values() for d in ds)
    assert [(d.date.isoformat(), str(d.kind), d.acknowledged_red_flags) for d in stored["DEMO-9-0000010"]] == \
        [("2026-07-21", "resolved_discharged", ())]
    code, out, err = run(folder, "visit", "DEMO-9-0000010", "--date", "2026-07-20", "--leg-nrs", "9",
                         "--red-flag", "saddle_anaesthesia=yes", "--red-flag", "urinary_retention_or_incontinence=yes")
    assert code == 0, err
    assert "Surgical review: Immediate" in out
    code, out, err = run(folder, "worklist", "--status", "all", "--as-of", "2026-11-29", "--format", "json")
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert rows["DEMO-9-0000010"]["status"] == "immediate"


def test_the_windows_demo_cohort_holds_no_old_decision(tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo

    with CaseStore.open(tmp_path / "demo") as store:
        populate_demo(store, 400, seed=5, as_of=AS_OF, batch=150)
        decisions = [d for case in store.iter_cases() for d in case.decisions]
    assert len(decisions) > 60 and all(d.acknowledged_red_flags is not None for d in decisions)
