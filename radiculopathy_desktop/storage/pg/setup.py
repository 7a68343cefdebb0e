"""Creating and upgrading the clinic-server schema (``server init``).

Run by IT's login that owns the database (or a superuser) and may create roles, not by
a member of ``radiculopathy_admin`` (refused: ``commands.server.INIT_LOGIN``). The
one-time derived-data recompute follows in its own transaction
(``commands.server._recompute_derived``). Objects are created as the NOLOGIN role ``radiculopathy_owner``, so
no clinician or admin login owns a table (an owner could alter the audit table);
the group roles and grants come from :mod:`.schema`. Idempotent: a second run
applies only missing migrations and re-applies the grants.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.pg import schema as pgschema

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InitResult:
    applied: tuple[str, ...]
    schema_version: int
    previous_version: int = 0  #: the schema version before this run (0: not set up)


def applied_versions(conn) -> list[tuple[int, str]]:
    """(version, name) rows of the version table; [] when it does not exist."""
    exists = conn.execute("SELECT to_regclass('public.' || %s) IS NOT NULL", (pgschema.VERSION_TABLE,)).fetchone()[0]
    if not exists:
        return []
    return [tuple(r) for r in conn.execute(f"SELECT version, name FROM {pgschema.VERSION_TABLE} ORDER BY version")]


def check_history(applied: list[tuple[int, str]]) -> None:
    """Refuse a database whose history is not a prefix of ours (a newer app made it)."""
    known = pgschema.migration_names()
    for version, name in applied:
        if version > len(known) or known[version - 1] != name:
            raise StorageError(StorageErrorKind.NEWER_SCHEMA, (
                f"The clinic server's database has schema version {max(v for v, _ in applied)}, newer than this "
                f"app knows ({len(known)}). Nothing was changed. Update Radiculopathy Desktop on this workstation."))


def initialise(conn, tell: "Callable[[int, str], None] | None" = None) -> InitResult:
    """Create roles, schema and grants on ``conn`` (a psycopg connection, autocommit off).

    One transaction: either everything is set up or nothing is. This is also the upgrade
    of a server made by an earlier version (its missing migrations, such as m006's index),
    which workstations of this version need before they can open it. ``tell(version, name)``
    hears each migration just before it runs."""
    from psycopg import sql

    dbname = conn.info.dbname
    with conn.transaction():
        for statement in pgschema.role_statements():
            conn.execute(statement)
        owner = pgschema.OWNER_ROLE
        conn.execute(f"GRANT {owner} TO CURRENT_USER")
        conn.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {owner}")
        conn.execute(f"SET LOCAL ROLE {owner}")
        conn.execute(pgschema.version_table_sql())
        applied = applied_versions(conn)
        check_history(applied)
        done = {name for _, name in applied}
        new: list[str] = []
        for version, (name, ddl) in enumerate(pgschema.MIGRATIONS, start=1):
            if name in done:
                continue
            if tell is not None:
                tell(version, name)
            conn.execute(ddl())
            backfill = pgschema.BACKFILLS.get(name)
            if backfill is not None:
                backfill(conn)
            conn.execute(f"INSERT INTO {pgschema.VERSION_TABLE} (version, name) VALUES (%s, %s)", (version, name))
            new.append(name)
        for statement in pgschema.object_grant_statements():
            conn.execute(statement)
        conn.execute("RESET ROLE")
        for statement in pgschema.database_grant_statements(sql.Identifier(dbname).as_string(conn)):
            conn.execute(statement)
    log.info("clinic server schema initialised: %d migrations applied", len(new))
    return InitResult(tuple(new), pgschema.SCHEMA_VERSION, len(applied))
