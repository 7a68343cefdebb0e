"""Closing or pausing a case while an emergency/urgent red flag stands needs an explicit
acknowledgement (red-team A4): ``decide --acknowledge-red-flags``, named in the audit."""

from __future__ import annotations

import json

import pytest

from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402

from radiculopathy_desktop.storage.store import CaseStore  # noqa: E402

D = __import__("datetime").timedelta


def _import(tmp_path, run_cli, **kw):
    path = tmp_path / "case.json"
    path.write_text(json.dumps([case_dict("RF", care_start=ANCHOR - D(days=10), **kw)]))
    code, _, err = run_cli("import", str(path))
    assert code == 0, err


@pytest.mark.parametrize("args", [("--kind", "resolved_discharged"), ("--kind", "patient_declined"),
                                  ("--kind", "continue", "--until", "2026-07-01")])
def test_closing_an_emergency_case_is_refused_without_acknowledgement(tmp_path, run_cli, db_path, args):
    _import(tmp_path, run_cli, red_flags={"history_of_cancer": "yes"})
    before = file_state(db_path)
    code, out, err = run_cli("decide", "RF", *args, "--by", "Dr Invented")
    assert code == 2 and out == ""
    assert "not recorded" in err and "EMERGENCY" in err and "History of cancer" in err
    assert "--acknowledge-red-flags" in err
    assert file_state(db_path) == before
    code, out, _ = run_cli("worklist", "--status", "immediate", "--format", "json")
    assert [r["case_id"] for r in json.loads(out)["rows"]] == ["RF"]


def test_acknowledged_close_is_recorded_and_audited_with_the_red_flags(tmp_path, run_cli, data_dir):
    _import(tmp_path, run_cli, red_flags={"history_of_cancer": "yes"})
    code, out, err = run_cli("decide", "RF", "--kind", "resolved", "--acknowledge-red-flags")
    assert code == 0, err
    assert "Closed" in out
    with CaseStore.open(data_dir) as store:
        entry = [a for a in store.audit("RF") if a.action == "decision_recorded"][-1]
    ack = entry.detail["acknowledged_red_flags"]
    assert ack["tier"] == "emergency" and ack["flags"] == ["history_of_cancer"]
    assert ack["since"] == (ANCHOR - D(days=10)).isoformat()


def test_referral_needs_no_acknowledgement_and_audits_none(tmp_path, run_cli, data_dir):
    _import(tmp_path, run_cli, red_flags={"saddle_anaesthesia": "yes"})
    code, out, err = run_cli("decide", "RF", "--kind", "referred_for_surgical_opinion")
    assert code == 0, err
    with CaseStore.open(data_dir) as store:
        entry = [a for a in store.audit("RF") if a.action == "decision_recorded"][-1]
    assert "acknowledged_red_flags" not in entry.detail


def test_routine_case_and_a_flag_re_screened_as_no_close_without_acknowledgement(tmp_path, run_cli, data_dir):
    _import(tmp_path, run_cli, red_flags={"saddle_anaesthesia": "yes"})
    # the flag is re-screened "no" at a follow-up: nothing stands any more
    code, _, err = run_cli("visit", "RF", "--date", ANCHOR.isoformat(), "--leg-nrs", "2",
                           "--red-flag", "saddle_anaesthesia=no")
    assert code == 0, err
    code, out, err = run_cli("decide", "RF", "--kind", "resolved")
    assert code == 0, err
    # a decision dated before the re-screen still meets the standing flag
    code, _, err = run_cli("decide", "RF", "--kind", "declined", "--date", (ANCHOR - D(days=1)).isoformat())
    assert code == 2 and "Saddle" in err
