"""The everyday commands against a clinic server (`--server URL`): the same output as on
the local file, and the commands that do not work with a server yet refuse in words."""

from __future__ import annotations

import csv
import logging
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

import pg_server as pgs
from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.storage.pg.store import PgStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys)


def test_import_worklist_case_visit_decide_and_export_on_the_server(run, pg_database, tmp_path):
    url = pg_database(pgs.CLINICIAN_LOGIN)
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A"), case_dict("B", name="Ben Corwick")]}))
    code, out, err = run("--server", url, "import", str(cases))
    assert code == 0 and "2 added" in out, err
    code, out, err = run("--server", url, "worklist", "--format", "json")
    assert code == 0, err
    assert sorted(r["case_id"] for r in json.loads(out)["rows"]) == ["A", "B"]
    code, out, err = run("--server", url, "visit", "A", "--date", ANCHOR.isoformat(), "--leg-nrs", "3")
    assert code == 0, err
    code, out, err = run("--server", url, "decide", "B", "--kind", "referred_for_surgical_opinion")
    assert code == 0, err
    code, out, err = run("--server", url, "case", "A", "--format", "json")
    assert code == 0, err
    assert [v["leg_nrs"] for v in json.loads(out)["case"]["visits"]] == [3]
    out_file = tmp_path / "cases.csv"
    code, out, err = run("--server", url, "export", "cases", "--format", "csv", "--out", str(out_file))
    assert code == 0, err
    rows = list(csv.reader(out_file.open(encoding="utf-8-sig")))
    assert "A" in [r[0] for r in rows[1:] if r], rows[:3]  # the first column is the case number
    with PgStore.open(url) as store:
        actions = [(e.action, e.role) for e in store.audit()]
    assert ("visit_added", pgs.CLINICIAN_LOGIN) in actions and ("decision_recorded", pgs.CLINICIAN_LOGIN) in actions
    assert ("cases_csv_exported", pgs.CLINICIAN_LOGIN) in actions or \
        ("worklist_csv_exported", pgs.CLINICIAN_LOGIN) in actions


def test_the_server_from_the_environment_is_used_and_data_dir_still_means_the_local_file(run, pg_database,
                                                                                         tmp_path, monkeypatch):
    monkeypatch.setenv("RADICULOPATHY_SERVER", pg_database(pgs.CLINICIAN_LOGIN))
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A")]}))
    assert run("import", str(cases))[0] == 0
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        assert store.has_case("A")
    code, out, _ = run("--data-dir", str(tmp_path / "local"), "import", str(cases))
    assert code == 0 and (tmp_path / "local" / "radiculopathy.sqlite3").exists()


@pytest.mark.parametrize("args", [("demo", "--cases", "5"), ("backup",), ("check",), ("--demo",)])
def test_commands_that_do_not_work_with_a_server_yet_say_so(run, args, pg_database):
    code, out, err = run("--server", pg_database(), *args)
    assert code == 2 and "clinic server" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [("demo", "--cases", "5"), ("backup",), ("check",)])
def test_a_server_deployed_by_environment_is_never_bypassed_by_a_local_file(run, args, pg_database, monkeypatch,
                                                                            tmp_path):
    """With RADICULOPATHY_SERVER (or server.conf) set, the file-only commands refuse instead of
    quietly opening or creating a local tracker the clinic does not see (the window opens on
    the server: the test below)."""
    from radiculopathy_desktop.storage.paths import resolve_data_dir

    monkeypatch.setenv("RADICULOPATHY_SERVER", pg_database(pgs.CLINICIAN_LOGIN))
    code, out, err = run(*args)
    assert code == 2 and "clinic server" in err and "Nothing was" in err and "Traceback" not in err
    assert not (resolve_data_dir(None) / "radiculopathy.sqlite3").exists()  # no local file was made


