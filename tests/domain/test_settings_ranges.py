"""ReviewSettings bounds (red-team rt6 F2): every numeric setting has a range, the minimal
important changes by their scale (NRS 0-10 points, a percentage, ODI 0-100 points, RMDQ 0-24
points; a change of 0 means nothing), and a stored set with one bad value keeps the rest."""

from __future__ import annotations


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
    names = [name for name in base._fields if name != "content_version"]  # a hand-written record (issue 17)
    assert len(names) == 11
    for name in names:
        with pytest.raises(SettingsError, match=name):
            base.updated({name: 10**6})
        with pytest.raises(SettingsError, match=name):
            base.updated({name: -1})


def test_stored_values_one_bad_keeps_the_others():
    settings, problems = settings_from_stored({"mcid_nrs_percent": 0, "resolved_odi_max": 15, "gone_key": 3,
                                               "mcid_rmdq_points": True})
    assert settings.mcid_nrs_percent == default_review_settings().mcid_nrs_percent
    assert settings.resolved_odi_max == 15
    assert settings.mcid_rmdq_points == default_review_settings().mcid_rmdq_points
    assert [p.keys for p in problems] == [("gone_key",), ("mcid_nrs_percent",), ("mcid_rmdq_points",)]
    assert problems[0].unknown and "not a review setting" in problems[0].problem  # named, not silent (rt9 F3)


def test_a_stored_window_ending_before_it_starts_gives_the_default_window():
    settings, problems = settings_from_stored({"window_start_day": 100, "window_end_day": 90, "upcoming_lead_days": 7})
    base = default_review_settings()
    assert (settings.window_start_day, settings.window_end_day) == (base.window_start_day, base.window_end_day)
    assert settings.upcoming_lead_days == 7 and len(problems) == 1 and "window" in problems[0].problem


def test_valid_stored_values_have_no_problems():
    assert settings_from_stored({"window_start_day": 100, "window_end_day": 120})[1] == ()
    # the stored value null is not "no row": said like a list or a single value (rt9 F3)
    settings, problems = settings_from_stored(None)
    assert settings == default_review_settings() and [p.whole_row for p in problems] == [True]
    assert "it holds null, not named settings" in problems[0].problem


# --------------------------------------------------------------------------- the words (red-team rt7 R3, R8)
def _said(stored) -> list[str]:
    return [str(p) for p in settings_from_stored(stored)[1]]


@pytest.mark.parametrize("value, words", [
    (None, "mcid_leg_nrs_points: the stored value is empty (null), not a whole number; its default (2) is used"),
    (True, "mcid_leg_nrs_points: the stored value true is a yes/no value, not a whole number; its default (2) is used"),
    ("3", 'mcid_leg_nrs_points: the stored value is the text "3", not a whole number; its default (2) is used'),
    ([3], "mcid_leg_nrs_points: the stored value is a list, not a whole number; its default (2) is used"),
    ({"a": 1}, "mcid_leg_nrs_points: the stored value is a group of named values, not a whole number; its default "
               "(2) is used"),
    (2.5, "mcid_leg_nrs_points: the stored value 2.5 is not a whole number (it must be between 1 and 10 points); its "
          "default (2) is used"),
    (float("inf"), "mcid_leg_nrs_points: the stored value is too large (it must be between 1 and 10 points); its "
                   "default (2) is used"),
    (float("nan"), "mcid_leg_nrs_points: the stored value is not a number; its default (2) is used"),
    (1e9, "mcid_leg_nrs_points: the stored value 1000000000 is too large (it must be between 1 and 10 points); its "
          "default (2) is used"),
    (11, "mcid_leg_nrs_points: the stored value 11 is too large (it must be between 1 and 10 points); its default "
         "(2) is used"),
    (0, "mcid_leg_nrs_points: the stored value 0 is too small (it must be between 1 and 10 points); its default (2) "
        "is used"),
    (10**30, "mcid_leg_nrs_points: the stored value of 31 digits is too large (it must be between 1 and 10 points); "
             "its default (2) is used"),
])
def test_each_unusable_stored_value_is_said_in_words_with_no_python_form(value, words):
    assert _said({"mcid_leg_nrs_points": value}) == [words]
    for python_form in ("None", "True", "inf", "nan", "{", "'", "e+"):
        assert python_form not in words.replace("(it must", ""), python_form


def test_a_whole_number_written_with_a_decimal_point_is_that_number_at_the_edges():
    assert settings_from_stored({"mcid_leg_nrs_points": 10.0})[0].mcid_leg_nrs_points == 10
    assert settings_from_stored({"mcid_leg_nrs_points": 1.0})[0].mcid_leg_nrs_points == 1
    assert _said({"mcid_leg_nrs_points": 10.5}) == ["mcid_leg_nrs_points: the stored value 10.5 is not a whole "
                                                    "number (it must be between 1 and 10 points); its default (2) "
                                                    "is used"]
    assert _said({"mcid_leg_nrs_points": 0.0}) == ["mcid_leg_nrs_points: the stored value 0 is too small (it must be "
                                                   "between 1 and 10 points); its default (2) is used"]


def test_an_invalid_window_is_named_once_in_words_not_per_key():
    assert _said({"window_start_day": 90, "window_end_day": 60}) == [
        "the review window 90-60 days is not valid: the start must be on or before the end; the default window "
        "(42-84 days) is used"]
    problem = settings_from_stored({"window_start_day": 90, "window_end_day": 60})[1][0]
    assert problem.keys == ("window_start_day", "window_end_day")
    assert problem.sentence("you save it") == ("the review window 90-60 days is not valid: the start must be on or "
                                               "before the end; the default window (42-84 days) is used until you "
                                               "save it.")
    assert _said({"window_start_day": 60, "window_end_day": 60}) == []  # the same day is a valid window


@pytest.mark.parametrize("stored, kind", [([1, 2], "a list"), (3, "a single value"), ("x", "a single value")])
def test_a_stored_row_that_is_not_named_values_gives_every_default_said_once(stored, kind):
    settings, problems = settings_from_stored(stored)
    assert settings == default_review_settings()
    assert [str(p) for p in problems] == [
        f'the stored review settings (the settings row "review") could not be read: it holds {kind}, not named '
        "settings; the default of every review setting is used"]
    assert problems[0].whole_row
    sentence = problems[0].sentence("they are set again")
    assert sentence.count(";") == 1 and sentence.endswith("until they are set again.")
