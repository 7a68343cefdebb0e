"""Stored review settings that cannot be read at all (red-team rt7 R3): a hand edit that
truncated the JSON. The store still opens and answers with the defaults, says which row
could not be read (``review_settings_problems``, the listener of ``storage.settings_notes``),
and a settings save replaces the damaged row. Both engines (the clinic server's settings
row is text too, so it can be damaged the same way)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage import settings_notes
from radiculopathy_desktop.storage.engine_common import review_settings_problems

STORE_ENGINES = ("sqlite", "postgresql")
TRUNCATED = '{"mcid_leg_nrs_points": 3'
ROW_NOT_READ = ('the stored review settings (the settings row "review") could not be read: it is not valid JSON '
                "(damaged, for example by a hand edit); the default of every review setting is used")


def _store_text_by_hand(store, text: str, key: str = "review") -> None:
    if hasattr(store, "_db"):  # the local file
        with store._write():
            store._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, "
                                   "'2026-01-01') ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
                                   (key, text))
    else:  # the clinic server
        with store._tx() as conn:
            conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (%s, %s, now()) "
                         "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json", (key, text))
    store._settings_cache = None


@pytest.fixture
def heard(monkeypatch):
    said: list = []
    monkeypatch.setattr(settings_notes, "listener", lambda problems: said.extend(problems))
    return said


@pytest.mark.parametrize("text", [TRUNCATED, "not json", ""])
def test_a_settings_row_that_is_not_json_gives_the_defaults_and_is_said(store, caplog, heard, text):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    _store_text_by_hand(store, text)
    assert store.get_settings() == default_review_settings()
    assert [str(p) for p in heard] == [ROW_NOT_READ]
    assert heard[0].whole_row
    assert [str(p) for p in review_settings_problems(store)] == [ROW_NOT_READ]
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("the whole review row" in m for m in logged) and not any(TRUNCATED in m for m in logged), logged
    # the worklist and the counts still answer (with the defaults), never a JSON error
    as_of = dt.date(2026, 11, 29)
    assert list(store.worklist(as_of, statuses=None)) is not None
    store.status_counts(as_of)


def test_a_settings_save_replaces_the_damaged_row(store, caplog, heard):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    _store_text_by_hand(store, TRUNCATED)
    store.set_settings({"mcid_leg_nrs_points": 3}, user="admin")
    assert review_settings_problems(store) == ()
    assert store.setting("review") == {"mcid_leg_nrs_points": 3}
    after = store.get_settings()
    defaults = default_review_settings()
    assert after.mcid_leg_nrs_points == 3 and after.window_end_day == defaults.window_end_day
    # a save of nothing (the window's Settings page saved unchanged) also replaces it
    _store_text_by_hand(store, "[1, 2]")
    assert [p.whole_row for p in review_settings_problems(store)] == [True]
    store.set_settings({}, user="admin")
    assert review_settings_problems(store) == () and store.setting("review") == {}


def test_a_damaged_derived_version_runs_the_upgrade_again_instead_of_stopping_every_command(store, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    _store_text_by_hand(store, '"facts 5; al', key="derived_version")
    assert store.upgrade_pending
    store.upgrade_derived_data_if_needed()
    assert not store.upgrade_pending
    assert store.setting("derived_version") == store.derived_version()
    assert any("derived-data version could not be read" in r.getMessage() for r in caplog.records)


NULL_ROW = ('the stored review settings (the settings row "review") could not be read: it holds null, not named '
            "settings; the default of every review setting is used")


def test_a_settings_row_holding_null_is_said_like_a_list_and_replaced_by_a_save(store, caplog, heard):
    """Red-team rt9 F3, both engines: a row of JSON ``null`` was read as no row at all: the
    clinic's window silently became the default with nothing said. It is named like a list or
    a single value; a clinic with no row at all still has nothing to say."""
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    assert review_settings_problems(store) == () and store.get_settings() == default_review_settings()
    store.set_settings({"window_start_day": 40}, user="admin")
    _store_text_by_hand(store, "null")
    assert store.get_settings() == default_review_settings()
    assert [str(p) for p in heard] == [NULL_ROW] and heard[0].whole_row
    assert [str(p) for p in review_settings_problems(store)] == [NULL_ROW]
    store.set_settings({"window_start_day": 40}, user="admin")
    assert review_settings_problems(store) == () and store.setting("review") == {"window_start_day": 40}


def test_a_misspelled_setting_is_named_once_and_the_others_still_apply(store, caplog, heard):
    """rt9 F3: ``{"window_start_dya": 10}`` (a hand edit's typo) was ignored with nothing
    said. The unknown name is said once; the settings named right are used; a save writes
    the row without it."""
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    _store_text_by_hand(store, '{"window_start_dya": 10, "window_end_day": 90}')
    settings = store.get_settings()
    assert settings.window_end_day == 90 and settings.window_start_day == default_review_settings().window_start_day
    problems = review_settings_problems(store)
    assert [str(p) for p in problems] == [
        'the stored review settings (the settings row "review") hold "window_start_dya", which is not a review '
        "setting (misspelled?); it is ignored and the settings named right are used"]
    assert problems[0].unknown and not problems[0].whole_row and problems[0].keys == ("window_start_dya",)
    assert heard == list(problems)
    store.get_settings()
    assert len(heard) == 1  # said when read, not again on every read of the cached settings
    store.set_settings({"window_start_day": 45}, user="admin")
    assert review_settings_problems(store) == ()
    assert store.setting("review") == {"window_start_day": 45, "window_end_day": 90}


def test_a_setting_named_twice_is_said_and_uses_its_default_on_both_engines(store, caplog, heard):
    """rt10 F9: ``{"window_start_day": 40, "window_start_day": 10}`` silently became 10. Which
    value was meant is not known: that setting uses its default, said once; the rest applies."""
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")
    _store_text_by_hand(store, '{"window_start_day": 40, "window_end_day": 90, "window_start_day": 10}')
    settings = store.get_settings()
    assert settings.window_end_day == 90 and settings.window_start_day == default_review_settings().window_start_day
    problems = review_settings_problems(store)
    assert [p.keys for p in problems] == [("window_start_day",)]
    assert "names it 2 times (40, then 10)" in str(problems[0])
    assert heard == list(problems)
    store.set_settings({"window_start_day": 40}, user="admin")
    assert review_settings_problems(store) == ()
    assert store.get_settings().window_start_day == 40
