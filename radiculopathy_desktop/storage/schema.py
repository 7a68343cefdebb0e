"""The database schema, as migrations applied by sqlite-utils.

Source of truth: each case's canonical JSON (``case_to_dict``) in ``case_documents``.
Everything else about a case is derived from it on every write, in the same
transaction:

* ``patients``, ``visits`` (baseline and follow-ups), ``decisions``: normalised
  copies for queries and reports;
* the review-facts columns of ``cases`` (from :func:`domain.followup.review_facts`
  as of the case's latest event), so the worklist can apply the surgical-review
  rule to 100,000 cases in SQL without loading visits;
* ``case_fact_history``: the same facts as of each date the case has an event, for a
  worklist as of a past date.

Not derived (recorded once, never rewritten by an import): ``assessments`` (what
was shown at a visit, with its guideline content version), ``audit`` (append-only:
triggers refuse UPDATE and DELETE), ``settings`` and ``drafts``.

Dates are ISO text for people and ``*_ord`` integers (``date.toordinal()``) for the
worklist arithmetic. Add a migration for every change; never edit an applied one.
``PRAGMA user_version`` is kept equal to the number of migrations so an older app
can refuse a newer database before touching it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from radiculopathy_desktop.domain.frozen import Record
from radiculopathy_desktop.storage.kept_apart import KEPT_APART_ACTION, kept_apart_detail

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    import sqlite_utils

# sqlite-utils' bookkeeping table (``sqlite_utils.Migrations.migrations_table``): one row
# per applied migration, named by migration set and migration name.
MIGRATIONS_TABLE = "_sqlite_migrations"


class MigrationSet:
    """The app's migrations, registered in order.

    The same shape as :class:`sqlite_utils.Migrations` (``name``, ``_migrations``,
    ``pending``, ``apply``), but importing it costs nothing: reading which
    migrations are pending is plain SQL on the bookkeeping table, and sqlite-utils
    is imported only when a migration actually has to run (a new or an older
    database). Opening an up-to-date database therefore never loads sqlite-utils.
    """

    class _Migration(Record):
        """One registered migration (a hand-written record, domain/frozen.py: issue 17)."""

        _fields = ("name", "fn", "transactional")
        name: str
        fn: Callable[[Any], None]
        transactional: bool

        def __init__(self, name: str, fn: Callable[[Any], None], transactional: bool = True):
            self._set_fields(name, fn, transactional)

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[MigrationSet._Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(func):
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration {migration_name!r} is already registered in set {self.name!r}")
            self._migrations.append(self._Migration(migration_name, func, transactional))
            return func
        return inner

    def pending(self, db) -> list["MigrationSet._Migration"]:
        """The migrations not yet applied to ``db`` (a connection or a database); read-only."""
        done = set(applied_names(_conn(db), self.name))
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db) -> None:
        """Apply the pending migrations through sqlite-utils (each in its own transaction)."""
        _sqlite_utils_migrations(self).apply(_full_database(db))

    def __repr__(self) -> str:
        return f"<MigrationSet {self.name!r}: [{', '.join(m.name for m in self._migrations)}]>"


migrations = MigrationSet("radiculopathy_desktop")


def _conn(db) -> "sqlite3.Connection":
    """The sqlite3 connection of a connection, a sqlite-utils database or our thin wrapper."""
    return getattr(db, "conn", db)


def _full_database(db) -> "sqlite_utils.Database":
    import sqlite_utils

    if isinstance(db, sqlite_utils.Database):
        return db
    return sqlite_utils.Database(_conn(db), execute_plugins=False)


def _sqlite_utils_migrations(mset) -> "sqlite_utils.Migrations":
    """``mset`` as a :class:`sqlite_utils.Migrations` (as is, when it already is one)."""
    import sqlite_utils

    if isinstance(mset, sqlite_utils.Migrations):
        return mset
    real = sqlite_utils.Migrations(mset.name)
    for m in mset._migrations:
        real(name=m.name, transactional=m.transactional)(m.fn)
    return real


def applied_names(conn: "sqlite3.Connection", migration_set: str) -> list[str]:
    """Names of the migrations of ``migration_set`` recorded in ``conn``'s database, in order."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (MIGRATIONS_TABLE,)).fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid", (migration_set,))]


