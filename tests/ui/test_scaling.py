"""At 200% on a 1920x1080 screen every primary control is reachable (issue 13).

Qt's offscreen platform takes a screen description (``offscreen:configfile=FILE``, a JSON
list of screens); ``QT_SCALE_FACTOR=2`` then gives 960x540 logical pixels, as a 1920x1080
monitor at 200% does. The scale factor is read once per process, so the check runs in a
subprocess: ``scaled_window_check.py`` opens every view, every intake step and the visit,
decision and handout dialogs, and lists any primary button outside the visible window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _run(tmp_path, width: int, height: int, scale: str) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": f"Screen{width}x{height}", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale)
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    done = subprocess.run([sys.executable, str(HERE / "scaled_window_check.py")], env=env, cwd=str(HERE.parents[1]),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", ["2", "1"])
def test_every_primary_control_is_reachable_on_1920x1080(tmp_path, scale):
    result = _run(tmp_path, 1920, 1080, scale)
    assert result["dpr"] == float(scale)
    assert result["screen"] == [1920 // int(scale), 1080 // int(scale)]
    assert result["checked"] > 30
    assert result["problems"] == [], "\n".join(result["problems"])
