"""A follow-up visit's clinician and a decision's "decided by" have the intake's bound (mmx22
leftover; gp21 F6 bounded the intake's Clinician at 60 characters: every handout page prints a
name, and 153 characters took five lines of each page's header). On both engines.

Before: `visit --clinician`, `decide --by` and an imported file's visits and decisions took a
name of any length (a 500-character "clinician" was stored, shown and exported as typed).

Now: longer than 60 characters (spaces at either end not counted) is refused with exit 2,
naming the option (or, for `import`, the visit or decision by its date), the limit and the
length; nothing is saved. At the limit it is accepted. A visit the tracker already holds (stored
before the bound) re-imported from its own export is not new input and stays importable.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import MAX_CLINICIAN_NAME, parse_case
from radiculopathy_desktop.resources import resource_path

TODAY = dt.date(2026, 11, 29)
CASE = "EX-ROUTINE-S1-DUE"
EXAMPLE = resource_path("examples", "routine_s1_follow_up_due.json")


def _name(length: int) -> str:
    return "Dr " + "X" * (length - 3)


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, *target, fresh_output=True)
    code, _out, err = run("import", str(EXAMPLE))
    assert code == 0, err
    return run


def _case(run) -> dict:
    code, out, err = run("case", CASE, "--format", "json")
    assert code == 0, err
    return json.loads(out)["case"]


@pytest.mark.parametrize("length, refused", [(MAX_CLINICIAN_NAME - 1, False), (MAX_CLINICIAN_NAME, False),
                                             (MAX_CLINICIAN_NAME + 1, True), (500, True)])
def test_visit_clinician_over_the_bound_exits_2_and_saves_nothing(run, length, refused):
    before = _case(run)
    code, out, err = run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "5", "--clinician", _name(length))
    if not refused:
        assert code == 0, err
        assert _case(run)["visits"][-1]["clinician"] == _name(length)
        return
    assert code == 2 and out == ""
    assert f"case {CASE}: nothing was saved" in err
    assert f"--clinician: at most {MAX_CLINICIAN_NAME} characters (this one has {length})" in err
    assert "Dr A Patel, GP" in err  # what is meant: a name and role
    assert _case(run) == before


@pytest.mark.parametrize("length, refused", [(MAX_CLINICIAN_NAME, False), (MAX_CLINICIAN_NAME + 1, True)])
def test_decide_by_over_the_bound_exits_2_and_saves_nothing(run, length, refused):
    before = _case(run)
    code, out, err = run("decide", CASE, "--kind", "referred_for_surgical_opinion", "--date", TODAY.isoformat(),
                         "--by", _name(length))
    if not refused:
        assert code == 0, err
        assert _case(run)["decisions"][-1]["by"] == _name(length)
        return
    assert code == 2 and out == ""
    assert f"--by: at most {MAX_CLINICIAN_NAME} characters (this one has {length})" in err
    assert _case(run) == before


def test_spaces_at_either_end_do_not_count(run):
    code, _out, err = run("visit", CASE, "--date", TODAY.isoformat(), "--leg-nrs", "5",
                          "--clinician", "  " + _name(MAX_CLINICIAN_NAME) + "  ")
    assert code == 0, err


def _file(tmp_path, data: dict) -> str:
    path = tmp_path / "file.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_import_refuses_a_long_visit_clinician_or_decider_naming_each_by_date(run, tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["case_id"] = "NEW-LONG"
    data["patient"] = {**data["patient"], "id": "P-NEW-LONG"}
    data["visits"][0]["clinician"] = _name(MAX_CLINICIAN_NAME + 1)
    data["visits"][1]["clinician"] = _name(MAX_CLINICIAN_NAME)  # at the bound: not named
    data["decisions"] = [{"date": "2026-11-20", "kind": "referred_for_surgical_opinion", "by": _name(150)}]
    code, out, err = run("import", _file(tmp_path, data))
    assert code == 2, (out, err)
    assert (f"the visit of 2026-10-19: clinician: at most {MAX_CLINICIAN_NAME} characters "
            f"(this one has {MAX_CLINICIAN_NAME + 1})") in err
    assert "the visit of 2026-11-16" not in err
    assert f"the decision of 2026-11-20: by: at most {MAX_CLINICIAN_NAME} characters (this one has 150)" in err
    assert run("case", "NEW-LONG", "--format", "json")[0] != 0  # nothing imported


def test_a_held_visit_with_a_longer_clinician_re_imported_from_its_export_is_accepted(run, target, tmp_path):
    """A visit stored before the bound (the store reads stored cases without the new-input
    rules) is the tracker's own record: its export re-imports, changing nothing."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["visits"][0]["clinician"] = _name(90)
    if target[0] == "--server":
        from radiculopathy_desktop.storage.pg.store import PgStore as Store
        opened = Store.open(target[1])
    else:
        from radiculopathy_desktop.storage.store import CaseStore as Store
        opened = Store.open(target[1])
    with opened as store:
        store.import_cases([parse_case(data)], user="older.version", replace_records=True)
    exported = _case(run)
    assert exported["visits"][0]["clinician"] == _name(90)
    code, out, err = run("import", _file(tmp_path, exported))
    assert code == 0, err
    assert "1 unchanged" in out
    # a new visit with a long name in the same file is still refused
    exported["visits"].append({"date": TODAY.isoformat(), "leg_nrs": 4, "clinician": _name(61)})
    code, out, err = run("import", _file(tmp_path, exported))
    assert code == 2 and f"the visit of {TODAY.isoformat()}: clinician: at most" in err
