"""Without the optional PostgreSQL driver (a plain `pip install radiculopathy-desktop`, or a
packaged build), every clinic-server command says in words that the server support is not
installed and how to get it (exit 2), instead of stopping with an ImportError (exit 70)."""

from __future__ import annotations

import sys

import pytest

from radiculopathy_desktop import cli

URL = "postgresql://dr_ada@localhost/radiculopathy"


@pytest.fixture
def no_driver(monkeypatch):
    """psycopg and psycopg_pool cannot be imported (None in sys.modules makes `import` fail)."""
    for name in [n for n in sys.modules if n == "psycopg" or n.startswith(("psycopg.", "psycopg_pool"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setitem(sys.modules, "psycopg_pool", None)
    monkeypatch.delenv("RADICULOPATHY_SERVER", raising=False)


@pytest.mark.parametrize("argv", [
    ["server", "check", URL],
    ["server", "init", URL],
    ["--server", URL, "worklist"],
    ["--server", URL, "case", "C-1"],
])
def test_server_commands_say_the_server_extra_is_missing(no_driver, capsys, argv):
    code = cli.main(argv)
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "Clinic-server support is not installed" in err
    assert "pip install 'radiculopathy-desktop[server]'" in err
    assert "ImportError" not in err and "unexpected problem" not in err


def test_a_packaged_build_says_it_has_no_server_support(no_driver, capsys, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    code = cli.main(["server", "check", URL])
    _, err = capsys.readouterr()
    assert code == 2 and "This packaged build of the app has no clinic-server support" in err


def test_the_local_file_mode_does_not_need_the_driver(no_driver, capsys, tmp_path):
    assert cli.main(["--data-dir", str(tmp_path / "d"), "demo", "--cases", "3"]) == 0
    code = cli.main(["--data-dir", str(tmp_path / "d"), "worklist"])
    out, err = capsys.readouterr()
    assert code == 0 and "DEMO" in out, err