def _run(db: "sqlite_utils.Database", script: str) -> None:
    for statement in _statements(script):
        db.execute(statement)


def _statements(script: str) -> list[str]:
    out, buf = [], []
    depth = 0
    for line in script.strip().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        buf.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            depth = 1
        if depth and upper.startswith("END;"):
            depth = 0
        if not depth and stripped.endswith(";"):
            out.append("\n".join(buf))
            buf = []
    if buf:
        out.append("\n".join(buf))
    return out


@migrations(name="m001_initial")
def m001_initial(db: "sqlite_utils.Database") -> None:
    _run(db, """
CREATE TABLE patients (
    patient_id TEXT PRIMARY KEY,
    name TEXT,
    birth_date TEXT,
    age_years INTEGER,
    sex TEXT NOT NULL DEFAULT 'unknown',
    updated_at TEXT NOT NULL
);
CREATE INDEX patients_name ON patients(name COLLATE NOCASE);

-- One row per episode of care: display fields and the review facts.
-- patient_name is a copy of patients.name (kept in step on every write) so the
-- worklist needs no join; trend_rank orders not improving (0), unknown (1), improving (2).
CREATE TABLE cases (
    case_id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients(patient_id),
    patient_name TEXT,
    onset_date TEXT NOT NULL,
    intake_date TEXT NOT NULL,
    care_start_date TEXT NOT NULL,
    side TEXT NOT NULL,
    baseline_leg_nrs INTEGER NOT NULL,
    latest_leg_nrs INTEGER,
    last_visit_date TEXT,
    visit_count INTEGER NOT NULL,
    intake_ord INTEGER NOT NULL,
    care_start_ord INTEGER NOT NULL,
    latest_event_ord INTEGER NOT NULL,
    has_follow_up INTEGER NOT NULL,
    improving INTEGER,
    trend_rank INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    immediate INTEGER NOT NULL,
    immediate_reason TEXT,
    last_decision_kind TEXT,
    last_decision_date TEXT,
    continue_until TEXT,
    continue_until_ord INTEGER,
    facts_key TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_patient ON cases(patient_id);
-- The worklist walks this index per status and trend instead of sorting 100,000 rows;
-- it covers every column the worklist reads, so no table page is touched.
CREATE INDEX cases_clock ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
    has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
    continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
    patient_name, intake_ord, continue_until_ord, facts_key);
CREATE INDEX cases_immediate ON cases(immediate) WHERE immediate = 1;

CREATE TABLE case_documents (
    case_id TEXT PRIMARY KEY REFERENCES cases(case_id) ON DELETE CASCADE,
    format_version INTEGER NOT NULL,
    case_json TEXT NOT NULL
);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    is_baseline INTEGER NOT NULL,
    leg_nrs INTEGER,
    back_nrs INTEGER,
    odi_percent REAL,
    rmdq INTEGER,
    treatments_json TEXT NOT NULL,
    red_flags_json TEXT NOT NULL,
    power_json TEXT NOT NULL,
    clinician TEXT
);
CREATE INDEX visits_case ON visits(case_id, visit_date);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    decision_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    until_date TEXT,
    decided_by TEXT,
    note TEXT
);
CREATE INDEX decisions_case ON decisions(case_id, decision_date);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    content_version TEXT NOT NULL,
    assessment_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX assessments_case ON assessments(case_id, visit_date);

-- Who did what, when. Append-only: the triggers below refuse changes.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT,
    detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_case ON audit(case_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
""")
    db.execute("PRAGMA user_version = 1")


@migrations(name="m002_startup_indexes")
def m002_startup_indexes(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The status counts walk ranges of this narrow index (one range per status and
-- clock band) instead of evaluating the status rule on every row.
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord);
-- Cases whose stored facts do not hold for a date (facts from other thresholds, or
-- events after the date) are found by range searches here instead of a full scan.
CREATE INDEX cases_fresh ON cases(facts_key, latest_event_ord);
-- The immediate group of the worklist, in worklist order and covering every column
-- the worklist reads, so its first page needs no sort and no table page.
DROP INDEX cases_immediate;
CREATE INDEX cases_immediate ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
    has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
    continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
    patient_name, intake_ord, continue_until_ord, facts_key) WHERE immediate = 1;
