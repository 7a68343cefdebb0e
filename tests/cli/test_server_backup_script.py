"""docs/clinic-server/backup.sh, the backup script README gives IT, run against the test cluster."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import sys

import pg_server as pgs
from radiculopathy_desktop.storage.pg.store import PgStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import make_case  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "clinic-server" / "backup.sh"


def _run(pg_server, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{pg_server.bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
           "PGPASSFILE": str(pg_server.root / "pgpass")}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300)


def test_the_backup_script_makes_a_checked_private_dump_and_prunes(pg_server, pg_database, tmp_path):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("A"), make_case("B")], user="Dr Ada")
    url = pg_server.url(pg_database.dbname, pgs.SUPERUSER)
    folder = tmp_path / "backups"
    made = []
    for _ in range(3):
        done = _run(pg_server, url, str(folder), "2")
        assert done.returncode == 0, done.stderr
        made.append(done.stdout.split("backup: ", 1)[1].split(" (", 1)[0])
    dumps = sorted(folder.glob("radiculopathy-*.dump"))  # names sort by time (UTC, to the nanosecond)
    assert len(dumps) == 2 and Path(made[0]) not in dumps, "the oldest beyond KEEP is removed"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in dumps)
    assert not list(folder.glob("*.partial"))
    listing = subprocess.run([str(pg_server.bindir / "pg_restore"), "--list", str(dumps[-1])], capture_output=True,
                             text=True, check=True).stdout
    assert "TABLE DATA public cases" in listing and "TABLE DATA public audit" in listing


def test_the_backup_script_refuses_a_password_in_the_url(pg_server, tmp_path):
    done = _run(pg_server, "postgresql://it:secret@db.example/rad", str(tmp_path / "b"))
    assert done.returncode == 2 and "pgpass" in done.stderr and not (tmp_path / "b").exists()
