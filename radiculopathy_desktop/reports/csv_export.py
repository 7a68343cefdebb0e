"""Cases or the worklist as CSV, safe to open in a spreadsheet.

* UTF-8 with a byte-order mark, so Excel reads accents correctly; CRLF line ends.
* Formula-injection safe: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text
  and never runs it (OWASP "CSV injection"). Numbers and dates are written as they are.
* Streaming: rows are written as they come; 100,000 cases export in well under 5 s.
* The column list is :data:`COLUMNS`, documented in ``docs/csv-columns.md`` (a test
  checks the two agree). The first two lines are ``#``-free: a header row, then data;
  the app and content versions are columns, so every row says what produced it.
"""

from __future__ import annotations

import csv
import datetime as dt
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from radiculopathy_desktop import __version__
from radiculopathy_desktop.domain.vocabulary import DECISIONS
from radiculopathy_desktop.outputs import checked_output, verify_csv_rows
from radiculopathy_desktop.reports.common import guideline_content_version

#: (column, meaning) in file order. Keep docs/csv-columns.md in step.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "Case number"),
    ("patient_id", "Patient identifier as recorded"),
    ("patient_name", "Patient name as recorded (may be empty)"),
    ("side", "Symptom side: left, right or bilateral"),
    ("care_start_date", "Date conservative care started (YYYY-MM-DD)"),
    ("as_of", "Date the status was computed for (YYYY-MM-DD)"),
    ("days_since_care_start", "Whole days from care start to as_of"),
    ("weeks_since_care_start", "Whole weeks from care start to as_of"),
    ("status", "Surgical-review status code: immediate, ask_red_flags, overdue, due, needs_follow_up, improving, "
               "upcoming, not_due, snoozed, closed"),
    ("status_label", "The status in words, as the worklist shows it"),
    ("reason", "Why the case has this status, in the engine's words"),
    ("trend", "improving, not improving, or unknown (no follow-up scores)"),
    ("resolved", "yes when the latest scores meet the resolution thresholds, else no"),
    ("visit_count", "Visits on or before as_of, the intake visit included"),
    ("last_visit_date", "Most recent visit (intake or follow-up) on or before as_of"),
    ("baseline_leg_nrs", "Leg pain 0-10 at intake"),
    ("latest_leg_nrs", "Leg pain 0-10 at the latest visit with a score (empty if none)"),
    ("last_decision", "Latest clinician decision in words (empty if none)"),
    ("last_decision_date", "Date of that decision"),
    ("continue_until", "For 'continue conservative care until', the date"),
    ("app_version", "Version of Radiculopathy Desktop that wrote the file"),
    ("content_version", "Guideline content version in force"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not evaluate. Numbers pass through unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(_DANGEROUS):
        return "'" + text
    return text


def row_from_worklist(row, content_version: str | None = None) -> dict[str, Any]:
    """A CSV row from a storage ``WorklistRow`` (the fast path for the worklist)."""
    return {
        "case_id": row.case_id,
        "patient_id": row.patient_id,
        "patient_name": row.patient_name,
        "side": row.side,
        "care_start_date": row.care_start_date,
        "as_of": row.as_of,
        "days_since_care_start": row.days_since_care_start,
        "weeks_since_care_start": row.weeks_since_care_start,
        "status": row.status.value,
        "status_label": row.status.label,
        "reason": row.reason,
        "trend": row.trend,
        "resolved": row.resolved,
        "visit_count": row.visit_count,
        "last_visit_date": row.last_visit_date,
        "baseline_leg_nrs": row.baseline_leg_nrs,
        "latest_leg_nrs": row.latest_leg_nrs,
        "last_decision": DECISIONS.get(row.last_decision_kind, row.last_decision_kind or ""),
        "last_decision_date": row.last_decision_date,
        "continue_until": row.continue_until,
        "app_version": __version__,
        "content_version": content_version or guideline_content_version(),
    }


def row_from_case(case, as_of: dt.date, settings=None, content_version: str | None = None) -> dict[str, Any]:
    """A CSV row from a domain ``Case`` (the engine's ``surgical_review`` on ``as_of``)."""
    from radiculopathy_desktop.domain.followup import surgical_review

    review = surgical_review(case, as_of, settings)
    f = review.facts
    visits = case.visits_on_or_before(as_of)
    latest_leg = next((v.leg_nrs for v in reversed(visits) if v.leg_nrs is not None), case.intake.leg_nrs)
    return {
        "case_id": case.case_id,
        "patient_id": case.patient.id,
        "patient_name": case.patient.name,
        "side": case.intake.side,
        "care_start_date": case.intake.care_start_date,
        "as_of": as_of,
        "days_since_care_start": review.days_since_care_start,
        "weeks_since_care_start": review.weeks_since_care_start,
        "status": review.status.value,
        "status_label": review.status.label,
        "reason": review.reason,
        "trend": {True: "improving", False: "not improving", None: "unknown"}[review.improving],
        "resolved": f.resolved,
        "visit_count": len(visits) + 1,
        "last_visit_date": visits[-1].date if visits else case.intake.visit_date,
        "baseline_leg_nrs": case.intake.leg_nrs,
        "latest_leg_nrs": latest_leg,
        "last_decision": DECISIONS.get(f.last_decision_kind, f.last_decision_kind or ""),
        "last_decision_date": f.last_decision_date,
        "continue_until": f.continue_until,
        "app_version": __version__,
        "content_version": content_version or guideline_content_version(),
    }


def write_rows(fh, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write the header and ``rows`` to an open text file; return the data row count."""
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    n = 0
    names = COLUMN_NAMES
    buffer = []
    for row in rows:
        buffer.append([safe_cell(row.get(name)) for name in names])
        if len(buffer) >= 2000:
            writer.writerows(buffer)
            n += len(buffer)
            buffer.clear()
    writer.writerows(buffer)
    return n + len(buffer)


def _text_cell(value: str | None) -> str:
    """safe_cell for a text (or missing) value, without the type dispatch."""
    if value is None:
        return ""
    return "'" + value if value.startswith(_DANGEROUS) else value


def worklist_cells(rows: Iterable[Any], content_version: str | None = None) -> Iterator[list]:
    """The CSV cells of storage ``WorklistRow`` objects: exactly
    ``[safe_cell(row_from_worklist(r, cv)[c]) for c in COLUMN_NAMES]``, formatted per column
    (issue 17): the formula escape only where a cell holds text that can start with a
    formula character (ids, the name, the reason); codes, words from the vocabulary,
    numbers and dates as they are."""
    app = safe_cell(__version__)
    cv = safe_cell(content_version or guideline_content_version())
    labels = DECISIONS
    from_ord, from_iso = dt.date.fromordinal, dt.date.fromisoformat
    trends = {None: "unknown", 0: "not improving", 1: "improving"}
    per_status: dict = {}
    danger = _DANGEROUS
    for r in rows:
        (case_id, patient_id, side, care_start, improving, _has_follow_up, resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _rank) = r.raw
        status = r.status
        fixed = per_status.get((r.as_of, status))
        if fixed is None:
            fixed = per_status[(r.as_of, status)] = (r.as_of.isoformat(), status.value, status.label)
        days = r.as_of.toordinal() - care_start
        label = labels.get(kind, kind or "")
        reason = r.reason
        # the formula escape of safe_cell, inline, on the text columns (ids, name, side, reason,
        # decision label); None is an empty cell
        yield ["'" + case_id if case_id.startswith(danger) else case_id,
               "'" + patient_id if patient_id.startswith(danger) else patient_id,
               "" if name is None else ("'" + name if name.startswith(danger) else name),
               "'" + side if side.startswith(danger) else side,
               from_ord(care_start).isoformat(), fixed[0], days, max(days, 0) // 7, fixed[1], fixed[2],
               "'" + reason if reason.startswith(danger) else reason,
               trends[None if improving is None else int(bool(improving))],
               "yes" if resolved else "no", visit_count, from_iso(last_visit).isoformat(), baseline_leg,
               "" if latest_leg is None else latest_leg, "'" + label if label.startswith(danger) else label,
               from_iso(decided).isoformat() if decided else "", from_iso(until).isoformat() if until else "",
               app, cv]


def export_worklist_csv(rows: Iterable[Any], path: Path, *, content_version: str | None = None,
                        overwrite: bool = True, on_complete: Callable[[int], None] | None = None) -> int:
    """:func:`export_csv` of ``row_from_worklist`` rows, the same bytes, formatted per column."""
    count = [0]
    with checked_output(Path(path), text=True, encoding="utf-8-sig", newline="", overwrite=overwrite,
                        verify=verify_csv_rows(lambda: count[0]),
                        on_complete=None if on_complete is None else (lambda: on_complete(count[0]))) as fh:
        cells = worklist_cells(rows, content_version)
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(COLUMN_NAMES)
        while batch := list(islice(cells, 5000)):  # bounded memory, few writes
            writer.writerows(batch)
            count[0] += len(batch)
    return count[0]


def export_csv(rows: Iterable[Mapping[str, Any]], path: Path, *, overwrite: bool = True,
               on_complete: Callable[[int], None] | None = None) -> int:
    """Write ``rows`` to ``path`` as UTF-8 with BOM through the checked writer (every write
    checked, fsynced, the row count read back); return the row count. ``on_complete(n)``
    runs once the file is whole, before it is put in place (the audit row)."""
    count = [0]
    with checked_output(Path(path), text=True, encoding="utf-8-sig", newline="", overwrite=overwrite,
                        verify=verify_csv_rows(lambda: count[0]),
                        on_complete=None if on_complete is None else (lambda: on_complete(count[0]))) as fh:
        count[0] = write_rows(fh, rows)
    return count[0]


def columns_markdown() -> str:
    """The column table for ``docs/csv-columns.md``."""
    lines = ["| # | Column | Meaning |", "|---|--------|---------|"]
    lines += [f"| {i} | `{name}` | {meaning} |" for i, (name, meaning) in enumerate(COLUMNS, start=1)]
    return "\n".join(lines)