""")
    db.execute("PRAGMA user_version = 2")


@migrations(name="m003_medicine_alerts")
def m003_medicine_alerts(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- A stored case's current doses above this patient's maximum ("Reduce dose"), one row
-- per guideline profile that has any (domain.medications.case_dose_reductions), kept
-- beside the case so the worklist shows it without assessing every case. Written with
-- the case; filled for cases saved before this table existed by the store's one-time
-- upgrade (settings key 'derived_version').
CREATE TABLE medicine_alerts (
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    alerts_json TEXT NOT NULL,
    PRIMARY KEY (case_id, profile)
) WITHOUT ROWID;
""")
    db.execute("PRAGMA user_version = 3")


@migrations(name="m004_outcome_facts")
def m004_outcome_facts(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- What the Outcomes view and `outcomes` need from each case (domain.outcomes.OutcomeFacts,
-- made by domain.outcomes.case_outcome_facts), written with the case on every write so a
-- period's outcomes read these narrow rows instead of every case document. Filled for
-- cases saved before this table existed by the store's one-time upgrade (settings key
-- 'derived_version'); a row made under other settings or by another version (facts_key),
-- or one with a record after the 'as of' date (valid_from_ord), takes the exact path.
CREATE TABLE outcome_facts (
    case_id TEXT PRIMARY KEY REFERENCES cases(case_id) ON DELETE CASCADE,
    patient_id TEXT NOT NULL,
    patient_name TEXT,
    intake_ord INTEGER NOT NULL,
    intake_month TEXT NOT NULL,
    valid_from_ord INTEGER NOT NULL,
    facts_key TEXT NOT NULL,
    care_start_ord INTEGER NOT NULL,
    risk TEXT NOT NULL,
    stratified INTEGER NOT NULL,
    imaging TEXT NOT NULL,
    imaging_detail TEXT NOT NULL,
    advice TEXT NOT NULL,
    first_decision_days INTEGER,
    referred INTEGER NOT NULL,
    unresolved_84 INTEGER NOT NULL,
    first_review_day INTEGER,
    last_seen_ord INTEGER NOT NULL,
    open_ended INTEGER NOT NULL,
    snooze_until_ord INTEGER,
    followed INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    w6_leg_change REAL,
    w6_leg_detail TEXT,
    w6_odi_change REAL,
    w6_odi_detail TEXT,
    w6_scored INTEGER NOT NULL,
    w6_improving INTEGER,
    w12_leg_change REAL,
    w12_leg_detail TEXT,
    w12_odi_change REAL,
    w12_odi_detail TEXT,
    w12_scored INTEGER NOT NULL,
    w12_improving INTEGER,
    leg_w0 INTEGER,
    leg_w2 INTEGER,
    leg_w4 INTEGER,
    leg_w6 INTEGER,
    leg_w8 INTEGER,
    leg_w10 INTEGER,
    leg_w12 INTEGER
) WITHOUT ROWID;
CREATE INDEX outcome_facts_intake ON outcome_facts(intake_ord);
-- One narrow covering index per count of storage/outcome_counts.py, in its GROUP BY order
-- (each ends with intake_ord for the period): a year of 100,000 cases is counted by reading
-- these in order instead of sorting the table once per count.
CREATE INDEX outcome_facts_holds ON outcome_facts(facts_key, valid_from_ord, intake_ord);
CREATE INDEX outcome_facts_qs ON outcome_facts(intake_month, stratified, imaging, advice, intake_ord);
CREATE INDEX outcome_facts_decision ON outcome_facts(first_decision_days, intake_ord);
CREATE INDEX outcome_facts_pathway ON outcome_facts(intake_ord, referred, care_start_ord, unresolved_84,
    first_review_day, open_ended, snooze_until_ord, last_seen_ord);
CREATE INDEX outcome_facts_w6 ON outcome_facts(risk, w6_leg_change, w6_odi_change, w6_scored, w6_improving,
    intake_ord);
CREATE INDEX outcome_facts_w12 ON outcome_facts(risk, w12_leg_change, w12_odi_change, w12_scored, w12_improving,
    intake_ord);
