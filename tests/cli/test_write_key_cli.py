"""`visit --write-key KEY` and `decide --write-key KEY`: a script whose answer was lost (a
dropped server connection, a killed terminal) can run the same command again and the
record is saved once. The same key with the same content is "already saved" (exit 0); the
same key with different content is refused (exit 2) and nothing is written. Both engines:
the local file (--data-dir) and the clinic server (--server)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.pg.choose import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

KEY = "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a93"
VISIT_DAY = (ANCHOR - dt.timedelta(days=3)).isoformat()


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    run = cli_runner(capsys, *target)
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [case_dict("A"), case_dict("B")]}), encoding="utf-8")
    code, out, err = run("import", str(cases))
    assert code == 0, err
    return run


def _stored(target):
    args = dict(zip(target[::2], target[1::2]))
    with open_store(Path(args["--data-dir"]) if "--data-dir" in args else None, args.get("--server"),
                    create=False) as store:
        case = store.get_case("A")
        audit = [(e.action, e.detail.get("write_key")) for e in store.audit("A")
                 if e.action in ("visit_added", "decision_recorded")]
    return case, audit


def _lose_the_answer_once(monkeypatch, method: str):
    """The save is committed, then the connection drops before the command can answer."""
    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.storage.store import CaseStore

    for cls in (CaseStore, PgStore):
        original = getattr(cls, method)

        def dropped(self, *a, _original=original, _cls=cls, **kw):
            result = _original(self, *a, **kw)
            monkeypatch.setattr(_cls, method, _original)
            raise StorageError("unreachable", "The clinic server cannot be reached (connection lost).")

        monkeypatch.setattr(cls, method, dropped)


def test_a_visit_run_again_after_a_lost_answer_is_saved_once(run, target, monkeypatch):
    visit = ("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--notes", "walking further", "--write-key", KEY)
    _lose_the_answer_once(monkeypatch, "add_visit")
    code, out, err = run(*visit)
    assert code == 3 and "cannot be reached" in err and out == ""  # the script does not know it was saved
    code, out, err = run(*visit)  # ... so it runs the same command again
    assert code == 0, err
    assert out.startswith(f"Already saved: the visit of {VISIT_DAY} with write key {KEY} is on case A; nothing was "
                          "written again (1 follow-up visit).")
    code, out, err = run(*visit)
    assert code == 0 and "Already saved" in out
    case, audit = _stored(target)
    assert [(v.date.isoformat(), v.leg_nrs, v.notes) for v in case.visits] == [(VISIT_DAY, 4, "walking further")]
    assert audit == [("visit_added", KEY)]


def test_a_decision_run_again_with_its_key_is_saved_once(run, target):
    decide = ("decide", "A", "--kind", "continue", "--until", (ANCHOR + dt.timedelta(days=28)).isoformat(),
              "--by", "Dr Ann", "--note", "review in 4 weeks", "--write-key", KEY)
    code, out, err = run(*decide)
    assert code == 0 and out.startswith("Recorded on case A: Continue conservative care until 2026-06-29"), err
    code, out, err = run(*decide)
    assert code == 0, err
    assert out.startswith("Already saved: Continue conservative care until 2026-06-29 (2026-06-01) with write key "
                          f"{KEY} is on case A; nothing was written again.")
    case, audit = _stored(target)
    assert len(case.decisions) == 1 and audit == [("decision_recorded", KEY)]


@pytest.mark.parametrize("changed", [
    ("--leg-nrs", "5"),                     # another score
    ("--notes", "another note"),            # a field the audit entry does not show
    ("--treatment", "stay_active"),
])
def test_the_same_key_with_a_different_visit_is_refused_and_writes_nothing(run, target, changed):
    base = ["visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--notes", "walking further", "--write-key", KEY]
    assert run(*base)[0] == 0
    before = _stored(target)
    other = list(base)
    if changed[0] in other:
        other[other.index(changed[0]) + 1] = changed[1]
    else:
        other += list(changed)
    code, out, err = run(*other)
    assert code == 2 and out == ""
    assert f"case A: nothing was saved: write key {KEY} was already used on this case for a different record" in err
    assert "A new visit needs a new key" in err and "radiculopathy-desktop case A" in err
    assert _stored(target) == before


def test_a_decision_sent_with_a_visits_key_or_a_changed_note_is_refused(run, target):
    assert run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)[0] == 0
    code, _, err = run("decide", "A", "--kind", "referred", "--write-key", KEY)
    assert code == 2 and "A new decision needs a new key" in err
    other = "aaaaaaaa-0000"
    assert run("decide", "A", "--kind", "referred", "--note", "L5", "--write-key", other)[0] == 0
    before = _stored(target)
    code, _, err = run("decide", "A", "--kind", "referred", "--note", "S1", "--write-key", other)
    assert code == 2 and "different record" in err
    assert _stored(target) == before
    assert [d.note for d in before[0].decisions] == ["L5"]


def test_without_a_key_each_run_adds_a_record_and_a_key_is_per_case(run, target):
    visit = ("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4")
    assert run(*visit)[0] == 0 and run(*visit)[0] == 0  # documented: no key, no once-only
    assert run(*visit, "--write-key", KEY)[0] == 0  # an identical third visit, now keyed: added
    code, out, _ = run(*visit, "--write-key", KEY)
    assert code == 0 and "Already saved" in out
    code, out, _ = run("visit", "B", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)
    assert code == 0 and out.startswith("Visit of")  # the same key on another case is another record
    case, audit = _stored(target)
    assert [v.leg_nrs for v in case.visits] == [4, 4, 4] and audit[-1] == ("visit_added", KEY)


def test_a_retry_is_recognised_when_a_later_visit_was_added_meanwhile(run, target):
    """The visit found again is the keyed one, not the latest by date."""
    assert run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)[0] == 0
    assert run("visit", "A", "--date", ANCHOR.isoformat(), "--leg-nrs", "2")[0] == 0
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)
    assert code == 0 and "Already saved" in out, err
    assert [v.leg_nrs for v in _stored(target)[0].visits] == [4, 2]


@pytest.mark.parametrize("bad", ["short", "x" * 65, "--------", "key with space", "ｋｅｙｋｅｙｋｅｙ", "a/b/c/d/e/f"])
def test_a_malformed_key_is_refused_in_words_before_anything_is_written(run, target, bad):
    before = _stored(target)
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", f"--write-key={bad}")
    assert code == 2 and out == ""
    assert "is not a write key: use 8 to 64 letters (A-Z, a-z), digits or dashes" in err
    code, _, err = run("decide", "A", "--kind", "referred", f"--write-key={bad}")
    assert code == 2 and "is not a write key" in err
    assert _stored(target) == before


def test_the_help_says_what_the_key_is_for(capsys):
    for command in ("visit", "decide"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--write-key KEY" in text and "Already saved" in text and "exit 2, nothing written" in text
        assert "no key is made up from the content" in text


# --------------------------------------------------------------------------- red-team rt6 F4-F7
def test_a_retry_whose_visit_was_replaced_since_is_refused_not_reported_saved(run, target, tmp_path):
    """F4: import --replace-records removed the keyed visit; the retry must not say
    "Already saved" (exit 0) while the visit is not on the case. A new key adds it again."""
    visit = ("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "2", "--write-key", KEY)
    assert run(*visit)[0] == 0
    original = tmp_path / "original.json"
    original.write_text(json.dumps({"cases": [case_dict("A")]}), encoding="utf-8")
    code, out, err = run("import", "--replace-records", str(original))
    assert code == 0, err
    before = _stored(target)
    assert before[0].visits == ()
    code, out, err = run(*visit)
    assert code == 2 and out == "", out
    assert f"case A: nothing was saved: the visit saved with write key {KEY} was later removed from the case" in err
    assert "run it with a new write key" in err and "Already saved" not in err
    assert _stored(target) == before  # nothing written, no audit entry
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "2", "--write-key", KEY[:-1] + "0")
    assert code == 0 and out.startswith(f"Visit of {VISIT_DAY} added to case A (1 follow-up visit)."), err


def test_a_key_in_upper_case_is_the_same_key(run, target):
    """F5: uuidgen on macOS prints upper case, Python lower: one key, one visit."""
    assert run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)[0] == 0
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY.upper())
    assert code == 0 and out.startswith("Already saved: the visit of"), err
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "5", "--write-key", KEY.upper())
    assert code == 2 and "already used on this case for a different record (what differs: leg nrs" in err, err
    case, audit = _stored(target)
    assert len(case.visits) == 1 and audit == [("visit_added", KEY)]


def test_the_message_says_what_the_store_did_when_another_run_saved_it_first(run, target, monkeypatch):
    """F6: another process saves the same keyed visit between this run's start and its save
    (the store decides under the case's lock): this run says "Already saved", not "added"."""
    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.storage.store import CaseStore

    for cls in (CaseStore, PgStore):
        original = cls.add_visit

        def raced(self, case_id, visit, *a, _original=original, **kw):
            _original(self, case_id, visit, *a, **kw)  # the other process's save, just before ours
            return _original(self, case_id, visit, *a, **kw)

        monkeypatch.setattr(cls, "add_visit", raced)
    code, out, err = run("visit", "A", "--date", VISIT_DAY, "--leg-nrs", "4", "--write-key", KEY)
    assert code == 0 and out.startswith(f"Already saved: the visit of {VISIT_DAY} with write key {KEY}"), (out, err)
    case, audit = _stored(target)
    assert len(case.visits) == 1 and audit == [("visit_added", KEY)]


def test_a_decision_retried_the_next_day_without_date_says_the_date_moved(run, target, monkeypatch):
    """F7: without --date the decision is dated the day the command runs; the retry after
    midnight is a different record, and the refusal says why and what to do."""
    decide = ("decide", "A", "--kind", "referred", "--by", "Dr Ann", "--write-key", KEY)
    assert run(*decide)[0] == 0
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR + dt.timedelta(days=1))
    code, out, err = run(*decide)
    assert code == 2 and out == ""
    assert "different record (what differs: date)" in err
    assert f"Without --date a decision is dated the day it is run ({(ANCHOR + dt.timedelta(days=1)).isoformat()})" \
           in err and "give its --date" in err
    code, out, err = run(*decide, "--date", ANCHOR.isoformat())
    assert code == 0 and out.startswith("Already saved:"), err
    assert len(_stored(target)[0].decisions) == 1


def test_the_help_says_keys_ignore_case_and_decide_wants_a_date(capsys):
    with pytest.raises(SystemExit):
        cli.main(["decide", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "compared without case" in text and "--write-key=-KEY" in text and "give --date too" in text
    assert "--replace-records" in text
