"""The database schema, as sqlite-utils migrations.

Source of truth: each case's canonical JSON (``case_to_dict``) in ``case_documents``.
Everything else about a case is derived from it on every write, in the same
transaction:

* ``patients``, ``visits`` (baseline and follow-ups), ``decisions``: normalised
  copies for queries and reports;
* the review-facts columns of ``cases`` (from :func:`domain.followup.review_facts`
  as of the case's latest event), so the worklist can apply the surgical-review
  rule to 100,000 cases in SQL without loading visits.

Not derived (recorded once, never rewritten by an import): ``assessments`` (what
was shown at a visit, with its guideline content version), ``audit`` (append-only:
triggers refuse UPDATE and DELETE), ``settings`` and ``drafts``.

Dates are ISO text for people and ``*_ord`` integers (``date.toordinal()``) for the
worklist arithmetic. Add a migration for every change; never edit an applied one.
``PRAGMA user_version`` is kept equal to the number of migrations so an older app
can refuse a newer database before touching it.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS_TABLE = Migrations.migrations_table
migrations = Migrations("radiculopathy_desktop")


def _run(db: sqlite_utils.Database, script: str) -> None:
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
def m001_initial(db: sqlite_utils.Database) -> None:
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


def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


SCHEMA_VERSION = len(migration_names())


def migrate(db: sqlite_utils.Database) -> None:
    """Apply pending migrations (each in its own transaction); a no-op when current."""
    if migrations.pending(db):
        migrations.apply(db)