CREATE INDEX outcome_facts_resolved ON outcome_facts(risk, followed, resolved, intake_ord);
CREATE INDEX outcome_facts_leg_w0 ON outcome_facts(risk, leg_w0, intake_ord);
CREATE INDEX outcome_facts_leg_w2 ON outcome_facts(risk, leg_w2, intake_ord);
CREATE INDEX outcome_facts_leg_w4 ON outcome_facts(risk, leg_w4, intake_ord);
CREATE INDEX outcome_facts_leg_w6 ON outcome_facts(risk, leg_w6, intake_ord);
CREATE INDEX outcome_facts_leg_w8 ON outcome_facts(risk, leg_w8, intake_ord);
CREATE INDEX outcome_facts_leg_w10 ON outcome_facts(risk, leg_w10, intake_ord);
CREATE INDEX outcome_facts_leg_w12 ON outcome_facts(risk, leg_w12, intake_ord);
""")
    db.execute("PRAGMA user_version = 4")


@migrations(name="m005_fact_history")
def m005_fact_history(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- Each case's review facts as of every date it has an event (intake, visit, decision):
-- domain.stored_case.facts_timeline, the same columns as the cases row, holding for
-- from_ord <= day < until_ord (until_ord NULL on the latest row, which equals the cases
-- row). Written with the case on every write, so a worklist as of a past date reads the
-- row holding on that day instead of re-running the rule on each stored case. Filled for
-- cases saved before this table existed by the store's one-time upgrade (settings key
-- 'derived_version'); a case without a row made under the asked settings (facts_key)
-- takes the exact path.
CREATE TABLE case_fact_history (
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    from_ord INTEGER NOT NULL,
    until_ord INTEGER,
    facts_key TEXT NOT NULL,
    care_start_ord INTEGER NOT NULL,
    latest_event_ord INTEGER NOT NULL,
    has_follow_up INTEGER NOT NULL,
    improving INTEGER,
    trend_rank INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    immediate INTEGER NOT NULL,
    immediate_reason TEXT,
    last_decision_kind TEXT,
    last_decision_date TEXT,
    continue_until TEXT,
    continue_until_ord INTEGER,
    last_visit_date TEXT NOT NULL,
    visit_count INTEGER NOT NULL,
    latest_leg_nrs INTEGER,
    PRIMARY KEY (case_id, from_ord)
) WITHOUT ROWID;
-- The rows holding on a past date: a range of until_ord per facts_key (latest rows,
-- until_ord NULL, are never read here: the cases row holds them).
CREATE INDEX case_fact_history_span ON case_fact_history(facts_key, until_ord, from_ord)
    WHERE until_ord IS NOT NULL;
""")
    db.execute("PRAGMA user_version = 5")


@migrations(name="m006_status_counts")
def m006_status_counts(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The status counts walk ranges of cases_status (m002); the bands of cases with a
-- follow-up visit also test improving and last_visit_date ("improving" keeps a case
-- under review while its last visit is recent). With those two columns in the index,
-- the count reads no table row (storage/worklist.py count_all_sql).
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord, improving, last_visit_date);
""")
    db.execute("PRAGMA user_version = 6")


@migrations(name="m007_entry_order")
def m007_entry_order(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The order in which visits and decisions were entered (red-team rt12 F2: a decision and a
-- visit of one date were otherwise read in an unknown order). The case's canonical JSON
-- carries it ("entry" of each visit and decision); these columns are its copies. The
-- counter hands out the numbers inside the write transaction that saves the record.
ALTER TABLE visits ADD COLUMN entry INTEGER;
ALTER TABLE decisions ADD COLUMN entry INTEGER;
CREATE TABLE entry_counter (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    last INTEGER NOT NULL
);
""")
    conn = _conn(db)
    # Start after every audit entry: an order derived below is an audit entry's id.
    conn.execute("INSERT INTO entry_counter (one, last) VALUES (1, (SELECT coalesce(max(id), 0) FROM audit))")
    order_from_audit(conn)
    db.execute("PRAGMA user_version = 7")


