"""path34 (H-PATH-911, tryout33 F5): red flags override everything. A patient who answered "would
not consider an injection or surgery: no" at the intake and now has an emergency (cauda equina) or
urgent red flag (a progressive deficit), or cauda equina questions unanswered, is not marked "would
not consider surgery" on the worklist: not in the table's Status column, not in the table's note
with its advice to record "patient declined", not in the JSON flag. The intake's answer was about
elective care; nothing beside an emergency may read as a refusal to record. Boundaries: the same
answer on a routine due case is still said; "yes" and "unknown" never are; on both engines."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from helpers.cli_run import cli_runner, status_cells, write_json

TODAY = dt.date(2026, 11, 30)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id: str, consider: str, *, visit_flags=None, intake_flags=None) -> dict:
    start = TODAY - dt.timedelta(days=60)
    visit = {"date": (TODAY - dt.timedelta(days=3)).isoformat(), "leg_nrs": 7, "back_nrs": 4}
    if visit_flags:
        visit["red_flags"] = visit_flags
    return {"case_id": case_id, "patient": {"id": case_id + "-P", "name": f"Invented {case_id}", "age_years": 50,
                                            "sex": "male"},
            "onset_date": (start - dt.timedelta(days=7)).isoformat(), "visit_date": start.isoformat(),
            "care_start_date": start.isoformat(), "side": "left", "regions": ["buttock", "lateral_leg"],
            "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": {**FLAGS, **(intake_flags or {})},
            "function": {"odi_percent": 40}, "would_consider_intervention": consider, "visits": [visit]}


CES = {"saddle_anaesthesia": "yes"}  # emergency tier: suspected cauda equina syndrome
PROGRESSIVE = {"progressive_neurological_deficit": "yes"}  # urgent tier
CASES = {
    "EM-NO": _case("EM-NO", "no", visit_flags=CES),
    "EM-YES": _case("EM-YES", "yes", visit_flags=CES),
    "EM-UNK": _case("EM-UNK", "unknown", visit_flags=CES),
    "URG-NO": _case("URG-NO", "no", visit_flags=PROGRESSIVE),
    "ASK-NO": _case("ASK-NO", "no", intake_flags={"saddle_anaesthesia": "unknown"}),
    "DUE-NO": _case("DUE-NO", "no"),
    "DUE-YES": _case("DUE-YES", "yes"),
}
STATUS = {"EM-NO": "Immediate", "EM-YES": "Immediate", "EM-UNK": "Immediate", "URG-NO": "Immediate",
          "ASK-NO": "Ask red-flag questions", "DUE-NO": "Due; would not consider surgery", "DUE-YES": "Due"}


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    code, _out, err = runner("import", write_json(tmp_path, {"cases": list(CASES.values())}, "cases.json"))
    assert code == 0, err
    return runner


_status_cells = status_cells


def test_an_emergency_or_urgent_red_flag_is_never_marked_would_not_consider(run):
    code, out, err = run("worklist", "--status", "all")
    assert code == 0, err
    assert _status_cells(out) == STATUS
    # the note with its advice to record "patient declined" lists the routine case alone
    note = out[out.index("Would not consider surgery ("):]
    assert note.startswith("Would not consider surgery (1 of the cases listed): ")
    listed = [line.split(":")[0].strip() for line in note.splitlines()[1:] if line.startswith("  ")]
    assert listed == ["DUE-NO"]
    immediate = out[out.index("Immediate (red flags, act now):"):out.index("Would not consider surgery (")]
    assert "declined" not in immediate and "would not consider" not in immediate.lower()


def test_the_json_flag_is_false_while_a_red_flag_stands(run):
    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert {cid: r["status"] for cid, r in rows.items() if r["status"] in ("immediate", "ask_red_flags")} == {
        "EM-NO": "immediate", "EM-YES": "immediate", "EM-UNK": "immediate", "URG-NO": "immediate",
        "ASK-NO": "ask_red_flags"}
    assert {cid for cid, r in rows.items() if r["would_not_consider_surgery"]} == {"DUE-NO"}


def test_the_mark_comes_back_once_a_decision_acknowledges_the_red_flag(run):
    """The stored answer is kept: a decision acknowledging the flag (continue conservative care)
    ends the Immediate status, and the wish is said again for the review that follows."""
    code, _out, err = run("decide", "URG-NO", "--kind", "continue_conservative_care", "--until",
                          (TODAY + dt.timedelta(days=1)).isoformat(), "--date", TODAY.isoformat(),
                          "--acknowledge-red-flags", "--by", "Dr Ames")
    assert code == 0, err
    code, out, err = run("worklist", "--status", "all", "--search", "URG-NO")
    assert code == 0, err
    assert _status_cells(out) == {"URG-NO": "Snoozed; would not consider surgery"}


def test_both_csv_exports_carry_the_wish_as_the_json_does(run, tmp_path):
    """path34 (H-UI-538): the worklist CSV and the cases CSV (the window's Export CSV...) carry the
    column the JSON had, added last: true/yes for the routine case whose patient said no, never
    beside a red flag."""
    import csv
    import io

    code, out, err = run("worklist", "--status", "all", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][-1] == "would_not_consider_surgery"
    said = {r[1]: r[-1] for r in rows[1:]}
    assert said == {cid: ("true" if cid == "DUE-NO" else "false") for cid in CASES}
    path = tmp_path / "cases.csv"
    code, _out, err = run("export", "cases", "--status", "all", "--format", "csv", "--out", str(path))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "would_not_consider_surgery"
    said = {r[0]: r[-1] for r in rows[1:]}
    assert said == {cid: ("yes" if cid == "DUE-NO" else "no") for cid in CASES}
