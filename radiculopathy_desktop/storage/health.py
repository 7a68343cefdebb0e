"""What state the database file is in, honestly: the ``check`` command.

:func:`diagnose` sorts the file at the database path into one of these states, without
writing to it (unless recovery is asked for) and without opening it other than through
SQLite (a plain ``open()``/``close()`` of the file would drop this process's SQLite
locks on it):

``healthy``         SQLite's quick (or full) integrity check passes and every table,
                    index and audit trigger of this version's schema is there.
``needs_recovery``  a write was interrupted (a crash, a power cut) and left a *hot
                    journal* beside the file. The database is not damaged: SQLite rolls
                    the unfinished change back by itself the next time the app writes
                    to it. ``recover=True`` (``check --recover``) does it now, then
                    checks.
``newer``           written by a newer version of Radiculopathy Desktop.
``not_ours``        not a Radiculopathy Desktop database (not SQLite at all, empty, or
                    another program's SQLite database).
``incomplete``      ours, but a table, index or audit trigger is missing (changed by
                    another tool, or a damaged schema): the audit trail or the data
                    cannot be trusted until it is restored.
``damaged``         SQLite's integrity check fails.

Before any of that, the path is looked at with ``stat``: a data folder that is a file,
a folder that cannot be read, a database path that is a pipe (FIFO), a device or a
folder is refused in words at once (opening a pipe would wait for a writer forever).

Exit codes (the ``check`` command): 0 healthy; 1 needs recovery (nothing is lost);
2 no database or an unusable path; 3 newer, not ours, incomplete or damaged.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
from functools import lru_cache
from pathlib import Path

from radiculopathy_desktop.domain import clinic
from radiculopathy_desktop.domain.settings import StoredSettingsProblem
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import engine_common
from radiculopathy_desktop.storage.backup_settings import KEEP_KEY
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.kept_apart import KEPT_APART_ACTION, STORED_PATIENTS_SQL, kept_apart_detail  # noqa: F401 (re-exported)
from radiculopathy_desktop.storage.paths import check_data_folder, database_path, kind_of_file
from radiculopathy_desktop.storage.stored_text import hidden_character_warnings

EXIT_CODES = {"healthy": 0, "needs_recovery": 1, "newer": 3, "not_ours": 3, "incomplete": 3, "damaged": 3}

#: SQLite's extended result codes for "a read-only connection found work it may not do":
#: a hot rollback journal (SQLITE_READONLY_ROLLBACK) or a WAL index to rebuild
#: (SQLITE_READONLY_RECOVERY). https://sqlite.org/rescode.html
_READONLY_ROLLBACK = 776
_READONLY_RECOVERY = 264


@dataclasses.dataclass(frozen=True)
class Health:
    state: str
    lines: tuple[str, ...]
    recovered: bool = False
    #: Stored records to correct, found by ``check --full`` (the database itself is sound):
    #: shown on the terminal only, never logged (they name cases).
    warnings: tuple[str, ...] = ()
    #: Stored settings that cannot be used (a damaged row, a value out of range): the
    #: defaults are used meanwhile; each is a ``domain.settings.StoredSettingsProblem``.
    settings: tuple = ()
    #: ``incomplete`` only: every missing object is derived data (the Medicine alerts index,
    #: rt22 F7) that ``check --full --repair`` makes again from the stored rows.
    repairable: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]


def check_database_path(path: Path) -> os.stat_result:
    """``stat`` of the database path, or a :class:`StorageError` for a missing or special file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StorageError(StorageErrorKind.MISSING, f"There is no database at {path}.", exit_code=2) from None
    except OSError as exc:
        raise StorageError(StorageErrorKind.PERMISSION, f"The database file could not be read ({exc.strerror}): {path}",
                           exit_code=2) from None
    if not stat.S_ISREG(st.st_mode):
        raise StorageError(StorageErrorKind.NOT_A_DATABASE, (
            f"The database path {path} is {kind_of_file(st.st_mode)}, not a database file; it was not opened. "
            "Move it aside or choose another folder with --data-dir."), exit_code=2)
    return st


@lru_cache(maxsize=1)
def expected_objects() -> frozenset[tuple[str, str]]:
    """(type, name) of every table, index and trigger a current database has: built by
    running the migrations on an empty in-memory database."""
    conn = sqlite3.connect(":memory:")
    try:
        schema.migrate(dbmod.Database(conn))
        return _objects(conn)
    finally:
        conn.close()


