"""Clinic server commands, for the clinic's IT: ``server init``, ``server check``,
``server migrate-from``.

The server is named by a URL (``postgresql://LOGIN@HOST/DATABASE``) given as the
argument or ``--server``, else ``RADICULOPATHY_SERVER``, else the ``server.conf``
file IT deploys (see :mod:`radiculopathy_desktop.storage.pg.connection`). A
password is never taken on the command line: libpq reads it from ``~/.pgpass``
(or ``PGPASSFILE``, or a service file); when none is found and the command runs
at a terminal, it asks for it without echo.

Exit codes: 0 done; 2 refused or bad input (nothing changed); 3 the server or its
database cannot be used (unreachable, not set up, another version).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

from radiculopathy_desktop.errors import UserError


def _server_url(url: str | None) -> str:
    from radiculopathy_desktop.storage.pg.connection import configured_server

    found = configured_server(url)
    if found is None:
        raise UserError("No clinic server given: pass its URL (postgresql://LOGIN@HOST/DATABASE), or set "
                        "RADICULOPATHY_SERVER, or deploy server.conf (see README, Clinic server).", exit_code=2)
    return found[0]


def _target(url: str | None):
    from radiculopathy_desktop.storage.pg.connection import check_target

    return check_target(_server_url(url))


#: Which login ``server init`` needs (rt23 F7: the refusals said "an admin login", which is refused).
INIT_LOGIN = ("the IT login that owns the database and may create roles (the one that set the server up, e.g. "
              "`createuser --createrole it_admin` and `createdb --owner it_admin`, see README), or a PostgreSQL "
              "superuser; a clinician's or an admin's login (radiculopathy_admin) cannot change the schema")


def _ask_password_allowed() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def connect(target):
    """A psycopg connection for an admin command; asks for the password at a terminal when
    libpq found none (never from the command line)."""
    import psycopg

    from radiculopathy_desktop.storage.pg.connection import pg_errors

    from radiculopathy_desktop.storage.pg.connection import connect_failure

    with pg_errors(target):
        try:
            return psycopg.connect(target.conninfo)
        except psycopg.OperationalError as exc:
            if "no password supplied" not in str(exc) or not _ask_password_allowed():
                raise connect_failure(target, exc) from None
        password = getpass.getpass(f"Password for the clinic server {target.host}/{target.dbname}: ")
        try:
            return psycopg.connect(target.conninfo, password=password)
        except psycopg.OperationalError as exc:
            raise connect_failure(target, exc) from None


def cmd_init(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.storage.pg import schema as pgschema
    from radiculopathy_desktop.storage.pg.connection import pg_errors
    from radiculopathy_desktop.storage.pg.setup import initialise

    def tell(version: int, name: str) -> None:  # before each migration: an index build can take a minute
        print(f"schema: applying {name} (version {version})...", flush=True)

    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.errors import StorageError

    url = _server_url(args.url or args.server)
    target = _target(url)
    try:
        with connect(target) as conn, pg_errors(target):
            result = initialise(conn, tell)
    except StorageError as exc:
        if exc.kind != StorageErrorKind.PERMISSION:
            raise
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"This login may not set up or upgrade the clinic server ({target.label}). Nothing was changed. "
            f"`server init` needs {INIT_LOGIN}.")) from None
    if result.applied and result.previous_version:
        print(f"schema: upgraded from version {result.previous_version} to {result.schema_version} in one "
              f"transaction ({', '.join(result.applied)}); workstations of this version can now open it")
    elif result.applied:
        print(f"schema: created at version {result.schema_version} ({', '.join(result.applied)})")
    else:
        print(f"schema: already at version {result.schema_version}; grants re-applied")
    _recompute_derived_or_say_what_is_done(url, result.schema_version)
    print(f"roles: {pgschema.CLINICIAN_ROLE} (read and write cases), {pgschema.ADMIN_ROLE} (also settings and "
          f"maintenance); tables owned by {pgschema.OWNER_ROLE} (no login)")
    print("next: give each person their own login, for example in psql:\n"
          f"  CREATE ROLE dr_ada LOGIN IN ROLE {pgschema.CLINICIAN_ROLE};  \\password dr_ada\n"
          f"  CREATE ROLE it_lead LOGIN IN ROLE {pgschema.ADMIN_ROLE};  \\password it_lead")
    return 0


def _recompute_not_finished(schema_version: int) -> str:
    """What IT reads when the recompute after the schema step did not finish (srv22 leftover):
    the schema step is done and stays done, and running `server init` again only recomputes."""
    return (f"The schema step is done: the server is at schema version {schema_version} and workstations of this "
            "version can open it. The one-time recompute of the derived data that follows it (review and outcome "
            "facts, their history, the medicine alerts) did not finish, and its own changes were undone; nothing "
            "recorded changed, and the app stays right meanwhile (facts of another version take the exact, slower "
            "path). Run `radiculopathy-desktop server init` again with the same login once this is fixed: the "
            "schema is already up to date, so it only recomputes. If it is not run, the next admin login to open "
            "the app recomputes.")


def _recompute_derived_or_say_what_is_done(url: str, schema_version: int) -> None:
    """:func:`_recompute_derived`; when it fails, the error says first what it is and then
    :func:`_recompute_not_finished`, with the failure's own exit code (3 for a server that could
    not be used, 70 for an unexpected problem, details in the log); an interruption says it too."""
    from radiculopathy_desktop.storage.errors import StorageError

    try:
        _recompute_derived(url)
    except StorageError as exc:
        raise StorageError(exc.kind, f"{exc}\n{_recompute_not_finished(schema_version)}",
                           exit_code=exc.exit_code) from None
    except UserError as exc:
        raise UserError(f"{exc}\n{_recompute_not_finished(schema_version)}", exit_code=exc.exit_code) from None
    except KeyboardInterrupt:
        print(_recompute_not_finished(schema_version).replace("did not finish", "was interrupted", 1),
              file=sys.stderr)
        raise
    except Exception as exc:  # a bug: no traceback for IT, details in the log, the schema step still said
        from radiculopathy_desktop.logs import log_unexpected

        where = log_unexpected(exc)
        raise UserError(f"An unexpected problem stopped the derived-data recompute ({type(exc).__name__}). Details "
                        f"for support: {where}\n{_recompute_not_finished(schema_version)}", exit_code=70) from None


def _recompute_derived(url: str) -> None:
    """The one-time recompute of the derived data (review and outcome facts, their history, the
    medicine alerts) that a new version of the app needs, done by ``server init`` in the same
    sitting as the schema upgrade, with this login (it owns the tables through the owner role),
    instead of whenever an admin login next opens the app, possibly in clinic hours (rt23 F7).
    The store writes its one ``derived_data_recomputed`` audit entry; nothing recorded changes.
    Progress lines come from the command's ``upgrade_progress`` listener."""
    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(url, max_connections=1, upgrade=False) as store:
        if not store.upgrade_pending:
            print("derived data: up to date (nothing to recompute)")
            return
        cases = store.case_count()
        print(f"derived data: recomputing the stored review facts, outcome facts and medicine alerts of "
              f"{cases} case(s), one time for this version (the Medicine alerts table is locked meanwhile)...",
              flush=True)
        store.upgrade_derived_data()
    if cases:
        print(f"derived data: recomputed for {cases} case(s); nothing recorded changed; one audit entry "
              "\"Upgrade: derived data recomputed\"")
    else:
        print("derived data: version recorded (no cases stored yet)")


