"""The real home folder is never reached by a test (imported first by tests/conftest.py).

The real home is noted before anything is redirected. From then on, for the whole
session, HOME, the XDG folders and the app's data and log folders point into a
session sandbox: code running between tests (a Qt event or a thread finishing after
a test's own folders were restored, or a test that called ``monkeypatch.undo()``)
lands there, never in the real home. Both paths are kept in the environment, so a
second import of this module (or of the conftest) sees the same two.
"""

from __future__ import annotations

import os
import tempfile

REAL_HOME = os.environ.setdefault("RADICULOPATHY_TESTS_REAL_HOME", os.path.realpath(os.path.expanduser("~")))
SESSION_SANDBOX = os.environ.get("RADICULOPATHY_TESTS_SANDBOX") or tempfile.mkdtemp(prefix="radiculopathy-tests-")
os.environ["RADICULOPATHY_TESTS_SANDBOX"] = SESSION_SANDBOX
SANDBOX_VARS = (("HOME", "home"), ("XDG_DATA_HOME", "xdg-data"), ("XDG_CONFIG_HOME", "xdg-config"),
                ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_STATE_HOME", "xdg-state"),
                ("RADICULOPATHY_DESKTOP_DATA_DIR", "data"), ("RADICULOPATHY_DESKTOP_LOG_DIR", "logs"))
for _var, _sub in SANDBOX_VARS:
    os.makedirs(os.path.join(SESSION_SANDBOX, _sub), mode=0o700, exist_ok=True)
    os.environ[_var] = os.path.join(SESSION_SANDBOX, _sub)


def in_real_home(path) -> bool:
    """True for a path inside the real home (the sandbox and the temporary folder excepted)."""
    real = os.path.realpath(os.fspath(path))
    sandbox = os.path.realpath(SESSION_SANDBOX)
    tmp = os.path.realpath(tempfile.gettempdir())
    if real.startswith(sandbox + os.sep) or real.startswith(tmp + os.sep):
        return False
    return real == REAL_HOME or real.startswith(REAL_HOME + os.sep)
