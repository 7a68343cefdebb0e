"""A review settings row naming one setting twice (red-team rt10 F9): JSON keeps only the
last value, so ``{"window_start_day": 40, "window_start_day": 10}`` silently became 10.
The row is ambiguous: that setting falls back to its default, said on stderr by every
command and listed by ``check`` as a warning; the other settings of the row still apply,
and the next ``settings set`` writes the row again with one value."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from radiculopathy_desktop.domain.settings import decode_stored_json, settings_from_stored

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("twice_unreadable", _HERE / "test_settings_unreadable_cli.py")
_support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_support)
env = _support.env
_hand_edit = _support._hand_edit


def test_the_domain_names_a_setting_written_twice_and_uses_its_default():
    stored = decode_stored_json('{"window_start_day": 40, "window_end_day": 90, "window_start_day": 10}')
    settings, problems = settings_from_stored(stored)
    default = settings_from_stored({})[0]
    assert settings.window_start_day == default.window_start_day and settings.window_end_day == 90
    (problem,) = problems
    assert problem.keys == ("window_start_day",)
    assert "window_start_day: the stored row names it 2 times (40, then 10)" in str(problem)
    # an ordinary row: nothing to say; a name twice inside a nested value is not a setting name
    assert settings_from_stored(decode_stored_json('{"window_end_day": 90}'))[1] == ()


def test_a_setting_written_twice_is_said_by_every_command_and_check(env, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    run, data = env
    _hand_edit(data, '{"window_start_day": 40, "window_end_day": 90, "window_start_day": 10}')
    for args in (("settings", "get"), ("worklist", "--status", "all")):
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert "window_start_day: the stored row names it 2 times (40, then 10), so which value was meant is " \
               "not known; its default (" in err, (args, err)
    out = run("settings", "get")[1]
    assert "window_end_day = 90  (default 84)\n" in out  # the rest of the row applies
    assert "window_start_day = 40" not in out and "window_start_day = 10" not in out
    code, out, _ = run("check")
    assert code == 0 and any(line.startswith("warning: settings: ") and "names it 2 times" in line
                             for line in out.splitlines()), out
    code, out, err = run("settings", "set", "window_start_day", "40")
    assert code == 0 and out == "window_start_day = 40\n", err
    assert run("check") == (0, "ok\n", "")
    assert "window_start_day = 40  (default" in run("settings", "get")[1]
