"""Red-team rt6 F1, as a clinician would meet it at the command line, on both engines: a red
flag raised at a visit entered after a decision (the same day, or dated the day before) is
Immediate until a decision names it; `visit`, `case`, `worklist` and `decide` agree.

README (Follow-up visits): "once the visit is saved the worklist shows the case as Immediate
until a decision is recorded". A decision recorded before the visit existed cannot have
acknowledged it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.pg.choose import open_store

TODAY = dt.date(2026, 11, 29)  # the example's review window is open on this day
CASE = "EX-ROUTINE-S1-DUE"
CES = ("saddle_anaesthesia=yes", "urinary_retention_or_incontinence=yes")


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, *target)
    code, _, err = run("import", str(resource_path("examples", "routine_s1_follow_up_due.json")))
    assert code == 0, err
    return run


def _worklist(run) -> dict:
    code, out, err = run("worklist", "--status", "all", "--as-of", TODAY.isoformat(), "--format", "json")
    assert code == 0, err
    return {r["case_id"]: r for r in json.loads(out)["rows"]}


def _stored_decisions(target) -> list[dict]:
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        return [{"kind": d.kind, "acknowledged_red_flags": d.acknowledged_red_flags}
                for d in store.get_case(CASE).decisions]


@pytest.mark.parametrize("visit_day", [TODAY, TODAY - dt.timedelta(days=1)], ids=["same-day", "backdated"])
def test_a_red_flag_visit_entered_after_a_decision_is_immediate_everywhere(run, target, visit_day):
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", "2027-01-10")
    assert code == 0, err
    # the confirmation in the words of a reader, never the worklist's filter word (sn16)
    assert "Surgical review: Review deferred until 2027-01-10 by the clinician." in out and "Snoozed" not in out
    assert _stored_decisions(target) == [{"kind": "continue_conservative_care", "acknowledged_red_flags": ()}]

    code, out, err = run("visit", CASE, "--date", visit_day.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    assert code == 0, err
    assert "Surgical review: Immediate" in out and "Snoozed" not in out
    assert "a new decision is needed" in out

    code, out, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    assert "Surgical review as of 2026-11-29: IMMEDIATE" in out and "Snoozed" not in out
    assert "standing since" in out and "a new decision is needed" in out
    row = _worklist(run)[CASE]
    assert row["status"] == "immediate"

    # decide agrees: closing or pausing still asks for the acknowledgement of that flag
    code, out, err = run("decide", CASE, "--kind", "patient_declined")
    assert code == 2 and "EMERGENCY" in err and "not recorded" in err
    assert _worklist(run)[CASE]["status"] == "immediate"

    # a decision naming it, the same day, clears it: the case takes that decision's status
    code, out, err = run("decide", CASE, "--kind", "continue_conservative_care", "--until", "2027-01-10",
                         "--acknowledge-red-flags")
    assert code == 0, err
    assert "Surgical review: Review deferred until 2027-01-10 by the clinician." in out and "Snoozed" not in out
    assert _worklist(run)[CASE]["status"] == "snoozed"
    assert _stored_decisions(target)[-1] == {"kind": "continue_conservative_care",
                                             "acknowledged_red_flags": ("saddle_anaesthesia",
                                                                        "urinary_retention_or_incontinence")}
    # the case lists what each decision acknowledged (the first one: nothing)
    code, out, err = run("case", CASE, "--as-of", TODAY.isoformat())
    assert code == 0, err
    decisions = out.split("\nDecisions\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(decisions) == 2 and "acknowledged" not in decisions[0]
    assert "(red flags acknowledged: Saddle" in decisions[1] and "urin" in decisions[1].lower()


def test_a_referral_names_the_flags_it_acts_on_and_closes_the_case(run, target):
    code, _, err = run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    assert code == 0, err
    assert _worklist(run)[CASE]["status"] == "immediate"
    code, out, err = run("decide", CASE, "--kind", "referred_for_surgical_opinion")
    assert code == 0, err
    assert "Surgical review: Closed" in out
    assert _worklist(run)[CASE]["status"] == "closed"
    assert _stored_decisions(target)[-1]["acknowledged_red_flags"] == ("saddle_anaesthesia",
                                                                      "urinary_retention_or_incontinence")


def test_a_decision_retried_with_its_write_key_is_the_same_record(run, target):
    """The write-key digest covers what the decision acknowledged: the same command run again
    (nothing changed meanwhile) is "already saved"."""
    key = "0b7e6a52-1c3d-4f8e-9a21-5d6c7e8f9a10"
    run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "7", "--red-flag", *CES)
    args = ("decide", CASE, "--kind", "declined", "--acknowledge-red-flags", "--write-key", key)
    code, out, err = run(*args)
    assert code == 0, err
    code, out, err = run(*args)
    assert code == 0 and "Already saved" in out, err
    assert len(_stored_decisions(target)) == 1


# --------------------------------------------------------------------------- red-team rt7 R4, R5; the upgrade
INFECTION_AND_CANCER = ("fever=yes", "history_of_cancer=yes", "unexplained_weight_loss=yes")
CES_LABELS = "Saddle (perineal) numbness or altered sensation; Urinary retention, hesitancy or incontinence"


def test_a_decision_retried_after_a_red_flag_arrived_says_already_saved_and_names_the_flag(run, target):
    """rt7 R4: the retry of a recorded decision (its answer lost) after a same-day cauda
    equina visit was answered "not recorded", inviting a second decision. It is already
    saved (exit 0, nothing written), and the flags raised since are named as needing a new
    decision; a new decision is still refused without the acknowledgement."""
    key = "abcdef12-KEY"
    decide = ("decide", CASE, "--kind", "continue_conservative_care", "--until", "2027-01-10",
              "--date", "2026-11-20", "--write-key", key)
    code, out, err = run(*decide)
    assert code == 0 and out.startswith("Recorded on case"), err
    assert run("visit", CASE, "--date", "2026-11-20", "--leg-nrs", "7", "--red-flag", *CES)[0] == 0
    for extra in ((), ("--acknowledge-red-flags",)):
        code, out, err = run(*decide, *extra)
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0] == ("Already saved: Continue conservative care until 2027-01-10 (2026-11-20) with write key "
                            f"{key.lower()} is on case {CASE}; nothing was written again.")
        assert lines[1].startswith(f"Red flags raised since need a new decision: {CES_LABELS} (EMERGENCY, "
                                   "standing since 2026-11-20). The decision saved with this key does not "
                                   "acknowledge them")
        assert ("--acknowledge-red-flags acknowledged nothing either" in lines[1]) == bool(extra)
        assert "record a new decision with a new write key" in lines[1]
        assert lines[2].startswith("Surgical review: Immediate.") and "not recorded" not in out
        assert _stored_decisions(target) == [{"kind": "continue_conservative_care", "acknowledged_red_flags": ()}]
        assert _worklist(run)[CASE]["status"] == "immediate"
    # a decision with a new key is a new decision: still refused without the acknowledgement
    code, out, err = run(*decide[:-1], "abcdef12-key-2")
    assert code == 2 and "not recorded" in err and "EMERGENCY" in err
    code, out, err = run(*decide[:-1], "abcdef12-key-2", "--acknowledge-red-flags")
    assert code == 0 and out.startswith("Recorded on case"), err
    assert _worklist(run)[CASE]["status"] == "snoozed"
    # now the first decision's retry needs no new decision: the second one acknowledged the flags
    code, out, err = run(*decide)
    assert code == 0 and out.startswith("Already saved") and "need a new decision" not in out, err


def test_a_retry_with_nothing_raised_since_says_only_already_saved(run, target):
    """The note is about flags the saved decision does not stand for, never a flag it named."""
    run("visit", CASE, "--date", "2026-11-20", "--leg-nrs", "7", "--red-flag", *CES)
    decide = ("decide", CASE, "--kind", "declined", "--date", "2026-11-20", "--acknowledge-red-flags",
              "--write-key", "0b7e6a52-aaaa")
    assert run(*decide)[0] == 0
    code, out, err = run(*decide)
    assert code == 0 and out.startswith("Already saved") and "need a new decision" not in out, err
    code, out, err = run(*decide[:-3], "--write-key", "0b7e6a52-aaaa")  # retried without the option: the same
    assert code == 0 and out.startswith("Already saved") and "need a new decision" not in out, err
    assert len(_stored_decisions(target)) == 1


def test_a_keyed_referral_retried_after_more_red_flags_names_them_not_the_note(run, target):
    """rt7 R5: the referral acted on the cauda equina flags; infection and cancer flags were
    raised the same day after it. The retry is the referral saved; the flags not acted on
    are named (and only those), never "a detail ... such as the note"."""
    key = "ref-key-0002"
    run("visit", CASE, "--date", "2026-11-20", "--leg-nrs", "7", "--red-flag", *CES)
    refer = ("decide", CASE, "--kind", "referred_for_surgical_opinion", "--date", "2026-11-20", "--write-key", key)
    assert run(*refer)[0] == 0
    run("visit", CASE, "--date", "2026-11-20", "--leg-nrs", "7", "--red-flag", *INFECTION_AND_CANCER)
    code, out, err = run(*refer)
    assert code == 0, err
    assert out.startswith(f"Already saved: Referred for surgical opinion (2026-11-20) with write key {key}")
    note = out.splitlines()[1]
    assert note.startswith("Red flags raised since need a new decision: Fever or feeling systemically unwell; "
                           "History of cancer; Unexplained weight loss (EMERGENCY"), note
    assert "Saddle" not in note and "such as the note" not in out + err
    assert len(_stored_decisions(target)) == 1 and _worklist(run)[CASE]["status"] == "immediate"
    # a different note with that key is still a different record, said as before
    code, out, err = run(*refer, "--note", "L5")
    assert code == 2 and "such as the note" in err


def test_a_decide_keyed_by_the_previous_version_is_already_saved_after_the_upgrade(run, target, monkeypatch):
    """A `decide --write-key` run by the version before decisions named their red flags
    (record without the field, audit digest without it), retried after the upgrade with the
    same typed decision: already saved, not "a different record"."""
    import hashlib

    from radiculopathy_desktop.storage import engine_common

    def old_digest(record):  # the previous version's digest: the five fields, sorted ASCII JSON
        text = json.dumps({"date": record.date.isoformat(), "kind": str(record.kind),
                           "until": record.until.isoformat() if record.until else None, "by": record.by,
                           "note": record.note}, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()

    key = "5e0c7a31-old-version"
    decide = ("decide", CASE, "--kind", "continue", "--until", "2027-01-10", "--date", "2026-11-20", "--by",
              "Dr Ann", "--note", "walks further", "--write-key", key)
    with monkeypatch.context() as m:
        m.setattr(engine_common, "decision_to_record", lambda d, _ack: dataclasses.replace(
            d, acknowledged_red_flags=None))
        m.setattr(engine_common, "keyed_detail", lambda k, r: {"write_key": k, "record_sha256": old_digest(r)})
        assert run(*decide)[0] == 0
    assert _stored_decisions(target) == [{"kind": "continue_conservative_care", "acknowledged_red_flags": None}]
    code, out, err = run(*decide)
    assert code == 0 and out.startswith("Already saved: Continue conservative care until 2027-01-10"), err
    code, out, err = run(*decide[:-4], "--note", "walks less", "--write-key", key)
    assert code == 2 and "different record" in err
    assert len(_stored_decisions(target)) == 1


# --------------------------------------------------------------------------- rt7 R6: imported acknowledgements
def _case_file(tmp_path, acknowledged, name="case.json") -> Path:
    """The example case with a cauda equina visit and a same-day continue-care decision whose
    ``acknowledged_red_flags`` is ``acknowledged`` (left out when it is the string "absent")."""
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text())
    data["visits"].append({"date": "2026-11-20", "leg_nrs": 7, "red_flags": {
        "saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}})
    decision = {"date": "2026-11-20", "kind": "continue_conservative_care", "until": "2027-01-10", "by": "Dr Ann"}
    if acknowledged != "absent":
        decision["acknowledged_red_flags"] = acknowledged
    data["decisions"] = [decision]
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_imported_null_acknowledgement_is_refused_and_nothing_is_imported(run, target, tmp_path):
    """rt7 R6: ``null`` read as absent turned the decision into one acknowledging by date."""
    before = _stored_decisions(target)
    code, out, err = run("import", "--replace-records", "--acknowledge-red-flags", str(_case_file(tmp_path, None)))
    assert code == 2 and out == ""
    assert ("decisions[0].acknowledged_red_flags must be a list of red-flag codes ([] when the decision "
            "acknowledges none), not null") in err and "nothing was imported" in err
    assert _stored_decisions(target) == before == []
    assert _worklist(run)[CASE]["status"] != "snoozed"


def test_an_imported_decision_acknowledging_red_flags_needs_the_option_and_is_audited(run, target, tmp_path):
    """rt7 R6: a hand-written list that `decide` would refuse without --acknowledge-red-flags
    was imported silently, with no acknowledgement in the audit. The import refuses it the
    same way (exit 2, nothing imported, naming it); with the option it is imported, said, and
    kept in the import's audit entry. A list naming none, or a re-import of a decision the
    tracker holds already, needs nothing."""
    full = _case_file(tmp_path, ["saddle_anaesthesia", "urinary_retention_or_incontinence"])
    code, out, err = run("import", "--replace-records", str(full))
    assert code == 2 and out == ""
    assert err.startswith("error: import: nothing was imported: 1 decision in the file closes or pauses a case "
                          "while acknowledging red flags:\n  case EX-ROUTINE-S1-DUE, 2026-11-20, Continue "
                          "conservative care"), err
    assert CES_LABELS in err and "import again with --acknowledge-red-flags" in err
    assert _stored_decisions(target) == []
    # a partial list acknowledges a red flag too: refused the same way
    code, _, err = run("import", "--replace-records", str(_case_file(tmp_path, ["saddle_anaesthesia"], "p.json")))
    assert code == 2 and "Saddle (perineal) numbness" in err and _stored_decisions(target) == []
    # [] names none: nothing to acknowledge, imported; the case stays Immediate
    code, out, err = run("import", "--replace-records", str(_case_file(tmp_path, [], "none.json")))
    assert code == 0 and "acknowledg" not in out, err
    assert _worklist(run)[CASE]["status"] == "immediate"
    # with the option: imported, named in the summary, kept in the audit
    code, out, err = run("import", "--replace-records", "--acknowledge-red-flags", str(full))
    assert code == 0, err
    assert "Red flags acknowledged (kept in the audit): 1 decision in the file closes or pauses a case" in out
    assert CES_LABELS in out
    assert _worklist(run)[CASE]["status"] == "snoozed"
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        imports = [e.detail for e in store.audit() if e.action == "import"]
    assert imports[-1]["acknowledged_red_flags"] == [{
        "case_id": CASE, "date": "2026-11-20", "kind": "continue_conservative_care",
        "flags": ["saddle_anaesthesia", "urinary_retention_or_incontinence"]}]
    # the same file again: the tracker holds that decision already, nothing new is acknowledged
    code, out, err = run("import", str(full))
    assert code == 0 and "1 unchanged" in out and "acknowledged" not in out, err


def test_an_imported_new_decision_leaving_the_field_out_is_refused_while_red_flags_stand(run, target, tmp_path):
    """Red-team rt9 F7: a decision new to the tracker with ``acknowledged_red_flags`` left out
    was read as one recorded before the field existed, so a hand-written file paused this
    cauda equina case with no word. It goes through the same gate as ``decide``: exit 2,
    nothing imported, the case, the decision and each flag named, with and without
    --replace-records; with --acknowledge-red-flags it records exactly the flags standing on
    its date and says so. Re-importing that file then needs nothing."""
    absent = _case_file(tmp_path, "absent")
    for replace in ((), ("--replace-records",)):
        code, out, err = run("import", *replace, str(absent))
        assert code == 2 and out == "", err
        assert err.startswith("error: import: nothing was imported: 1 decision in the file closes or pauses a case "
                              "while acknowledging red flags:\n  case EX-ROUTINE-S1-DUE, 2026-11-20, Continue "
                              "conservative care"), err
        assert CES_LABELS + " (the file leaves acknowledged_red_flags out: these red flags stand on its date)" in err
        assert "import again with --acknowledge-red-flags" in err
        assert _stored_decisions(target) == []
        assert _worklist(run)[CASE]["status"] == "due"  # as before the import: nothing of the file was written
    code, out, err = run("import", "--acknowledge-red-flags", str(absent))
    assert code == 0, err
    assert "Red flags acknowledged (kept in the audit): 1 decision in the file closes or pauses a case" in out
    assert CES_LABELS in out and "leaves acknowledged_red_flags out" in out
    assert _stored_decisions(target) == [{"kind": "continue_conservative_care", "acknowledged_red_flags": (
        "saddle_anaesthesia", "urinary_retention_or_incontinence")}]
    assert _worklist(run)[CASE]["status"] == "snoozed"
    code, out, err = run("import", str(absent))  # the tracker holds it now: nothing to acknowledge
    assert code == 0 and "1 unchanged" in out and "acknowledged" not in out, err


def test_an_imported_discharge_of_a_cauda_equina_case_leaving_the_field_out_is_refused(run, target, tmp_path):
    """rt9 F7 as found: the emergency example, then the same case with a discharge and no
    ``acknowledged_red_flags``: the case stays Immediate and the refusal names the three flags."""
    code, _, err = run("import", str(resource_path("examples", "emergency_cauda_equina.json")))
    assert code == 0, err
    data = json.loads(resource_path("examples", "emergency_cauda_equina.json").read_text())
    data["decisions"] = [{"date": "2026-11-25", "kind": "resolved_discharged", "by": "Dr X"}]
    path = tmp_path / "discharge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run("import", str(path))
    assert code == 2 and out == ""
    assert "case EX-EMERGENCY-CES, 2026-11-25, Resolved or discharged: " in err, err
    for label in ("Saddle (perineal) numbness", "Urinary retention", "both legs"):
        assert label.lower() in err.lower(), (label, err)
    code, out, err = run("worklist", "--status", "all", "--as-of", TODAY.isoformat(), "--format", "json")
    assert {r["case_id"]: r["status"] for r in json.loads(out)["rows"]}["EX-EMERGENCY-CES"] == "immediate"
    # a decision for which no red flag stands may still leave the field out: it names none
    quiet = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text())
    quiet["decisions"] = [{"date": "2026-11-25", "kind": "resolved_discharged", "by": "Dr X"}]
    path.write_text(json.dumps(quiet), encoding="utf-8")
    code, out, err = run("import", str(path))
    assert code == 0 and "1 updated" in out and "acknowledg" not in out, err
    assert _stored_decisions(target) == [{"kind": "resolved_discharged", "acknowledged_red_flags": ()}]


def test_the_import_help_says_what_acknowledge_red_flags_does(capsys):
    with pytest.raises(SystemExit):
        cli.main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--acknowledge-red-flags" in text and "acknowledged_red_flags" in text
    assert "refused (exit 2, nothing imported" in text and "audit" in text
