"""A throwaway PostgreSQL cluster for the tests of the clinic-server store.

``initdb`` and ``pg_ctl`` refuse to run as root, and the tests run as root here and
in CI: when the process is root, the cluster is made and run by an unprivileged
user (``postgres`` when Debian's package created it, else ``nobody``), through
``subprocess``'s ``user=``/``group=`` (setuid/setgid in the child), in a
temporary folder owned by that user. The server listens on a Unix socket in that
folder and on a free loopback port; every connection (socket or TCP) needs a
password checked with scram-sha-256 (``pg_hba.conf`` as written by ``initdb
--auth=scram-sha-256``), so the tests exercise the same authentication a clinic
uses.

Used by ``tests/conftest.py`` (the session fixture ``pg_server``). When no server
binaries are installed or the cluster cannot start, tests that need it are
skipped with the reason, except under ``CI=true``, where they fail: CI installs
Debian's ``postgresql`` package first (``.ci/run``), so a skip there would hide a
broken set-up.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket as _socket  # captured before the no-network fixture replaces socket.socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_socket_class = _socket.socket

SUPERUSER = "pgtest_super"


def find_bindir() -> Path | None:
    """The folder holding initdb/pg_ctl/postgres: on PATH, else Debian's versioned folders."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_loopback_port() -> int:
    s = _socket_class(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The account to run the cluster as when we are root (None when we are not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' account exists to run initdb")


@dataclass
class PgTestServer:
    bindir: Path
    root: Path  # temporary folder: data/, the socket, the log
    port: int
    password: str
    run_as: pwd.struct_passwd | None
    superuser: str = SUPERUSER
    tls: bool = False  # the cluster has a (self-signed) certificate and accepts TLS

    @property
    def socket_dir(self) -> str:
        return str(self.root)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        kwargs: dict = {}
        if self.run_as is not None:
            kwargs = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8",
               "HOME": str(self.root), "TZ": "UTC"}
        return subprocess.run(list(args), capture_output=True, text=True, check=check, timeout=timeout,
                              env=env, cwd=str(self.root), **kwargs)

    def conninfo(self, dbname: str = "postgres", user: str | None = None, password: str | None = None,
                 tcp: bool = False) -> str:
        """A libpq connection string (key=value form). The password is in the string,
        which is fine in a test; the app itself never takes one on its command line."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(host="127.0.0.1" if tcp else self.socket_dir, port=self.port, dbname=dbname,
                             user=user or self.superuser,
                             password=self.password if password is None else password)

    def url(self, dbname: str, user: str | None = None) -> str:
        """A postgresql:// URL over the Unix socket, without a password."""
        from urllib.parse import quote

        return f"postgresql://{quote(user or self.superuser)}@/{quote(dbname)}?host={quote(self.socket_dir)}&port={self.port}"

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if self.run_as is not None:
            for p in (self.root, pwfile):
                os.chown(p, self.run_as.pw_uid, self.run_as.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", self.superuser,
                  f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-sync")
        pwfile.unlink()
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.socket_dir}'\n"
                       "password_encryption = 'scram-sha-256'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "max_connections = 60\nshared_buffers = 32MB\n")
        self.tls = self._make_certificate()
        if self.tls:
            with open(self.data_dir / "postgresql.conf", "a") as conf:
                conf.write("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                  "-w", "-t", "120", "start")

    def _make_certificate(self) -> bool:
        """A self-signed certificate for 127.0.0.1, so the tests can see a TLS connection
        (openssl, made by the cluster's user so the key is theirs and 0600)."""
        openssl = shutil.which("openssl")
        if openssl is None:
            return False
        try:
            self._run(openssl, "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=127.0.0.1",
                      "-newkey", "rsa:2048", "-keyout", str(self.data_dir / "server.key"),
                      "-out", str(self.data_dir / "server.crt"))
            os.chmod(self.data_dir / "server.key", 0o600)
        except (subprocess.CalledProcessError, OSError):
            return False
        return True

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop",
                      check=False)

    def start_again(self) -> None:
        """Start the cluster after :meth:`stop` (same data, same port)."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                  "-w", "-t", "120", "start")

    def restart(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                  "-m", "fast", "-w", "-t", "120", "restart")

    def log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def start_server() -> PgTestServer:
    """Start a throwaway cluster; raises RuntimeError with the reason when it cannot."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb) found: install Debian's 'postgresql' package")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(f"psycopg is not installed ({exc}); pip install -e '.[test]'") from None
    run_as = _unprivileged_user()
    # A short path: a Unix socket path must fit in 107 bytes.
    root = Path(tempfile.mkdtemp(prefix="radpg-", dir="/tmp"))
    server = PgTestServer(bindir=bindir, root=root, port=_free_loopback_port(),
                          password=os.urandom(12).hex(), run_as=run_as)
    try:
        server.start()
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()[-3:]
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"the test PostgreSQL cluster did not start: {' '.join(detail)} "
                           f"{server.log_tail(5)}") from None
    deadline = time.monotonic() + 60
    import psycopg

    while True:  # pg_ctl -w waited already; this only guards a slow first connection
        try:
            psycopg.connect(server.conninfo(), connect_timeout=10).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError("the test PostgreSQL cluster started but refuses connections: "
                                   + server.log_tail(5)) from None
            time.sleep(0.2)
    return server


