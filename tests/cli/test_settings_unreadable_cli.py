"""Red-team rt7 R3 on the command line: a hand edit truncated the stored review settings
(`{"mcid_leg_nrs_points": 3`). Before, every command exited 70 (JSONDecodeError), `settings
set` could not repair it and `check` said ok. Now every command works with the defaults and
says so once on stderr, `check` lists the row with the repair (still exit 0: the database
itself is sound), and `settings set` replaces the row and says it did."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker

ANCHOR = dt.date(2026, 11, 29)
NOTE = ('note: settings: the stored review settings (the settings row "review") could not be read: it is not valid '
        "JSON (damaged, for example by a hand edit); the default of every review setting is used until they are set "
        "again: `settings set KEY VALUE` for each setting the clinic had changed (the first one replaces the damaged "
        "row; `settings get` lists the values in use).\n")


@pytest.fixture
def env(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    run = cli_runner(capsys, "--data-dir", str(data))
    assert run("demo", "--cases", "5", "--seed", "3")[0] == 0
    return run, data


def _hand_edit(data: Path, text: str) -> None:
    conn = sqlite3.connect(data / "radiculopathy.sqlite3")
    with conn:
        conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('review', ?, 'x') "
                     "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json", (text,))
    conn.close()


def test_a_truncated_settings_row_is_said_once_and_every_command_works(env, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    run, data = env
    code, before, err = run("worklist", "--format", "json")
    assert (code, err) == (0, "")
    _hand_edit(data, '{"mcid_leg_nrs_points": 3')
    for args in (("settings", "get"), ("worklist", "--format", "json"), ("worklist", "--status", "all")):
        code, out, err = run(*args)
        assert code == 0 and err == NOTE, (args, err)  # once, however often the command reads the settings
    assert run("worklist", "--format", "json")[1] == before  # the defaults: what the demo had before the edit
    assert "mcid_leg_nrs_points = 2\n" in run("settings", "get")[1]

    for args in (("check",), ("check", "--full")):
        code, out, err = run(*args)
        assert code == 0, err
        assert out.splitlines()[:3] == [
            "ok", "stored settings to repair (the database itself is sound; the defaults are used meanwhile):",
            "warning: " + NOTE.removeprefix("note: ").rstrip("\n")], out

    code, out, err = run("settings", "set", "mcid_leg_nrs_points", "3")
    assert code == 0 and out == "mcid_leg_nrs_points = 3\n"
    assert err.endswith("note: settings: the damaged review settings row was replaced: mcid_leg_nrs_points is stored "
                        "and every other review setting is at its default (`settings get` lists the values in "
                        "use).\n"), err
    code, out, err = run("settings", "get")
    assert code == 0 and err == "" and "mcid_leg_nrs_points = 3  (default 2)\n" in out
    assert run("check") == (0, "ok\n", "")


def test_a_bad_value_is_repaired_by_setting_another_key_and_said(env, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    run, data = env
    _hand_edit(data, json.dumps({"window_start_day": 90, "window_end_day": 60, "mcid_rmdq_points": 1e9}))
    code, out, err = run("settings", "get")
    assert code == 0
    assert err == (
        "note: settings: mcid_rmdq_points: the stored value 1000000000 is too large (it must be between 1 and 24 "
        "points); its default (5) is used until it is set again (`settings set mcid_rmdq_points VALUE`).\n"
        "note: settings: the review window 90-60 days is not valid: the start must be on or before the end; the "
        "default window (42-84 days) is used until the window is set again (`settings set window_start_day VALUE` "
        "and `settings set window_end_day VALUE`, in an order that keeps the start on or before the end).\n")
    assert "window_start_day = 42\n" in out and "window_end_day = 84\n" in out
    code, out, err = run("check")
    assert code == 0 and out.count("warning: settings: ") == 2, out
    code, out, err = run("settings", "set", "mcid_odi_points", "12")
    assert code == 0
    assert ("note: settings: repaired: mcid_rmdq_points: the stored value 1000000000 is too large (it must be between "
            "1 and 24 points); its default is stored now (`settings get` lists the values in use).\n") in err
    assert ("note: settings: repaired: the review window 90-60 days is not valid: the start must be on or before the "
            "end; the default window is stored now (`settings get` lists the values in use).\n") in err
    assert run("check") == (0, "ok\n", "")


def test_a_settings_row_holding_null_is_said_listed_by_check_and_replaced(env, caplog):
    """Red-team rt9 F3: `update settings set value_json='null'` silently turned the clinic's
    window start of 40 into the default 42: no note, `check` said ok, and the next `settings
    set` did not say it replaced anything."""
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    run, data = env
    assert run("settings", "set", "window_start_day", "40")[0] == 0
    _hand_edit(data, "null")
    null_note = NOTE.replace("it is not valid JSON (damaged, for example by a hand edit)",
                             "it holds null, not named settings")
    code, out, err = run("worklist", "--status", "all")
    assert code == 0 and err == null_note, err
    assert "review window days 42-84" in out  # the defaults, as said
    code, out, err = run("check")
    assert code == 0 and "warning: " + null_note.removeprefix("note: ").rstrip("\n") in out.splitlines(), out
    code, out, err = run("settings", "set", "window_start_day", "40")
    assert code == 0 and out == "window_start_day = 40\n"
    assert err.endswith("note: settings: the damaged review settings row was replaced: window_start_day is stored "
                        "and every other review setting is at its default (`settings get` lists the values in "
                        "use).\n"), err
    assert run("check") == (0, "ok\n", "")


def test_a_misspelled_setting_is_named_once_by_every_command_and_check(env, caplog):
    """rt9 F3: a hand edit's typo (`{"window_start_dya": 10}`) was ignored with nothing said.
    It is named once on stderr, listed by `check` as a warning (exit 0), and the settings
    named right still apply; the next `settings set` says the row is stored without it."""
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    run, data = env
    _hand_edit(data, json.dumps({"window_start_dya": 10, "window_end_day": 90}))
    said = ('note: settings: the stored review settings (the settings row "review") hold "window_start_dya", which '
            "is not a review setting (misspelled?); it is ignored and the settings named right are used until the "
            "row is written again (any `settings set` of a review setting stores it without it; `settings get` "
            "lists the review settings).\n")
    for args in (("settings", "get"), ("worklist", "--status", "all")):
        code, out, err = run(*args)
        assert code == 0 and err == said, (args, err)
    assert "window_end_day = 90  (default 84)\n" in run("settings", "get")[1]  # the name spelled right applies
    code, out, err = run("check")
    assert code == 0 and "warning: " + said.removeprefix("note: ").rstrip("\n") in out.splitlines(), out
    code, out, err = run("settings", "set", "window_start_day", "50")
    assert code == 0 and out == "window_start_day = 50\n"
    assert err.endswith('note: settings: repaired: the stored review settings (the settings row "review") hold '
                        '"window_start_dya", which is not a review setting (misspelled?); the row is stored without '
                        "it now (`settings get` lists the values in use).\n"), err
    assert run("check") == (0, "ok\n", "")
    assert "window_end_day = 90  (default 84)\n" in run("settings", "get")[1]