def test_handout_outcomes_and_settings_work_on_the_server(run, pg_database, tmp_path):
    admin = pg_database(pgs.ADMIN_LOGIN)
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A")]}))
    assert run("--server", admin, "import", str(cases))[0] == 0
    code, out, err = run("--server", admin, "settings", "set", "clinic_address", "1 Invented Road")
    assert code == 0, err
    code, out, err = run("--server", admin, "settings", "get")
    assert code == 0 and "1 Invented Road" in out, err
    with PgStore.open(admin) as store:
        assert store.clinic_settings().address == "1 Invented Road"
    pdf = tmp_path / "handout.pdf"
    code, out, err = run("--server", pg_database(pgs.CLINICIAN_LOGIN), "handout", "A", "--out", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF"), err
    code, out, err = run("--server", pg_database(pgs.CLINICIAN_LOGIN), "outcomes", "--format", "json",
                         "--as-of", ANCHOR.isoformat())
    assert code == 0, err
    assert json.loads(out)["cohort_size"] >= 0


def test_the_window_opens_on_the_server_from_the_option_the_environment_or_not_with_data_dir(run, monkeypatch,
                                                                                             tmp_path):
    from radiculopathy_desktop.ui import app as app_module
    opened = []
    monkeypatch.setattr(app_module, "run_app", lambda **kw: opened.append(kw) or 0)
    url = "postgresql://dr_ada@/clinic?host=/run/postgresql"
    assert run("--server", url)[0] == 0
    monkeypatch.setenv("RADICULOPATHY_SERVER", url)
    assert run()[0] == 0
    assert run("--data-dir", str(tmp_path))[0] == 0  # an explicit local folder means the local file
    assert run("--demo")[0] == 0  # the demo cohort is never written to the clinic's server
    assert [kw.get("server") for kw in opened] == [url, url, None, None]


def test_case_shows_the_authenticated_login_beside_the_typed_name(run, pg_database, tmp_path):
    """Two clinicians sharing one workstation account are told apart where people look: the
    case's audit names the database login each change was made with (text and JSON)."""
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A")]}))
    assert run("--server", pg_database(pgs.CLINICIAN_LOGIN), "import", str(cases))[0] == 0
    for login, day, nrs in ((pgs.CLINICIAN_LOGIN, 20, "5"), (pgs.OTHER_CLINICIAN_LOGIN, 10, "3")):
        code, _, err = run("--server", pg_database(login), "visit", "A",
                           "--date", (ANCHOR - dt.timedelta(days=day)).isoformat(), "--leg-nrs", nrs)
        assert code == 0, err
    code, out, err = run("--server", pg_database(pgs.CLINICIAN_LOGIN), "case", "A")
    assert code == 0, err
    audit = out.split("Audit (latest 10)", 1)[1].splitlines()
    visits = [line for line in audit if line.rstrip().endswith("visit_added")]
    assert len(visits) == 2
    assert f"(login {pgs.CLINICIAN_LOGIN})" in visits[0] and f"(login {pgs.OTHER_CLINICIAN_LOGIN})" in visits[1]
    code, out, err = run("--server", pg_database(pgs.CLINICIAN_LOGIN), "case", "A", "--format", "json")
    assert code == 0, err
    logins = [(e["action"], e["login"]) for e in json.loads(out)["audit"]]
    assert ("visit_added", pgs.OTHER_CLINICIAN_LOGIN) in logins and ("case_added", pgs.CLINICIAN_LOGIN) in logins


def test_the_local_file_case_audit_has_no_login_column(run, tmp_path):
    data = tmp_path / "d"
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A")]}))
    assert run("--data-dir", str(data), "import", str(cases))[0] == 0
    code, out, err = run("--data-dir", str(data), "case", "A")
    assert code == 0 and "Audit (latest 10)" in out and "(login " not in out, err
    code, out, _ = run("--data-dir", str(data), "case", "A", "--format", "json")
    assert all("login" not in e for e in json.loads(out)["audit"])


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop", level=logging.WARNING)
def test_assess_uses_the_clinics_profile_stored_on_the_server(run, pg_database, pg_server, tmp_path, monkeypatch):
    """`assess` on a workstation set up for the clinic server takes the clinic's guideline
    profile from the server (as the window and the other commands do), never from a local
    file the clinic does not use; --data-dir still means the local file, --profile wins."""
    from radiculopathy_desktop.domain.clinic import ClinicSettings
    from radiculopathy_desktop.storage.store import CaseStore
    admin = pg_database(pgs.ADMIN_LOGIN)
    assert run("--server", admin, "settings", "set", "guideline_profile", "uk")[0] == 0
    local = tmp_path / "local"
    with CaseStore.open(local) as store:  # this workstation's old local file says "us"
        store.set_clinic_settings(ClinicSettings(profile="us"), user="it")
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(local))
    case = tmp_path / "case.json"
    case.write_text(json.dumps(case_dict("A")))

    def profile(*args):
        code, out, err = run(*args, "assess", str(case), "--format", "json", "--as-of", ANCHOR.isoformat())
        assert code == 0, err
        return json.loads(out)["guideline"]["profile"], err

    assert profile("--server", pg_database(pgs.CLINICIAN_LOGIN)) == ("uk", "")
    monkeypatch.setenv("RADICULOPATHY_SERVER", pg_database(pgs.CLINICIAN_LOGIN))
    assert profile() == ("uk", "")
    assert profile("--data-dir", str(local)) == ("us", "")  # an explicit local tracker
    code, out, err = run("assess", str(case), "--profile", "us", "--format", "json")
    assert code == 0 and json.loads(out)["guideline"]["profile"] == "us"
    # the server cannot be reached: the assessment is still made, with the default, said once
    pg_server.stop()
    try:
        found, err = profile()
    finally:
        pg_server.start_again()
    assert found == "us" and "could not be read from the clinic server" in err and "--profile" in err
