"""PgStore: the case store on a clinic's PostgreSQL server.

The same public face as the SQLite :class:`~radiculopathy_desktop.storage.store.CaseStore`
(the store contract): the same methods, arguments, records and :class:`Changes`; the
derived rows are built by the same functions (``_case_rows``, ``_alert_rows``,
``facts_key``), so both engines store the same data. ``tests/storage`` runs one suite
against both.

What differs, because several workstations share one server:

* Each thread gets a pooled connection (psycopg_pool); one write is one
  transaction. Adding a visit or a decision locks the case row (``FOR UPDATE``)
  and re-reads it, so two workstations adding at the same moment both land.
* A whole-case save states the revision it was based on (:meth:`save_case`); an
  older one is refused with who changed the case and when (``StorageError`` kind
  ``conflict``), and nothing is written.
* The audit is written by the server's triggers and names the authenticated login
  (``AuditEntry.role``); the store only says, per transaction, which action it is
  doing and for whom (``radiculopathy.audit``).
* Review settings, the clinic settings and the derived-data upgrade need an admin
  login; a clinician login gets a clear "not allowed" (``permission``).

No patient identifier is logged: messages name counts and kinds only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import sys
import threading
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from radiculopathy_desktop.demo import DEMO_PREFIX
from radiculopathy_desktop.domain import clinic
from radiculopathy_desktop.domain.clinic import ClinicSettings
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.domain.followup import ReviewStatus, freeze_legacy_acknowledgements, surgical_review
from radiculopathy_desktop.domain.settings import ReviewSettings, decode_stored_json, default_review_settings
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import engine_common
from radiculopathy_desktop.storage import upgrade_progress
from radiculopathy_desktop.storage import store as sqlite_store
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg import worklist as pgwl
from radiculopathy_desktop.storage import worklist as wl
from radiculopathy_desktop.storage.pg.connection import ServerTarget, check_target, connect_failure, pg_errors
from radiculopathy_desktop.storage.outcome_counts import outcome_counts
from radiculopathy_desktop.storage.store import (
    DERIVED_VERSION_KEY,
    FACT_COLUMNS,
    REVIEW_SETTING_NAMES,
    AuditEntry,
    CaseNotFound,
    Changes,
    ImportResult,
    PatientMatch,
    StoredAssessment,
    _alert_rows,
    _case_rows,
    _facts_columns,
    _json,
    _now,
    _outcome_key,
    _outcome_row,
    facts_key,
    latest_event_date,
    outcome_rows_in_period,
    outcome_upsert_sql,
)
from radiculopathy_desktop.storage.facts import history_insert_sql, history_rows

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.followup import SurgicalReview
    from radiculopathy_desktop.domain.intake import Case, Decision, FollowUpVisit, Patient
    from radiculopathy_desktop.storage.worklist import WorklistRow

log = logging.getLogger(__name__)
_INSERT_HISTORY = history_insert_sql("%s")

CLINIC_SETTINGS_KEY = "clinic"


class PgAuditEntry(AuditEntry):
    """An audit entry with the authenticated database login that made it (a hand-written frozen
    record, as :class:`AuditEntry` is: domain/frozen.py)."""

    _fields = AuditEntry._fields + ("role",)
    role: str

    def __init__(self, id: int, at: str, user: str, action: str, case_id: str | None, detail: dict,
                 role: str = ""):
        self._set_fields(id, at, user, action, case_id, detail, role)


def _detail(text: str) -> dict:
    """An audit detail; damaged JSON reads as ``{}``, never as an error (as on SQLite)."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


