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