def _objects(conn: sqlite3.Connection) -> frozenset[tuple[str, str]]:
    return frozenset((t, n) for t, n in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') "
        "AND name NOT LIKE 'sqlite_%'"))


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    conn = sqlite3.connect(dbmod.sqlite_uri(path, mode), uri=True, timeout=5)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _recover(path: Path) -> None:
    """Let SQLite roll back a hot journal: a read on a writable connection does it."""
    with dbmod.sqlite_errors(path):
        conn = _connect(path, "rw")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def diagnose(data_dir: str | os.PathLike | None = None, full: bool = False, recover: bool = False) -> Health:
    """The state of the database in ``data_dir`` (see the module documentation).

    Raises :class:`StorageError` for no database, an unusable path, a locked file or a
    disk error (nothing can be said about the data then)."""
    path = database_path(data_dir)
    check_data_folder(path.parent)
    st = check_database_path(path)
    if st.st_size == 0:
        return Health("not_ours", (f"{path} is an empty file, not a Radiculopathy Desktop database.",))
    recovered = False
    for attempt in range(2):
        try:
            conn = _connect(path, "ro")
        except sqlite3.Error as exc:
            return _sqlite_failure(exc, path)
        try:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if code in (_READONLY_ROLLBACK, _READONLY_RECOVERY):
                    if recover and attempt == 0:
                        conn.close()
                        _recover(path)
                        recovered = True
                        continue
                    return Health("needs_recovery", (
                        "A change was interrupted (a crash or power cut) and left its journal "
                        f"({path.name}-journal) beside the database. The database is not damaged: SQLite undoes "
                        "the unfinished change by itself the next time the app or a command writes to it, and "
                        "every save reported before it is kept.",
                        "To do it now: radiculopathy-desktop check --recover"))
                return _sqlite_failure(exc, path)
            return _examine(conn, path, full, recovered)
        finally:
            conn.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _sqlite_failure(exc: sqlite3.Error, path: Path) -> Health:
    mapped = dbmod.translate(exc, path)
    if mapped is not None and mapped.kind == StorageErrorKind.NOT_A_DATABASE:
        return Health("not_ours", (f"{path} is not an SQLite database (wrong or missing header).",))
    if mapped is not None and mapped.kind in (StorageErrorKind.LOCKED, StorageErrorKind.PERMISSION, StorageErrorKind.IO, StorageErrorKind.DISK_FULL):
        raise mapped from None
    return Health("damaged", (f"SQLite reports: {exc}",))


def _examine(conn: sqlite3.Connection, path: Path, full: bool, recovered: bool) -> Health:
    try:
        dbmod._check_schema(conn, path)
    except StorageError as exc:
        if exc.kind == StorageErrorKind.NEWER_SCHEMA:
            return Health("newer", (exc.message,), recovered)
        if exc.kind == StorageErrorKind.NOT_A_DATABASE:
            return Health("not_ours", (exc.message,), recovered)
        if exc.kind != StorageErrorKind.CORRUPT:  # a missing table: listed in detail below
            raise
    except sqlite3.Error as exc:
        return _sqlite_failure(exc, path)
    try:
        pragma = "integrity_check" if full else "quick_check"
        result = tuple(r[0] for r in conn.execute(f"PRAGMA {pragma}"))
    except sqlite3.Error as exc:
        return _sqlite_failure(exc, path)
    if result != ("ok",):
        return Health("damaged", result, recovered)
    present = _objects(conn)
    if not present:
        return Health("not_ours", (f"{path} is an SQLite database with no tables, not a Radiculopathy Desktop "
                                   "database.",), recovered)
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if schema.pending_names(conn) and user_version < schema.SCHEMA_VERSION:
        notes = ("ok (an older schema: this version upgrades it, after a checked backup, when it next opens it)",)
        older = stored_record_warnings(conn) if full and ("table", "case_documents") in present else ()
        return Health("healthy", notes, recovered, older)
    missing = sorted(expected_objects() - present)
    if missing:
        lines = []
        derived = sorted(n for t, n in missing if (t, n) in schema.ALERT_INDEX_OBJECTS)
        tables = [n for t, n in missing if t == "table" and n not in derived]
        triggers = [n for t, n in missing if t == "trigger" and n not in derived]
        indexes = [n for t, n in missing if t == "index" and n not in derived]
        if tables:
            lines.append(f"missing table(s): {', '.join(tables)}: the data they hold is gone from this file.")
        if triggers:
            lines.append(f"missing audit trigger(s): {', '.join(triggers)}: the audit table is no longer "
                         "protected against changes and deletions, so the access record cannot be trusted.")
        if indexes:
            lines.append(f"missing index(es): {', '.join(indexes)}.")
        if derived:  # rt22 F7: derived data, never a reason to restore a backup
            lines.append(alert_index_missing_line(derived, repairable=not (tables or triggers or indexes)))
        return Health("incomplete", tuple(lines), recovered, repairable=not (tables or triggers or indexes))
    return Health("healthy", ("ok",), recovered, stored_record_warnings(conn) if full else (),
                  stored_settings_problems(conn))


