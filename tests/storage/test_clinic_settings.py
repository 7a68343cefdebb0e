"""The clinic's details live with the data (issue 14): one typed, audited ClinicSettings in
the store. A restored backup brings its own back; two data folders keep their own; the
stored profile is the default of the commands."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.clinic import ClinicSettings, ClinicSettingsError
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.changes import Changes
from radiculopathy_desktop.storage.store import CaseStore

RIVERSIDE = ClinicSettings(name="Riverside Practice", address="1 River Lane\nLeeds LS1 1AA\n0113 496 0000",
                           country="uk", profile="uk")
HILLTOP = ClinicSettings(name="Hilltop Spine Clinic", address="200 Summit Ave\nDenver CO", country="us",
                         profile="us")


def test_unset_details_are_the_defaults(data_dir):
    with CaseStore.open(data_dir) as store:
        assert store.clinic_settings() == ClinicSettings(name="", address="", country=None, profile="us")


def test_set_is_audited_once_with_old_and_new_values_and_says_what_changed(data_dir):
    with CaseStore.open(data_dir) as store:
        changes = store.set_clinic_settings(RIVERSIDE, user="dr.a")
        assert changes == Changes(settings=True, worklist=True)  # the profile's dose maxima mark the worklist
        assert store.clinic_settings() == RIVERSIDE
        [entry] = store.audit()
        assert (entry.user, entry.action) == ("dr.a", "settings_changed")
        assert entry.detail == {"clinic_name": ["", "Riverside Practice"],
                                "clinic_address": ["", RIVERSIDE.address],
                                "clinic_country": [None, "uk"], "guideline_profile": ["us", "uk"]}
        # saving the same again writes nothing
        assert store.set_clinic_settings(RIVERSIDE, user="dr.a") == Changes()
        assert store.audit_count() == 1
        # only the name: the profile did not change, so the worklist needs no refresh
        assert store.set_clinic_settings(RIVERSIDE.updated(name="Riverside"), user="dr.b") == Changes(settings=True)
        assert store.audit()[-1].detail == {"clinic_name": ["Riverside Practice", "Riverside"]}
    with CaseStore.open(data_dir) as again:  # kept in the database, not in memory
        assert again.clinic_settings() == RIVERSIDE.updated(name="Riverside")


@pytest.mark.parametrize("bad, field", [
    (ClinicSettings(name="x" * 121), "clinic_name"),
    (ClinicSettings(name="two\nlines"), "clinic_name"),
    (ClinicSettings(address="y" * 501), "clinic_address"),
    (ClinicSettings(address="bell\x07"), "clinic_address"),
    (ClinicSettings(country="mars"), "clinic_country"),
    (ClinicSettings(profile="fr"), "guideline_profile"),
])
def test_invalid_details_are_refused_by_field_and_nothing_changes(data_dir, bad, field):
    with CaseStore.open(data_dir) as store:
        store.set_clinic_settings(HILLTOP, user="dr.a")
        with pytest.raises(ClinicSettingsError, match=field):
            store.set_clinic_settings(bad, user="dr.a")
        assert store.clinic_settings() == HILLTOP and store.audit_count() == 1


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.storage.store")
def test_a_damaged_stored_value_falls_back_to_its_default_field_by_field(data_dir):
    with CaseStore.open(data_dir) as store:
        store.set_clinic_settings(HILLTOP, user="dr.a")
        with store.transaction():
            store._db.conn.execute("UPDATE settings SET value_json = '\"fr\"' WHERE key = 'guideline_profile'")
            store._db.conn.execute("UPDATE settings SET value_json = '{bad' WHERE key = 'clinic_country'")
        store.forget_cached()
        got = store.clinic_settings()
    assert got == HILLTOP.updated(country=None, profile="us")


def test_two_data_folders_keep_their_own(tmp_path):
    with CaseStore.open(tmp_path / "one") as one, CaseStore.open(tmp_path / "two") as two:
        one.set_clinic_settings(RIVERSIDE, user="dr.a")
        assert two.clinic_settings() == ClinicSettings()
        two.set_clinic_settings(HILLTOP, user="dr.b")
        assert one.clinic_settings() == RIVERSIDE and two.clinic_settings() == HILLTOP


def test_a_restored_backup_brings_its_clinic_details_back(data_dir):
    with CaseStore.open(data_dir) as store:
        store.set_clinic_settings(RIVERSIDE, user="dr.a")
    made = bk.backup_database(data_dir)
    with CaseStore.open(data_dir) as store:
        store.set_clinic_settings(HILLTOP, user="dr.b")
    bk.restore(made.path, data_dir)
    with CaseStore.open(data_dir) as store:
        assert store.clinic_settings() == RIVERSIDE


def test_the_older_keys_an_existing_database_has_are_read(data_dir):
    """Earlier versions stored the name (clinic_name) and the country (clinic_country) already."""
    with CaseStore.open(data_dir) as store:
        with store.transaction():
            store._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES "
                                   "('clinic_name', '\"Old Practice\"', 'then'), ('clinic_country', '\"eu\"', 'then')")
        store.forget_cached()
        assert store.clinic_settings() == ClinicSettings(name="Old Practice", country="eu")


def test_a_change_made_through_another_connection_is_seen_at_once(data_dir):
    """The window keeps one store open for its whole life; the CLI, IT or another
    workstation write through their own connection. The window must see their change
    (the emergency number on handouts follows the country), not a cached copy."""
    with CaseStore.open(data_dir) as window, CaseStore.open(data_dir) as cli:
        assert window.clinic_settings().country is None  # read once: cached
        assert window.get_settings().window_end_day == cli.get_settings().window_end_day
        cli.set_clinic_settings(cli.clinic_settings().updated(country="uk", profile="uk", address="From IT"),
                                user="it")
        cli.set_settings({"window_end_day": 90}, user="it")
        assert window.clinic_settings() == ClinicSettings(name="", address="From IT", country="uk", profile="uk")
        assert window.get_settings().window_end_day == 90
        # and the window's own change of one field keeps the other connection's values
        window.set_clinic_settings(window.clinic_settings().updated(name="GP typed name"), user="gp")
        assert cli.clinic_settings() == ClinicSettings(name="GP typed name", address="From IT", country="uk",
                                                       profile="uk")
