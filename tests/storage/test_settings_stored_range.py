"""Review settings stored out of range (an older version without the MCID bounds, a hand
edit): the store still opens, uses that setting's default alone, keeps the other stored
values, and says which (red-team rt6 F2). Both engines."""

from __future__ import annotations

import json
import logging

import pytest

from radiculopathy_desktop.domain.settings import SettingsError, default_review_settings
from radiculopathy_desktop.storage.engine_common import review_settings_problems

STORE_ENGINES = ("sqlite", "postgresql")


def _store_by_hand(store, values: dict) -> None:
    text = json.dumps(values)
    if hasattr(store, "_db"):  # the local file
        with store._write():
            store._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('review', ?, "
                                   "'2026-01-01') ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
                                   (text,))
    else:  # the clinic server
        with store._tx() as conn:
            conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('review', %s, now()) "
                         "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json", (text,))
    store._settings_cache = None


def test_an_out_of_range_stored_mcid_is_said_and_the_rest_kept(store, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    _store_by_hand(store, {"mcid_nrs_percent": 0, "mcid_leg_nrs_points": -5, "window_end_day": 90})
    settings = store.get_settings()
    defaults = default_review_settings()
    assert settings.mcid_nrs_percent == defaults.mcid_nrs_percent
    assert settings.mcid_leg_nrs_points == defaults.mcid_leg_nrs_points
    assert settings.window_end_day == 90
    problems = review_settings_problems(store)
    assert [p.keys for p in problems] == [("mcid_nrs_percent",), ("mcid_leg_nrs_points",)]
    assert any("mcid_nrs_percent" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    # a change through the store is still checked, and a valid one clears the problem
    with pytest.raises(SettingsError, match="mcid_nrs_percent must be between 1 and 100"):
        store.set_settings({"mcid_nrs_percent": 0}, user="admin")
    store.set_settings({"mcid_nrs_percent": 40, "mcid_leg_nrs_points": 3}, user="admin")
    assert review_settings_problems(store) == ()
    after = store.get_settings()
    assert (after.mcid_nrs_percent, after.mcid_leg_nrs_points, after.window_end_day) == (40, 3, 90)
