"""Red-team rt10 F1, F5, F7 as met at the command line, on both engines: `import` of a case
the tracker holds may not silently erase an intake red flag, move the case to another
patient, or crash on a lone surrogate; each is exit 2, nothing changed, the case and field
named."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.pg.choose import open_store

TODAY = dt.date(2026, 11, 29)
CES_CASE = "EX-EMERGENCY-CES"


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, *target)
    for name in ("emergency_cauda_equina.json", "routine_l5_acute.json"):
        code, _, err = run("import", str(resource_path("examples", name)))
        assert code == 0, err
    return run


def _example(name: str) -> dict:
    return json.loads(resource_path("examples", name).read_text(encoding="utf-8"))


def _file(tmp_path, data, name="in.json", raw: str | None = None):
    path = tmp_path / name
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    return str(path)


def _state(run) -> tuple:
    """What the user can see: the worklist, both cases and the audit (`case` shows the latest)."""
    code, out, err = run("worklist", "--status", "all", "--as-of", TODAY.isoformat(), "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: (r["status"], r["patient_id"], r["patient_name"]) for r in json.loads(out)["rows"]}
    cases = {}
    for case_id in (CES_CASE, "EX-ROUTINE-L5"):
        code, out, err = run("case", case_id, "--as-of", TODAY.isoformat(), "--format", "json")
        assert code == 0, err
        shown = json.loads(out)
        # the audit without the viewing of the case itself (`case` records that it was viewed)
        cases[case_id] = (shown["case"], shown["review"],
                          [(e["action"], e.get("detail")) for e in shown["audit"] if e["action"] != "case_viewed"])
    return rows, cases


def test_an_import_erasing_the_intake_red_flags_is_refused_then_replaced_on_purpose(run, tmp_path):
    """rt10 F1 as found: the emergency example with every red flag answered "no" and then a
    discharge with the field left out: refused naming each flag, the case stays Immediate."""
    before = _state(run)
    data = _example("emergency_cauda_equina.json")
    data["side"] = "left"
    data["red_flags"] = {k: "no" for k in data["red_flags"]}
    code, out, err = run("import", _file(tmp_path, data))
    assert code == 2 and out == ""
    for flag in ("saddle_anaesthesia", "urinary_retention_or_incontinence", "bilateral_leg_symptoms"):
        assert (f"case {CES_CASE}: the file answers {flag} 'no' where the tracker holds 'yes' "
                "(recorded at the intake of 2026-11-21)") in err, err
    assert "faecal_incontinence" not in err  # "unknown" at intake: not a recorded red flag
    assert "--replace-records" in err
    assert _state(run) == before
    assert before[0][CES_CASE][0] == "immediate"
    # with a discharge too: still refused, not closed
    data["decisions"] = [{"date": "2026-11-25", "kind": "resolved_discharged", "by": "Dr X"}]
    code, out, err = run("import", _file(tmp_path, data))
    assert code == 2 and "saddle_anaesthesia 'no' where the tracker holds 'yes'" in err
    assert _state(run) == before
    # on purpose: replaced, said after the import, and kept in the audit
    del data["decisions"]
    code, out, err = run("import", _file(tmp_path, data), "--replace-records")
    assert code == 0, err
    assert "1 updated" in out and "Replaced at the intake (kept in the audit):" in out
    assert f"case {CES_CASE}: red_flags.saddle_anaesthesia 'yes' -> 'no' (intake of 2026-11-21)" in out
    assert _state(run)[1][CES_CASE][0]["red_flags"]["saddle_anaesthesia"] == "no"


def test_a_case_given_to_another_patient_is_refused_with_or_without_replace_records(run, tmp_path):
    """rt10 F5 as found: routine_l5_acute with patient OTHER-2 'Jo Other'; and the trailing
    no-break space route (case_id "EX-ROUTINE-L5\\u00a0" was stored as EX-ROUTINE-L5; the
    identifier is now refused for its no-break space before it can reach the case)."""
    before = _state(run)
    data = _example("routine_l5_acute.json")
    data["patient"].update(id="OTHER-2", name="Jo Other")
    for extra in ((), ("--replace-records",)):
        code, out, err = run("import", _file(tmp_path, data), *extra)
        assert code == 2 and out == ""
        assert ("case EX-ROUTINE-L5: the tracker holds it for patient DEMO-1001 (Alex Example), the file gives it "
                "to patient OTHER-2 (Jo Other)") in err, err
        assert "a case belongs to one patient" in err and "case ID of its own" in err
        assert _state(run) == before
    nbsp = _example("routine_l5_acute.json")
    nbsp["case_id"] = "EX-ROUTINE-L5\u00a0"
    nbsp["patient"]["id"] = "PC-NBSP"
    code, out, err = run("import", _file(tmp_path, nbsp))
    # refused before it can reach the case: an identifier holds no space but U+0020 (rt10 F7)
    assert code == 2 and "case_id" in err and "U+00A0" in err, err
    assert _state(run) == before


def test_a_patients_name_is_corrected_only_with_replace_records(run, tmp_path):
    before = _state(run)
    data = _example("routine_l5_acute.json")
    data["patient"]["name"] = "Alexandra Example"
    code, out, err = run("import", _file(tmp_path, data))
    assert code == 2 and out == ""
    assert ("case EX-ROUTINE-L5: the file gives patient DEMO-1001 the name 'Alexandra Example' where the tracker "
            "holds 'Alex Example'") in err
    assert _state(run) == before
    code, out, err = run("import", _file(tmp_path, data), "--replace-records")
    assert code == 0, err
    assert "case EX-ROUTINE-L5: patient.name 'Alex Example' -> 'Alexandra Example'" in out
    assert _state(run)[0]["EX-ROUTINE-L5"][2] == "Alexandra Example"


@pytest.mark.parametrize("where", ["patient.name", "patient.id", "case_id", "visits[0].notes", "key"])
def test_a_lone_surrogate_in_an_import_file_is_refused_naming_the_field(run, tmp_path, where):
    """rt10 F7: JSON may write "\\ud800" (half of a UTF-16 pair), which no text encoding can
    store: exit 2 naming the field, never the crash of exit 70, nothing changed."""
    before = _state(run)
    data = _example("routine_l5_acute.json")
    data["case_id"] = "NEW-CASE"
    data["patient"]["id"] = "NEW-P"
    field = where
    if where == "patient.name":
        data["patient"]["name"] = "Alex\ud800 Example"
    elif where == "patient.id":
        data["patient"]["id"] = "NEW-P\ud800"
    elif where == "case_id":
        data["case_id"] = "EX-ROUTINE-L5\ud800"
    elif where == "visits[0].notes":
        data["visits"] = [{"date": "2026-11-25", "leg_nrs": 5, "notes": "better \ud800"}]
    else:
        data["clinician\ud800"] = "Dr X"
        field = "clinician\\ud800"
    code, out, err = run("import", _file(tmp_path, data))  # json.dumps writes the escape "\ud800"
    assert code == 2 and out == "", err
    assert f"{field} holds U+D800" in err and "surrogate" in err, err
    assert "unexpected" not in err
    assert _state(run) == before


def test_an_import_moving_the_care_start_and_onset_is_refused_then_replaced_on_purpose(run, target, tmp_path):
    """The review clock counts from care_start_date (docs/case-format.md): the routine example
    (care start 2026-11-19, day 10 on 2026-11-29: not due) re-imported with care starting
    2026-10-05 (day 55: in the 6-12 week window) and onset 2026-09-20 would move the case into
    the window without anyone deciding it: refused naming the case, each field, stored and file
    dates; with --replace-records it is moved, said and audited."""
    before = _state(run)
    assert before[0]["EX-ROUTINE-L5"][0] == "not_due"
    data = _example("routine_l5_acute.json")
    data.update(onset_date="2026-09-20", care_start_date="2026-10-05")
    code, out, err = run("import", _file(tmp_path, data))
    assert code == 2 and out == ""
    assert "nothing was imported" in err
    assert ("case EX-ROUTINE-L5: the file gives onset_date '2026-09-20' where the tracker holds '2026-11-05' "
            "(the phase counts from it)") in err, err
    assert ("case EX-ROUTINE-L5: the file gives care_start_date '2026-10-05' where the tracker holds "
            "'2026-11-19' (the surgical-review clock counts from it)") in err, err
    assert "visit_date" not in err and "--replace-records" in err
    assert _state(run) == before
    code, out, err = run("import", _file(tmp_path, data), "--replace-records")
    assert code == 0, err
    assert "Replaced at the intake (kept in the audit):" in out
    assert "case EX-ROUTINE-L5: onset_date '2026-11-05' -> '2026-09-20'" in out
    assert "case EX-ROUTINE-L5: care_start_date '2026-11-19' -> '2026-10-05'" in out
    rows, cases = _state(run)
    assert rows["EX-ROUTINE-L5"][0] == "needs_follow_up"
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        audited = [e.detail for e in store.audit() if e.action == "import"]
    assert audited[-1]["replaced_at_intake"] == [
        {"case_id": "EX-ROUTINE-L5", "field": "onset_date", "stored": "2026-11-05", "file": "2026-09-20"},
        {"case_id": "EX-ROUTINE-L5", "field": "care_start_date", "stored": "2026-11-19", "file": "2026-10-05"}]