_CASE_COLUMNS = sqlite_store._CASE_COLUMNS
_UPSERT_CASE = (
    f"INSERT INTO cases ({', '.join(_CASE_COLUMNS)}, decision_count, created_at, updated_at) "
    f"VALUES ({', '.join(['%s'] * len(_CASE_COLUMNS))}, %s, %s, %s) ON CONFLICT (case_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _CASE_COLUMNS[1:])
    + ", decision_count = EXCLUDED.decision_count, updated_at = EXCLUDED.updated_at"
)
_UPSERT_PATIENT = (
    "INSERT INTO patients (patient_id, name, birth_date, age_years, sex, updated_at) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (patient_id) DO UPDATE SET name = EXCLUDED.name, birth_date = EXCLUDED.birth_date, "
    "age_years = EXCLUDED.age_years, sex = EXCLUDED.sex, updated_at = EXCLUDED.updated_at "
    "WHERE (patients.name, patients.birth_date, patients.age_years, patients.sex) IS DISTINCT FROM "
    "(EXCLUDED.name, EXCLUDED.birth_date, EXCLUDED.age_years, EXCLUDED.sex)"
)
_SYNC_PATIENT_NAME = "UPDATE cases SET patient_name = %s WHERE patient_id = %s AND patient_name IS DISTINCT FROM %s"
_UPSERT_DOCUMENT = (
    "INSERT INTO case_documents (case_id, format_version, case_json) VALUES (%s, %s, %s) "
    "ON CONFLICT (case_id) DO UPDATE SET format_version = EXCLUDED.format_version, case_json = EXCLUDED.case_json"
)
_INSERT_VISIT = ("INSERT INTO visits (case_id, visit_date, is_baseline, leg_nrs, back_nrs, odi_percent, rmdq, "
                 "treatments_json, red_flags_json, power_json, clinician, entry) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
_INSERT_DECISION = ("INSERT INTO decisions (case_id, decision_date, kind, until_date, decided_by, note, entry) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)")
# The tracker's entry order (m007): a sequence, so five workstations saving at once never get
# the same number; taken after the case row's lock, so of two saves to one case the later
# one gets the larger number.
_NEXT_ENTRIES = "SELECT nextval('entry_order') FROM generate_series(1, %s)"


def _next_entries(conn, n: int) -> list[int]:
    return [row[0] for row in conn.execute(_NEXT_ENTRIES, (n,)).fetchall()]
_INSERT_ALERT = "INSERT INTO medicine_alerts (case_id, profile, alerts_json) VALUES (%s, %s, %s)"
_UPSERT_SETTING = ("INSERT INTO settings (key, value_json, updated_at) VALUES (%s, %s, %s) "
                   "ON CONFLICT (key) DO UPDATE SET value_json = EXCLUDED.value_json, updated_at = EXCLUDED.updated_at")


def conflict_error(case_id: str, who: str, when: str) -> dbmod.StorageError:
    try:
        at = dt.datetime.fromisoformat(when).astimezone(dt.timezone.utc)
        when_text = f"{at:%H:%M} UTC on {at:%Y-%m-%d}"
    except ValueError:
        when_text = when
    return dbmod.StorageError(StorageErrorKind.CONFLICT, (
        f"Case {case_id} was changed by {who} at {when_text}, after you opened it. Nothing was saved, and what you "
        "typed is kept: reload the case to see the change, or compare it with yours, then save again."),
        exit_code=2)


#: Live refresh (issue 15): every write of a case, and every change of the clinic's
#: settings, sends a notification on this channel with the case ID ("" for settings).
#: PostgreSQL delivers it to the listening windows only when the transaction commits, once
#: per distinct payload; a write that rolls back announces nothing.
NOTIFY_CHANNEL = "radiculopathy_changes"
_NOTIFY = f"SELECT pg_notify('{NOTIFY_CHANNEL}', %s)"


class _PoolLogToAppLog(logging.Handler):
    """psycopg_pool's warnings ("error connecting in 'clinic-server': ..." on every retry)
    go to the app's log file as one plain line, never to the terminal, where they came
    before the app's own message (their text names the host and the login: not kept)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            log.info("clinic server pool: a connection attempt failed")


def _quiet_pool_log() -> None:
    pool_log = logging.getLogger("psycopg.pool")
    if not any(isinstance(h, _PoolLogToAppLog) for h in pool_log.handlers):
        pool_log.addHandler(_PoolLogToAppLog())
        pool_log.propagate = False



def _stored_chunks(conn, stale_key: str | None = None):
    """:func:`.engine_common.stored_document_chunks` on ``conn`` (the write's transaction)."""
    return engine_common.stored_document_chunks(lambda sql, params: conn.execute(sql, params).fetchall(),
                                                "%s", stale_key)


class PgStore(engine_common.ClinicNameFromSettings, engine_common.DerivedVersion):
    """The case store on a PostgreSQL clinic server. Open with :meth:`open`."""

    engine = "postgresql"
    AUDITED_ACTIONS = sqlite_store.CaseStore.AUDITED_ACTIONS

    def __init__(self, target: ServerTarget, pool):
        self.target = target
        self._pool = pool
        self._local = threading.local()
        self._read_only = False
        self._settings_cache: ReviewSettings | None = None
        self._settings_version: str | None = None  # the settings row's xmin when the cache was filled
        # The server processes (backend PIDs) of this store's latest connections: a window's
        # watch ignores the notifications they send, since the window announced its own
        # save already (one refresh, not two). Bounded: a PID from a connection long closed
        # drops out, so a reused PID never hides another workstation's change for long.
        self._own_pids: list[int] = []
        self._own_lock = threading.Lock()
        # The connections reader threads are using now, and the threads asked to stop: interrupt()
        # (any thread) cancels the former's statements and makes the latter's next one fail (sav21)
        self._reading: dict[int, Any] = {}
        self._readers: set[int] = set()  # threads inside ``with store.reader()``
        self._reading_stopped: set[int] = set()
        self._reading_lock = threading.Lock()

    # ---- lifecycle
    @classmethod
    def open(cls, url: str, *, max_connections: int = 4, timeout_s: float = 15, upgrade: bool = True) -> "PgStore":
        """Connect to the clinic server at ``url`` (checked by :func:`check_target`: no
        password in it, TLS unless local). Raises ``StorageError`` when the server cannot
        be reached, has no schema, or has a newer one. ``upgrade=False`` leaves the one-time
        derived upgrade to the caller (``server init`` runs and reports it itself)."""
        target = check_target(url)  # first: says in words when the server extra is not installed
        import psycopg
        from psycopg_pool import ConnectionPool

        _quiet_pool_log()
        # One direct connection first: a server that is down, a wrong password or a missing
        # database is said at once and by its cause, instead of the pool retrying until
        # its timeout and printing the driver's lines.
        try:
            psycopg.connect(target.conninfo).close()
        except psycopg.OperationalError as exc:
            raise connect_failure(target, exc) from None
        # check: a pooled connection is tested before use, so after a server restart or a
        # dropped network the next operation gets a fresh connection instead of an error.
        pool = ConnectionPool(target.conninfo, min_size=1, max_size=max_connections, open=False, timeout=timeout_s,
                              name="clinic-server", check=ConnectionPool.check_connection)
        with pg_errors(target):
            pool.open(wait=True, timeout=timeout_s)
        store = cls(target, pool)
        try:
            store._check_schema()
            if upgrade:
                store._upgrade_if_needed()
            store.audit_mark = store.latest_audit_id()
        except BaseException:
            pool.close()
            raise
        log.info("connected to the clinic server (%s)", "local" if target.local else "TLS")
        return store

    def close(self) -> None:
        self._pool.close()

    #: The newest audit entry when the store was opened, before the window read anything:
    #: the window's server watch asks what changed after it once it listens (a change
    #: committed between the first read and the LISTEN sends no notice it could hear).
    audit_mark: int | None = None

    def latest_audit_id(self) -> int:
        """The id of the newest audit entry (every write on the server adds one, by trigger); 0 when none."""
        with self._tx() as conn:
            return conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]

    def __enter__(self) -> "PgStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def location_label(self) -> str:
        return self.target.label

    def journal_mode(self) -> str:
        """Where durability comes from: the server's write-ahead log."""
        return "server"

    def set_read_only(self, on: bool) -> None:
        """Open every later transaction READ ONLY (the server refuses writes)."""
        self._read_only = bool(on)

    # ---- transactions
    @contextlib.contextmanager
    def _tx(self, audit: Mapping[str, Any] | None = None) -> Iterator[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:  # nested: the caller's transaction
            if audit is not None:
                self._set_audit(conn, audit)
            yield conn
            return
        reading = getattr(self._local, "reading", False)
        me = threading.get_ident()
        with pg_errors(self.target), self._connection() as conn:
            self._local.conn = conn
            self._note_backend(conn)
            if reading:
                with self._reading_lock:
                    if me in self._reading_stopped:  # interrupted: nobody waits for this read any more
                        raise UserError("The count was stopped: the window is closing.")
                    self._reading[me] = conn
            try:
                with conn.transaction():
                    if self._read_only or reading:
                        conn.execute("SET TRANSACTION READ ONLY")
                    if audit is not None:
                        self._set_audit(conn, audit)
                    yield conn
            finally:
                self._local.conn = None
                if reading:
                    with self._reading_lock:
                        self._reading.pop(me, None)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        """A pooled connection; after an outage, when the pool is still waiting before its
        next reconnect attempt, one direct connection instead, so the first save after the
        server is back does not wait out the pool's back-off."""
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            cm = self._pool.connection()
            conn = cm.__enter__()
        except PoolTimeout:
            log.info("clinic server: no pooled connection; connecting directly")
            with psycopg.connect(self.target.conninfo) as direct:
                yield direct
            return
        try:
            yield conn
        except BaseException:
            if not cm.__exit__(*sys.exc_info()):
                raise
        else:
            cm.__exit__(None, None, None)

    def _note_backend(self, conn) -> None:
        pid = conn.info.backend_pid
        with self._own_lock:
            if self._own_pids and self._own_pids[-1] == pid:
                return
            if pid in self._own_pids:
                self._own_pids.remove(pid)
            self._own_pids.append(pid)
            del self._own_pids[:-2 * (getattr(self._pool, "max_size", 4) + 1)]

    def is_own_backend(self, pid: int) -> bool:
        """True when ``pid`` is the server process of one of this store's latest connections
        (a notification with it is the echo of this store's own write)."""
        with self._own_lock:
            return pid in self._own_pids

    @contextlib.contextmanager
    def transaction(self) -> Iterator["PgStore"]:
        """One write transaction: every store write inside it commits together or not at all."""
        with self._tx():
            yield self

    @staticmethod
    def _set_audit(conn, audit: Mapping[str, Any]) -> None:
        conn.execute("SELECT set_config('radiculopathy.audit', %s, true)", (_json(dict(audit)),))

    def _check_schema(self) -> None:
        from radiculopathy_desktop.storage.pg.setup import applied_versions, check_history

        with self._tx() as conn:
            applied = applied_versions(conn)
        if not applied:
            raise dbmod.StorageError(StorageErrorKind.NOT_A_DATABASE, (
                f"The database {self.target.dbname} on the clinic server is not set up for Radiculopathy Desktop. "
                "Nothing was changed. IT sets it up with `radiculopathy-desktop server init URL`."))
        check_history(applied)
        if len(applied) < pgschema.SCHEMA_VERSION:
            raise dbmod.StorageError(StorageErrorKind.NEWER_SCHEMA, (
                f"The clinic server's database has schema version {len(applied)}; this app needs "
                f"{pgschema.SCHEMA_VERSION}. Nothing was changed. IT upgrades it with "
                "`radiculopathy-desktop server init URL`, run with the IT login that owns the database (the one "
                "that set the server up, not an admin login)."))

    def schema_version(self) -> int:
        from radiculopathy_desktop.storage.pg.setup import applied_versions

        with self._tx() as conn:
            return len(applied_versions(conn))

    def is_admin(self) -> bool:
        """True when this login may change settings and run maintenance (the admin role)."""
        with self._tx() as conn:
            return bool(conn.execute("SELECT has_table_privilege('settings', 'INSERT')").fetchone()[0])

    # ---- derived data
    derived_version = staticmethod(sqlite_store.CaseStore.derived_version)

    def _upgrade_if_needed(self) -> None:
        self.upgrade_derived_data_if_needed()

    def upgrade_derived_data_if_needed(self, progress=None) -> None:
        """As the local store's: the one-time rewrite after an upgrade of the app, here only
        with a login that may write settings (an admin login, or IT's owner login). ``server
        init`` runs it right after the schema step (``commands.server._recompute_derived``); an
        admin login's open does it only when that was not run for this version (an app upgrade
        that changes no schema and IT skipped ``server init``, or its recompute failed).
        ``progress(done, total)`` as :meth:`upgrade_derived_data`."""
        try:
            if not self.upgrade_pending:
                return
            if not self.is_admin():
                log.info("derived data not refreshed: it needs an admin login (stale facts take the exact path)")
                return
            self.upgrade_derived_data(progress)
        except dbmod.StorageError as exc:
            # A clinician login may not run maintenance; the worklist stays right (stale
            # facts take the exact path) until an admin login opens the store.
            level = logging.INFO if exc.kind in ("locked", "read_only", "permission") else logging.WARNING
            log.log(level, "derived data not refreshed this time (%s)", exc.kind)

    def upgrade_derived_data(self, progress=None) -> tuple[int, int]:
        """As the local store's: ``progress(done, total)`` (default
        :data:`..upgrade_progress.listener`) hears the cases done, at the start, every
        :data:`..upgrade_progress.STEP` cases and at the end."""
        tell = progress or upgrade_progress.listener or (lambda done, total: None)
        version = self.derived_version()
        with self._tx({"action": "derived"}) as conn:
            conn.execute("LOCK TABLE medicine_alerts IN EXCLUSIVE MODE")
            stored = self._stored_derived_version()
            if stored == version:
                return 0, 0
            if engine_common.alerts_only_change(stored, version):  # the alerts only (span19)
                alerted = self._rewrite_alerts_only(conn, tell)
                cases = conn.execute("SELECT count(*) FROM case_documents").fetchone()[0]
                self._record_derived_version(conn, stored, version, cases, cases_with_medicine_alerts=alerted)
                return 0, alerted
            total = conn.execute("SELECT count(*) FROM case_documents").fetchone()[0]
            tell(0, total)
            refreshed = self._recompute(conn, self.get_settings(), only_stale=True, history=False)
            conn.execute("DELETE FROM medicine_alerts")
            conn.execute("DELETE FROM outcome_facts")
            conn.execute("DELETE FROM case_fact_history")
            alerts = 0

            def write(rows: list, outcomes: list, history: list) -> None:
                nonlocal alerts
                with conn.cursor() as cur:
                    cur.executemany(_INSERT_ALERT, rows)
                    cur.executemany(outcome_upsert_sql("%s"), outcomes)
                    cur.executemany(_INSERT_HISTORY, history)
                alerts += len(rows)

            alerted = engine_common.rederive_stored_cases(_stored_chunks(conn), self._parse_stored,
                                                          sqlite_store.derived_rows_builder(self.get_settings()),
                                                          write, tell, 0, total)
            self._record_derived_version(conn, stored, version, total, review_facts_rewritten=refreshed,
                                         cases_with_medicine_alerts=alerted)
        tell(total, total)
        if refreshed or alerts:
            log.info("upgrade: review facts rewritten for %d cases; %d dose alerts", refreshed, alerts)
        return refreshed, alerted

    def _record_derived_version(self, conn, stored, version: str, cases: int, **counts: int) -> None:
        """Record the derived version the data now has. With cases recomputed, the audit context
        carries what was recomputed and how many cases, and the settings trigger (m013) writes
        it as ONE ``derived_data_recomputed`` entry; the cases' own rows were rewritten under the
        bare derived context, which audits no case whose recorded data is unchanged."""
        if cases:
            self._set_audit(conn, {"action": "derived",
                                   "detail": engine_common.recompute_audit_detail(stored, version, cases, **counts)})
        conn.execute(_UPSERT_SETTING, (DERIVED_VERSION_KEY, _json(version), _now()))
        self._set_audit(conn, {"action": "derived"})

    def _rewrite_alerts_only(self, conn, tell) -> int:
        """As the local store's: every medicine_alerts row made again from the cases that can
        have one (the index follows by its trigger); facts, history and outcome facts untouched."""
        def insert(rows) -> None:
            with conn.cursor() as cur:
                cur.executemany(_INSERT_ALERT, rows)

        return engine_common.rewrite_alerts_only(
            lambda sql, params: conn.execute(sql, params).fetchall(), conn.execute, insert, "%s",
            "((jsonb_typeof(d.case_json::jsonb -> 'medicines') = 'array' "
            "AND jsonb_array_length(d.case_json::jsonb -> 'medicines') > 0) "
            "OR d.case_json::jsonb ->> 'would_consider_intervention' = 'no')",
            lambda cid, text: _alert_rows(self._parse_stored(cid, text)), tell)

    # ---- reading stored cases
    def _parse_stored(self, case_id: str, text: str) -> Case:
        from radiculopathy_desktop.domain.intake import ValidationError, parse_case

        try:
            return parse_case(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise dbmod.StorageError(StorageErrorKind.CORRUPT, (
                f"The stored record of case {case_id} on the clinic server cannot be read ({type(exc).__name__}). "
                "Nothing was changed. Tell the clinic's IT: the server's backup has the last good copy.")) from None

    def _read_stored(self, case_id: str, text: str) -> Case:
        from radiculopathy_desktop.domain.stored_case import case_from_stored

        try:
            return case_from_stored(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return self._parse_stored(case_id, text)

    def _load(self, conn, case_id: str, lock: bool = False) -> Case:
        if lock:
            # Lock the case row first, then read the record in a second statement: its
            # snapshot (READ COMMITTED) then includes a write another workstation
            # committed while we waited. A join with FOR UPDATE would re-check only the
            # locked row and hand back the record as it was: a lost visit.
            if conn.execute("SELECT 1 FROM cases WHERE case_id = %s FOR UPDATE", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
        row = conn.execute("SELECT case_json FROM case_documents WHERE case_id = %s", (case_id,)).fetchone()
        if row is None:
            raise CaseNotFound(case_id)
        return self._parse_stored(case_id, row[0])

    # ---- cases
    def import_cases(self, cases: Iterable[Case], user: str = "import", batch_size: int = 2000,
                     replace_records: bool = False, acknowledge_red_flags: bool = True,
                     legacy_decisions: bool = True, one_case_per_episode: bool = False,
                     close_with_unanswered_red_flags: bool = True, open_case_as_of: dt.date | None = None,
                     new_episode: "bool | Iterable[str]" = False) -> ImportResult:
        """Add or update whole cases, all or nothing (one transaction); see ``CaseStore.import_cases``
        (an update that would remove a recorded visit or decision is refused unless ``replace_records``;
        a new decision acknowledging red flags is audited, and refused unless ``acknowledge_red_flags``;
        without ``legacy_decisions`` a new decision leaving ``acknowledged_red_flags`` out names the red
        flags standing on its date, red-team rt9 F7)."""
        removals: list[str] | None = None if replace_records else []
        acknowledged: list[dict] = []
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        conflicts: list[str] = []
        identities: dict[str, tuple[str, Any]] = {}
        guard = engine_common.ImportGuard(replace_records)
        now = _now()
        with self._tx({"action": "import", "user": user}) as conn:
            s = self.get_settings()
            guard.settings = s  # the status a case leaving Immediate is in
            key = facts_key(s)
            episodes = engine_common.EpisodeCheck() if one_case_per_episode else None  # rt11 F8
            opened = None
            if open_case_as_of is not None:  # one open case per patient (gp14 G10)
                opened = engine_common.OpenCaseCheck(open_case_as_of, new_episode)
                opened.settings = s
            for batch in engine_common.import_batches(cases, batch_size):
                self._import_batch(conn, batch, s, key, now, user, added, updated, unchanged, conflicts,
                                   identities, removals, acknowledged, legacy_decisions, guard, episodes, opened)
            refused = engine_common.import_refusal(guard, removals, conflicts, episodes, opened, acknowledged,
                                                   acknowledge_red_flags, close_with_unanswered_red_flags)
            if refused is not None:
                raise refused
            if added or updated:
                conn.execute("SELECT radiculopathy_record_access(%s, 'import', NULL, %s)",
                             (user, _json(engine_common.import_audit_detail(added, updated, unchanged,
                                                                            acknowledged, guard, opened))))
        log.info("import: %d added, %d updated, %d unchanged", len(added), len(updated), len(unchanged))
        return ImportResult.of_import(added, updated, unchanged, acknowledged, guard, opened)

    def _import_batch(self, conn, cases: list[Case], s, key, now, user, added, updated, unchanged, conflicts,
                      identities, removals: list[str] | None = None, acknowledged: list | None = None,
                      legacy_decisions: bool = True, guard: engine_common.ImportGuard | None = None,
                      episodes: engine_common.EpisodeCheck | None = None,
                      opened: engine_common.OpenCaseCheck | None = None) -> None:
        if not cases:
            return
        conflicts.extend(self._patient_conflicts(conn, cases, identities))
        existing = dict(conn.execute("SELECT case_id, case_json FROM case_documents WHERE case_id = ANY(%s)",
                                     ([c.case_id for c in cases],)).fetchall())
        if episodes is not None:  # the one rule for "this case already exists" (domain.identity.same_episode)
            episodes.check(cases, existing, lambda ids: self._patients_cases(conn, ids))
        if opened is not None:
            opened.check(cases, existing, lambda ids: self._patients_cases(conn, ids))
        for case in cases:
            checked = engine_common.import_case_checked(case, existing.get(case.case_id),
                                                        lambda c: _case_rows(c, s, key),
                                                        lambda n: _next_entries(conn, n), legacy_decisions,
                                                        unchanged, guard, removals, acknowledged)
            if checked is None:
                continue
            case, before, (row, visits, decisions, canonical) = checked
            self._write_rows(conn, case, row, visits, decisions, canonical, now, replace=before is not None,
                             audit={"action": "import", "user": user}, outcome=_outcome_row(case, s),
                             history=history_rows(case, s, key))
            (added if before is None else updated).append(case.case_id)

    def _write_rows(self, conn, case: Case, row: dict, visits, decisions, canonical: str, now: str, replace: bool,
                    audit: Mapping[str, Any], outcome: tuple, history: list[tuple]) -> None:
        from radiculopathy_desktop.domain.intake import FORMAT_VERSION

        p = case.patient
        with conn.cursor() as cur:
            if replace:
                for table in ("visits", "decisions", "medicine_alerts", "case_fact_history"):
                    cur.execute(f"DELETE FROM {table} WHERE case_id = %s", (case.case_id,))
            cur.execute(_UPSERT_PATIENT, (p.id, p.name, p.birth_date.isoformat() if p.birth_date else None,
                                          p.age_years, p.sex, now))
            cur.execute(_UPSERT_CASE, tuple(row[c] for c in _CASE_COLUMNS) + (len(case.decisions), now, now))
            cur.execute(_UPSERT_DOCUMENT, (case.case_id, FORMAT_VERSION, canonical))
            cur.executemany(_INSERT_VISIT, visits)
            if decisions:
                cur.executemany(_INSERT_DECISION, decisions)
            alerts = _alert_rows(case)
            if alerts:
                cur.executemany(_INSERT_ALERT, alerts)
            cur.execute(outcome_upsert_sql("%s"), outcome)
            cur.executemany(_INSERT_HISTORY, history)
            # the worklist's copy of the name, on the patient's other cases: derived, not audited
            self._set_audit(conn, {"action": "derived"})
            cur.execute(_SYNC_PATIENT_NAME, (p.name, p.id, p.name))
            self._set_audit(conn, audit)
            cur.execute(_NOTIFY, (case.case_id,))

    def _patient_conflicts(self, conn, cases: Sequence[Case], seen: dict) -> list[str]:
        def other_case(case_id: str, patient_id: str):
            row = conn.execute(
                "SELECT p.name, p.birth_date, p.sex, (SELECT c.case_id FROM cases c WHERE c.patient_id = p.patient_id "
                "AND c.case_id <> %s ORDER BY c.case_id LIMIT 1) FROM patients p WHERE p.patient_id = %s",
                (case_id, patient_id)).fetchone()
            return None if row is None or row[3] is None else tuple(row)

        return engine_common.patient_conflicts(cases, seen, other_case)

    def patient_conflicts(self, cases: Sequence[Case], seen: dict | None = None) -> list[str]:
        with self._tx() as conn:
            return self._patient_conflicts(conn, cases, {} if seen is None else seen)

    def _write_case(self, conn, case: Case, now: str, audit: Mapping[str, Any]) -> None:
        s = self.get_settings()
        key = facts_key(s)
        row, visits, decisions, canonical = _case_rows(case, s, key)
        self._set_audit(conn, audit)
        self._write_rows(conn, case, row, visits, decisions, canonical, now, replace=True, audit=audit,
                         outcome=_outcome_row(case, s), history=history_rows(case, s, key))

    def get_case(self, case_id: str) -> Case:
        with self._tx() as conn:
            return self._load(conn, case_id)

    def _patients_cases(self, conn, patient_ids: Sequence[str]) -> list[Case]:
        """Every stored case of these patients, their IDs compared by ``domain.episodes.patient_key``
        (``p-josé`` is ``P-JoSÉ``, rt16 F2; the open-case rule's input), through the indexed
        ``cases.patient_key`` column (m009, ep17), as on SQLite."""
        from radiculopathy_desktop.domain.episodes import patient_key

        keys = sorted({patient_key(p) for p in patient_ids})
        rows = conn.execute("SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
                            "ON d.case_id = c.case_id WHERE c.patient_key = ANY(%s)", (keys,)).fetchall()
        return [self._parse_stored(cid, text) for cid, text in rows]

    def open_cases(self, patient_id: str, as_of: dt.date, exclude: str | None = None,
                   patient: Patient | None = None) -> list:
        """The patient's open cases on ``as_of`` (``domain.episodes.open_cases``), but ``exclude``;
        a new ID's person is ``patient`` as typed (``domain.identity.cases_of_person``)."""
        from radiculopathy_desktop.domain.episodes import open_cases
        from radiculopathy_desktop.domain.identity import cases_of_person

        with self._tx() as conn:
            cases = cases_of_person(self._patients_cases(conn, [patient_id]), patient_id, patient)
            settings = self.get_settings()
        return open_cases(cases, as_of, settings, exclude)

    def patient_cases(self, patient_id: str, exclude: str | None = None,
                      patient: Patient | None = None) -> list[Case]:
        """Every stored case of the patient (``domain.episodes.patient_key``), but ``exclude``,
        by case ID; a new ID's person is ``patient`` as typed (``domain.identity.cases_of_person``)."""
        from radiculopathy_desktop.domain.identity import cases_of_person

        with self._tx() as conn:
            cases = cases_of_person(self._patients_cases(conn, [patient_id]), patient_id, patient)
        return sorted((c for c in cases if c.case_id != exclude), key=lambda c: c.case_id)

    def has_case(self, case_id: str) -> bool:
        with self._tx() as conn:
            return conn.execute("SELECT 1 FROM cases WHERE case_id = %s", (case_id,)).fetchone() is not None

    def stored_ids(self) -> tuple[list[str], list[str]]:
        with self._tx() as conn:
            return ([r[0] for r in conn.execute("SELECT patient_id FROM patients")],
                    [r[0] for r in conn.execute("SELECT case_id FROM cases")])

    def case_revision(self, case_id: str) -> int:
        """The case's row version (raised by every change); pass it to :meth:`save_case`."""
        with self._tx() as conn:
            row = conn.execute("SELECT revision FROM cases WHERE case_id = %s", (case_id,)).fetchone()
        if row is None:
            raise CaseNotFound(case_id)
        return row[0]

    def save_case(self, case: Case, user: str, based_on_revision: int) -> Changes:
        """Replace a stored case with an edited one, only if nobody changed it since
        ``based_on_revision`` was read; otherwise ``StorageError`` kind ``conflict``
        saying who changed it and when, and nothing is written.

        The visits and decisions the edit adds are entered now, after every record the case
        holds, as an import enters them (:func:`engine_common.enter_records`, the one rule of
        both engines: records carry the order they were entered in, rt12 F2); those it holds
        keep their entry numbers."""
        now = _now()
        with self._tx({"action": "case_updated", "user": user,
                       "detail": {"visits": len(case.visits), "decisions": len(case.decisions)}}) as conn:
            row = conn.execute("SELECT revision, updated_by, updated_at FROM cases WHERE case_id = %s FOR UPDATE",
                               (case.case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case.case_id)
            if row[0] != based_on_revision:
                who = conn.execute("SELECT \"user\", db_role FROM audit WHERE case_id = %s ORDER BY id DESC LIMIT 1",
                                   (case.case_id,)).fetchone()
                name = row[1] if who is None else (who[0] if who[0] == who[1] else f"{who[0]} (login {who[1]})")
                raise conflict_error(case.case_id, name, row[2])
            before = conn.execute("SELECT case_json FROM case_documents WHERE case_id = %s",
                                  (case.case_id,)).fetchone()
            case = engine_common.enter_records(case, None if before is None else before[0],
                                               lambda n: _next_entries(conn, n))
            self._write_case(conn, case, now, {"action": "case_updated", "user": user,
                                               "detail": {"visits": len(case.visits),
                                                          "decisions": len(case.decisions)}})
        log.info("case saved")
        return Changes(case_ids=(case.case_id,), worklist=True, patients=True, case=case)

    def real_case_count(self) -> int:
        """How many cases are real patients' (not the demo cohort's, whose IDs start ``DEMO-``)."""
        with self._tx() as conn:
            return conn.execute("SELECT count(*) FROM cases WHERE case_id NOT LIKE %s",
                                (DEMO_PREFIX + "%",)).fetchone()[0]

    def case_count(self, intake_from: dt.date | None = None, intake_to: dt.date | None = None) -> int:
        with self._tx() as conn:
            if intake_from is not None and intake_to is not None:
                return conn.execute("SELECT count(*) FROM cases WHERE intake_date BETWEEN %s AND %s",
                                    (intake_from.isoformat(), intake_to.isoformat())).fetchone()[0]
            return conn.execute("SELECT count(*) FROM cases").fetchone()[0]

    def pregnancy_records(self) -> dict[str, list]:
        """case_id -> its recorded pregnancy answers (``cases.pregnancy``, m009), for the cases recording one."""
        with self._tx() as conn:
            return {case_id: json.loads(text) for case_id, text in conn.execute(
                "SELECT case_id, pregnancy FROM cases WHERE pregnancy IS NOT NULL").fetchall()}

    def iter_cases(self, batch: int = 1000, intake_from: dt.date | None = None,
                   intake_to: dt.date | None = None, validate: bool = False) -> Iterator[Case]:
        """Every case in case_id order (byte order, as the SQLite store), read in batches."""
        read = self._parse_stored if validate else self._read_stored
        last = ""
        period = intake_from is not None and intake_to is not None
        # Each batch runs unprepared, planned for its own position and period: from the fifth
        # batch psycopg would prepare the statement, and PostgreSQL then settles on a generic
        # plan that cannot know how many cases lie after ``last`` or in the period. For the
        # period's read that plan probed every case of the period through the case_documents
        # key on every batch (30,357 buffers against 2,287 at 10,000 cases, twice the server
        # CPU; PostgreSQL chose it from the sixth batch on); for the whole list the generic plan
        # is a parallel scan (kept custom at 10,000 cases, not at every size). The worklist's
        # statements run unprepared for the same reason (pg15: storage/pg/worklist.py ``_run``).
        while True:
            with self._tx() as conn:
                if period:
                    rows = conn.execute(
                        "SELECT d.case_id, d.case_json FROM case_documents d JOIN cases c ON c.case_id = d.case_id "
                        "WHERE d.case_id COLLATE \"C\" > %s AND c.intake_date BETWEEN %s AND %s "
                        "ORDER BY d.case_id COLLATE \"C\" LIMIT %s",
                        (last, intake_from.isoformat(), intake_to.isoformat(), batch), prepare=False).fetchall()
                else:
                    rows = conn.execute(
                        "SELECT case_id, case_json FROM case_documents WHERE case_id COLLATE \"C\" > %s "
                        "ORDER BY case_id COLLATE \"C\" LIMIT %s", (last, batch), prepare=False).fetchall()
            if not rows:
                return
            for cid, text in rows:
                yield read(cid, text)
            last = rows[-1][0]

    def outcome_facts(self, intake_from: dt.date, intake_to: dt.date) -> list[tuple[str, Any]]:
        """Every case with its intake in the period, with its stored outcome facts (the Outcomes view)."""
        with self._tx() as conn:
            return outcome_rows_in_period(lambda sql, params: conn.execute(sql, params).fetchall(),
                                          intake_from, intake_to, "%s")

    def outcome_counts(self, intake_from: dt.date, intake_to: dt.date, as_of: dt.date,
                       settings: ReviewSettings) -> tuple[Any, list[str]]:
        """The period's outcome numbers counted in SQL; see ``CaseStore.outcome_counts``."""
        with self._tx() as conn:
            return outcome_counts(lambda sql, params: conn.execute(sql, params).fetchall(),
                                  lambda name: f"%({name})s", intake_from, intake_to, as_of, settings)

    def review(self, case_id: str, as_of: dt.date, settings: ReviewSettings | None = None) -> SurgicalReview:
        return surgical_review(self.get_case(case_id), as_of, settings or self.get_settings())

    def _add_to_case(self, case_id: str, user: str, action: str, detail: dict, change,
                     write_key: str | None = None, record=None, check=None) -> Changes:
        from radiculopathy_desktop.domain.intake import ValidationError

        now = _now()
        detail = {**detail, **engine_common.keyed_detail(write_key, record)}
        audit = {"action": action, "user": user, "detail": detail}
        with self._tx(audit) as conn:
            case = self._load(conn, case_id, lock=True)  # waits for another workstation's write to this case
            # Under the case row's lock: a second save with the same key (a retry after the
            # connection dropped before the commit was confirmed, a second click, the replay
            # of a draft kept offline) waits for the first and then finds it.
            entry = self._keyed_entry(conn, case_id, write_key) if write_key is not None else None
            if entry is not None:
                held = case.visits if action == "visit_added" else case.decisions
                saved = engine_common.check_same_keyed_record(entry[0], entry[1], action, detail, record=record,
                                                              held=held)
                log.info("already saved with the same write key: not saved twice")
                return Changes(case_ids=(case_id,), worklist=True, case=case, already_saved=True, saved_record=saved)
            try:
                # entered now, after every record the case holds (rt12 F2); under the case's lock
                updated = change(case, dataclasses.replace(record, entry=_next_entries(conn, 1)[0]))
            except ValidationError as exc:
                raise exc.with_context(f"case {case_id}") from None
            extra = check(conn, case, updated) if check is not None else {}
            if extra:  # what the check adds to the audit entry (a re-opening made deliberately, rt16 F2)
                audit = {**audit, "detail": {**detail, **extra}}
                self._set_audit(conn, audit)
            self._write_case(conn, updated, now, audit)
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    def set_medicines(self, case_id: str, medicines: Sequence, user: str, *, shown: Sequence) -> Changes:
        """Replace the case's current medicines, as the SQLite store does (``Store.set_medicines``):
        under the case row's lock (a second workstation's save waits, then finds the list changed
        and is refused), audited ``medicines_changed`` with the lists before and after."""
        from radiculopathy_desktop.domain import medicine_edit
        from radiculopathy_desktop.domain.intake import ValidationError

        medicines = tuple(medicines)
        now = _now()
        with self._tx() as conn:
            case = self._load(conn, case_id, lock=True)
            medicine_edit.check_unchanged(case, tuple(shown))
            try:
                updated = medicine_edit.with_medicines(case, medicines)
            except ValidationError as exc:
                raise exc.with_context(f"case {case_id}") from None
            if updated.intake.medicines == case.intake.medicines:
                return Changes(case_ids=(case_id,), case=case)  # nothing changed: nothing written or audited
            audit = {"action": medicine_edit.MEDICINES_CHANGED, "user": user,
                     "detail": medicine_edit.audit_detail(case.intake.medicines, updated.intake.medicines)}
            self._write_case(conn, updated, now, audit)
        log.info("medicines of a case corrected")
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    def set_conditions(self, case_id: str, conditions, user: str, *, shown) -> Changes:
        """Replace the case's conditions, as the SQLite store does (``Store.set_conditions``):
        under the case row's lock, audited ``conditions_changed`` with the conditions before and after."""
        from radiculopathy_desktop.domain import conditions_edit

        now = _now()
        with self._tx() as conn:
            case = self._load(conn, case_id, lock=True)
            corrected = conditions_edit.correction(case, shown, conditions, case_id)
            if corrected is None:
                return Changes(case_ids=(case_id,), case=case)  # nothing changed: nothing written or audited
            updated, detail = corrected
            audit = {"action": conditions_edit.CONDITIONS_CHANGED, "user": user, "detail": detail}
            self._write_case(conn, updated, now, audit)
        log.info("conditions of a case corrected")
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    def _keyed_entry(self, conn, case_id: str, write_key: str):
        """The audit entry's (action, detail_json) of the visit or decision saved with ``write_key``."""
        return conn.execute(
            "SELECT action, detail_json FROM audit WHERE case_id = %s AND action = ANY(%s) "
            "AND lower((detail_json::jsonb) ->> %s) = %s LIMIT 1",
            (case_id, list(engine_common.KEYED_ACTIONS), engine_common.WRITE_KEY,
             engine_common.checked_write_key(write_key))).fetchone()

    def _written(self, conn, case_id: str, write_key: str) -> bool:
        return self._keyed_entry(conn, case_id, write_key) is not None

    def written(self, case_id: str, write_key: str) -> bool:
        """True when a visit or decision carrying ``write_key`` is saved on this case."""
        with self._tx() as conn:
            return self._written(conn, case_id, engine_common.checked_write_key(write_key))

    def keyed_record_state(self, case_id: str, write_key: str) -> str:
        """Where the visit or decision saved with ``write_key`` is (see ``Store.keyed_record_state``):
        "none", "on_case" or "replaced"."""
        with self._tx() as conn:
            entry = self._keyed_entry(conn, case_id, engine_common.checked_write_key(write_key))
            if entry is None:
                return "none"
            return engine_common.keyed_record_state(entry[0], entry[1], self._load(conn, case_id))

    def add_visit(self, case_id: str, visit: FollowUpVisit, user: str, *, write_key: str | None = None,
                  typed_as: str | None = None) -> Changes:
        """Add a follow-up visit (validated against the case as the importer would).

        ``write_key`` (server only): a key the window made once for this visit; a save
        carrying a key already saved on the case writes nothing and succeeds, so a retry
        after a dropped connection, a second click or a replayed offline draft saves it
        exactly once. The key is kept in the audit entry's detail; so is ``typed_as``, the kept
        copy's typist when not ``user`` (``engine_common.TYPED_AS``)."""
        engine_common.refuse_broken_text(visit, "visit")  # not storable: said, nothing written (rt17 F13)
        change = self._add_to_case(case_id, user, "visit_added", {
            "date": visit.date.isoformat(), "leg_nrs": visit.leg_nrs, "back_nrs": visit.back_nrs,
            "odi_percent": visit.odi_percent, "rmdq": visit.rmdq, **engine_common.visit_pregnancy_detail(visit),
            **engine_common.typed_as_detail(typed_as, user)},
            # old decisions name what they acknowledge before a record is added (rt10 F11)
            lambda case, visit: freeze_legacy_acknowledgements(case).with_visit(visit), write_key, visit,
            # a contradiction with another case of the patient's pregnancy, kept in the entry (gp17 F5)
            check=(lambda conn, case, updated: engine_common.visit_pregnancy_differs(
                case, updated, self._patients_cases(conn, [case.patient.id]), visit.date)) if visit.pregnancy is not None
            else None)
        log.info("visit added to a case")
        return change

    def record_decision(self, case_id: str, decision: Decision, user: str,
                        acknowledged_red_flags: Mapping[str, Any] | None = None, *,
                        write_key: str | None = None, unanswered_confirmed: Sequence[str] = (),
                        open_case_as_of: dt.date | None = None,
                        new_episode: "bool | Iterable[str]" = False, typed_as: str | None = None) -> Changes:
        """Record a decision; ``write_key`` and ``typed_as`` as in :meth:`add_visit`; ``open_case_as_of``
        and ``new_episode`` as in the SQLite store (one open case per patient, rt16 F2)."""
        engine_common.refuse_broken_text(decision, "decision")  # not storable: said, nothing written (rt17 F13)
        decision, detail = engine_common.decision_to_write(decision, acknowledged_red_flags, unanswered_confirmed)
        detail |= engine_common.typed_as_detail(typed_as, user)
        settings = self.get_settings() if open_case_as_of is not None else None
        reopened: list = []

        def check(conn, before: Case, after: Case) -> dict:
            if open_case_as_of is None:
                return {}
            from radiculopathy_desktop.domain.episodes import NEW_EPISODE_AUDIT_KEY

            reopened.extend(engine_common.reopen_check(before, after, open_case_as_of, settings,
                                                       lambda ids: self._patients_cases(conn, ids), new_episode))
            return {NEW_EPISODE_AUDIT_KEY: list(reopened)} if reopened else {}

        change = self._add_to_case(case_id, user, "decision_recorded", detail,
                                   lambda case, decision: case.with_decision(
                                       engine_common.typed_against_kept(decision, case)), write_key, decision,
                                   check=check)
        log.info("decision recorded on a case")
        return change.replace(new_episode_while_open=tuple(reopened)) if reopened else change

    # ---- assessments
    def save_assessment(self, case_id: str, assessment: Mapping[str, Any], *, visit_date: dt.date,
                        content_version: str, user: str) -> Changes:
        if not content_version:
            raise UserError("An assessment must carry the guideline content version it was made with.")
        text = _json(dict(assessment))
        with self._tx({"action": "assessment_saved", "user": user}) as conn:
            if conn.execute("SELECT 1 FROM cases WHERE case_id = %s", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            conn.execute("INSERT INTO assessments (case_id, visit_date, content_version, assessment_json, "
                         "created_at, created_by) VALUES (%s, %s, %s, %s, %s, %s)",
                         (case_id, visit_date.isoformat(), content_version, text, _now(), user))
        return Changes(case_ids=(case_id,), assessments=True)

    def assessments(self, case_id: str) -> list[StoredAssessment]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, case_id, visit_date, content_version, assessment_json, created_at, created_by "
                "FROM assessments WHERE case_id = %s ORDER BY visit_date, id", (case_id,)).fetchall()
        return [StoredAssessment(r[0], r[1], dt.date.fromisoformat(r[2]), r[3], json.loads(r[4]), r[5], r[6])
                for r in rows]

    # ---- worklist
    def worklist(self, as_of: dt.date, statuses: Iterable[ReviewStatus | str] | None = None,
                 search: str | None = None, settings: ReviewSettings | None = None,
                 limit: int | None = None, offset: int = 0, profile: str = "us",
                 medicine_alerts_only: bool = False, today: dt.date | None = None) -> list[WorklistRow]:
        s = settings or self.get_settings()
        differs = self._pregnancy_differs(as_of, profile, today) if medicine_alerts_only else None
        with self._tx() as conn:
            ids = (pgwl.alert_case_ids(conn, as_of, profile) | wl.listed_for_pregnancy(differs)
                   if medicine_alerts_only else None)
            rows = pgwl.query(self, conn, as_of, s, statuses=statuses, search=search, limit=limit, offset=offset,
                              profile=profile, case_ids=ids)
        if differs is None:  # only the rows' own patients can differ on a row (st20)
            differs = self._pregnancy_differs(as_of, profile, today, on=[r.case_id for r in rows])
        return wl.attach_pregnancy_differs(rows, differs)

    def _pregnancy_differs(self, as_of: dt.date, profile: str, today: dt.date | None = None,
                           on: "Sequence[str] | None" = None) -> dict:
        """``storage.worklist.pregnancy_differs_cases`` of the patients who may have one (``on``: only
        the patients of these cases; an empty list: none)."""
        if on is not None and not on:
            return {}
        with self._tx() as conn:
            if on is None:
                found = conn.execute(wl.PREGNANCY_CANDIDATES_SQL).fetchall()
            elif len(on) >= wl.PREGNANCY_SCAN_FROM:  # a long list: its few candidates, not every listed ID sent
                found = wl.listed_pregnancy_candidates(conn, on, lambda keys: conn.execute(
                    "SELECT patient_key, case_id FROM cases WHERE patient_key = ANY(%s)", (keys,)).fetchall())
            else:
                found = conn.execute(wl.PREGNANCY_CANDIDATES_SQL.replace("%", "%%")  # a parameter follows
                                     + " AND c.patient_key IN (SELECT p.patient_key FROM cases p "
                                       "WHERE p.case_id = ANY(%s))", (list(on),)).fetchall()
            found = wl.pregnancy_candidates(found, as_of)
        return wl.pregnancy_differs_cases(self, found, as_of, profile, today) if found else {}

    @contextlib.contextmanager
    def reader(self) -> Iterator["PgStore"]:
        """This store, for one worker thread (the contract's ``reader``): the pool gives the
        thread a connection of its own, and every transaction the thread opens inside the
        ``with`` is READ ONLY (the flag is the thread's: the window's writes are not touched)."""
        was = getattr(self._local, "reading", False)
        self._local.reading = True
        me = threading.get_ident()
        if not was:
            with self._reading_lock:
                self._readers.add(me)
        try:
            yield self
        finally:
            self._local.reading = was
            if not was:
                with self._reading_lock:
                    self._readers.discard(me)
                    self._reading_stopped.discard(me)

    def interrupt(self) -> None:
        """From any thread: stop what the reader threads (``with store.reader()``) are reading
        now, the window closing: each one's running statement is cancelled on the server (a
        read waiting for another session's lock too, which would otherwise wait as long as the
        lock is held), and its next read fails at once (sav21). The window's own transactions
        (not readers) are never touched."""
        with self._reading_lock:
            self._reading_stopped.update(self._readers)
            conns = list(self._reading.values())
        for conn in conns:
            try:
                cancel = getattr(conn, "cancel_safe", None) or conn.cancel
                cancel()
            except Exception as exc:  # noqa: BLE001 - a connection already gone: nothing runs on it
                log.info("clinic server: a reader's statement could not be cancelled (%s)", type(exc).__name__)

    def medicine_alert_count(self, as_of: dt.date, statuses: Iterable[ReviewStatus | str] | None = None,
                             profile: str = "us", settings: ReviewSettings | None = None) -> int:
        """How many cases the Medicine alerts filter lists (``len(worklist(..., medicine_alerts_only=True))``):
        the alert cases found by the server from the stored spans, their rows not built (wl18)."""
        s = settings or self.get_settings()
        also = wl.listed_for_pregnancy(self._pregnancy_differs(as_of, profile))
        with self._tx() as conn:
            ids = pgwl.alert_case_ids(conn, as_of, profile) | also
            return len(pgwl.query(self, conn, as_of, s, statuses=statuses, profile=None, case_ids=ids))

    def status_counts(self, as_of: dt.date, settings: ReviewSettings | None = None) -> dict[ReviewStatus, int]:
        s = settings or self.get_settings()
        with self._tx() as conn:
            return pgwl.counts(self, conn, as_of, s)

    # ---- patients
    def search_patients(self, text: str, limit: int = 50) -> list[PatientMatch]:
        from radiculopathy_desktop.domain.episodes import patient_key
        from radiculopathy_desktop.domain.identity import same_person
        from radiculopathy_desktop.storage.worklist import escape_like

        like = "%" + escape_like(text.strip()) + "%"
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT p.patient_id, p.name, p.birth_date, p.age_years, p.sex, "
                "       ARRAY(SELECT c.case_id FROM cases c WHERE c.patient_id = p.patient_id "
                "             ORDER BY c.intake_date, c.case_id COLLATE \"C\") "
                "FROM patients p WHERE p.name ILIKE %(q)s OR p.patient_id ILIKE %(q)s "
                "   OR p.patient_id IN (SELECT patient_id FROM cases WHERE case_id ILIKE %(q)s "
                "                       OR patient_key LIKE %(key)s) "
                "ORDER BY lower(p.name) COLLATE \"C\", p.patient_id COLLATE \"C\" LIMIT %(limit)s",
                {"q": like, "key": "%" + escape_like(patient_key(text.strip())) + "%", "limit": limit}).fetchall()
            # every ID one patient was typed with (cases.patient_key, m009; id18), as on SQLite

            have = {r[0] for r in rows}
            if have:
                rows += [r for r in conn.execute(
                    "SELECT p.patient_id, p.name, p.birth_date, p.age_years, p.sex, "
                    "       ARRAY(SELECT c.case_id FROM cases c WHERE c.patient_id = p.patient_id "
                    "             ORDER BY c.intake_date, c.case_id COLLATE \"C\") "
                    "FROM patients p WHERE p.patient_id IN (SELECT patient_id FROM cases WHERE patient_key = ANY(%s)) "
                    "ORDER BY lower(p.name) COLLATE \"C\", p.patient_id COLLATE \"C\"",
                    (sorted({patient_key(p) for p in have}),)).fetchall()
                    if r[0] not in have and any(same_person(_row_patient(m), _row_patient(r)) for m in rows)]
        return [PatientMatch(r[0], r[1], dt.date.fromisoformat(r[2]) if r[2] else None, r[3], r[4], tuple(r[5]))
                for r in rows]

    # ---- audit
    def audit(self, case_id: str | None = None, limit: int | None = None,
              newest_first: bool = False) -> list[PgAuditEntry]:
        """See ``Store.audit``; each entry also names the database login that made it."""
        sql = 'SELECT id, at, "user", action, case_id, detail_json, db_role FROM audit'
        params: list[Any] = []
        if case_id is not None:
            sql += " WHERE case_id = %s"
            params.append(case_id)
        sql += " ORDER BY id DESC" if newest_first else " ORDER BY id"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with self._tx() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [PgAuditEntry(r[0], r[1], r[2], r[3], r[4], _detail(r[5]), role=r[6]) for r in rows]

    def latest_audit(self, action: str) -> PgAuditEntry | None:
        """See ``Store.latest_audit``."""
        with self._tx() as conn:
            r = conn.execute('SELECT id, at, "user", action, case_id, detail_json, db_role FROM audit '
                             "WHERE case_id IS NULL AND action = %s ORDER BY id DESC LIMIT 1", (action,)).fetchone()
        return None if r is None else PgAuditEntry(r[0], r[1], r[2], r[3], r[4], _detail(r[5]), role=r[6])

    def audit_count(self, case_id: str | None = None) -> int:
        """How many audit entries there are (for one case, or all)."""
        with self._tx() as conn:
            if case_id is None:
                return conn.execute("SELECT count(*) FROM audit").fetchone()[0]
            return conn.execute("SELECT count(*) FROM audit WHERE case_id = %s", (case_id,)).fetchone()[0]

    def record_audit(self, user: str, action: str, case_id: str | None,
                     detail: Mapping[str, Any] | None = None) -> Changes:
        if action not in self.AUDITED_ACTIONS:
            raise ValueError(f"not an audited access action: {action}")
        with self._tx() as conn:
            conn.execute("SELECT radiculopathy_record_access(%s, %s, %s, %s)",
                         (user, action, case_id, _json(dict(detail or {}))))
        return Changes(case_ids=(case_id,) if case_id else ())

    # ---- settings
    def _raw_setting(self, key: str, default: Any = None) -> Any:
        with self._tx() as conn:
            row = conn.execute("SELECT value_json FROM settings WHERE key = %s", (key,)).fetchone()
        return default if row is None else decode_stored_json(row[0])  # names written twice kept (rt10 F9)

    def get_settings(self) -> ReviewSettings:
        """The review settings. Kept in memory, but checked against the server on every call:
        another workstation (an admin's Settings) may have changed them. The check is the
        settings row's version (``xmin``, new with every update) in one small query, and
        the stored value is parsed again only when that changed (the SQLite store checks
        ``PRAGMA data_version`` the same way)."""
        with self._tx() as conn:
            row = conn.execute("SELECT xmin::text, value_json FROM settings WHERE key = 'review'").fetchone()
        version = None if row is None else row[0]
        cached = self._settings_cache
        if cached is not None and self._settings_version == version:
            return cached
        settings = engine_common.review_settings_from_text(None if row is None else row[1], REVIEW_SETTING_NAMES)
        self._settings_cache, self._settings_version = settings, version
        return settings

    def set_settings(self, values: Mapping[str, Any], user: str) -> Changes:
        """Change review settings (admin login); see ``CaseStore.set_settings``."""
        now = _now()
        self._settings_cache = None
        try:
            with self._tx() as conn:
                conn.execute("LOCK TABLE settings IN SHARE ROW EXCLUSIVE MODE")
                before = self.get_settings()
                after = before.updated(dict(values))
                defaults = default_review_settings()
                stored = {k: getattr(after, k) for k in REVIEW_SETTING_NAMES if getattr(after, k) != getattr(defaults, k)}
                changed = {k: [getattr(before, k), getattr(after, k)] for k in REVIEW_SETTING_NAMES
                           if getattr(before, k) != getattr(after, k)}
                self._set_audit(conn, {"action": "settings_changed", "user": user, "detail": changed})
                conn.execute(_UPSERT_SETTING, ("review", _json(stored), now))
                conn.execute(_NOTIFY, ("",))
                if facts_key(before) != facts_key(after):
                    self._set_audit(conn, {"action": "derived"})
                    self._recompute(conn, after, only_stale=False)  # the review facts and the outcome facts
                elif _outcome_key(before) != _outcome_key(after):  # the review window: the outcome facts only
                    key = _outcome_key(after)
                    for chunk in _stored_chunks(conn):
                        with conn.cursor() as cur:
                            cur.executemany(outcome_upsert_sql("%s"), [
                                _outcome_row(self._parse_stored(cid, text), after, key) for cid, text in chunk])
        finally:
            self._settings_cache = None
        return Changes(settings=True, worklist=bool(changed))

    def _recompute(self, conn, s: ReviewSettings, only_stale: bool, history: bool = True) -> int:
        """Rewrite the review facts, the outcome facts and (with ``history``) the facts
        history of every case, or of those whose facts were made under other settings."""
        key = facts_key(s)
        outcome_key, done = _outcome_key(s), 0
        if history and not only_stale:
            conn.execute("DELETE FROM case_fact_history")  # every case's history, under the new settings
        # A chunk at a time (memory stays flat at any size); rewritten rows are no longer
        # stale, and the next chunk starts after the last case_id read: keyset-safe.
        for chunk in _stored_chunks(conn, stale_key=key if only_stale else None):
            updates, outcomes, spans = [], [], []
            for cid, text in chunk:
                case = self._parse_stored(cid, text)
                facts = _facts_columns(sqlite_store.review_facts(case, latest_event_date(case), s))
                updates.append(tuple(facts[n] for n in FACT_COLUMNS) + (sqlite_store.baseline_leg(case), key, cid))
                outcomes.append(_outcome_row(case, s, outcome_key))  # they depend on the same settings
                if history:
                    spans.extend(history_rows(case, s, key))
            with conn.cursor() as cur:
                cur.executemany(f"UPDATE cases SET {', '.join(f'{n} = %s' for n in FACT_COLUMNS)}, "
                                "baseline_leg_nrs = %s, facts_key = %s "
                                "WHERE case_id = %s", updates)
                cur.executemany(outcome_upsert_sql("%s"), outcomes)
                if history:
                    if only_stale:
                        cur.execute("DELETE FROM case_fact_history WHERE case_id = ANY(%s)", ([u[-1] for u in updates],))
                    cur.executemany(_INSERT_HISTORY, spans)
            done += len(updates)
        return done

    def _refresh_stale_facts(self, conn) -> int:
        return self._recompute(conn, self.get_settings(), only_stale=True)

    def refresh_stale_review_facts(self) -> int:
        key = facts_key(self.get_settings())
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE facts_key <> %s LIMIT 1", (key,)).fetchone() is None:
                return 0
        with self._tx({"action": "derived"}) as conn:
            return self._refresh_stale_facts(conn)

    def clinic_settings(self) -> ClinicSettings:
        """The clinic's name, address, country and default guideline profile (defaults when unset)."""
        keys = tuple(clinic.SETTING_KEYS.values())
        with self._tx() as conn:
            rows = conn.execute("SELECT key, value_json FROM settings WHERE key = ANY(%s)", (list(keys),)).fetchall()
        stored = {}
        for key, text in rows:
            try:
                stored[key] = json.loads(text)
            except ValueError:
                log.warning("a stored clinic setting is damaged; using its default")
        return clinic.from_stored(stored)

    def set_clinic_settings(self, settings: ClinicSettings, user: str) -> Changes:
        """See ``Store.set_clinic_settings`` (admin login). The server's trigger writes the
        audit entry of each changed setting row, each carrying every changed field's old and
        new value."""
        after = settings.validated(new_input=False)  # the new text was checked by ClinicSettings.updated (rt10 F8)
        now = _now()
        before = self.clinic_settings()
        changed = before.differences(after)
        if not changed:
            return Changes()
        detail = {clinic.SETTING_KEYS[k]: v for k, v in changed.items()}
        with self._tx({"action": "settings_changed", "user": user, "detail": detail}) as conn:
            for field_name in changed:
                value = getattr(after, field_name)
                key = clinic.SETTING_KEYS[field_name]
                if value is None:
                    conn.execute("DELETE FROM settings WHERE key = %s", (key,))
                else:
                    conn.execute(_UPSERT_SETTING, (key, _json(value), now))
            conn.execute(_NOTIFY, ("",))
        return Changes(settings=True, worklist="profile" in changed)

    # ---- settings kept by other storage helpers (the access lock, backups to keep)
    def setting(self, key: str, default: Any = None) -> Any:
        """See ``Store.setting``."""
        return self._raw_setting(key, default)

    def put_setting(self, key: str, value: Any, *, user: str, detail: Mapping[str, Any]) -> Changes:
        """See ``Store.put_setting``: audited (by the server's trigger) with ``detail``."""
        if key in sqlite_store._OWN_KEYS:
            raise ValueError(f"{key} is written through its own method, not put_setting")
        with self._tx({"action": "settings_changed", "user": user, "detail": dict(detail)}) as conn:
            conn.execute(_UPSERT_SETTING, (key, _json(value), _now()))
        return Changes(settings=True)

    def delete_setting(self, key: str, *, user: str, detail: Mapping[str, Any]) -> bool:
        """See ``Store.delete_setting``; False when unset."""
        if key in sqlite_store._OWN_KEYS:
            raise ValueError(f"{key} is written through its own method, not delete_setting")
        with self._tx({"action": "settings_changed", "user": user, "detail": dict(detail)}) as conn:
            return conn.execute("DELETE FROM settings WHERE key = %s", (key,)).rowcount > 0

    def forget_cached(self) -> None:
        """Drop what this store keeps in memory (the review settings)."""
        self._settings_cache = None

    def wait_for_write_lock(self) -> None:
        """Nothing to wait for: a server write never holds a connection the window reads through."""

    @property
    def path(self) -> None:
        """No database file: the data is on the clinic server."""
        return None

    @property
    def data_dir(self):
        """This workstation's local data folder (notes, the single-instance lock); the
        tracker itself is on the server."""
        from radiculopathy_desktop.storage.paths import resolve_data_dir
        return resolve_data_dir(None)

    # ---- drafts (per login)
    def save_draft(self, key: str, value: Any) -> Changes:
        with self._tx() as conn:
            conn.execute("INSERT INTO drafts (key, value_json, updated_at) VALUES (%s, %s, %s) "
                         "ON CONFLICT (owner, key) DO UPDATE SET value_json = EXCLUDED.value_json, "
                         "updated_at = EXCLUDED.updated_at", (key, _json(value), _now()))
        return Changes(drafts=True)

    def load_draft(self, key: str) -> Any | None:
        with self._tx() as conn:
            row = conn.execute("SELECT value_json FROM drafts WHERE owner = session_user AND key = %s",
                               (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def delete_draft(self, key: str) -> Changes:
        with self._tx() as conn:
            conn.execute("DELETE FROM drafts WHERE owner = session_user AND key = %s", (key,))
        return Changes(drafts=True)

    def list_drafts(self) -> list[tuple[str, str]]:
        with self._tx() as conn:
            return [tuple(r) for r in conn.execute(
                "SELECT key, updated_at FROM drafts WHERE owner = session_user "
                "ORDER BY updated_at DESC, key COLLATE \"C\"")]

    # ---- maintenance
    def quick_check(self) -> list[str]:
        """``["ok"]``, or what is wrong: schema version, missing tables."""
        problems = []
        version = self.schema_version()
        if version != pgschema.SCHEMA_VERSION:
            problems.append(f"schema version {version}, expected {pgschema.SCHEMA_VERSION}")
        with self._tx() as conn:
            present = {r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            missing = sorted(set(pgschema.TABLES) - present)
            if missing:
                problems.append("missing tables: " + ", ".join(missing))
            orphans = conn.execute("SELECT count(*) FROM cases c LEFT JOIN case_documents d USING (case_id) "
                                   "WHERE d.case_id IS NULL").fetchone()[0]
            if orphans:
                problems.append(f"{orphans} cases without their stored record")
        return problems or ["ok"]

    integrity_check = quick_check

    def row_counts(self) -> dict[str, int]:
        with self._tx() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in pgschema.TABLES}


def _row_patient(r) -> "Patient":
    """A patients row (id, name, birth date, age, sex, ...) as a Patient, for same_person."""
    from radiculopathy_desktop.domain.intake import Patient

    return Patient(id=r[0], name=r[1], birth_date=dt.date.fromisoformat(r[2]) if r[2] else None, sex=r[4])
