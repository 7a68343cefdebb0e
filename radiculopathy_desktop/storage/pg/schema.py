"""The clinic-server schema (PostgreSQL 13+), its roles and its permissions.

One version history for both engines: the migrations here carry the same names and
numbers as :mod:`radiculopathy_desktop.storage.schema` (``m001_initial`` ... ), each
creating in PostgreSQL what its SQLite twin creates, with the same tables and
columns, so the store's row builders write both. ``tests/storage/test_pg_schema.py``
checks the two lists stay equal; a new SQLite migration needs its PostgreSQL twin.

What PostgreSQL adds:

* **Owner and roles.** Objects belong to the NOLOGIN role ``radiculopathy_owner``.
  Login roles are members of ``radiculopathy_clinician`` (read and write cases,
  visits, decisions, assessments, drafts) or ``radiculopathy_admin`` (also the
  clinic settings and maintenance such as the derived-data upgrade). Nobody who
  logs in is granted INSERT, UPDATE, DELETE or TRUNCATE on ``audit``.
* **Audit written by triggers.** Every write to ``cases``, ``assessments`` and
  ``settings`` adds its audit row from a trigger (SECURITY DEFINER, so it writes
  where the login cannot), naming ``session_user``, the authenticated login; the
  app's own words for the action come from the transaction-local setting
  ``radiculopathy.audit`` and cannot turn the row off. Visits and decisions can
  only change together with their case row (a deferred check), whose trigger
  audits them. Access events (viewed, printed, exported) go through the function
  ``radiculopathy_record_access``, which accepts only those actions.
* **Row version.** ``cases.revision`` is raised by a trigger on every update, and
  ``updated_by`` set to the login, so a save based on an older version is refused
  with who changed the case and when.
"""

from __future__ import annotations

from typing import Callable

OWNER_ROLE = "radiculopathy_owner"
CLINICIAN_ROLE = "radiculopathy_clinician"
ADMIN_ROLE = "radiculopathy_admin"
VERSION_TABLE = "schema_migrations"
AUDITED_ACCESS_ACTIONS = ("case_viewed", "handout_printed", "handout_saved", "summary_pdf_exported",
                          "fhir_exported", "cases_csv_exported", "worklist_csv_exported", "worklist_listed",
                          "import",
                          # the window's lock (storage/access.py ACCESS_ACTIONS)
                          "unlocked", "unlock_failed", "locked", "user_identified")

MIGRATIONS: list[tuple[str, Callable[[], str]]] = []


def migration(name: str):
    def inner(fn):
        MIGRATIONS.append((name, fn))
        return fn
    return inner


_NOW_TEXT = """to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


@migration("m001_initial")
def m001_initial() -> str:
    return f"""
CREATE TABLE patients (
    patient_id TEXT PRIMARY KEY,
    name TEXT,
    birth_date TEXT,
    age_years INTEGER,
    sex TEXT NOT NULL DEFAULT 'unknown',
    updated_at TEXT NOT NULL
);
CREATE INDEX patients_name ON patients (lower(name));

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
    updated_at TEXT NOT NULL,
    -- the login that made the last change (set by a trigger, not by the client)
    updated_by TEXT NOT NULL DEFAULT session_user,
    decision_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_patient ON cases(patient_id);
CREATE INDEX cases_clock ON cases(trend_rank, care_start_ord, case_id);
CREATE INDEX cases_immediate ON cases(trend_rank, care_start_ord, case_id) WHERE immediate = 1;

CREATE TABLE case_documents (
    case_id TEXT PRIMARY KEY REFERENCES cases(case_id) ON DELETE CASCADE,
    format_version INTEGER NOT NULL,
    case_json TEXT NOT NULL
);

CREATE TABLE visits (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    is_baseline INTEGER NOT NULL,
    leg_nrs INTEGER,
    back_nrs INTEGER,
    odi_percent DOUBLE PRECISION,
    rmdq INTEGER,
    treatments_json TEXT NOT NULL,
    red_flags_json TEXT NOT NULL,
    power_json TEXT NOT NULL,
    clinician TEXT
);
CREATE INDEX visits_case ON visits(case_id, visit_date);

CREATE TABLE decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    decision_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    until_date TEXT,
    decided_by TEXT,
    note TEXT
);
CREATE INDEX decisions_case ON decisions(case_id, decision_date);

