"""path33 (H-FU-910): a patient who would not consider surgery (the intake's answer to "would
consider an injection or surgery": no) is said by the worklist's status, on both engines, in the
`worklist` table (its Status column and a note naming the cases listed) and its JSON, so a
clinician scanning the list sees the wish before the review that must discuss it. "yes" and "not
asked" say nothing; a closed case says its decision instead (a referral made since, or "patient
declined"). A case with no medicine and no pregnancy is marked too (it had no stored marks row),
and a tracker stored before path33 gets the mark at the upgrade's rewrite of the stored marks."""

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
SENTENCE = ('The patient would not consider an injection or surgery (recorded at the intake): discuss a surgical '
            'opinion at the review; if that stands, record the decision "patient declined".')


def _case(case_id: str, consider: str, care_days: int = 60, decisions=(), medicines=()) -> dict:
    start = TODAY - dt.timedelta(days=care_days)
    return {"case_id": case_id, "patient": {"id": case_id + "-P", "name": f"Invented {case_id}", "age_years": 50,
                                            "sex": "male"},
            "onset_date": (start - dt.timedelta(days=7)).isoformat(), "visit_date": start.isoformat(),
            "care_start_date": start.isoformat(), "side": "left", "regions": ["buttock", "lateral_leg"],
            "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": FLAGS, "function": {"odi_percent": 40},
            "would_consider_intervention": consider, "medicines": list(medicines),
            "visits": [{"date": (TODAY - dt.timedelta(days=3)).isoformat(), "leg_nrs": 7, "back_nrs": 4}],
            "decisions": list(decisions)}


def _declined_closed() -> dict:
    return _case("NO-CLOSED", "no", decisions=[{"date": (TODAY - dt.timedelta(days=1)).isoformat(),
                                                "kind": "referred_for_surgical_opinion", "by": "Dr Ames"}])


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("NO-DUE", "no"), _case("NO-NEW", "no", care_days=10),
             _case("NO-MEDS", "no", medicines=[{"name": "ibuprofen", "daily_dose_mg": 1200}]),
             _case("YES-DUE", "yes"), _case("ASK-DUE", "unknown"), _declined_closed()]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


_status_cells = status_cells


def test_the_table_status_says_the_wish_for_no_only(run):
    code, out, err = run("worklist", "--status", "all")
    assert code == 0, err
    cells = _status_cells(out)
    assert cells["NO-DUE"] == "Due; would not consider surgery"
    assert cells["NO-MEDS"] == "Due; would not consider surgery"  # beside its medicine marks
    assert cells["NO-NEW"] == "Not due; would not consider surgery"
    assert cells["YES-DUE"] == "Due" and cells["ASK-DUE"] == "Due"  # "yes" and not asked: nothing
    assert cells["NO-CLOSED"] == "Closed"  # referred since: the decision column says it
    note = out[out.index("Would not consider surgery ("):]
    assert note.startswith(f"Would not consider surgery (3 of the cases listed): {SENTENCE}\n")
    listed = [line.split(":")[0].strip() for line in note.splitlines()[1:4]]
    assert sorted(listed) == ["NO-DUE", "NO-MEDS", "NO-NEW"]


def test_the_json_has_the_recorded_wish_of_every_row(run):
    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert {cid for cid, r in rows.items() if r["would_not_consider_surgery"]} == {
        "NO-DUE", "NO-NEW", "NO-MEDS", "NO-CLOSED"}  # the fact recorded, whatever the status
    assert rows["YES-DUE"]["would_not_consider_surgery"] is False
    assert rows["ASK-DUE"]["would_not_consider_surgery"] is False


def test_a_list_without_the_wish_has_no_note(run):
    code, out, err = run("worklist", "--search", "YES-DUE")
    assert code == 0, err
    assert "would not consider surgery" not in out.lower()


def test_a_tracker_stored_before_path33_gets_the_mark_at_the_upgrade(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, DOSE_ALERTS_VERSION, CaseStore

    with CaseStore.open(tmp_path / "data") as store:
        store.import_cases([parse_case(_case("NO-DUE", "no"))], user="test")
        conn = store._db.conn
        # as stored by the version before: no marks row for a case with no medicine and no pregnancy,
        # and the derived version's alerts part before path33
        with conn:
            conn.execute("DELETE FROM medicine_alerts")
            (stored,) = conn.execute("SELECT value_json FROM settings WHERE key = ?",
                                     (DERIVED_VERSION_KEY,)).fetchone()
            old = stored.replace(f"alerts {DOSE_ALERTS_VERSION};", "alerts 88;")
            assert old != stored
            conn.execute("UPDATE settings SET value_json = ? WHERE key = ?", (old, DERIVED_VERSION_KEY))
        assert not store.worklist(TODAY, profile="us")[0].would_not_consider_surgery
    with CaseStore.open(tmp_path / "data") as store:
        store.upgrade_derived_data_if_needed()
        (row,) = store.worklist(TODAY, profile="us")
        assert row.would_not_consider_surgery