@migrations(name="m008_scored_follow_up")
def m008_scored_follow_up(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The newest follow-up visit holding a score (fu16): what re-confirms "improving: keep under
-- review" (a visit without a score, a red-flag re-screen by phone, does not), apart from
-- last_visit_date (the newest visit of any kind, shown as the last visit). Filled by the
-- derived-data upgrade that follows (REVIEW_FACTS_VERSION 11). The status counts' index
-- carries it instead of last_visit_date (m006), so no band reads the table.
ALTER TABLE cases ADD COLUMN follow_up_ord INTEGER;
ALTER TABLE case_fact_history ADD COLUMN follow_up_ord INTEGER;
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord, improving, follow_up_ord);
""")
    db.execute("PRAGMA user_version = 8")


@migrations(name="m009_patient_key")
def m009_patient_key(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The patient's key for the one-open-case rule (ep17): the patient ID with capitals and
-- compatibility forms aside (domain.episodes.patient_key: NFKC, Unicode casefold, NFKC), so
-- p-josé finds a stored P-JoSÉ (SQLite's lower() folds ASCII letters only) and a save or an
-- import batch finds the patient's cases through an index instead of reading every case.
-- Written with every case row from now on (storage/store.py _case_rows).
ALTER TABLE cases ADD COLUMN patient_key TEXT;
""")
    backfill_patient_keys(_conn(db))
    _run(db, "CREATE INDEX cases_patient_key ON cases(patient_key);")
    db.execute("PRAGMA user_version = 9")


def backfill_patient_keys(conn) -> int:
    """Give every case row the :func:`~radiculopathy_desktop.domain.episodes.patient_key` of its
    patient ID (computed by Python, the one definition both engines use); returns how many
    distinct patient IDs were keyed."""
    from radiculopathy_desktop.domain.episodes import patient_key

    ids = [r[0] for r in conn.execute("SELECT DISTINCT patient_id FROM cases")]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _patient_keys (patient_id TEXT PRIMARY KEY, patient_key TEXT)")
    conn.execute("DELETE FROM _patient_keys")
    conn.executemany("INSERT INTO _patient_keys VALUES (?, ?)", [(p, patient_key(p)) for p in ids])
    conn.execute("UPDATE cases SET patient_key = (SELECT k.patient_key FROM _patient_keys k "
                 "WHERE k.patient_id = cases.patient_id)")
    conn.execute("DROP TABLE _patient_keys")
    return len(ids)