CREATE TABLE assessments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    content_version TEXT NOT NULL,
    assessment_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX assessments_case ON assessments(case_id, visit_date);

-- Who did what, when. Written only by the triggers and functions below; no login
-- role holds INSERT, UPDATE, DELETE or TRUNCATE on it, and triggers refuse changes
-- even from the owner.
CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL DEFAULT {_NOW_TEXT},
    "user" TEXT NOT NULL,
    db_role TEXT NOT NULL DEFAULT session_user,
    action TEXT NOT NULL,
    case_id TEXT,
    detail_json TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX audit_case ON audit(case_id, id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Half-finished forms belong to the login that typed them.
CREATE TABLE drafts (
    owner TEXT NOT NULL DEFAULT session_user,
    key TEXT NOT NULL,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (owner, key)
);

CREATE FUNCTION radiculopathy_audit_context() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN coalesce(current_setting('radiculopathy.audit', true), '') = '' THEN NULL
                ELSE current_setting('radiculopathy.audit', true)::jsonb END
$$;

CREATE FUNCTION radiculopathy_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: entries cannot be changed or removed'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_audit_refuse();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION radiculopathy_audit_refuse();

-- Row version and the authenticated author of every case change.
CREATE FUNCTION radiculopathy_case_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_by := session_user;
    IF TG_OP = 'UPDATE' THEN
        NEW.revision := OLD.revision + 1;
        NEW.created_at := OLD.created_at;
    ELSE
        NEW.revision := 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cases_version BEFORE INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_case_version();

CREATE FUNCTION radiculopathy_audit_case() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctx jsonb := public.radiculopathy_audit_context();
    act text;
    detail jsonb;
    who text := coalesce(ctx->>'user', session_user);
    cid text := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
BEGIN
    -- A derived update (review facts after a settings change or an upgrade, the worklist's
    -- copy of a renamed patient's name) is not audited case by case, but only when
    -- nothing a clinician recorded changed; otherwise it is audited as a case update.
    IF TG_OP = 'UPDATE' AND ctx->>'action' = 'derived'
       AND (OLD.case_id, OLD.patient_id, OLD.onset_date, OLD.intake_date, OLD.care_start_date, OLD.side,
            OLD.baseline_leg_nrs, OLD.latest_leg_nrs, OLD.last_visit_date, OLD.visit_count, OLD.decision_count)
           IS NOT DISTINCT FROM
           (NEW.case_id, NEW.patient_id, NEW.onset_date, NEW.intake_date, NEW.care_start_date, NEW.side,
            NEW.baseline_leg_nrs, NEW.latest_leg_nrs, NEW.last_visit_date, NEW.visit_count, NEW.decision_count) THEN
        RETURN NULL;
    END IF;
    IF ctx IS NULL OR ctx->>'action' IS NULL OR ctx->>'action' IN ('import', 'derived') THEN
        act := CASE TG_OP WHEN 'INSERT' THEN 'case_added' WHEN 'UPDATE' THEN 'case_updated' ELSE 'case_deleted' END;
        detail := CASE WHEN TG_OP = 'DELETE' THEN '{{}}'::jsonb
                       ELSE jsonb_build_object('visits', NEW.visit_count - 1, 'decisions', NEW.decision_count) END;
    ELSE
        act := ctx->>'action';
        detail := coalesce(ctx->'detail', '{{}}'::jsonb);
    END IF;
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (who, act, cid, detail::text);
    RETURN NULL;
END $$;
CREATE TRIGGER cases_audit AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_audit_case();

-- Visits and decisions change only with their case row (whose trigger audits the change).
CREATE FUNCTION radiculopathy_child_with_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cid text := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM public.cases c WHERE c.case_id = cid AND c.xmin = pg_current_xact_id()::xid)
       OR NOT EXISTS (SELECT 1 FROM public.cases c WHERE c.case_id = cid) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'visits and decisions change only together with their case (so the change is audited)'
        USING ERRCODE = 'insufficient_privilege';
END $$;
-- The case's record and its patient never change in a derived update.
CREATE FUNCTION radiculopathy_not_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF public.radiculopathy_audit_context()->>'action' = 'derived' THEN
        RAISE EXCEPTION 'a derived update cannot change a case record or a patient'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_documents_not_derived AFTER INSERT OR UPDATE OR DELETE ON case_documents
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_not_derived();
CREATE TRIGGER patients_not_derived AFTER INSERT OR UPDATE OR DELETE ON patients
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_not_derived();
CREATE CONSTRAINT TRIGGER case_documents_with_case AFTER INSERT OR UPDATE OR DELETE ON case_documents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION radiculopathy_child_with_case();
CREATE CONSTRAINT TRIGGER visits_with_case AFTER INSERT OR UPDATE OR DELETE ON visits
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION radiculopathy_child_with_case();
CREATE CONSTRAINT TRIGGER decisions_with_case AFTER INSERT OR UPDATE OR DELETE ON decisions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION radiculopathy_child_with_case();

CREATE FUNCTION radiculopathy_audit_assessment() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctx jsonb := public.radiculopathy_audit_context();
BEGIN
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (coalesce(ctx->>'user', session_user), 'assessment_saved', NEW.case_id,
                jsonb_build_object('visit_date', NEW.visit_date, 'content_version', NEW.content_version,
                                   'assessment_id', NEW.id)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER assessments_audit AFTER INSERT ON assessments
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_audit_assessment();
CREATE FUNCTION radiculopathy_assessment_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a saved assessment is kept as it was shown' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER assessments_fixed BEFORE UPDATE ON assessments
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_assessment_fixed();

CREATE FUNCTION radiculopathy_audit_setting() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctx jsonb := public.radiculopathy_audit_context();
    k text := CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END;
BEGIN
    IF k = 'derived_version' THEN
        RETURN NULL;  -- bookkeeping of the derived-data upgrade, not a clinic setting
    END IF;
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (coalesce(ctx->>'user', session_user), 'settings_changed', NULL,
                coalesce(ctx->'detail',
                         jsonb_build_object(k, CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.value_json END))::text);
    RETURN NULL;
END $$;
CREATE TRIGGER settings_audit AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_audit_setting();

-- Access events (viewed, printed, exported) and the import summary: only these actions.
CREATE FUNCTION radiculopathy_record_access(p_user text, p_action text, p_case_id text, p_detail text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_action NOT IN ({", ".join(f"'{a}'" for a in AUDITED_ACCESS_ACTIONS)}) THEN
        RAISE EXCEPTION 'not an audited access action' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (coalesce(nullif(p_user, ''), session_user), p_action, p_case_id, coalesce(p_detail, '{{}}'));
END $$;
"""


@migration("m002_startup_indexes")
def m002_startup_indexes() -> str:
    return """
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord);
CREATE INDEX cases_fresh ON cases(facts_key, latest_event_ord);
"""


@migration("m003_medicine_alerts")
def m003_medicine_alerts() -> str:
    return """
CREATE TABLE medicine_alerts (
    case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    alerts_json TEXT NOT NULL,
    PRIMARY KEY (case_id, profile)
);
"""


@migration("m004_outcome_facts")
def m004_outcome_facts() -> str:
    # The twin of SQLite's m004: domain.outcomes.OutcomeFacts, written with the case.
    return """
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
    w6_leg_change DOUBLE PRECISION,
    w6_leg_detail TEXT,
    w6_odi_change DOUBLE PRECISION,
    w6_odi_detail TEXT,
    w6_scored INTEGER NOT NULL,
    w6_improving INTEGER,
    w12_leg_change DOUBLE PRECISION,
    w12_leg_detail TEXT,
    w12_odi_change DOUBLE PRECISION,
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
);
CREATE INDEX outcome_facts_intake ON outcome_facts(intake_ord);
"""


@migration("m005_fact_history")
def m005_fact_history() -> str:
    # The twin of SQLite's m005: each case's review facts as of every date it has an event
    # (domain.stored_case.facts_timeline), written with the case; read by a past-date worklist.
    return """
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
);
CREATE INDEX case_fact_history_span ON case_fact_history(facts_key, until_ord, from_ord)
    WHERE until_ord IS NOT NULL;
