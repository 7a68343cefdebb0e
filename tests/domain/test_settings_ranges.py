"""ReviewSettings bounds (red-team rt6 F2): every numeric setting has a range, the minimal
important changes by their scale (NRS 0-10 points, a percentage, ODI 0-100 points, RMDQ 0-24
points; a change of 0 means nothing), and a stored set with one bad value keeps the rest."""

from __future__ import annotations

import dataclasses

import pytest

from radiculopathy_desktop.domain.settings import (SettingsError, default_review_settings, settings_from_stored)

BOUNDS = {"mcid_leg_nrs_points": (1, 10), "mcid_nrs_percent": (1, 100), "mcid_odi_points": (1, 100),
          "mcid_rmdq_points": (1, 24)}


@pytest.mark.parametrize("key", sorted(BOUNDS))
def test_mcid_bounds_at_the_edges(key):
    lo, hi = BOUNDS[key]
    base = default_review_settings()
    for ok in (lo, hi):
        assert getattr(base.updated({key: ok}), key) == ok
    for bad in (lo - 1, hi + 1, -5, 999999):
        with pytest.raises(SettingsError, match=rf"^{key} must be between {lo} and {hi} "):
            base.updated({key: bad})


def test_every_numeric_setting_is_bounded():
    base = default_review_settings()
    for field in dataclasses.fields(base):
        if field.name == "content_version":
            continue
        with pytest.raises(SettingsError, match=field.name):
            base.updated({field.name: 10**6})
        with pytest.raises(SettingsError, match=field.name):
            base.updated({field.name: -1})


def test_stored_values_one_bad_keeps_the_others():
    settings, problems = settings_from_stored({"mcid_nrs_percent": 0, "resolved_odi_max": 15, "gone_key": 3,
                                               "mcid_rmdq_points": True})
    assert settings.mcid_nrs_percent == default_review_settings().mcid_nrs_percent
    assert settings.resolved_odi_max == 15
    assert settings.mcid_rmdq_points == default_review_settings().mcid_rmdq_points
    assert [p.split(":")[0] for p in problems] == ["mcid_nrs_percent", "mcid_rmdq_points"]


def test_a_stored_window_ending_before_it_starts_gives_the_default_window():
    settings, problems = settings_from_stored({"window_start_day": 100, "window_end_day": 90, "upcoming_lead_days": 7})
    base = default_review_settings()
    assert (settings.window_start_day, settings.window_end_day) == (base.window_start_day, base.window_end_day)
    assert settings.upcoming_lead_days == 7 and len(problems) == 1 and "window" in problems[0]


def test_valid_stored_values_have_no_problems():
    assert settings_from_stored({"window_start_day": 100, "window_end_day": 120})[1] == ()
    assert settings_from_stored(None) == (default_review_settings(), ())
