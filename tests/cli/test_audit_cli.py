"""Prints and exports are recorded in the append-only audit table: who, what, which case, when."""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.store import CaseStore

EXAMPLE = resource_path("examples", "routine_s1_follow_up_due.json")
CASE_ID = json.loads(EXAMPLE.read_text())["case_id"]


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    assert main(["--data-dir", str(d), "import", str(EXAMPLE)]) == 0
    return d


def test_handout_and_exports_are_audited(data_dir, tmp_path, capsys):
    base = ["--data-dir", str(data_dir)]
    assert main(base + ["handout", CASE_ID, "--as-of", "2026-11-21", "--out", str(tmp_path / "h.pdf")]) == 0
    assert main(base + ["export", "summary", CASE_ID, "--format", "fhir", "--as-of", "2026-11-21",
                        "--out", str(tmp_path / "b.json")]) == 0
    assert main(base + ["export", "cases", "--format", "csv", "--as-of", "2026-11-21",
                        "--out", str(tmp_path / "c.csv")]) == 0
    capsys.readouterr()
    with CaseStore.open(data_dir, create=False) as store:
        actions = [e.action for e in store.audit(CASE_ID)]
        everything = [e.action for e in store.audit()]
    assert "handout_saved" in actions and "fhir_exported" in actions
    assert "cases_csv_exported" in everything
    assert actions.index("case_added") < actions.index("handout_saved")


def test_a_refused_export_is_not_audited(data_dir, tmp_path, capsys):
    code = main(["--data-dir", str(data_dir), "export", "summary", CASE_ID, "--format", "pdf",
                 "--out", str(tmp_path / "missing-folder" / "s.pdf")])
    assert code == 2
    with CaseStore.open(data_dir, create=False) as store:
        assert "summary_pdf_exported" not in [e.action for e in store.audit(CASE_ID)]


def test_only_access_actions_can_be_appended(data_dir):
    with CaseStore.open(data_dir, create=False) as store:
        with pytest.raises(ValueError):
            store.record_audit("someone", "case_deleted", CASE_ID)


# --------------------------------------------------------------------------- reads (issue 11, section 6)
def _os_user() -> str:
    import getpass
    return getpass.getuser()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_showing_a_case_from_the_command_line_is_audited_with_the_os_user(data_dir, capsys, fmt):
    assert main(["--data-dir", str(data_dir), "case", CASE_ID, "--format", fmt]) == 0
    out = capsys.readouterr().out
    with CaseStore.open(data_dir, create=False) as store:
        views = [e for e in store.audit(CASE_ID) if e.action == "case_viewed"]
    assert len(views) == 1
    assert views[0].user == _os_user() and views[0].detail == {"via": "command line", "format": fmt}
    if fmt == "json":  # the view is recorded before the case is shown, so it shows itself
        assert json.loads(out)["audit"][-1]["action"] == "case_viewed"


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_listing_the_worklist_from_the_command_line_is_audited(data_dir, capsys, fmt):
    assert main(["--data-dir", str(data_dir), "worklist", "--status", "all", "--as-of", "2026-11-21",
                 "--format", fmt]) == 0
    capsys.readouterr()
    with CaseStore.open(data_dir, create=False) as store:
        listed = [e for e in store.audit() if e.action == "worklist_listed"]
    assert len(listed) == 1
    entry = listed[0]
    assert entry.user == _os_user() and entry.case_id is None
    assert entry.detail["via"] == "command line" and entry.detail["format"] == fmt
    assert entry.detail["rows"] == 1 and entry.detail["as_of"] == "2026-11-21"


def test_the_cases_csv_export_is_audited_with_the_os_user_and_row_count(data_dir, tmp_path, capsys):
    assert main(["--data-dir", str(data_dir), "export", "cases", "--status", "all", "--format", "csv",
                 "--as-of", "2026-11-21", "--out", str(tmp_path / "c.csv")]) == 0
    with CaseStore.open(data_dir, create=False) as store:
        (entry,) = [e for e in store.audit() if e.action == "cases_csv_exported"]
    assert entry.user == _os_user() and entry.detail["rows"] == 1


def test_a_refused_read_is_not_audited(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "case", "NO-SUCH-CASE"]) == 2
    with CaseStore.open(data_dir, create=False) as store:
        assert [e for e in store.audit() if e.action == "case_viewed"] == []


def _mode(path) -> int:
    import os
    import stat
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("how", ["environment", "option", "option_nested"])
def test_the_data_folder_is_owner_only_however_it_is_chosen(tmp_path, monkeypatch, capsys, how):
    """Before, RADICULOPATHY_DESKTOP_DATA_DIR gave a 0755 folder: logging made it first."""
    import os
    monkeypatch.delenv("RADICULOPATHY_DESKTOP_LOG_DIR")  # the default: logs inside the data folder
    old = os.umask(0o022)
    try:
        if how == "environment":
            folder = tmp_path / "clinic-data"
            monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(folder))
            assert main(["import", str(EXAMPLE)]) == 0
            made = [folder, folder / "logs"]
        else:
            folder = tmp_path / ("clinic-data" if how == "option" else "a/b/clinic-data")
            assert main(["--data-dir", str(folder), "import", str(EXAMPLE)]) == 0
            made = [folder] + ([tmp_path / "a", tmp_path / "a" / "b"] if how == "option_nested" else [])
    finally:
        os.umask(old)
    for path in made:
        assert oct(_mode(path)) == oct(0o700), path
    assert oct(_mode(folder / "radiculopathy.sqlite3") & 0o077) == oct(0)


def test_the_cases_csv_export_entry_names_the_date_and_profile(data_dir, tmp_path, capsys):
    """As the window's worklist export records them (rt19 F9 side note, H-FMT-314)."""
    assert main(["--data-dir", str(data_dir), "export", "cases", "--status", "all", "--format", "csv",
                 "--as-of", "2026-11-21", "--profile", "uk", "--out", str(tmp_path / "c.csv")]) == 0
    with CaseStore.open(data_dir, create=False) as store:
        (entry,) = [e for e in store.audit() if e.action == "cases_csv_exported"]
    assert entry.detail["as_of"] == "2026-11-21" and entry.detail["profile"] == "uk"