def stored_settings_problems(conn: sqlite3.Connection) -> tuple:
    """The stored settings a command or the window cannot use (red-team rt7 R3): the review
    settings row (not JSON, not named values, a value out of range) and the other settings
    `settings set` writes (the clinic's details, backup_keep) that are not JSON. Each is used
    at its default meanwhile, so this is a warning: the database itself is sound."""
    settable = {*clinic.SETTING_KEYS.values(), KEEP_KEY}
    try:
        rows = conn.execute("SELECT key, value_json FROM settings ORDER BY key").fetchall()
    except sqlite3.Error:  # no settings table: listed as a missing table above
        return ()
    found: list = []
    for key, text in rows:
        if key == "review":
            found.extend(engine_common.read_review_settings(text, engine_common._review_names())[1])
        elif key in settable:
            try:
                json.loads(text)
            except (ValueError, TypeError, RecursionError):
                found.append(StoredSettingsProblem((key,), f'{key}: the stored value (the settings row "{key}") '
                                                           f"could not be read: {engine_common.NOT_JSON}",
                                                   "its default is used"))
    return tuple(found)


#: At most this many stored-record warnings are listed (the rest are counted).
MAX_WARNINGS = 50


def stored_record_warnings(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Stored cases whose typed age contradicts the birth date on the intake date
    (``domain.intake.age_disagreement``), one line each naming the case id.

    A new intake, import or assessment refuses such a case; one stored before that check
    stays readable (the birth date is used), so it is listed here to be corrected rather
    than made unreadable. Read with SQLite's JSON functions: no case is parsed whole."""
    import datetime as dt

    from radiculopathy_desktop.domain.intake import age_disagreement

    found: list[str] = []
    more = 0
    try:
        rows = conn.execute(
            "SELECT case_id, json_extract(case_json, '$.patient.birth_date'), "
            "json_extract(case_json, '$.patient.age_years'), json_extract(case_json, '$.visit_date') "
            "FROM case_documents WHERE json_valid(case_json) "
            "AND json_type(case_json, '$.patient.birth_date') = 'text' "
            "AND json_type(case_json, '$.patient.age_years') = 'integer' ORDER BY case_id")
        for case_id, birth, age, visit in rows:
            try:
                clash = age_disagreement(dt.date.fromisoformat(birth), age, dt.date.fromisoformat(visit))
            except (TypeError, ValueError):  # not a date: the record itself is checked when it is read
                continue
            if clash is None:
                continue
            if len(found) >= MAX_WARNINGS:
                more += 1
                continue
            found.append(f"case {case_id}: patient.age_years: {clash}. Stored before new cases were checked for "
                         "this: correct it in the case's record.")
    except sqlite3.Error as exc:
        return (f"the stored cases' ages could not be checked: {exc}",)
    if more:
        found.append(f"... and {more} more case(s) whose age contradicts the birth date")
    return (tuple(found) + stored_hidden_character_warnings(conn) + stored_dose_warnings(conn)
            + stored_held_apart_warnings(conn) + alert_span_warnings(conn))


def alert_span_lines(kept, recomputed, *, server: bool = False) -> tuple[str, ...]:
    """The ``check --full`` line (both engines) when the Medicine alerts index
    (``medicine_alert_spans``, m012) is not what the stored medicine alerts hold: ``kept`` and
    ``recomputed`` are (case_id, profile, from_ord, until_ord) rows. A missing span is a case the
    Medicine alerts filter and count leave out (H-DATA-327)."""
    cases = schema.alert_span_cases(kept, recomputed)
    if not cases:
        return ()
    named = ", ".join(cases[:MAX_WARNINGS]) + (f" and {len(cases) - MAX_WARNINGS} more" if len(cases) > MAX_WARNINGS
                                                 else "")
    repair = ("`radiculopathy-desktop server check --full --repair` with an admin login makes the index again "
              "from the stored alerts" if server else
              "`radiculopathy-desktop check --full --repair` makes the index again from the stored alerts (on a "
              "clinic server: `radiculopathy-desktop server check --full --repair` with an admin login)")
    return (f"the Medicine alerts index (medicine_alert_spans) differs from the stored medicine alerts for "
            f"{len(cases)} case(s): {named}. The Medicine alerts filter and its count may leave them out; the "
            f"cases' own pages are right. Nothing was changed: {repair}.",)


def alert_index_missing_line(names, repairable: bool) -> str:
    """The ``check`` line for missing objects of the Medicine alerts index (m012): they are derived
    from the stored medicine alerts, so nothing recorded is lost (rt22 F7)."""
    what = ("`radiculopathy-desktop check --full --repair` makes it again from the stored alerts (audited); "
            "no backup needs restoring for it" if repairable else
            "it can be made again from the stored alerts by `radiculopathy-desktop check --full --repair` once "
            "the rest of the structure is sound")
    return (f"missing part of the Medicine alerts index: {', '.join(names)}. It is derived from the stored medicine "
            "alerts, so no recorded data is lost; until it is made again the Medicine alerts filter and its count, "
            f"and saving a case, may fail or miss cases. {what[0].upper()}{what[1:]}.")


@dataclasses.dataclass(frozen=True)
class AlertIndexRepair:
    """What ``check --full --repair`` did to the Medicine alerts index (``medicine_alert_spans``,
    m012: derived from the stored medicine alerts), on either engine: the objects made again
    (``recreated``: their names; a local file only), the cases whose spans differed from the
    stored alerts, and the spans the index holds now. Audited as ``alert_index_rebuilt`` with
    :meth:`audit_detail`, said in one wording (:meth:`line`)."""

    recreated: tuple[str, ...]
    cases: int
    spans: int

    def audit_detail(self) -> dict:
        return {"recreated": list(self.recreated), "cases": self.cases, "spans": self.spans}

    def line(self) -> str:
        parts = ([f"missing and made again: {', '.join(self.recreated)}"] if self.recreated else []) + \
            [f"{self.cases} case(s) differed", f"{self.spans} span(s) now"]
        return ("repaired: the Medicine alerts index was made again from the stored medicine alerts "
                f"({'; '.join(parts)}); recorded in the audit table.")


ALERT_INDEX_REBUILT = "alert_index_rebuilt"


def rebuild_alert_index(path: Path, user: str,
                        busy_timeout_ms: int = dbmod.DEFAULT_BUSY_TIMEOUT_MS) -> AlertIndexRepair | None:
    """``check --full --repair`` on a local file: the one rebuild of the Medicine alerts index
    (``medicine_alert_spans``, its indexes and triggers, m012), derived from the stored medicine
    alerts, whether objects of it are missing (rt22 F7; the store refuses to open such a file) or
    its rows differ from the stored alerts (st20: a hand edit, a damaged write). On a connection
    of its own, in one write transaction (``BEGIN IMMEDIATE``): missing objects are created with
    m012's own statements (``schema.create_alert_index``), the table is filled again from the
    stored alerts, and one ``alert_index_rebuilt`` entry is audited (:class:`AlertIndexRepair`).
    Returns None, with nothing written, when the index is whole and agrees, or when anything
    else is missing too (that is damage: a backup, not a repair)."""
    import datetime as dt

    conn = dbmod.connect(path, timeout=busy_timeout_ms / 1000)
    try:
        with dbmod.sqlite_errors(path, busy_timeout_ms):
            conn.isolation_level = None
            conn.execute("BEGIN IMMEDIATE")
            try:
                missing = expected_objects() - _objects(conn)
                if missing and not missing <= schema.ALERT_INDEX_OBJECTS:
                    conn.execute("ROLLBACK")
                    return None
                table = ("table", "medicine_alert_spans") not in missing
                kept = conn.execute("SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans"
                                    ).fetchall() if table else []
                differing = schema.alert_span_cases(kept, conn.execute(schema.alert_spans_recomputed_sql()).fetchall())
                if not missing and not differing:
                    conn.execute("ROLLBACK")
                    return None
                spans = schema.create_alert_index(conn, missing)  # creates what is missing, then fills the table
                repair = AlertIndexRepair(tuple(sorted(n for _t, n in missing)), len(differing), spans)
                conn.execute("INSERT INTO audit (at, user, action, case_id, detail_json) VALUES (?, ?, ?, NULL, ?)",
                             (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), user or "unknown",
                              ALERT_INDEX_REBUILT, json.dumps(repair.audit_detail(), sort_keys=True)))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return repair
    finally:
        conn.close()


