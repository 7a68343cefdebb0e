"""`import` judges "the same person with an open case" by the window question's own rule
(fxn20 leftover, H-FU-387), on both engines.

Before: stored "José O'Brien" under P-NFU with an open case; a file adding a case for
"JOSE O'BRIEN" under the new ID ``p-nfu`` (the same patient key) was imported at once as a second
open episode: no refusal, no warning, no ``new_episode_while_open`` audit entry, while the window
asked about the very same person (rt22 F5). Now ``import`` refuses it naming the open case, and
``--new-episode`` adds it, says so and keeps it in the audit exactly once. "Bob Jones" (clearly
someone else: another name, no birth date agreeing) is imported, kept apart, never joined.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.storage.pg.choose import open_store

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _case(case_id, patient_id, name, birth_date, days_ago):
    data = case_dict(case_id, patient_id=patient_id, name=name, care_start=ANCHOR - dt.timedelta(days=days_ago))
    data["patient"]["sex"] = "male"
    if birth_date:
        data["patient"]["birth_date"] = birth_date
        data["patient"].pop("age_years")
    return data


def _entries(target):
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        return [item for e in store.audit() if e.action == "import"
                for item in e.detail.get("new_episode_while_open", [])]


def test_the_same_person_typed_another_way_needs_new_episode_and_is_audited_once(run, target, tmp_path):
    first = _case("OB-OPEN", "P-NFU", "José O'Brien", "1970-05-05", 40)
    assert run("import", write_json(tmp_path, [first], "first.json"))[0] == 0
    again = _case("OB-NEW", "p-nfu", "JOSE O'BRIEN", "1970-05-05", 1)
    path = write_json(tmp_path, [again], "again.json")
    code, out, err = run("import", path)
    assert code == 2 and out == "", (out, err)
    assert "new case OB-NEW: patient p-nfu already has an open case: case OB-OPEN" in err
    assert "nothing was saved" in err and "--new-episode" in err
    code, out, err = run("import", "--new-episode", path)
    assert code == 0 and "1 added" in out, err
    assert "New episode added while the patient had an open case (kept in the audit): case OB-NEW, patient p-nfu" \
        in out
    assert [(n["case_id"], [o["case_id"] for o in n["open_cases"]]) for n in _entries(target)] == \
        [("OB-NEW", ["OB-OPEN"])]


def test_someone_clearly_else_under_the_key_is_imported_kept_apart_and_not_refused(run, target, tmp_path):
    first = _case("OB-OPEN", "P-NFU", "José O'Brien", "1970-05-05", 40)
    assert run("import", write_json(tmp_path, [first], "first.json"))[0] == 0
    bob = _case("OB-BOB", "p-nfu", "Bob Jones", None, 1)
    code, out, err = run("import", write_json(tmp_path, [bob], "bob.json"))
    assert code == 0 and "1 added" in out, (out, err)
    assert "New episode" not in out and "kept apart as different people" in err
    assert _entries(target) == []