def stop_server(server: PgTestServer) -> None:
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


# --------------------------------------------------------------------------- databases for tests
ADMIN_LOGIN = "rad_test_admin"
CLINICIAN_LOGIN = "rad_test_clinician"
OTHER_CLINICIAN_LOGIN = "rad_test_clinician2"
TEMPLATE_DB = "rad_template"


def prepare_template(server: PgTestServer) -> None:
    """Once per session: the login roles, and a template database with the schema."""
    import psycopg
    from psycopg import sql

    from radiculopathy_desktop.storage.pg import schema as pgschema, setup

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
    with psycopg.connect(server.conninfo(TEMPLATE_DB)) as conn:
        setup.initialise(conn)
        for login, group in ((ADMIN_LOGIN, pgschema.ADMIN_ROLE), (CLINICIAN_LOGIN, pgschema.CLINICIAN_ROLE),
                             (OTHER_CLINICIAN_LOGIN, pgschema.CLINICIAN_ROLE)):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(login), sql.Literal(server.password), sql.Identifier(group)))
        conn.commit()
    pgpass = server.root / "pgpass"
    pgpass.write_text("".join(f"*:*:*:{u}:{server.password}\n"
                              for u in (ADMIN_LOGIN, CLINICIAN_LOGIN, OTHER_CLINICIAN_LOGIN, SUPERUSER)))
    pgpass.chmod(0o600)


def create_database(server: PgTestServer, name: str) -> None:
    import psycopg
    from psycopg import sql

    from radiculopathy_desktop.storage.pg import schema as pgschema

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                      sql.Identifier(TEMPLATE_DB)))
    with psycopg.connect(server.conninfo(name)) as conn:  # database ACLs are not copied from a template
        for statement in pgschema.database_grant_statements(sql.Identifier(name).as_string(conn)):
            conn.execute(statement)
        conn.commit()


def drop_database(server: PgTestServer, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def empty_database(server: PgTestServer, name: str) -> None:
    """Remove every case (and its rows) from a test database; settings and audit stay."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.conninfo(name)) as conn:
        conn.execute("TRUNCATE patients, cases, case_documents, visits, decisions, assessments, medicine_alerts, "
                     "outcome_facts, case_fact_history, drafts")
        conn.commit()


def terminate_backends(server: PgTestServer, dbname: str, login: str) -> int:
    """Drop every connection ``login`` has to ``dbname`` (what a failing network or an admin's
    pg_terminate_backend does to a workstation); how many were dropped."""
    import psycopg

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = %s AND usename = %s", (dbname, login)).fetchall())
