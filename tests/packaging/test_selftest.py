"""``radiculopathy-desktop --self-test`` run as a clinic's IT person runs it: a separate
process, offscreen, with its output read back. The conftest points HOME, the XDG
folders and RADICULOPATHY_DESKTOP_DATA_DIR at temporary folders, and subprocesses
inherit them, so the real home folder is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from radiculopathy_desktop import __version__
from radiculopathy_desktop.resources import resources_dir

CHECKS = ("app version", "resources folder", "guideline data", "Qt", "print support", "temporary database",
          "assessment", "case store", "handout", "window", "clinic-server driver")


def _command() -> list[str]:
    script = Path(sys.executable).parent / ("radiculopathy-desktop.exe" if os.name == "nt" else "radiculopathy-desktop")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "radiculopathy_desktop"]


def _self_test(tmp_path: Path, **env_overrides: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    env.update(env_overrides)
    return subprocess.run(_command() + ["--self-test"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def _content_version() -> str:
    with open(resources_dir() / "guidelines" / "manifest.toml", "rb") as fh:
        return tomllib.load(fh)["content_version"]


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def test_self_test_passes_and_prints_one_line_per_check(tmp_path):
    result = _self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    _no_traceback(result)
    lines = result.stdout.splitlines()
    for name in CHECKS:
        assert any(line.startswith(f"ok   {name} ") for line in lines), f"no ok line for {name}:\n{result.stdout}"
    assert f"ok   app version {__version__}" in lines
    assert f"ok   guideline data {_content_version()} (us, uk)" in lines
    assert any(line.startswith("ok   Qt ") and line.endswith("offscreen platform") for line in lines)
    handout = next(line for line in lines if line.startswith("ok   handout "))
    assert "PDF with" in handout and " 0 page" not in handout
    assert lines[-1] == f"self-test passed: {len(CHECKS)} checks"
    assert not any(line.startswith(("FAIL", "skip")) for line in lines)


def test_self_test_never_touches_the_users_data_or_settings(tmp_path, isolated_dirs):
    result = _self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    data_dir = Path(os.environ["RADICULOPATHY_DESKTOP_DATA_DIR"])
    assert list(data_dir.iterdir()) == [], "the self-test wrote into the user's data folder"
    config = Path(os.environ["XDG_CONFIG_HOME"])
    assert list(config.rglob("*")) == [], "the self-test wrote the user's preferences"
    assert not list(tmp_path.iterdir()), "the self-test left files in the working folder"


def test_empty_resources_folder_fails_naming_it(tmp_path):
    empty = tmp_path / "empty-resources"
    empty.mkdir()
    result = _self_test(tmp_path, RADICULOPATHY_DESKTOP_RESOURCES=str(empty))
    assert result.returncode != 0
    _no_traceback(result)
    out = result.stdout
    assert "FAIL resources folder: RADICULOPATHY_DESKTOP_RESOURCES=" in out
    assert str(empty) in out
    assert "skip assessment" in out and "skip handout" in out
    assert out.splitlines()[-1].startswith("self-test FAILED: resources folder")


def test_damaged_guideline_data_fails_naming_it(tmp_path):
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    manifest = copy / "guidelines" / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("content_version = ", "content_verzion = ", 1),
                        encoding="utf-8")
    result = _self_test(tmp_path, RADICULOPATHY_DESKTOP_RESOURCES=str(copy))
    assert result.returncode != 0
    _no_traceback(result)
    assert "ok   resources folder" in result.stdout
    assert "FAIL guideline data: " in result.stdout
    assert "self-test FAILED: guideline data" in result.stdout


@pytest.mark.parametrize("missing", ["examples/routine_l5_acute.json", "handouts"])
def test_missing_bundled_files_fail_the_resources_check(tmp_path, missing):
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    target = copy / missing
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    result = _self_test(tmp_path, RADICULOPATHY_DESKTOP_RESOURCES=str(copy))
    assert result.returncode != 0
    _no_traceback(result)
    assert f"FAIL resources folder: the data folder {copy} lacks {missing}" in result.stdout


def test_self_test_checks_the_configured_clinic_server(tmp_path, pg_database):
    """A workstation set up for a clinic server (here RADICULOPATHY_SERVER) gets one more
    check: the server answers, with its schema, read only; a server that cannot be reached
    fails that check by name."""
    import pg_server as pgs

    url = pg_database(pgs.CLINICIAN_LOGIN)
    result = _self_test(tmp_path, RADICULOPATHY_SERVER=url)
    assert result.returncode == 0, result.stdout + result.stderr
    _no_traceback(result)
    server = next(line for line in result.stdout.splitlines() if line.startswith("ok   clinic server "))
    assert "Clinic server" in server and "schema" in server and "0 cases" in server
    assert result.stdout.splitlines()[-1] == f"self-test passed: {len(CHECKS) + 1} checks"
    down = _self_test(tmp_path, RADICULOPATHY_SERVER="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert down.returncode == 1 and any(line.startswith("FAIL clinic server") for line in down.stdout.splitlines())
    _no_traceback(down)
