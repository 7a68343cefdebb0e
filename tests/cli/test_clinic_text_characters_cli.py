"""The clinic's name and address and the handout's --clinician/--clinic-name/
--clinic-contact are printed on the patient's sheet (red-team rt10 F8): they refuse what a
name refuses (controls, direction overrides, invisible characters), exit 2 naming the
character, and change nothing; the address keeps its line breaks."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.clinic import ClinicSettings, ClinicSettingsError, from_stored
from radiculopathy_desktop.resources import resource_path

from tracker_support import file_state  # noqa: E402

ROUTINE = resource_path("examples", "routine_l5_acute.json")


@pytest.mark.parametrize("key, typed, named", [
    ("clinic_name", "Clinic\u202eX", "U+202E RIGHT-TO-LEFT OVERRIDE (character 7)"),
    ("clinic_name", "Clinic\u200bX", "U+200B ZERO WIDTH SPACE (character 7)"),
    ("clinic_address", "Line1\u202eX", "U+202E RIGHT-TO-LEFT OVERRIDE (character 6)"),
    ("clinic_address", "Line1\nLine\u2066 2", "U+2066 LEFT-TO-RIGHT ISOLATE (character 11)"),
])
def test_settings_set_refuses_hidden_characters_in_the_clinic_details(run_cli, db_path, key, typed, named):
    run_cli("settings", "get")
    state = file_state(db_path)
    code, out, err = run_cli("settings", "set", key, typed)
    assert code == 2 and out == ""
    assert err.startswith(f"error: settings: {key}") and named in err, err
    assert "\u202e" not in err and "\u200b" not in err and "\u2066" not in err
    assert file_state(db_path) == state


def test_an_address_keeps_its_lines_and_a_persian_name_its_joiner(run_cli):
    name = "\u06a9\u0644\u06cc\u0646\u06cc\u06a9 \u0645\u06cc\u200c\u062e"
    assert run_cli("settings", "set", "clinic_name", name)[0] == 0
    assert run_cli("settings", "set", "clinic_address", "1 High St\nTown\ntel 0123")[0] == 0
    code, out, _ = run_cli("settings", "get")
    assert code == 0 and "\\u200c" not in out


def test_the_domain_rules_and_a_stored_value_stays_readable():
    with pytest.raises(ClinicSettingsError, match="clinic_name holds U\\+202E"):
        ClinicSettings(name="A\u202eB").validated()
    with pytest.raises(ClinicSettingsError, match="clinic_address holds U\\+FEFF"):
        ClinicSettings(address="a\n\ufeffb").validated()
    assert ClinicSettings(address="a\nb").validated().address == "a\nb"
    # stored before the check: kept (the sheets escape it) and a change of country still works
    stored = from_stored({"clinic_name": "Old\u202eName"})
    assert stored.name == "Old\u202eName"
    assert stored.updated(country="uk").name == "Old\u202eName"
    with pytest.raises(ClinicSettingsError, match="clinic_name holds U\\+200B"):
        stored.updated(name="New\u200b")


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: dt.date(2026, 11, 28))
    data = tmp_path / "data"
    run = cli_runner(capsys, "--data-dir", str(data), fresh_output=True)
    assert run("import", str(ROUTINE))[0] == 0
    return run


@pytest.mark.parametrize("option, typed, named", [
    ("--clinician", "Dr\u202eevil\x1b[31m", "U+202E RIGHT-TO-LEFT OVERRIDE; U+001B ESCAPE"),
    ("--clinic-name", "Clinic\u202eX", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("--clinic-contact", "1 High St\nTel\u200b 0123", "U+200B ZERO WIDTH SPACE (character 14)"),
])
def test_handout_options_refuse_hidden_characters_and_write_nothing(run, tmp_path, option, typed, named):
    out = tmp_path / "x.pdf"
    code, stdout, err = run("handout", "EX-ROUTINE-L5", option, typed, "--out", str(out))
    assert code == 2 and stdout == ""
    assert f"{option} holds {named}" in err, err
    assert "\x1b" not in err and "\u202e" not in err
    assert not out.exists()


def test_handout_options_with_line_breaks_in_the_contact_and_a_plain_clinician_print(run, tmp_path):
    out = tmp_path / "ok.pdf"
    code, _, err = run("handout", "EX-ROUTINE-L5", "--clinician", "Dr S\u00e1nchez", "--clinic-contact",
                       "1 High St\nTel 0123", "--out", str(out))
    assert code == 0, err
    assert out.exists()


def test_summary_options_refuse_hidden_characters(run, tmp_path):
    out = tmp_path / "s.pdf"
    code, _, err = run("export", "summary", "EX-ROUTINE-L5", "--format", "pdf", "--clinic-name", "C\u2066X", "--out", str(out))
    assert code == 2 and "--clinic-name holds U+2066 LEFT-TO-RIGHT ISOLATE" in err
    assert not out.exists()
