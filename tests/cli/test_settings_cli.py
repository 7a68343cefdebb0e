"""`settings set` (red-team rt5 F7): one rule for every numeric key (the ASCII digits 0-9,
an optional sign), one case rule for the clinic's choices, one error form naming the key
being set ("error: settings: KEY: ... Nothing was changed."), and an address echoed as it
will be printed. Every refusal changes nothing."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.clinic import ClinicSettings, ClinicSettingsError
from radiculopathy_desktop.storage.store import REVIEW_SETTING_NAMES

from tracker_support import file_state  # noqa: E402

NUMERIC = REVIEW_SETTING_NAMES + ("backup_keep",)


def _all_settings(run_cli) -> str:
    code, out, err = run_cli("settings", "get")
    assert code == 0, err
    return out


@pytest.mark.parametrize("key", NUMERIC)
@pytest.mark.parametrize("typed", ["١٠", "４２", "３", "²", "30.5", "1e2", "ten", "", "- 5", "0x1F"])
def test_every_numeric_key_refuses_anything_but_ascii_digits_with_one_message(run_cli, db_path, key, typed):
    before = _all_settings(run_cli)
    state = file_state(db_path)
    code, out, err = run_cli("settings", "set", key, typed)
    assert code == 2 and out == ""
    assert err.startswith(f"error: settings: {key}: {typed!r} is not a whole number; write it with the digits 0-9 "
                          "(for example "), err
    assert err.rstrip().endswith("the default). Nothing was changed."), err
    assert file_state(db_path) == state and _all_settings(run_cli) == before


@pytest.mark.parametrize("key, typed, echoed", [
    ("mcid_odi_points", "12", "12"), ("window_end_day", "+090", "90"), ("backup_keep", " 7 ", "7"),
    ("upcoming_lead_days", "0", "0"),
])
def test_ascii_digits_are_accepted_for_every_kind_of_numeric_key(run_cli, key, typed, echoed):
    code, out, err = run_cli("settings", "set", key, typed)
    assert (code, err) == (0, "") and out == f"{key} = {echoed}\n"


@pytest.mark.parametrize("key, typed, stored", [
    ("guideline_profile", "UK", "uk"), ("guideline_profile", " Us ", "us"),
    ("clinic_country", "UK", "uk"), ("clinic_country", "Eu", "eu"),
])
def test_the_clinics_choices_take_any_case_and_are_kept_lower_case(run_cli, key, typed, stored):
    code, out, err = run_cli("settings", "set", key, typed)
    assert (code, err) == (0, "") and out == f"{key} = {stored}\n"
    assert run_cli("settings", "get", key)[1] == f"{stored}\n"


def test_profile_case_rule_in_the_domain():
    assert ClinicSettings().updated(profile="UK").profile == "uk"
    assert ClinicSettings().updated(country="US").country == "us"
    with pytest.raises(ClinicSettingsError, match="guideline_profile must be one of us, uk"):
        ClinicSettings().updated(profile="nice")


def test_an_address_of_several_lines_is_echoed_as_printed_in_set_and_get(run_cli):
    code, out, err = run_cli("settings", "set", "clinic_address", "Spine Clinic\n1 High Street\nTown AB1 2CD")
    assert (code, err) == (0, "")
    block = ("clinic_address = Spine Clinic\n"
             "                 1 High Street\n"
             "                 Town AB1 2CD\n")
    assert out == block
    assert block in _all_settings(run_cli) and "'" not in _all_settings(run_cli).split("clinic_address")[1][:60]
    assert run_cli("settings", "get", "clinic_address")[1] == "Spine Clinic\n1 High Street\nTown AB1 2CD\n"


@pytest.mark.parametrize("key, typed, message", [
    ("window_start_day", "90", "settings: window_start_day: 90 is after window_end_day (84); the window must start "
                               "on or before it ends: to move the window later, set window_end_day first. Nothing "
                               "was changed."),
    ("window_start_day", "6", "settings: window_start_day: 6 must be between 7 and 365 days. Nothing was changed."),
    ("window_end_day", "41", "settings: window_end_day: 41 is before window_start_day (42); the window must end on "
                             "or after it starts (and at most 730 days). Nothing was changed."),
    ("window_end_day", "731", "settings: window_end_day: 731 must be on or after window_start_day and at most 730 "
                              "days. Nothing was changed."),
    ("upcoming_lead_days", "-1", "settings: upcoming_lead_days: -1 must be between 0 and 60. Nothing was changed."),
    ("backup_keep", "0", "settings: backup_keep: 0 is out of range; keep from 1 to 365 backups. Nothing was changed."),
    ("backup_keep", "1234567890", "settings: backup_keep: 1234567890… is out of range (10 digits). Nothing was "
                                  "changed."),
    ("guideline_profile", "nice", "settings: guideline_profile: the value must be one of us, uk (got 'nice'). "
                                  "Nothing was changed."),
    ("clinic_country", "fr", "settings: clinic_country: the value must be one of"),
    ("clinic_name", "x" * 121, "settings: clinic_name: the value is longer than 120 characters. Nothing was "
                               "changed."),
    ("clinic_name", "a\nb", "settings: clinic_name: the value must be one line of printable text."),
])
def test_every_refusal_names_the_key_being_set_with_one_prefix(run_cli, db_path, key, typed, message):
    run_cli("settings", "get")  # the database exists: a refusal must leave it as it is
    state = file_state(db_path)
    code, out, err = run_cli("settings", "set", key, typed)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {message}"), err
    assert file_state(db_path) == state


def test_a_window_moved_later_in_the_order_the_message_gives(run_cli):
    assert run_cli("settings", "set", "window_start_day", "90")[0] == 2
    assert run_cli("settings", "set", "window_end_day", "120")[0] == 0
    code, out, err = run_cli("settings", "set", "window_start_day", "90")
    assert (code, err) == (0, "") and out == "window_start_day = 90\n"


def test_usage_and_unknown_keys_use_the_same_prefix(run_cli):
    code, _, err = run_cli("settings", "set", "window_end_day")
    assert code == 2 and err.startswith("error: settings: give a KEY and a VALUE")
    code, _, err = run_cli("settings", "set", "colour", "blue")
    assert code == 2 and err.startswith("error: settings: 'colour' is not a setting; known: window_start_day")


# --------------------------------------------------------------------------- minimal important changes (rt6 F2)
# The bounds of each scale (a validity check, not clinical advice): leg-pain NRS 0-10
# points, a percentage, ODI 0-100 points, RMDQ 0-24 items; a change of 0 means nothing.
MCID_BOUNDS = {"mcid_leg_nrs_points": (1, 10, " points"), "mcid_nrs_percent": (1, 100, " percent"),
               "mcid_odi_points": (1, 100, " points"), "mcid_rmdq_points": (1, 24, " points")}


@pytest.mark.parametrize("key", sorted(MCID_BOUNDS))
def test_each_minimal_important_change_is_refused_outside_its_scale(run_cli, db_path, key):
    lo, hi, unit = MCID_BOUNDS[key]
    run_cli("settings", "get")
    for typed in (str(lo - 1), "-5", str(hi + 1), "999999"):
        state = file_state(db_path)
        code, out, err = run_cli("settings", "set", key, typed)
        assert code == 2 and out == "", (typed, out)
        assert err == (f"error: settings: {key}: {int(typed)} must be between {lo} and {hi}{unit}. "
                       "Nothing was changed.\n"), err
        assert file_state(db_path) == state
    for typed in (lo, hi):
        code, out, err = run_cli("settings", "set", key, str(typed))
        assert (code, err, out) == (0, "", f"{key} = {typed}\n")
        assert run_cli("settings", "get", key)[1] == f"{typed}\n"


def _store_review_settings_by_hand(db_path, values: dict) -> None:
    """What an older version or a hand edit could have left in the settings table."""
    import json
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('review', ?, '2026-01-01') "
                     "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json", (json.dumps(values),))
    conn.close()


def test_a_stored_value_out_of_range_is_said_and_the_rest_kept(run_cli, db_path, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected here
    run_cli("settings", "get")
    _store_review_settings_by_hand(db_path, {"mcid_nrs_percent": 0, "window_end_day": 90, "mcid_odi_points": "x"})
    code, out, err = run_cli("settings", "get")
    assert code == 0
    assert "mcid_nrs_percent = 30\n" in out and "window_end_day = 90  (default 84)\n" in out  # the valid one kept
    assert ("note: settings: mcid_nrs_percent: the stored value 0 is too small (it must be between 1 and 100 percent); "
            "its default (30) is used until it is set again (`settings set mcid_nrs_percent VALUE`).\n") in err
    assert ('note: settings: mcid_odi_points: the stored value is the text "x", not a whole number; its default (10) '
            "is used until it is set again (`settings set mcid_odi_points VALUE`).\n") in err
    assert err.count("note: ") == 2, err  # each once, however often the command reads the settings
    assert any("mcid_nrs_percent" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    # the clinic corrects it: the note goes, the other stored value is still there
    assert run_cli("settings", "set", "mcid_nrs_percent", "40")[0] == 0
    assert run_cli("settings", "set", "mcid_odi_points", "12")[0] == 0
    code, out, err = run_cli("settings", "get")
    assert (code, err) == (0, "")
    assert "mcid_nrs_percent = 40" in out and "window_end_day = 90" in out and "mcid_odi_points = 12" in out


def test_unknown_key_refusal_says_nothing_was_changed_and_country_unset_is_echoed_in_words(run_cli):
    code, _, err = run_cli("settings", "set", "nonexistent", "3")
    assert code == 2 and err.rstrip().endswith("Nothing was changed."), err
    assert run_cli("settings", "set", "clinic_country", "uk")[1] == "clinic_country = uk\n"
    code, out, err = run_cli("settings", "set", "clinic_country", "")
    assert (code, err, out) == (0, "", "clinic_country = (not set)\n")
    assert run_cli("settings", "get", "clinic_country")[1] == "(not set)\n"
