"""No test can reach the real home folder (issue 11, section 7).

A UI test once called ``monkeypatch.undo()``, which also undid the per-test HOME and
log folder, and its next crash went into the real ``~/.local/state/.../crash.log``.
The conftest now points HOME, the XDG folders and the app's folders into a session
sandbox before any test runs, and fails the session if the app resolves its log
folder inside the real home.
"""

from __future__ import annotations

import os

import home_guard
from radiculopathy_desktop import logs
from radiculopathy_desktop.storage.paths import resolve_data_dir


def test_undoing_every_patch_still_leaves_the_real_home_alone(monkeypatch):
    monkeypatch.undo()  # what the faulty test did: the per-test folders are gone
    for folder in (logs.log_dir(), resolve_data_dir(None), os.path.expanduser("~")):
        assert not home_guard.in_real_home(folder), folder
        assert os.path.realpath(folder).startswith(os.path.realpath(home_guard.SESSION_SANDBOX))


def test_the_guard_recognises_the_real_home():
    import tempfile

    import pytest
    if os.path.realpath(home_guard.REAL_HOME).startswith(os.path.realpath(tempfile.gettempdir())):
        pytest.skip("the real home is itself in the temporary folder here")
    assert home_guard.in_real_home(home_guard.REAL_HOME + "/.local/state/radiculopathy-desktop/log")
    assert not home_guard.in_real_home(home_guard.SESSION_SANDBOX + "/logs")