@migrations(name="m010_pregnancy")
def m010_pregnancy(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The pregnancy answers a case records, in the order recorded (preg17): the intake's and those
-- of follow-up visits, as JSON [[date, weeks or false, 0 intake / 1 visit], ...]
-- (domain.intake.pregnancy_records); NULL when none. The cases CSV reads the answer on its date
-- from it without the case JSON. No visit recorded a pregnancy before this migration, so the
-- intake's answer fills it here.
ALTER TABLE cases ADD COLUMN pregnancy TEXT;
UPDATE cases SET pregnancy = (
    SELECT CASE
        WHEN json_extract(d.case_json, '$.patient.pregnancy_weeks') IS NOT NULL
            THEN json_array(json_array(json_extract(d.case_json, '$.visit_date'),
                                       json_extract(d.case_json, '$.patient.pregnancy_weeks'), 0))
        WHEN json_type(d.case_json, '$.patient.pregnant') = 'false'
            THEN json_array(json_array(json_extract(d.case_json, '$.visit_date'), json('false'), 0))
    END
    FROM case_documents d WHERE d.case_id = cases.case_id);
""")
    db.execute("PRAGMA user_version = 10")


@migrations(name="m011_patient_key_turkish_i")
def m011_patient_key_turkish_i(db: "sqlite_utils.Database") -> None:
    # The patient key now reads the Turkish-layout letters as the i they capitalise or lower
    # (id18, rt17 F14: "PİD-1" was not "pid-1" for the one-open-case rule, since casefold turns
    # U+0130 into i + a combining dot above); the stored keys of such IDs are re-computed by
    # the one Python definition. Only rows whose key changes are written; no column changes.
    # Two people stored apart whose IDs the new key joins (Ayşe "PİD-9", Bob "pid-9": rt19 F5)
    # stay different people (domain.identity.same_person); the upgrade names them in the audit,
    # as `check --full` does afterwards.
    import datetime as dt
    import json


    conn = _conn(db)
    detail = kept_apart_detail(conn) if rekey_patient_keys(conn) else None
    if detail is not None:
        conn.execute("INSERT INTO audit (at, user, action, case_id, detail_json) VALUES (?, 'upgrade', ?, NULL, ?)",
                     (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), KEPT_APART_ACTION,
                      json.dumps(detail, ensure_ascii=False, sort_keys=True)))
    db.execute("PRAGMA user_version = 11")


#: Keeps ``medicine_alert_spans`` (m012) equal to the spans of the stored medicine_alerts rows:
#: SQLite's triggers run inside the statement that writes medicine_alerts, so every write path
#: (a case saved, a visit, a decision, an import or a replace-import, a case deleted by its
#: foreign key's cascade, the one-time rewrite, a hand repair) keeps the two in one transaction.
#: A span is ``[start, until or null, marks]`` (``AlertSpan.to_json``); only a span with a mark
#: is kept (the Medicine alerts filter's rule: ``marks_from_json``, ``ALERT_IDS_SQL`` before m012).
#: A row in the old format (a JSON list of dose alerts) has no spans.
ALERT_SPANS_FROM_ROW = """
INSERT INTO medicine_alert_spans (case_id, profile, from_ord, until_ord)
SELECT {row}.case_id, {row}.profile, json_extract(s.value, '$[0]'), json_extract(s.value, '$[1]')
FROM json_each(CASE WHEN json_valid({row}.alerts_json) AND json_type({row}.alerts_json, '$.spans') = 'array'
                    THEN json_extract({row}.alerts_json, '$.spans') ELSE '[]' END) s
WHERE CASE WHEN s.type = 'array' THEN json_type(s.value, '$[0]') = 'integer'
                AND coalesce(json_array_length(s.value, '$[2]'), 0) > 0 ELSE 0 END"""


#: The Medicine alerts index (m012): a table, two indexes and three triggers, all derived from the
#: stored medicine_alerts rows, so ``check --full --repair`` may make any of them again (rt22 F7).
ALERT_INDEX_DDL = {
    ("table", "medicine_alert_spans"): """CREATE TABLE medicine_alert_spans (
    case_id TEXT NOT NULL,
    profile TEXT NOT NULL,
    from_ord INTEGER NOT NULL,
    until_ord INTEGER
)""",
    # The filter: a range of from_ord per profile, until_ord and case_id read from the index.
    ("index", "medicine_alert_spans_day"):
        "CREATE INDEX medicine_alert_spans_day ON medicine_alert_spans(profile, from_ord, until_ord, case_id)",
    # The triggers' deletes, per stored row.
    ("index", "medicine_alert_spans_case"):
        "CREATE INDEX medicine_alert_spans_case ON medicine_alert_spans(case_id, profile)",
    ("trigger", "medicine_alert_spans_insert"):
        "CREATE TRIGGER medicine_alert_spans_insert AFTER INSERT ON medicine_alerts BEGIN"
        + ALERT_SPANS_FROM_ROW.format(row="new") + "; END",
    ("trigger", "medicine_alert_spans_delete"):
        "CREATE TRIGGER medicine_alert_spans_delete AFTER DELETE ON medicine_alerts BEGIN "
        "DELETE FROM medicine_alert_spans WHERE case_id = old.case_id AND profile = old.profile; END",
    ("trigger", "medicine_alert_spans_update"):
        "CREATE TRIGGER medicine_alert_spans_update AFTER UPDATE ON medicine_alerts BEGIN "
        "DELETE FROM medicine_alert_spans WHERE case_id = old.case_id AND profile = old.profile;"
        + ALERT_SPANS_FROM_ROW.format(row="new") + "; END",
}
#: (type, name) of every object of the Medicine alerts index.
ALERT_INDEX_OBJECTS = frozenset(ALERT_INDEX_DDL)


def create_alert_index(conn, missing=ALERT_INDEX_OBJECTS) -> int:
    """Create the objects of the Medicine alerts index named in ``missing`` (all of them: m012),
    in the order table, indexes, triggers, then fill the table from every stored medicine_alerts
    row (:func:`backfill_alert_spans`); returns the number of spans."""
    for key, ddl in ALERT_INDEX_DDL.items():
        if key in missing:
            conn.execute(ddl)
    return backfill_alert_spans(conn)


@migrations(name="m012_medicine_alert_spans")
def m012_medicine_alert_spans(db: "sqlite_utils.Database") -> None:
    # span19 (issue 17, wl18 "Not done"): the Medicine alerts count and filter read the days a
    # stored alert holds from this narrow, indexed table instead of walking every stored row's
    # JSON (100,000 cases: 1.8 s per reload of the list). One row per span with a mark:
    # from_ord <= day < until_ord (until_ord NULL: still holding). Back-filled here from the
    # stored rows, then kept by the triggers on medicine_alerts (ALERT_SPANS_FROM_ROW).
    create_alert_index(_conn(db))
    db.execute("PRAGMA user_version = 12")


@migrations(name="m013_derived_recompute_audit")
def m013_derived_recompute_audit(db: "sqlite_utils.Database") -> None:
    # The twin of the clinic server's m013 (one version history for both engines, pg/schema.py).
    # There, the audit is written by triggers, and m013 keeps a derived-data recompute (the
    # baseline re-derived from the intake's day) from showing as a user's case update. Here the
    # app writes each audit entry itself and a derived rewrite writes none, so there is no
    # trigger to change: only the version is recorded.
    db.execute("PRAGMA user_version = 13")


@migrations(name="m014_clock_follow_up")
def m014_clock_follow_up(db: "sqlite_utils.Database") -> None:
    _run(db, """
-- The worklist's walks of cases_clock and cases_immediate (m001, m002) read follow_up_ord
-- (m008: the newest scored follow-up, which re-confirms "improving"), which neither index
-- held, so every row of the walk also read its table row (issue 17: about 200 ms of a 1 s
-- worklist JSON at 100,000 cases). With it at the end of both, the walks read the index
-- alone again; the order (trend_rank, care_start_ord, case_id) is unchanged.
DROP INDEX cases_clock;
CREATE INDEX cases_clock ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
    has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
    continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
    patient_name, intake_ord, continue_until_ord, facts_key, follow_up_ord);