"""


@migration("m006_status_counts")
def m006_status_counts() -> str:
    # The twin of SQLite's m006: the status counts count ranges of cases_status (the same
    # partition as SQLite's, storage/worklist.py count_all_sql) by index-only scans; the
    # bands of cases with a follow-up visit test improving and last_visit_date too, so
    # the index carries them (INCLUDE) and no band reads the table.
    return """
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord) INCLUDE (improving, last_visit_date);
"""


@migration("m007_entry_order")
def m007_entry_order() -> str:
    # The twin of SQLite's m007: the order in which visits and decisions were entered (rt12
    # F2), carried by the case JSON ("entry") and copied to the rows; a sequence hands out the
    # numbers (safe with many workstations writing at once), starting after every audit id
    # (SQLite derives the order of records saved one by one from its audit log; the server's
    # existing records keep none: read as before, domain.followup.acknowledges).
    return """
ALTER TABLE visits ADD COLUMN entry BIGINT;
ALTER TABLE decisions ADD COLUMN entry BIGINT;
CREATE SEQUENCE entry_order AS BIGINT;
SELECT setval('entry_order', coalesce((SELECT max(id) FROM audit), 0) + 1, false);
"""


@migration("m008_scored_follow_up")
def m008_scored_follow_up() -> str:
    # The twin of SQLite's m008 (fu16): the newest follow-up visit holding a score, what
    # re-confirms "improving"; filled by the derived-data upgrade (REVIEW_FACTS_VERSION 11).
    # The status counts' index carries it instead of last_visit_date.
    return """
