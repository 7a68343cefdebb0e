"""Fixtures shared by the CLI tests.

* ``data_dir``, ``db_path`` and ``run_cli`` (tracker commands on a local data folder,
  ``today()`` pinned to ANCHOR) are the storage tests' own fixtures (tests/storage/conftest.py),
  loaded once here; loading it also makes ``tracker_support`` importable.
* ``target``: the global options naming the store under test, on both engines.
A module that defines a fixture of the same name keeps its own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "cli_storage_conftest", Path(__file__).resolve().parents[1] / "storage" / "conftest.py")
_support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_support)
data_dir = _support.data_dir
db_path = _support.db_path
run_cli = _support.run_cli


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path, monkeypatch) -> list[str]:
    """The global options naming the store under test: a local data folder, or a test
    database on the clinic server."""
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    if request.param == "postgresql":
        return ["--server", request.getfixturevalue("pg_database")()]
    return ["--data-dir", str(tmp_path / "data")]
