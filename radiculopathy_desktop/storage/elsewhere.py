"""What another program committed to the local database file since this store last looked.

The window and the commands may share a data folder (a second workstation user's
command, a script, an import): their writes are other connections' commits. SQLite's
``PRAGMA data_version`` changes, for this connection, exactly when another connection
has committed since it was last read (never for this connection's own commits), and
reading it is a microsecond call, so the window polls it (``ui/main_window.py``, on the
GUI thread, never while a worker write holds the store's connection).

When it has changed, the audit entries written since the last look say what: every
change of clinical data or of a setting writes its audit entry in the same transaction
(the store contract), naming its case (``settings_changed`` names none). An access
entry alone (someone viewed, printed or exported a case) changes nothing shown. A commit
that left no audit entry at all (a derived-data refresh) is reported as ``unnamed``:
any case may have changed.

The window's own writes (on the store's own connection) do not change
``data_version``, and their audit entries are told apart exactly: a TEMP trigger (temp
objects belong to one connection, so it fires only for this connection's inserts)
notes their ids, and :meth:`LocalChangeMark.poll` leaves them out (the window announced
those itself), so a save refreshes once, whatever else another program wrote meanwhile.
Nothing here imports Qt.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.storage.store import CaseStore

log = logging.getLogger(__name__)


class ChangedElsewhere(NamedTuple):  # a NamedTuple: the module is imported before the first paint
    """What another program changed: these cases, the clinic-wide settings, or (``unnamed``)
    something no audit entry names."""

    case_ids: tuple[str, ...] = ()
    settings: bool = False
    unnamed: bool = False


class LocalChangeMark:
    """Where this store's connection last looked: ``PRAGMA data_version`` and the newest
    audit entry. Made before the window's first read, so nothing committed after that read
    goes unseen. Use on the store's thread, never while a write of its own is open."""

    def __init__(self, store: "CaseStore"):
        self._store = store
        conn = self._conn()
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS own_audit_ids (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS own_audit_entry AFTER INSERT ON main.audit "
                     "BEGIN INSERT OR IGNORE INTO own_audit_ids (id) VALUES (new.id); END")
        self._version = self.data_version()
        self._audit_id = conn.execute("SELECT coalesce(max(id), 0) FROM main.audit").fetchone()[0]

    def _conn(self):
        return self._store._db.conn

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` on the store's connection now."""
        return self._conn().execute("PRAGMA data_version").fetchone()[0]

    def poll(self) -> ChangedElsewhere | None:
        """None when no other connection committed since the last poll; otherwise what the
        audit entries other programs wrote since say changed (None too when they are
        access entries only)."""
        version = self.data_version()
        if version == self._version:
            return None
        conn = self._conn()
        rows = conn.execute("SELECT id, action, case_id FROM main.audit WHERE id > ? ORDER BY id",
                            (self._audit_id,)).fetchall()
        if rows:
            newest = rows[-1][0]
            own = {r[0] for r in conn.execute("SELECT id FROM temp.own_audit_ids WHERE id > ? AND id <= ?",
                                              (self._audit_id, newest))}
            was_in_transaction = conn.in_transaction
            conn.execute("DELETE FROM temp.own_audit_ids WHERE id <= ?", (newest,))
            if not was_in_transaction and conn.in_transaction:
                conn.commit()  # only temp rows were written
            self._audit_id = newest
            rows = [r for r in rows if r[0] not in own]
        self._version = version  # only once read: a look that failed is made again next time
        if not rows:
            log.info("the database was changed by another program (no audit entry names what)")
            return ChangedElsewhere(unnamed=True)
        access = self._store.AUDITED_ACTIONS  # views, prints, exports, unlocks: nothing shown changes
        ids: list[str] = []
        settings = unnamed = False
        for _id, action, case_id in rows:
            if action in access:
                continue
            if action == "settings_changed":
                settings = True
            elif case_id:
                if case_id not in ids:
                    ids.append(case_id)
            elif action != "import":  # an import's summary entry: its cases have entries of their own
                unnamed = True
        if not ids and not settings and not unnamed:
            return None
        log.info("the database was changed by another program: %d case(s)%s", len(ids),
                 ", settings" if settings else "")
        return ChangedElsewhere(case_ids=tuple(ids), settings=settings, unnamed=unnamed)


def data_version(store) -> int | None:
    """``PRAGMA data_version`` on a local store's connection (it changes when another program
    commits); None for a store that has none (the clinic server, a test double)."""
    if getattr(store, "engine", None) != "sqlite":
        return None
    db = getattr(store, "_db", None)
    if db is None:
        return None
    return db.conn.execute("PRAGMA data_version").fetchone()[0]