ALTER TABLE cases ADD COLUMN follow_up_ord INTEGER;
ALTER TABLE case_fact_history ADD COLUMN follow_up_ord INTEGER;
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
    continue_until_ord) INCLUDE (improving, follow_up_ord);
"""


@migration("m009_patient_key")
def m009_patient_key() -> str:
    # The twin of SQLite's m009 (ep17): the patient's key for the one-open-case rule
    # (domain.episodes.patient_key: NFKC, Unicode casefold, NFKC; PostgreSQL's lower() is not
    # a case fold: ß, ς), indexed, so a save finds the patient's cases without reading every
    # case. The existing rows are keyed by BACKFILLS below in the same transaction.
    return """
ALTER TABLE cases ADD COLUMN patient_key TEXT;
CREATE INDEX cases_patient_key ON cases(patient_key);
"""


def _backfill_patient_keys(conn) -> None:
    """m009's data step: every case row gets its patient's key, computed by the one Python
    definition both engines use. A derived update (the audit trigger writes no row: nothing a
    clinician recorded changes)."""
    from radiculopathy_desktop.domain.episodes import patient_key

    ids = [r[0] for r in conn.execute("SELECT DISTINCT patient_id FROM cases")]
    if not ids:
        return
    conn.execute("SELECT set_config('radiculopathy.audit', %s, true)", ('{"action": "derived"}',))
    conn.execute("UPDATE cases c SET patient_key = k.key FROM unnest(%s::text[], %s::text[]) AS k(pid, key) "
                 "WHERE c.patient_id = k.pid", (ids, [patient_key(p) for p in ids]))
    conn.execute("SELECT set_config('radiculopathy.audit', '', true)")


def _rekey_patient_keys(conn) -> None:
    """m011's data step (id18, rt17 F14): the patient key now reads the Turkish-layout letters
    I, ı, İ, i as one (domain.episodes.patient_key); only the rows whose stored key differs are
    written, as a derived update (no audit row), so a second run changes nothing."""
    from radiculopathy_desktop.domain.episodes import patient_key

    rows = conn.execute("SELECT DISTINCT patient_id, patient_key FROM cases").fetchall()
    changed = [(pid, patient_key(pid)) for pid, key in rows if patient_key(pid) != key]
    if not changed:
        return
    _audit_kept_apart(conn)
    conn.execute("SELECT set_config('radiculopathy.audit', %s, true)", ('{"action": "derived"}',))
    conn.execute("UPDATE cases c SET patient_key = k.key FROM unnest(%s::text[], %s::text[]) AS k(pid, key) "
                 "WHERE c.patient_id = k.pid", ([p for p, _ in changed], [k for _, k in changed]))
    conn.execute("SELECT set_config('radiculopathy.audit', '', true)")


def _audit_kept_apart(conn) -> None:
    """m011 names, in the audit, the stored IDs the new key joins but whose patients differ:
    different people, kept apart (rt19 F5, fxc18; as SQLite's m011)."""
    import json

    from radiculopathy_desktop.storage.kept_apart import KEPT_APART_ACTION, kept_apart_detail

    detail = kept_apart_detail(conn)
    if detail is not None:
        conn.execute("INSERT INTO audit (\"user\", action, case_id, detail_json) VALUES ('upgrade', %s, NULL, %s)",
                     (KEPT_APART_ACTION, json.dumps(detail, ensure_ascii=False, sort_keys=True)))


#: Data steps run by ``server init`` right after the migration of that name (same transaction).
BACKFILLS: dict[str, Callable[[object], None]] = {"m009_patient_key": _backfill_patient_keys,
                                                  "m011_patient_key_turkish_i": _rekey_patient_keys}


@migration("m010_pregnancy")
def m010_pregnancy() -> str:
    # The twin of SQLite's m010 (preg17): the pregnancy answers a case records
    # (domain.intake.pregnancy_records, JSON text), filled here from the intake's answer (no
    # visit recorded one before this migration); NULL when none.
    return """
ALTER TABLE cases ADD COLUMN pregnancy TEXT;
UPDATE cases c SET pregnancy = CASE
        WHEN (d.case_json::jsonb)->'patient'->'pregnancy_weeks' IS NOT NULL
             AND jsonb_typeof((d.case_json::jsonb)->'patient'->'pregnancy_weeks') = 'number'
            THEN jsonb_build_array(jsonb_build_array((d.case_json::jsonb)->>'visit_date',
                                                     (d.case_json::jsonb)->'patient'->'pregnancy_weeks', 0))::text
        WHEN (d.case_json::jsonb)->'patient'->'pregnant' = 'false'::jsonb
            THEN jsonb_build_array(jsonb_build_array((d.case_json::jsonb)->>'visit_date', false, 0))::text
    END
    FROM case_documents d WHERE d.case_id = c.case_id;
"""


@migration("m011_patient_key_turkish_i")
def m011_patient_key_turkish_i() -> str:
    # The twin of SQLite's m011 (id18, rt17 F14): no column changes; the stored keys of patient
    # IDs holding a Turkish-layout I (İ, ı, or i with a combining dot above) are re-computed by
    # BACKFILLS below in the same transaction. The comment says which key definition it holds.
    return """
COMMENT ON COLUMN cases.patient_key IS
    'domain.episodes.patient_key: NFKC, casefold, NFKC, Turkish-layout I/ı/İ/i as i (m011)';
"""


#: The spans of one stored medicine_alerts row (``r``) with a mark: (case_id, profile, from_ord,
#: until_ord), the rule of SQLite's ``schema.ALERT_SPANS_FROM_ROW``.
_ALERT_SPANS_OF = """
SELECT {r}.case_id, {r}.profile, (sp ->> 0)::integer, (sp ->> 1)::integer
FROM jsonb_array_elements(CASE WHEN jsonb_typeof({r}.alerts_json::jsonb) = 'object'
                                AND jsonb_typeof({r}.alerts_json::jsonb -> 'spans') = 'array'
                               THEN {r}.alerts_json::jsonb -> 'spans' ELSE '[]'::jsonb END) AS sp
WHERE CASE WHEN jsonb_typeof(sp) = 'array' AND jsonb_typeof(sp -> 0) = 'number' AND jsonb_typeof(sp -> 2) = 'array'
           THEN jsonb_array_length(sp -> 2) > 0 ELSE false END"""


@migration("m012_medicine_alert_spans")
def m012_medicine_alert_spans() -> str:
    # The twin of SQLite's m012 (span19): the days each stored medicine alert holds, one row per
    # span with a mark, kept by a trigger on medicine_alerts in the statement that writes it (every
    # write path, the cascade of a deleted case and the one-time rewrite included) and back-filled
    # here from the stored rows. The Medicine alerts count and filter read this index.
    return f"""
CREATE TABLE medicine_alert_spans (
    case_id TEXT NOT NULL,
    profile TEXT NOT NULL,
    from_ord INTEGER NOT NULL,
    until_ord INTEGER
);
CREATE INDEX medicine_alert_spans_day ON medicine_alert_spans(profile, from_ord, until_ord, case_id);
CREATE INDEX medicine_alert_spans_case ON medicine_alert_spans(case_id, profile);
CREATE FUNCTION radiculopathy_alert_spans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM medicine_alert_spans WHERE case_id = OLD.case_id AND profile = OLD.profile;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO medicine_alert_spans (case_id, profile, from_ord, until_ord) {_ALERT_SPANS_OF.format(r="NEW")};
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER medicine_alert_spans_kept AFTER INSERT OR UPDATE OR DELETE ON medicine_alerts
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_alert_spans();
INSERT INTO medicine_alert_spans (case_id, profile, from_ord, until_ord)
{_ALERT_SPANS_OF.format(r="a").replace("FROM jsonb_array_elements(", "FROM medicine_alerts a CROSS JOIN LATERAL jsonb_array_elements(", 1)};
"""


#: The audit action of the one entry a derived-data recompute writes (m013): what was recomputed
#: and for how many cases, in place of one "case updated" entry per case whose derived columns moved.
DERIVED_RECOMPUTED_ACTION = "derived_data_recomputed"


@migration("m013_derived_recompute_audit")
def m013_derived_recompute_audit() -> str:
    # oc20 / pg21: the one-time recompute after an upgrade (fxj20's REVIEW_FACTS_VERSION 14) rewrote
    # cases.baseline_leg_nrs, a column DERIVED from the intake and its day's visits, and m001's
    # trigger compared it as if a clinician had recorded it: one "Case updated by an import" entry
    # per such case, naming the admin who ran the upgrade. Now:
    # * a derived update cannot insert, change or delete a visit or a decision (as it already
    #   cannot touch a case's record or its patient), so nothing a clinician recorded can change
    #   under the derived context;
    # * the derived columns (baseline_leg_nrs) are no longer compared; what a clinician records
    #   (the case's identity and dates, its side, its latest score, its visit and decision counts)
    #   still is, and any write that is not derived is audited exactly as before;
    # * the recompute writes ONE entry (DERIVED_RECOMPUTED_ACTION) when it records the new derived
    #   version: the versions before and after, what was recomputed and how many cases, from the
    #   audit context the store sets (a bare version write, as by an older client, stays
    #   bookkeeping);
    # * ``server check --full --repair`` (fxn20 / st20 leftover): the Medicine alerts index made
    #   again from the stored alerts when it differs from them, by one admin-only function that
    #   also writes its one ``alert_index_rebuilt`` entry (the audit stays trigger- and
    #   function-written: no login may insert into it).
    rebuild_from = alert_spans_recomputed_sql().replace("FROM medicine_alerts a", "FROM public.medicine_alerts a")
    return f"""
-- The derived version as a JSON object of its parts ("facts 14; outcomes 5 ab12" ->
-- {{"facts": "14", "outcomes": "5 ab12"}}, as engine_common._version_parts reads it), for the
-- entry's "from" and "to" (srv22, rt23 F10: they were the settings row's JSON text, a string
-- inside the JSON); a value that is not such a string is kept as its JSON, unreadable JSON as text.
CREATE FUNCTION radiculopathy_version_parts(v text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    j jsonb;
    parts jsonb := '{{}}'::jsonb;
    piece text;
    name text;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    BEGIN
        j := v::jsonb;
    EXCEPTION WHEN others THEN
        RETURN to_jsonb(v);
    END;
    IF jsonb_typeof(j) <> 'string' OR (j #>> '{{}}') = '' THEN
        RETURN j;
    END IF;
    FOREACH piece IN ARRAY string_to_array(j #>> '{{}}', '; ') LOOP
        name := split_part(piece, ' ', 1);
        IF name = '' OR parts ? name THEN
            RETURN j;
        END IF;
        parts := parts || jsonb_build_object(name, substr(piece, length(name) + 2));
    END LOOP;
    RETURN parts;
END $$;

CREATE FUNCTION radiculopathy_rebuild_alert_index(p_user text) RETURNS TABLE (cases integer, spans integer)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n_cases integer;
    n_spans integer;
BEGIN
    LOCK TABLE public.medicine_alerts IN EXCLUSIVE MODE;  -- no alert is written meanwhile
    WITH wanted AS (SELECT * FROM ({rebuild_from}) w (case_id, profile, from_ord, until_ord)),
         kept AS (SELECT case_id, profile, from_ord, until_ord FROM public.medicine_alert_spans)
    SELECT count(DISTINCT d.case_id) INTO n_cases FROM (
        (SELECT * FROM kept EXCEPT ALL SELECT * FROM wanted)
        UNION ALL
        (SELECT * FROM wanted EXCEPT ALL SELECT * FROM kept)) d;
    IF n_cases > 0 THEN
        DELETE FROM public.medicine_alert_spans;
        INSERT INTO public.medicine_alert_spans (case_id, profile, from_ord, until_ord) {rebuild_from};
        GET DIAGNOSTICS n_spans = ROW_COUNT;
        INSERT INTO public.audit ("user", action, case_id, detail_json)
            VALUES (coalesce(nullif(p_user, ''), session_user), 'alert_index_rebuilt', NULL,
                    jsonb_build_object('recreated', '[]'::jsonb, 'cases', n_cases, 'spans', n_spans)::text);
    ELSE
        SELECT count(*) INTO n_spans FROM public.medicine_alert_spans;
    END IF;
    RETURN QUERY SELECT n_cases, n_spans;
END $$;
REVOKE ALL ON FUNCTION radiculopathy_rebuild_alert_index(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION radiculopathy_rebuild_alert_index(text) TO {ADMIN_ROLE};
CREATE TRIGGER visits_not_derived AFTER INSERT OR UPDATE OR DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_not_derived();
CREATE TRIGGER decisions_not_derived AFTER INSERT OR UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION radiculopathy_not_derived();

CREATE OR REPLACE FUNCTION radiculopathy_audit_case() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctx jsonb := public.radiculopathy_audit_context();
    act text;
    detail jsonb;
    who text := coalesce(ctx->>'user', session_user);
    cid text := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
BEGIN
    -- A derived update (review facts after a settings change or an upgrade, the baseline
    -- recomputed from the intake's day, the worklist's copy of a renamed patient's name) is not
    -- audited case by case: it cannot change a visit, a decision, a case record or a patient
    -- (their triggers refuse it), and it is audited as a case update if it changes anything
    -- else a clinician recorded. baseline_leg_nrs is derived (m013).
    IF TG_OP = 'UPDATE' AND ctx->>'action' = 'derived'
       AND (OLD.case_id, OLD.patient_id, OLD.onset_date, OLD.intake_date, OLD.care_start_date, OLD.side,
            OLD.latest_leg_nrs, OLD.last_visit_date, OLD.visit_count, OLD.decision_count)
           IS NOT DISTINCT FROM
           (NEW.case_id, NEW.patient_id, NEW.onset_date, NEW.intake_date, NEW.care_start_date, NEW.side,
            NEW.latest_leg_nrs, NEW.last_visit_date, NEW.visit_count, NEW.decision_count) THEN
        RETURN NULL;
    END IF;
    IF ctx IS NULL OR ctx->>'action' IS NULL OR ctx->>'action' IN ('import', 'derived') THEN
        act := CASE TG_OP WHEN 'INSERT' THEN 'case_added' WHEN 'UPDATE' THEN 'case_updated' ELSE 'case_deleted' END;
        detail := CASE WHEN TG_OP = 'DELETE' THEN '{{}}'::jsonb
                       ELSE jsonb_build_object('visits', NEW.visit_count - 1, 'decisions', NEW.decision_count) END;
    ELSE
        act := ctx->>'action';
        detail := coalesce(ctx->'detail', '{{}}'::jsonb);
    END IF;
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (who, act, cid, detail::text);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radiculopathy_audit_setting() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctx jsonb := public.radiculopathy_audit_context();
    k text := CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END;
BEGIN
    IF k = 'derived_version' THEN
        -- bookkeeping of the derived-data upgrade, not a clinic setting; the recompute that
        -- records a new version says what it did in one entry (m013)
        IF TG_OP <> 'DELETE' AND ctx->>'action' = 'derived' AND jsonb_typeof(ctx->'detail') = 'object'
           AND (TG_OP = 'INSERT' OR OLD.value_json IS DISTINCT FROM NEW.value_json) THEN
            INSERT INTO public.audit ("user", action, case_id, detail_json)
                VALUES (coalesce(ctx->>'user', session_user), '{DERIVED_RECOMPUTED_ACTION}', NULL,
                        ((ctx->'detail') || jsonb_build_object(
                            'from', CASE WHEN TG_OP = 'UPDATE' THEN public.radiculopathy_version_parts(OLD.value_json) END,
                            'to', public.radiculopathy_version_parts(NEW.value_json)))::text);
        END IF;
        RETURN NULL;
    END IF;
    INSERT INTO public.audit ("user", action, case_id, detail_json)
        VALUES (coalesce(ctx->>'user', session_user), 'settings_changed', NULL,
                coalesce(ctx->'detail',
                         jsonb_build_object(k, CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.value_json END))::text);
    RETURN NULL;
END $$;
"""



@migration("m014_clock_follow_up")
def m014_clock_follow_up() -> str:
    # The twin of SQLite's m014 (issue 17), which adds follow_up_ord to that file's covering
    # worklist indexes. Here cases_clock and cases_immediate hold the order only (trend_rank,
    # care_start_ord, case_id) and every walk reads its rows from the table, so there is no
    # covering index to extend: no object changes, the comment says so (one version history
    # for both engines).
    return """
COMMENT ON INDEX cases_clock IS
    'worklist order only (trend_rank, care_start_ord, case_id); rows read from the table (m014)';
"""

def alert_spans_recomputed_sql() -> str:
    """The spans the stored medicine_alerts rows hold (``check --full`` compares the table with it)."""
    return _ALERT_SPANS_OF.format(r="a").replace(
        "FROM jsonb_array_elements(", "FROM medicine_alerts a CROSS JOIN LATERAL jsonb_array_elements(", 1)


SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("patients", "cases", "case_documents", "visits", "decisions", "assessments", "audit", "settings",
          "drafts", "medicine_alerts", "outcome_facts", "case_fact_history", "medicine_alert_spans")
#: What a clinician login may do to each table (the admin role adds settings writes).
CLINICIAN_GRANTS = {
    "patients": "SELECT, INSERT, UPDATE",
    "cases": "SELECT, INSERT, UPDATE",
    "case_documents": "SELECT, INSERT, UPDATE",
    "visits": "SELECT, INSERT, DELETE",
    "decisions": "SELECT, INSERT, DELETE",
    "assessments": "SELECT, INSERT",
    "audit": "SELECT",
    "settings": "SELECT",
    "drafts": "SELECT, INSERT, UPDATE, DELETE",
    "medicine_alerts": "SELECT, INSERT, DELETE",
    "outcome_facts": "SELECT, INSERT, UPDATE, DELETE",
    "case_fact_history": "SELECT, INSERT, DELETE",
    # kept by the trigger on medicine_alerts, run as the login that writes the alerts
    "medicine_alert_spans": "SELECT, INSERT, DELETE",
}
ADMIN_GRANTS = {"settings": "SELECT, INSERT, UPDATE, DELETE", "cases": "SELECT, INSERT, UPDATE, DELETE"}


def role_statements() -> list[str]:
    """Create the three group roles when missing (cluster-wide, so idempotent)."""
    out = []
    for role in (OWNER_ROLE, CLINICIAN_ROLE, ADMIN_ROLE):
        out.append(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
                   f"CREATE ROLE {role} NOLOGIN; END IF; END $$")
    out.append(f"GRANT {CLINICIAN_ROLE} TO {ADMIN_ROLE}")
    return out


def database_grant_statements(dbname_sql: str) -> list[str]:
    """Permissions on the database and its schema (run by the database owner;
    ``dbname_sql`` is the quoted database name)."""
    return [f"REVOKE ALL ON DATABASE {dbname_sql} FROM PUBLIC",
            f"GRANT CONNECT, TEMPORARY ON DATABASE {dbname_sql} TO {CLINICIAN_ROLE}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {CLINICIAN_ROLE}"]


def object_grant_statements() -> list[str]:
    """Permissions on the tables and functions (run as their owner)."""
    out = []
    for table in TABLES:
        out.append(f"REVOKE ALL ON {table} FROM PUBLIC")
        out.append(f"GRANT {CLINICIAN_GRANTS[table]} ON {table} TO {CLINICIAN_ROLE}")
    for table, grants in ADMIN_GRANTS.items():
        out.append(f"GRANT {grants} ON {table} TO {ADMIN_ROLE}")
    out.append("REVOKE ALL ON FUNCTION radiculopathy_record_access(text, text, text, text) FROM PUBLIC")
    out.append(f"GRANT EXECUTE ON FUNCTION radiculopathy_record_access(text, text, text, text) TO {CLINICIAN_ROLE}")
    out.append(f"GRANT SELECT ON {VERSION_TABLE} TO {CLINICIAN_ROLE}")
    out.append("REVOKE ALL ON SEQUENCE entry_order FROM PUBLIC")
    out.append(f"GRANT USAGE ON SEQUENCE entry_order TO {CLINICIAN_ROLE}")
    return out


def version_table_sql() -> str:
    return (f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
            f"applied_at TEXT NOT NULL DEFAULT {_NOW_TEXT}, applied_by TEXT NOT NULL DEFAULT session_user)")


def migration_names() -> list[str]:
    return [name for name, _ in MIGRATIONS]
