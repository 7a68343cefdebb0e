"""Re-importing a re-exported case that holds a visit recording nothing, stored before the
empty-visit rule (vis13, rt13 F7), on both engines: that visit is the tracker's own record,
not new input, so the import goes through and changes nothing; a new visit recording
nothing in the same file is still refused (exit 2, naming its date, nothing imported)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

TODAY = dt.date(2026, 11, 29)
CASE = "EX-ROUTINE-S1-DUE"
OLD_EMPTY = "2026-11-20"  # the visit saved with only a date before the rule


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target)


def _open_store(target):
    if target[0] == "--server":
        from radiculopathy_desktop.storage.pg.store import PgStore

        return PgStore.open(target[1])
    from radiculopathy_desktop.storage.store import CaseStore

    return CaseStore.open(target[1])


def _stored_with_an_old_empty_visit(run, target) -> None:
    """The example case as an older version stored it: with a visit holding only a date (a
    stored case is read without the new-input rules, as the store's own import writes it)."""
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    data["visits"].append({"date": OLD_EMPTY, "clinician": "Dr Old"})
    with _open_store(target) as store:
        store.import_cases([parse_case(data)], user="older.version")


def _exported(run, tmp_path) -> tuple[dict, str]:
    code, out, err = run("case", CASE, "--format", "json")
    assert code == 0, err
    return json.loads(out)["case"], str(tmp_path / "export.json")  # the case as the tracker writes it


def _write(data: dict, path: str) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return path


def test_a_held_empty_visit_re_imported_is_accepted_and_a_new_one_refused(run, target, tmp_path):
    _stored_with_an_old_empty_visit(run, target)
    exported, path = _exported(run, tmp_path)
    assert any(v["date"] == OLD_EMPTY for v in exported["visits"])
    code, out, err = run("import", _write(exported, path))
    assert code == 0, err
    assert "1 unchanged" in out

    # the same file with a second empty visit the tracker does not hold (another date, or the
    # same date again): refused, naming it, nothing imported
    for extra in ({"date": "2026-11-27"}, {"date": OLD_EMPTY, "clinician": "Dr Old"}):
        data = copy.deepcopy(exported)
        data["visits"].append(extra)
        code, out, err = run("import", _write(data, path))
        assert code == 2, (out, err)
        assert f"the visit of {extra['date']}: nothing is recorded for this visit" in err
        assert "nothing was imported" in err
        code, out, err = run("case", CASE, "--format", "json")
        assert len(json.loads(out)["case"]["visits"]) == len(exported["visits"])


def test_an_empty_visit_is_refused_in_a_new_tracker_and_for_a_new_case(run, target, tmp_path):
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    data["visits"].append({"date": OLD_EMPTY})
    code, out, err = run("import", _write(data, str(tmp_path / "new.json")))
    assert code == 2 and f"the visit of {OLD_EMPTY}: nothing is recorded" in err