def server_report(conn, target) -> tuple[list[tuple[str, str]], bool]:
    """(label, value) lines for ``server check`` and whether the schema is usable."""
    from radiculopathy_desktop.storage.pg import schema as pgschema
    from radiculopathy_desktop.storage.pg.setup import applied_versions

    info = conn.info
    version = info.server_version
    lines = [("server", f"PostgreSQL {version // 10000}.{version % 10000}"),
             ("database", f"{target.host}/{target.dbname}")]
    if info.pgconn.ssl_in_use:
        row = conn.execute("SELECT version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
        lines.append(("connection", f"TLS ({row[0]}, {row[1]})" if row else "TLS"))
    elif target.host == "local socket":
        lines.append(("connection", "local socket (same machine, no network)"))
    else:
        lines.append(("connection", "loopback TCP without TLS (same machine only)"))
    login = conn.execute("SELECT session_user").fetchone()[0]
    groups = [r[0] for r in conn.execute(
        "SELECT r.rolname FROM pg_roles r WHERE r.rolname = ANY(%s) AND pg_has_role(session_user, r.oid, 'MEMBER') "
        "ORDER BY r.rolname", ([pgschema.ADMIN_ROLE, pgschema.CLINICIAN_ROLE, pgschema.OWNER_ROLE],))]
    lines.append(("login", f"{login} ({', '.join(groups) or 'no Radiculopathy Desktop role'})"))
    applied = applied_versions(conn)
    ok = len(applied) == pgschema.SCHEMA_VERSION and [n for _, n in applied] == pgschema.migration_names()
    if not applied:
        lines.append(("schema", "not set up (run `radiculopathy-desktop server init`)"))
    else:
        lines.append(("schema", f"version {len(applied)} (this app: {pgschema.SCHEMA_VERSION})"
                      + ("" if ok else ": does not match this app")))
    if applied:
        for table in ("cases", "visits", "decisions", "assessments", "audit"):
            try:
                with conn.transaction():
                    n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                lines.append((f"rows {table}", str(n)))
            except Exception:  # noqa: BLE001 - a login without read access: said, not fatal
                lines.append((f"rows {table}", "not readable by this login"))
    return lines, ok


def cmd_check(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.storage.pg.connection import pg_errors

    target = _target(args.url or args.server)
    warnings: tuple[str, ...] = ()
    repaired, refused = None, None
    repair = getattr(args, "repair", False)
    with connect(target) as conn, pg_errors(target):
        conn.autocommit = True
        lines, ok = server_report(conn, target)
        if ok and (getattr(args, "full", False) or repair):  # the same scan as the local `check --full`
            from radiculopathy_desktop.storage.pg.health import (NotRepaired, alert_span_warnings,
                                                                 missing_alert_index_objects, rebuild_alert_index,
                                                                 stored_hidden_character_warnings)

            from radiculopathy_desktop.storage.health import STORED_PATIENTS_SQL, held_apart_lines

            def scan() -> tuple[str, ...]:
                return (stored_hidden_character_warnings(conn)
                        + held_apart_lines(conn.execute(STORED_PATIENTS_SQL).fetchall())
                        + alert_span_warnings(conn))

            warnings = scan()
            # --repair: the derived Medicine alerts index only, as the local check --full --repair
            if repair and (missing_alert_index_objects(conn) or any(
                    w.startswith("the Medicine alerts index (medicine_alert_spans) differs") for w in warnings)):
                from radiculopathy_desktop.storage.access import login_name

                try:
                    result = rebuild_alert_index(conn, login_name())
                except NotRepaired as exc:
                    refused = str(exc)
                else:
                    if result is not None:
                        repaired = result.line()
                        warnings = scan()  # what stands now
                        # and the counts after the repair (its audit entry among them), not before (rt23 F8)
                        lines, ok = server_report(conn, target)
            lines.append(("stored records", f"{len(warnings)} to correct" if warnings else
                          "no name, identifier or note holds a hidden character"))
    if repaired:
        print(repaired)
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key.ljust(width)}  {value}")
    if warnings:  # the server itself is sound; stored records to correct (terminal only, never logged)
        from radiculopathy_desktop.terminal import terminal_safe

        print("stored records to correct (the server itself is sound):")
        for line in warnings:
            print(terminal_safe(f"warning: {line}"))
    if refused:
        print(refused, file=sys.stderr)
        return 3
    return 0 if ok else 3


# --------------------------------------------------------------------------- migrate-from
def _local_file(path: Path) -> Path:
    from radiculopathy_desktop.storage.paths import DB_FILENAME

    file = path / DB_FILENAME if path.is_dir() else path
    if not file.is_file():
        raise UserError(f"There is no local tracker at {path} (expected the {DB_FILENAME} file or its folder).",
                        exit_code=2)
    return file


@contextlib.contextmanager
def _local_copy(path: Path):
    """The local tracker at ``path``, opened from a copy (red-team rt12 F13): opening a file
    of an older version upgrades it (schema, a pre-update backup beside it), and the file IT
    keeps as an archive must stay as it was, whether the move succeeds or is refused. The
    original is only read (a snapshot through SQLite's online backup, its write-ahead log
    included, on a connection that may not write) after the same checks an open makes (another program's file, a newer
    version: named with the original's path); the copy lives in a private temporary folder
    (0700, the file 0600) and is removed afterwards, whatever happens."""
    from radiculopathy_desktop.storage import backup as bk
    from radiculopathy_desktop.storage import db as dbmod
    from radiculopathy_desktop.storage import opening
    from radiculopathy_desktop.storage.paths import DB_FILENAME
    from radiculopathy_desktop.storage.store import CaseStore

    file = _local_file(path)
    dbmod.check_existing_file(file)
    folder = Path(tempfile.mkdtemp(prefix="radiculopathy-migrate-"))  # private: 0700
    try:
        # Not a read-only URI: a read-only reader of a write-ahead-log file leaves the -wal and
        # -shm files SQLite makes beside it; a reader that may not write (query_only) is the
        # last to close, so SQLite removes them as a workstation's own close does.
        source = dbmod.connect(file, timeout=5)
        try:
            source.execute("PRAGMA query_only = 1")
            dbmod._check_schema(source, file)
            copy = folder / DB_FILENAME
            copy.touch(mode=0o600)
            bk._copy_into(source, copy)
        finally:
            source.close()
        with CaseStore(opening.open_database(copy, create=False), copy, dbmod.DEFAULT_BUSY_TIMEOUT_MS) as store:
            yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _records_to_correct(file: Path) -> tuple[str, ...]:
    """The lines `check --full` prints for the local file's stored records (its own function,
    on a read-only connection of our own: nothing reaches behind the store's contract)."""
    from radiculopathy_desktop.storage import db as dbmod
    from radiculopathy_desktop.storage.health import stored_record_warnings

    conn = dbmod.connect(file, uri=dbmod.sqlite_uri(file, "ro"), timeout=5)
    try:
        return stored_record_warnings(conn)
    finally:
        conn.close()


def _records(case) -> tuple[dict, list[tuple[int | None, str]]]:
    """The case as the tracker writes it without its records' entry numbers, and its visits
    and decisions as ``(entry, record JSON without it)``."""
    from radiculopathy_desktop.domain.intake import case_to_dict
    from radiculopathy_desktop.storage.store import _json

    data = case_to_dict(case)
    records = []
    for key in ("visits", "decisions"):
        for item in data.get(key) or ():
            records.append((item.pop("entry", None), key + _json(item)))
    return data, records


def _digest(case) -> str:
    """SHA-256 of the case as the tracker writes it, its records' entry numbers left out: a
    server numbers the records it takes in after its own (m007), so the numbers of a second
    workstation's records differ from its file's while the records are the same (red-team
    rt14 F6); their order is checked apart (:func:`_entry_order`)."""
    from radiculopathy_desktop.storage.store import _json

    return hashlib.sha256(_json(_records(case)[0]).encode()).hexdigest()


def _entry_order(case) -> tuple[list[str], list[str]]:
    """The case's visits and decisions in the order they were entered: (those with no number,
    sorted: entered before the tracker kept the order, in no known order; those with one, by
    it). The server enters the first before the second, in their order."""
    _, records = _records(case)
    return (sorted(text for entry, text in records if entry is None),
            [text for entry, text in sorted((r for r in records if r[0] is not None), key=lambda r: r[0])])


def _order_kept(local, moved) -> bool:
    """Whether the server (``moved``: every record numbered) entered the local case's records
    in the local order: the unnumbered ones first, then the numbered ones in their order."""
    unnumbered, numbered = _entry_order(local)
    _, on_server = _entry_order(moved)
    head = len(unnumbered)
    return sorted(on_server[:head]) == unnumbered and on_server[head:] == numbered


def cmd_migrate_from(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.demo import DEMO_PREFIX
    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.storage.pg import schema as pgschema
    from radiculopathy_desktop.storage.pg.store import PgStore

    target = _target(args.server_url or args.server)
    with _local_copy(Path(args.file)) as local:  # the local file itself is only read (rt12 F13)
        cases = list(local.iter_cases(validate=True))
        assessments = {c.case_id: local.assessments(c.case_id) for c in cases}
        # What `check --full` lists as to correct (hidden characters, an age contradicting the
        # birth date): moved as it is, but said (rt11 F13), with the very same check.
        to_correct = _records_to_correct(local.path)
    demo = sorted(c.case_id for c in cases if c.case_id.upper().startswith(DEMO_PREFIX))
    if demo:
        shown = ", ".join(demo[:5]) + (f" and {len(demo) - 5} more" if len(demo) > 5 else "")
        raise UserError(f"Nothing was moved: {len(demo)} case(s) in {args.file} are the invented demo cohort (case "
                        f"IDs starting {DEMO_PREFIX}: {shown}). Demo patients must never enter the clinic's record "
                        "(cases cannot be deleted from the server). Move a tracker that holds real cases only.",
                        exit_code=2)
    local_digests = {c.case_id: _digest(c) for c in cases}
    user = args.user or getpass.getuser()
    with PgStore.open(target.conninfo) as server:
        if not server.is_admin():
            raise StorageError(StorageErrorKind.PERMISSION, (
                f"Moving a tracker into the clinic server is an IT step and needs an admin login (a member of "
                f"{pgschema.ADMIN_ROLE}); this login is not one ({target.label}). Nothing was moved."))
        before = server.case_count()
        problems: list[str] = []
        for case in cases:
            if server.has_case(case.case_id):
                same = _digest(server.get_case(case.case_id)) == local_digests[case.case_id]
                problems.append(f"case {case.case_id}: already on the server "
                                + ("(the same record: a duplicate)" if same else "with a different record"))
        problems.extend(server.patient_conflicts(cases))
        if problems:
            raise UserError(f"Nothing was moved: {len(problems)} case(s) would be duplicates or conflicts. Resolve "
                            "them (or move the rest with another file) and run again:\n  " + "\n  ".join(problems),
                            exit_code=2)
        with server.transaction():
            result = server.import_cases(cases, user=user)
            saved = 0
            for case_id, rows in assessments.items():
                for a in rows:
                    server.save_assessment(case_id, a.assessment, visit_date=a.visit_date,
                                           content_version=a.content_version, user=a.created_by)
                    saved += 1
        after = server.case_count()
        by_id = {c.case_id: c for c in cases}
        moved = {c.case_id: (_digest(c), _order_kept(by_id[c.case_id], c))
                 for c in server.iter_cases(validate=True) if c.case_id in local_digests}
    mismatched = sorted(cid for cid, digest in local_digests.items() if moved.get(cid, (None,))[0] != digest)
    reordered = sorted(cid for cid in local_digests if cid in moved and not moved[cid][1])
    if after - before != len(cases) or len(result.added) != len(cases) or mismatched or reordered:
        raise UserError(f"The check after moving found differences (cases on the server {before} -> {after}, "
                        f"expected +{len(cases)}; records differing: {len(mismatched)}; cases whose visits and "
                        f"decisions were entered in another order: {len(reordered)}). The local file is "
                        "unchanged; tell the clinic's IT before using the server.", exit_code=3)
    print(f"moved: {len(cases)} cases, {saved} saved assessments, in one transaction")
    print(f"verified: case count {before} -> {after}; every record's SHA-256 equals the local file's (the visits' "
          "and decisions' entry numbers left out: the server numbers them after its own) and every case's visits "
          "and decisions keep their order of entry")
    if to_correct:
        from radiculopathy_desktop.terminal import terminal_safe

        print(f"warning: {len(to_correct)} stored record(s) that `check --full` lists as to correct were moved as "
              "they are; correct them on the server (open each case and fix the field named):", file=sys.stderr)
        for line in to_correct:
            print(terminal_safe(f"warning: {line}"), file=sys.stderr)
    print("the local file is unchanged (read through a copy, which was removed; its audit history stays in it; "
          f"keep it as an archive): {args.file}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("server", help="set up and check a clinic server (PostgreSQL), move a local "
                                             "tracker into it")
    sub = p.add_subparsers(dest="server_command", metavar="SERVER_COMMAND", required=True,
                           parser_class=type(p))
    q = sub.add_parser("init", help="create or upgrade the schema and roles on an existing database, then "
                                    "recompute the derived data once for this version (the IT login that owns "
                                    "the database and may create roles, not an admin login)",
                       description="Create the schema, roles and grants on an existing database, or upgrade a "
                                   "server set up by an earlier version: the missing schema changes are applied "
                                   "in one transaction (all or nothing), each named as it starts. Run it first when "
                                   "upgrading, then upgrade every workstation: a workstation of the new version "
                                   "refuses a server at the older schema, and one of the old version refuses the "
                                   "upgraded server. Then, in its own transaction, the one-time recompute of the "
                                   "derived data (review and outcome facts, medicine alerts) this version needs, "
                                   "audited as one entry; minutes at 100,000 cases, with the Medicine alerts table "
                                   "locked. Safe to run again.")
    q.add_argument("url", nargs="?", help="postgresql://LOGIN@HOST/DATABASE (default: RADICULOPATHY_SERVER or "
                                          "server.conf); no password in it")
    q.set_defaults(func=cmd_init)
    q = sub.add_parser("check", help="server version, schema version, connection security, row counts",
                       description="Exit 0 ready; 3 unreachable, not set up or another schema version.")
    q.add_argument("url", nargs="?", help="as for init")
    q.add_argument("--full", action="store_true",
                   help="also list stored cases whose names, identifiers or notes hold hidden characters (as the "
                        "local `check --full` does; read-only)")
    q.add_argument("--repair", action="store_true",
                   help="with the full check (implied): make the Medicine alerts index (derived from the stored "
                        "medicine alerts) again when it differs from them, audited once (an admin login); a part of "
                        "it missing from the schema is refused (exit 3: for IT), as is any other damage")
    q.set_defaults(func=cmd_check)
    q = sub.add_parser("migrate-from", help="move a workstation's local tracker into the server (one transaction; "
                                            "refuses duplicates and conflicts; verified after)")
    q.add_argument("file", help="the local database file, or its data folder")
    q.add_argument("--server", dest="server_url", default=None, help="postgresql://LOGIN@HOST/DATABASE (default: "
                                                 "RADICULOPATHY_SERVER or server.conf)")
    q.add_argument("--user", default=None, help="name recorded in the audit beside the login (default: your "
                                                "login name)")
    q.set_defaults(func=cmd_migrate_from)
