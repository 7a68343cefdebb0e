"""With no command the window opens without importing any command module (start-up time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli


@pytest.mark.parametrize("argv, expected", [
    ([], {"data_dir": None, "demo": False, "self_test": False}),
    (["--data-dir", "clinic"], {"data_dir": Path("clinic"), "demo": False, "self_test": False}),
    (["--data-dir=clinic", "--demo"], {"data_dir": Path("clinic"), "demo": True, "self_test": False}),
    (["--self-test"], {"data_dir": None, "demo": False, "self_test": True}),
])
def test_window_only_command_lines(argv, expected):
    args = cli._window_only_args(argv)
    assert args is not None and args.command is None
    assert {k: getattr(args, k) for k in expected} == expected


@pytest.mark.parametrize("argv", [
    ["worklist"], ["--data-dir", "clinic", "worklist"], ["-h"], ["--help"], ["--version"], ["--data-dir"],
    ["--bogus"], ["--demo", "backup"],
])
def test_anything_else_goes_to_the_full_parser(argv):
    assert cli._window_only_args(argv) is None


def test_missing_data_dir_value_is_still_reported_in_words(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--data-dir"])
    assert info.value.code == 2
    assert "--data-dir" in capsys.readouterr().err


def test_opening_the_window_imports_no_command_module(tmp_path):
    script = f"""
import json, sys
import radiculopathy_desktop.ui.app as app
app.run_app = lambda data_dir=None, demo=False: print(json.dumps({{"data_dir": str(data_dir), "demo": demo}})) or 0
from radiculopathy_desktop import cli
code = cli.main(["--data-dir", {str(tmp_path)!r}])
loaded = sorted(m for m in sys.modules if m.startswith(("radiculopathy_desktop.commands", "sqlite_utils",
                                                        "radiculopathy_desktop.domain.assess")))
print(json.dumps({{"code": code, "loaded": loaded}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    first, second = (json.loads(line) for line in out.stdout.strip().splitlines())
    assert first == {"data_dir": str(tmp_path), "demo": False}
    assert second == {"code": 0, "loaded": []}