DROP INDEX cases_immediate;
CREATE INDEX cases_immediate ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
    has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
    continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
    patient_name, intake_ord, continue_until_ord, facts_key, follow_up_ord) WHERE immediate = 1;
""")
    db.execute("PRAGMA user_version = 14")


def alert_spans_recomputed_sql() -> str:
    """The spans with a mark of every stored medicine_alerts row, as (case_id, profile, from_ord,
    until_ord): what ``medicine_alert_spans`` must hold (m012's back-fill; ``check --full``)."""
    select = ALERT_SPANS_FROM_ROW.format(row="a")
    return select[select.index("SELECT"):].replace("FROM json_each(", "FROM main.medicine_alerts a, json_each(", 1)


def alert_span_cases(kept, recomputed) -> list[str]:
    """The case IDs whose rows differ between ``kept`` and ``recomputed`` ((case_id, profile,
    from_ord, until_ord) rows of the Medicine alerts index): missing, extra, changed or repeated
    (``check --full``'s warning and ``check --full --repair``)."""
    from collections import Counter

    have, want = Counter(map(tuple, kept)), Counter(map(tuple, recomputed))
    return sorted({r[0] for r in (have - want) + (want - have)})


def backfill_alert_spans(conn) -> int:
    """Make ``medicine_alert_spans`` again from every stored medicine_alerts row (m012's back-fill);
    returns the number of spans."""
    conn.execute("DELETE FROM medicine_alert_spans")
    conn.execute("INSERT INTO medicine_alert_spans (case_id, profile, from_ord, until_ord) "
                 + alert_spans_recomputed_sql())
    return conn.execute("SELECT count(*) FROM medicine_alert_spans").fetchone()[0]


def rekey_patient_keys(conn) -> int:
    """Re-compute ``cases.patient_key`` (m009) for every stored patient ID whose key is no longer
    :func:`~radiculopathy_desktop.domain.episodes.patient_key` of it, and write only those rows;
    returns how many distinct patient IDs changed key (0 on a second run: idempotent)."""
    from radiculopathy_desktop.domain.episodes import patient_key

    changed = [(patient_key(pid), pid) for pid, key in
               conn.execute("SELECT DISTINCT patient_id, patient_key FROM cases") if patient_key(pid) != key]
    conn.executemany("UPDATE cases SET patient_key = ? WHERE patient_id = ?", changed)
    return len({pid for _key, pid in changed})


def order_from_audit(conn) -> int:
    """Give the visits and decisions saved one by one (``visit`` / ``decide``, the window),
    after the case was last imported, the id of their audit entry as their entry order;
    returns how many cases changed. The order of the other records (imported ones, and those
    saved before the case's last import) is not known: they keep none, and the rule reads
    them as before (``domain.followup.acknowledges``). Every record with an order was entered
    after every record without one, as for records saved from now on."""
    import json

    rows = conn.execute(
        "SELECT a.id, a.action, a.case_id, a.detail_json FROM audit a WHERE a.action IN "
        "('visit_added', 'decision_recorded') AND a.case_id IS NOT NULL AND json_valid(a.detail_json) "
        "AND a.id > coalesce((SELECT max(b.id) FROM audit b WHERE b.case_id = a.case_id "
        "AND b.action IN ('case_added', 'case_updated')), 0) ORDER BY a.case_id, a.id").fetchall()
    by_case: dict[str, list] = {}
    for audit_id, action, case_id, detail in rows:
        by_case.setdefault(case_id, []).append((audit_id, action, json.loads(detail)))
    changed = 0
    for case_id, entries in by_case.items():
        found = conn.execute("SELECT case_json FROM case_documents WHERE case_id = ?", (case_id,)).fetchone()
        if found is None:
            continue
        data = json.loads(found[0])
        given = False
        for audit_id, action, detail in entries:
            key, fields = (("visits", ("date", "leg_nrs", "back_nrs", "odi_percent", "rmdq")) if action == "visit_added"
                           else ("decisions", ("date", "kind", "until", "by")))
            for item in data.get(key) or ():
                if "entry" not in item and all(item.get(f) == detail.get(f) for f in fields):
                    item["entry"] = audit_id
                    given = True
                    break
        if given:
            _rewrite_case(conn, case_id, data)
            changed += 1
    return changed


def _rewrite_case(conn, case_id: str, data: dict) -> None:
    """Store ``data`` (a case's JSON with entry orders added) in its canonical form, and copy
    each order to its visit or decision row (the review facts are rewritten by the
    derived-data upgrade that follows: REVIEW_FACTS_VERSION changed with this migration)."""
    import json

    from radiculopathy_desktop.domain.intake import FORMAT_VERSION, case_to_dict, parse_case

    case = parse_case(data)
    canonical = json.dumps(case_to_dict(case), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    conn.execute("UPDATE case_documents SET case_json = ?, format_version = ? WHERE case_id = ?",
                 (canonical, FORMAT_VERSION, case_id))
    for v in case.visits:
        if v.entry is not None:
            conn.execute(
                "UPDATE visits SET entry = ? WHERE id = (SELECT id FROM visits WHERE case_id = ? AND is_baseline = 0 "
                "AND visit_date = ? AND leg_nrs IS ? AND back_nrs IS ? AND odi_percent IS ? AND rmdq IS ? "
                "AND entry IS NULL ORDER BY id LIMIT 1)",
                (v.entry, case_id, v.date.isoformat(), v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq))
    for d in case.decisions:
        if d.entry is not None:
            conn.execute(
                "UPDATE decisions SET entry = ? WHERE id = (SELECT id FROM decisions WHERE case_id = ? "
                "AND decision_date = ? AND kind = ? AND until_date IS ? AND decided_by IS ? AND entry IS NULL "
                "ORDER BY id LIMIT 1)",
                (d.entry, case_id, d.date.isoformat(), str(d.kind), d.until.isoformat() if d.until else None, d.by))


def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


SCHEMA_VERSION = len(migration_names())

#: The tables a database with every migration applied has (a test checks this against
#: a freshly migrated database); opening one without them is refused as damaged.
REQUIRED_TABLES = frozenset({"patients", "cases", "case_documents", "visits", "decisions", "assessments", "audit",
                             "settings", "drafts", "medicine_alerts", "outcome_facts", "case_fact_history",
                             "entry_counter", "medicine_alert_spans", MIGRATIONS_TABLE})


def pending_names(db) -> list[str]:
    """The registered migrations not yet applied to ``db`` (plain SQL; read-only)."""
    done = set(applied_names(_conn(db), migrations.name))
    return [name for name in migration_names() if name not in done]


def migrate(db) -> None:
    """Apply pending migrations (each in its own transaction); a no-op when current.

    ``db`` is a sqlite3 connection, a sqlite-utils database or the store's wrapper;
    sqlite-utils is imported only when there is something to apply.
    """
    if pending_names(db):
        _sqlite_utils_migrations(migrations).apply(_full_database(db))