def alert_span_warnings(conn: sqlite3.Connection) -> tuple[str, ...]:
    """:func:`alert_span_lines` for a local database at schema 12 or later (none before m012)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'medicine_alert_spans'").fetchone():
        return ()
    try:
        kept = conn.execute("SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans").fetchall()
        recomputed = conn.execute(schema.alert_spans_recomputed_sql()).fetchall()
    except sqlite3.Error as exc:
        return (f"the Medicine alerts index could not be checked: {exc}",)
    return alert_span_lines(kept, recomputed)


def held_apart_lines(rows) -> tuple[str, ...]:
    """The ``check --full`` lines (both engines) for stored patient IDs one patient key joins but
    whose patients differ: ``rows`` are (patient_id, name, birth_date text, sex) of the stored
    patients with cases. Such IDs (two people stored apart before m011 read the Turkish-layout
    I as i; rt19 F5) are kept apart as different people (``domain.identity.same_person``);
    listed so that one of them is given a distinct ID or corrected."""
    import datetime as dt

    from radiculopathy_desktop.domain.identity import held_apart
    from radiculopathy_desktop.domain.intake import Patient

    patients = []
    for pid, name, birth, sex in rows:
        try:
            born = dt.date.fromisoformat(birth) if birth else None
        except ValueError:
            born = None
        patients.append(Patient(id=pid, name=name, birth_date=born, sex=sex or "unknown"))
    return tuple(f"patient IDs {', '.join(group)}: one patient key (they differ only by capitals or a "
                 "Turkish-layout I) but different name, birth date or sex, so they are kept apart as "
                 "different people; give one a distinct patient ID, or correct the record that is wrong"
                 for group in held_apart(patients))




def stored_held_apart_warnings(conn: sqlite3.Connection) -> tuple[str, ...]:
    """:func:`held_apart_lines` for the local file."""
    try:
        return held_apart_lines(conn.execute(STORED_PATIENTS_SQL).fetchall())
    except sqlite3.Error as exc:
        return (f"the stored patient IDs could not be compared: {exc}",)


def stored_dose_warnings(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Stored cases with a current medicine at a daily dose new input refuses (0, or below
    ``domain.intake.MIN_DAILY_DOSE_MG``; red-team rt10 F16), one line each naming the case,
    the field and the medicine. Such a case stays readable; its sheets say "dose not
    recorded". Read with SQLite's JSON functions: no case is parsed whole."""
    from radiculopathy_desktop.domain.characters import shown_escaped
    from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG, dose_floor_problem

    found: list[str] = []
    more = 0
    try:
        rows = conn.execute(
            "SELECT d.case_id, m.key, json_extract(m.value, '$.name'), json_extract(m.value, '$.daily_dose_mg') "
            "FROM case_documents d, json_each(d.case_json, '$.medicines') m "
            "WHERE json_valid(d.case_json) AND json_type(d.case_json, '$.medicines') = 'array' "
            "AND json_type(m.value, '$.daily_dose_mg') IN ('integer', 'real') "
            "AND json_extract(m.value, '$.daily_dose_mg') < ? ORDER BY d.case_id, m.key", (MIN_DAILY_DOSE_MG,))
        for case_id, n, name, dose in rows:
            if len(found) >= MAX_WARNINGS:
                more += 1
                continue
            problem = dose_floor_problem(shown_escaped(str(name)), float(dose))
            found.append(f"case {shown_escaped(str(case_id), identifier=True)}: medicines[{n}].daily_dose_mg: {problem}. Stored before new cases were "
                         "checked for this (its sheets say \"dose not recorded\"): correct it in the case's record.")
    except sqlite3.Error as exc:
        return (f"the stored cases' medicine doses could not be checked: {exc}",)
    if more:
        found.append(f"... and {more} more stored medicine(s) at a dose of 0 or below the floor")
    return tuple(found)


def stored_hidden_character_warnings(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Stored cases whose names, identifiers or notes hold a character new input refuses
    (``domain.characters``: control characters, direction overrides; red-team rt8 F8), one
    line per field naming the case, the field and the characters.

    A case stored before that check stays readable (the exports and the screen show such
    characters as visible ``\\uXXXX`` escapes); it is listed here to be corrected. The scan
    itself is :func:`storage.stored_text.hidden_character_warnings`, shared with the clinic
    server's ``server check --full``."""
    try:
        return hidden_character_warnings(conn.execute("SELECT case_id, case_json FROM case_documents ORDER BY case_id"),
                                         MAX_WARNINGS)
    except (sqlite3.Error, RecursionError) as exc:
        return (f"the stored cases' names could not be checked for hidden characters: {exc}",)
