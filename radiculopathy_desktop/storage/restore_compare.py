"""What a restore would take out of the tracker: the backup compared with the current data (rt11 F11).

A restore replaces the whole database. Before it does, the ``restore`` command and the
window's confirmation show what the current tracker holds that the backup does not:

* the cases the backup lacks (Immediate ones first, each with its status today and its
  visits and decisions), and
* for cases in both, the visits and decisions recorded since (counted per case),

and say when the backup shares no history with this tracker. The test is simple and is
said in the text: the backup shares this tracker's history when its audit log holds this
tracker's first audit entry (same number, time, user, action, case and detail: a restored
tracker keeps its backup's entries, another workstation's tracker began with its own)
and, when both hold cases, at least one case ID is in both.

Visits and decisions are matched on their content (date and recorded values), not their
row numbers, so an earlier copy of the same tracker shows exactly what was added since.
Read-only on both files; no Qt here (the window and the CLI show the same lines).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from radiculopathy_desktop.domain.characters import visible, visible_id
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.storage import db as dbmod

#: At most this many lines per list; then "and N more".
MAX_LINES = 20

_VISIT_COLS = ("case_id", "visit_date", "is_baseline", "leg_nrs", "back_nrs", "odi_percent", "rmdq",
               "treatments_json", "red_flags_json", "power_json", "clinician")
_DECISION_COLS = ("case_id", "decision_date", "kind", "until_date", "decided_by", "note")


@dataclass(frozen=True)
class LostCase:
    """A case of the current tracker that the backup does not have."""
    case_id: str
    patient_id: str
    patient_name: str | None
    status: ReviewStatus | None  # None: not computed, or not on the worklist that day (a later intake)
    reason: str
    visits: int
    decisions: int
    flagged: bool = False  # the stored facts hold an unacknowledged red flag (the Immediate rule's column)


@dataclass(frozen=True)
class LaterRecords:
    """A case in both whose visits/decisions recorded in the current tracker are not in the backup."""
    case_id: str
    visits: int
    decisions: int


@dataclass(frozen=True)
class ChangedCase:
    """A case in both whose stored record here differs from the backup's in something other
    than added visits and decisions (its intake: red-flag answers, examination, scores, the
    patient; or a record edited), red-team rt12 F3."""
    case_id: str
    flagged_here: bool  # an unacknowledged red flag stands here (the Immediate rule's stored column)
    flagged_in_backup: bool


@dataclass(frozen=True)
class BackupComparison:
    current_cases: int
    backup_cases: int
    shared_history: bool
    history_test: str  # how shared_history was decided, in words
    lost: tuple[LostCase, ...] = ()
    later: tuple[LaterRecords, ...] = ()
    problem: str | None = None  # the comparison could not be made (the restore may still go ahead)
    statuses_known: bool = True  # False: compared without the store (a database awaiting an upgrade)
    changed: tuple[ChangedCase, ...] = ()

    @property
    def loses_anything(self) -> bool:
        return bool(self.lost or self.later or self.changed)

    def lines(self, limit: int = MAX_LINES) -> list[str]:
        """The comparison in plain lines (stored text escaped with the app's visible escapes)."""
        if self.problem:
            return [f"The backup could not be compared with the current data ({self.problem}); what the "
                    "restore removes is not listed. It is kept in the safety backup."]
        out = [f"The current tracker has {_n(self.current_cases, 'case')}; the backup has "
               f"{_n(self.backup_cases, 'case')}."]
        if not self.shared_history:
            out.append(f"WARNING: this backup shares no history with this tracker ({self.history_test}): it is "
                       "probably another workstation's or another clinic's tracker. Restoring it replaces every "
                       "case here.")
        if self.lost:
            immediate = sum(1 for c in self.lost if c.status is ReviewStatus.IMMEDIATE
                            or (not self.statuses_known and c.flagged))
            head = f"Cases here that the backup does not have ({len(self.lost)}"
            head += f", {immediate} Immediate" if immediate else ""
            out.append(head + "); after the restore they are only in the safety backup:")
            for c in self.lost[:limit]:
                name = f", {visible(c.patient_name)}" if c.patient_name else ""
                if c.status is not None:
                    label = c.status.label.upper() if c.status is ReviewStatus.IMMEDIATE else c.status.label
                    status = f"{label}: {c.reason}"
                elif self.statuses_known:
                    status = "not on today's worklist"
                else:
                    status = ("RED FLAG recorded (Immediate on the worklist)" if c.flagged else
                              "no unacknowledged red flag") + " (status not computed: the data awaits the app's upgrade)"
                out.append(f"  {visible_id(c.case_id)} ({visible_id(c.patient_id)}{name}; "
                           f"{_n(c.visits, 'follow-up visit')}, {_n(c.decisions, 'decision')}): {status}")
            if len(self.lost) > limit:
                out.append(f"  and {len(self.lost) - limit} more")
        if self.later:
            visits = sum(c.visits for c in self.later)
            decisions = sum(c.decisions for c in self.later)
            out.append(f"Recorded here since the backup, in cases it has ({_n(visits, 'visit')}, "
                       f"{_n(decisions, 'decision')}); after the restore they are only in the safety backup:")
            for c in self.later[:limit]:
                out.append(f"  {visible_id(c.case_id)}: {_n(c.visits, 'visit')}, {_n(c.decisions, 'decision')}")
            if len(self.later) > limit:
                out.append(f"  and {len(self.later) - limit} more")
        if self.changed:
            losing = sum(1 for c in self.changed if c.flagged_here and not c.flagged_in_backup)
            head = f"Cases here whose record differs from the backup's ({len(self.changed)}"
            head += f", {losing} with a red flag standing here that the backup's record does not raise" if losing else ""
            out.append(head + "); the restore puts back the backup's record (this one is kept in the safety "
                       "backup):")
            for c in self.changed[:limit]:
                note = (": RED FLAG standing here (Immediate), not in the backup's record"
                        if c.flagged_here and not c.flagged_in_backup else "")
                out.append(f"  {visible_id(c.case_id)}{note}")
            if len(self.changed) > limit:
                out.append(f"  and {len(self.changed) - limit} more")
        if not self.loses_anything:
            out.append("Every case, visit and decision here is also in the backup, as recorded here (settings "
                       "and other changes made since may still differ).")
        return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")}


def _per_case_new(conn: sqlite3.Connection, table: str, cols: tuple[str, ...], where: str = "1") -> dict[str, int]:
    """Per case, the rows of ``main.table`` (those ``where``) with no equal row (on ``cols``) in the backup."""
    shared = [c for c in cols if c in _columns(conn, "main", table) and c in _columns(conn, "bk", table)]
    if "case_id" not in shared:
        return {}
    match = " AND ".join(f"b.{c} IS m.{c}" for c in shared)
    sql = (f"SELECT m.case_id, count(*) FROM main.{table} AS m WHERE {where} AND NOT EXISTS "
           f"(SELECT 1 FROM bk.{table} AS b WHERE {match}) GROUP BY m.case_id")
    return {r[0]: int(r[1]) for r in conn.execute(sql)}


def _history(conn: sqlite3.Connection, common_ids: int, current: int, backup: int) -> tuple[bool, str]:
    """Whether the backup shares this tracker's history, and the test that said so, in words."""
    first = conn.execute("SELECT id, at, user, action, case_id, detail_json FROM main.audit "
                         "ORDER BY id LIMIT 1").fetchone()
    no_common = current > 0 and backup > 0 and common_ids == 0
    if first is None:
        if no_common:
            return False, "no case ID is in both, and this tracker has no audit entry to compare"
        return True, "this tracker has no audit entry; the backup has no case this tracker lacks the ID of"
    found = conn.execute("SELECT 1 FROM bk.audit WHERE id = ? AND at = ? AND user = ? AND action = ? "
                         "AND case_id IS ? AND detail_json = ?", tuple(first)).fetchone()
    when = str(first[1]).replace("T", " ")[:16]
    if not found:
        extra = "; and no case ID is in both" if no_common else ""
        return False, (f"the backup's audit log does not hold this tracker's first entry ({when}, {first[3]})"
                       f"{extra}")
    if no_common:
        return False, "no case ID is in both (although the audit logs begin alike)"
    return True, f"the backup's audit log holds this tracker's first entry ({when}, {first[3]})"


def compare(store, backup_file: str | Path, as_of: dt.date, db_file: str | Path | None = None) -> BackupComparison:
    """Compare ``backup_file`` with the open SQLite ``store`` (read-only; statuses on ``as_of``).

    With ``store`` None, the database file ``db_file`` is read without being opened as a
    store (so a database awaiting a schema or derived-data upgrade is not upgraded just
    before it is replaced): no status is computed; Immediate cases are then told by the
    stored facts' red-flag column and still listed first.
    Never raises for a comparison it cannot make: the result's ``problem`` says why
    (the restore itself is refused or allowed elsewhere, by :func:`backup.validate_backup`).
    """
    path = Path(store.path if store is not None else db_file)
    try:
        conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=5)
    except Exception as exc:  # noqa: BLE001 - a comparison is advice; the restore decides
        return BackupComparison(0, 0, True, "", problem=f"the current database could not be read: {exc}")
    try:
        conn.execute("ATTACH DATABASE ? AS bk", (dbmod.sqlite_uri(Path(backup_file), "ro"),))
        current = int(conn.execute("SELECT count(*) FROM main.cases").fetchone()[0])
        backup = int(conn.execute("SELECT count(*) FROM bk.cases").fetchone()[0])
        common = int(conn.execute("SELECT count(*) FROM main.cases AS m WHERE EXISTS "
                                  "(SELECT 1 FROM bk.cases AS b WHERE b.case_id = m.case_id)").fetchone()[0])
        shared, test = _history(conn, common, current, backup)
        lost_rows = conn.execute(
            "SELECT m.case_id, m.patient_id, m.patient_name, "
            "(SELECT count(*) FROM main.visits v WHERE v.case_id = m.case_id AND v.is_baseline = 0), "
            "(SELECT count(*) FROM main.decisions d WHERE d.case_id = m.case_id), m.immediate = 1 "
            "FROM main.cases AS m WHERE NOT EXISTS (SELECT 1 FROM bk.cases AS b WHERE b.case_id = m.case_id) "
            "ORDER BY m.case_id").fetchall()
        new_visits = _per_case_new(conn, "visits", _VISIT_COLS, "m.is_baseline = 0")
        new_decisions = _per_case_new(conn, "decisions", _DECISION_COLS)
        changed_rows = _changed_records(conn)
    except sqlite3.Error as exc:
        return BackupComparison(0, 0, True, "", problem=f"SQLite: {exc}")
    finally:
        conn.close()
    lost_ids = {r[0] for r in lost_rows}
    statuses = {}
    if lost_rows and store is not None:
        try:
            statuses = {r.case_id: r for r in store.worklist(as_of, statuses=list(ReviewStatus))
                        if r.case_id in lost_ids}
        except Exception:  # noqa: BLE001 - statuses are advice: list the cases without them
            statuses = {}
    lost = []
    for case_id, patient_id, name, visits, decisions, flagged in lost_rows:
        row = statuses.get(case_id)
        lost.append(LostCase(case_id, patient_id, name, row.status if row else None, row.reason if row else "",
                             int(visits), int(decisions), bool(flagged)))
    order = {s: n for n, s in enumerate(ReviewStatus)}
    if store is None:  # no status: the stored red-flag column puts the Immediate ones first
        lost.sort(key=lambda c: (not c.flagged, c.case_id))
    else:
        lost.sort(key=lambda c: (order.get(c.status, len(order)), c.case_id))
    later = [LaterRecords(cid, new_visits.get(cid, 0), new_decisions.get(cid, 0))
             for cid in sorted((set(new_visits) | set(new_decisions)) - lost_ids)]
    later.sort(key=lambda c: (-(c.visits + c.decisions), c.case_id))
    later_ids = {c.case_id for c in later}
    changed = [ChangedCase(cid, here, there) for cid, here, there in changed_rows
               if cid not in later_ids or (here and not there)]
    changed.sort(key=lambda c: (not (c.flagged_here and not c.flagged_in_backup), c.case_id))
    return BackupComparison(current, backup, shared, test, tuple(lost), tuple(later),
                            statuses_known=store is not None, changed=tuple(changed))


def _changed_records(conn: sqlite3.Connection) -> list[tuple[str, bool, bool]]:
    """(case id, red flag standing here, in the backup) for each case in both whose stored
    case document differs (the whole record: the intake's red-flag answers, examination and
    scores are in it, not in the visits table's follow-up rows)."""
    if "case_json" not in _columns(conn, "bk", "case_documents"):
        return []
    flag_here = "m.immediate = 1" if "immediate" in _columns(conn, "main", "cases") else "0"
    flag_there = "bc.immediate = 1" if "immediate" in _columns(conn, "bk", "cases") else "0"
    rows = conn.execute(
        f"SELECT md.case_id, {flag_here}, {flag_there} FROM main.case_documents AS md "
        "JOIN bk.case_documents AS bd ON bd.case_id = md.case_id "
        "JOIN main.cases AS m ON m.case_id = md.case_id JOIN bk.cases AS bc ON bc.case_id = md.case_id "
        "WHERE bd.case_json IS NOT md.case_json ORDER BY md.case_id").fetchall()
    return [(r[0], bool(r[1]), bool(r[2])) for r in rows]
