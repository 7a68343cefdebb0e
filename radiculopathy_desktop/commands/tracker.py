"""Headless tracker commands: import, worklist, case, visit, decide, demo, settings.

They all work on the database in ``--data-dir`` (else ``RADICULOPATHY_DESKTOP_DATA_DIR``,
else the user data folder) through :class:`~radiculopathy_desktop.storage.store.CaseStore`,
with the same validation the window uses. "Today" is read here, in the command
layer, and passed down; the domain never reads the clock.

Exit codes: 0 done; 2 bad input (nothing changed); 3 a database that cannot be used
safely (locked, read-only, damaged, newer, not ours; nothing changed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from radiculopathy_desktop.domain.followup import (
    STATUS_ORDER,
    WORKLIST_STATUSES,
    ReviewStatus,
    acknowledged_words,
    acknowledgement,
    not_acknowledged_by,
    red_flag_correction_note,
    red_flags_to_acknowledge,
    same_day_red_flag_noes,
    same_day_red_flag_refusal,
    standing_red_flags,
    status_for_reader,
    with_red_flag_correction,
)
from radiculopathy_desktop.domain.intake import (
    MAX_CLINICIAN_NAME,
    Case,
    ValidationError,
    parse_case,
    parse_decision,
    parse_visit,
)
from radiculopathy_desktop.domain.settings import SettingsError, default_review_settings
from radiculopathy_desktop.domain.vocabulary import (DECISIONS, MUSCLE_GROUPS, RED_FLAG_QUESTIONS, TREATMENTS,
                                                    decision_sentence)
from radiculopathy_desktop.domain.visits import (question_labels, unanswered_to_confirm, weaker_muscles,
                                                weaker_muscles_message)
from radiculopathy_desktop.commands import care_facts_args
from radiculopathy_desktop.commands.common import parse_date_arg, read_json_file, store_profile
from radiculopathy_desktop.domain.guideline import available_profiles
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.access import login_name
from radiculopathy_desktop.terminal import json_safe, one_line, terminal_safe

FORMATS = ("table", "json", "csv")
DECISION_ALIASES = {
    "referred": "referred_for_surgical_opinion",
    "refer": "referred_for_surgical_opinion",
    "continue": "continue_conservative_care",
    "declined": "patient_declined",
    "resolved": "resolved_discharged",
    "discharged": "resolved_discharged",
}
MAX_ERRORS_SHOWN = 20
MAX_INVALID_CASES = 1000  # an import stops checking after this many invalid cases


# --------------------------------------------------------------------------- helpers
def today() -> dt.date:
    """The clinic's today (the one place the clock is read; tests monkeypatch it)."""
    return dt.date.today()


def _open_store(args: argparse.Namespace, create: bool):
    from radiculopathy_desktop.storage.pg.choose import open_store

    return open_store(getattr(args, "data_dir", None), getattr(args, "server", None), create=create,
                      command=getattr(args, "command", None))


def _load_json_file(path: str, what: str) -> Any:
    return read_json_file(Path(path), what)


def _print(text: str = "") -> None:
    sys.stdout.write(terminal_safe(text) + "\n")


def _write(text: str) -> None:
    """Command output that may hold text from a case: control characters shown, never obeyed."""
    sys.stdout.write(terminal_safe(text))


def _write_json(text: str) -> None:
    """JSON output: hidden characters in its strings written as JSON escapes (rt11 F10)."""
    sys.stdout.write(json_safe(text))


# --------------------------------------------------------------------------- import
def _item_label(n: int, item: Any) -> str:
    from radiculopathy_desktop.domain.characters import shown_escaped

    label = f"case {n + 1}"
    if isinstance(item, dict) and isinstance(item.get("case_id"), str):
        label += f" (case_id {shown_escaped(item['case_id'][:64], identifier=True)})"  # rt10 F6
    elif isinstance(item, dict) and isinstance(item.get("patient"), dict) and isinstance(item["patient"].get("id"), str):
        label += f" (patient {shown_escaped(item['patient']['id'][:64], identifier=True)})"
    return label


class _InvalidCases(Exception):
    """The file has invalid cases (listed in ``problems``): nothing may be imported."""


#: The words of a visit's clinician refused by its length (``domain.intake.record_clinician_problem``).
CLINICIAN_BOUND = f"clinician: at most {MAX_CLINICIAN_NAME} characters"


def _held_visits(store, item: Any, error: ValidationError):
    """The visits ``store`` holds for the case of file ``item`` when ``error`` refuses a visit
    recording nothing or one whose clinician is longer than the bound (None otherwise, or with
    no store or no such case): such a visit stored before the rule and re-exported is not new
    input (``parse_case``'s ``held_visits``)."""
    from radiculopathy_desktop.domain.visits import EMPTY_VISIT_MESSAGE

    if store is None or not isinstance(item, dict) or not isinstance(item.get("case_id"), str):
        return None
    if not any(e.field == "visits" and (e.message.endswith(EMPTY_VISIT_MESSAGE) or CLINICIAN_BOUND in e.message)
               for e in error.errors):
        return None
    if not store.has_case(item["case_id"]):
        return None
    return store.get_case(item["case_id"]).visits


def _streamed_cases(path: Path, problems: list[str], store=None) -> Iterator[Case]:
    """The file's cases, read and validated one at a time (bounded memory).

    Valid cases are yielded until the first invalid one; after that the rest of the
    file is still checked (the first :data:`MAX_ERRORS_SHOWN` problems noted in
    ``problems``, the others counted, checking stopped after :data:`MAX_INVALID_CASES`
    invalid cases) and :class:`_InvalidCases` is raised at the end, so a transaction
    consuming the cases rolls back and nothing is imported. ``store``: the tracker the cases
    are imported into, read for a case whose file holds a visit recording nothing
    (:func:`_held_visits`).
    """
    from radiculopathy_desktop.commands.case_files import iter_case_items

    try:
        n = -1
        extra = 0
        invalid = 0
        for n, item in enumerate(iter_case_items(path, refuse_scalar=True)):
            try:
                try:
                    case = parse_case(item, today=today())  # an intake dated after today is a typo
                except ValidationError as first:
                    held = _held_visits(store, item, first)
                    if held is None:
                        raise
                    case = parse_case(item, today=today(), held_visits=held)
            except ValidationError as exc:
                invalid += 1
                for e in exc.errors:
                    if len(problems) < MAX_ERRORS_SHOWN:
                        problems.append(f"{_item_label(n, item)}: {e.message}")
                    else:
                        extra += 1
                if invalid >= MAX_INVALID_CASES:  # a hostile file: say so now, do not read millions more
                    problems.append(f"... and {extra} more; checking stopped after {invalid:,} invalid cases")
                    raise _InvalidCases()
                continue
            if not problems:
                yield case
        if n < 0:
            raise UserError("import: the file holds no cases.")
        if problems:
            if extra:
                problems.append(f"... and {extra} more")
            raise _InvalidCases()
    except UserError as exc:
        if exc.message.startswith("import:"):
            raise
        raise UserError(f"import: {exc.message}", exc.exit_code) from None


#: An import adding at most this many cases is checked for ids differing only in capitals
#: (one search each; a bulk load of a tracker's own records is not a typed id).
_CASE_VARIANTS_CHECKED = 200


def _case_id_variants(store, added: Sequence[str]) -> list[str]:
    """A warning for each added case whose id equals another case's ignoring capitals
    (``ex-1`` beside ``EX-1``): case IDs are compared exactly, so these are two cases
    (rt11 F8); said, not refused, as a clinic may use such ids on purpose."""
    from radiculopathy_desktop.domain.characters import capitals_key, capitals_queries, visible_id

    out = []
    for case_id in added:
        key = capitals_key(case_id)
        others = sorted({other for query in capitals_queries(case_id)
                         for match in store.search_patients(query, limit=50) for other in match.case_ids
                         if other != case_id and capitals_key(other) == key})
        if others:
            out.append(f"warning: case {visible_id(case_id)} differs from case "
                       f"{', '.join(visible_id(o) for o in others)} only in capitals: case IDs are compared exactly, "
                       "so these are two cases (of different episodes: one episode's second case is refused); "
                       "type the ID with its capitals to open the one you mean")
    return out


def _patient_id_variants(store, added: Sequence[str], kept_apart: Sequence[dict] = ()) -> list[str]:
    """A warning for each added case's new patient ID that differs from a stored patient's
    only in capitals (``p-oc-1`` beside ``P-OC-1``, rt16 F2), once per patient ID. A stored ID
    of another person kept apart (``kept_apart``: ``ImportResult.kept_apart``) is left out: its
    own warning says they are different people (rt20 F9)."""
    from radiculopathy_desktop.storage.engine_common import patient_id_variants

    apart: dict[str, set] = {}
    for item in kept_apart:
        apart.setdefault(item["patient_id"], set()).update(item["other_patient_ids"])
    out = []
    for patient_id in dict.fromkeys(store.get_case(c).patient.id for c in added):
        line = patient_id_variants(store, patient_id, apart.get(patient_id, ()))
        if line:
            out.append(line)
    return out


def _lookalikes_refused(store, cases: Iterable[Case], problems: list[str]) -> Iterator[Case]:
    """``cases`` (as :func:`_streamed_cases` yields them: in file order until the first
    problem) up to the first new case whose patient ID or case ID looks the same as a
    different stored one, or one earlier in the file (``domain.characters.NewIdCheck``,
    the window's check): that one is noted in ``problems``, so the import is refused. The
    stored ids are read once, at the first case (a file with no valid case reads none)."""
    from radiculopathy_desktop.domain.characters import NewIdCheck, shown_escaped

    check = None
    for n, case in enumerate(cases):
        if check is None:
            check = NewIdCheck(*store.stored_ids())
        for _field, message in check.problems(case.patient.id, case.case_id):
            problems.append(f"case {n + 1} (case_id {shown_escaped(case.case_id[:64], identifier=True)}): {message}")
        if not problems:
            yield case


def cmd_import(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.storage.paths import database_path
    from radiculopathy_desktop.storage.pg.choose import server_url

    path = Path(args.file)
    problems: list[str] = []
    try:
        data_dir = getattr(args, "data_dir", None)
        if server_url(data_dir, getattr(args, "server", None)) is None and not database_path(data_dir).exists():
            for _ in _streamed_cases(path, problems):  # check the file before a database is created for it
                pass
        with _open_store(args, create=True) as store:  # one pass, one transaction: all or nothing
            result = store.import_cases(_lookalikes_refused(store, _streamed_cases(path, problems, store), problems),
                                        user=login_name(),
                                        replace_records=args.replace_records,
                                        acknowledge_red_flags=args.acknowledge_red_flags,
                                        legacy_decisions=False,  # a file's new decision goes through the gate
                                        close_with_unanswered_red_flags=args.close_with_unanswered_red_flags,
                                        one_case_per_episode=True,  # no second case of one episode (rt11 F8)
                                        open_case_as_of=today(),  # nor a second open case of one patient (G10)
                                        new_episode=args.new_episode)
            variants = (_case_id_variants(store, result.added) + _patient_id_variants(store, result.added, result.kept_apart)
                        if result.added and len(result.added) <= _CASE_VARIANTS_CHECKED else [])
    except _InvalidCases:
        raise UserError("import: nothing was imported; fix these problems and import again:\n  "
                        + "\n  ".join(problems), exit_code=2) from None
    _print(f"Imported {args.file}: {len(result.added)} added, {len(result.updated)} updated, "
           f"{len(result.unchanged)} unchanged.")
    for line in variants:
        print(terminal_safe(line), file=sys.stderr)
    for item in result.new_episodes:  # said, and kept in the audit (gp14 G10)
        from radiculopathy_desktop.domain.characters import visible_id

        opens = ", ".join(f"{visible_id(o['case_id'])} (intake {o['intake_date']}, {ReviewStatus(o['status']).label})"
                          for o in item["open_cases"])
        what = ("Closed case re-opened as a new episode" if item.get("reopened")
                else "New episode added")
        _write(f"{what} while the patient had an open case (kept in the audit): case "
               f"{_shown_id(item['case_id'])}, patient {_shown_id(item['patient_id'])}; open: {opens}\n")
    for item in result.kept_apart:  # a new ID beside same-key IDs of other people: named (fxc18)
        from radiculopathy_desktop.storage.engine_common import kept_apart_warning

        print(terminal_safe(kept_apart_warning(item)), file=sys.stderr)
    for item in result.pregnancy_differs:  # named, not refused, and kept in the audit (gp17 F5)
        print(terminal_safe("warning: " + item["text"] + " (kept in the audit)."), file=sys.stderr)
    for label, ids in (("added", result.added), ("updated", result.updated)):
        if ids and len(ids) <= 20:
            _print(f"  {label}: {', '.join(_shown_id(i) for i in ids)}")  # as the worklist shows them (rt12 F5)
    if result.acknowledged:  # said, as `decide --acknowledge-red-flags` names them (rt7 R6)
        from radiculopathy_desktop.storage.engine_common import acknowledged_summary

        _write("Red flags acknowledged (kept in the audit): " + acknowledged_summary(result.acknowledged) + "\n")
    if result.closed_unanswered:  # said, as `decide --close-with-unanswered-red-flags` says it (rt14 F7)
        from radiculopathy_desktop.storage.engine_common import closings_unanswered_summary

        _write("Closed with cauda equina questions unanswered (kept in the audit):\n  "
               + closings_unanswered_summary(result.closed_unanswered) + "\n")
    if result.changed:  # allowed, but it moves the status or the medicine alerts: named (closing9, rt12 F14)
        from radiculopathy_desktop.storage.engine_common import changed_summary

        _write("Changed in updated cases (kept in the audit):\n  " + changed_summary(result.changed) + "\n")
    if result.replaced:  # --replace-records rewrote what the intake recorded: said, and kept in the audit
        from radiculopathy_desktop.storage.engine_common import replaced_summary

        _write("Replaced at the intake (kept in the audit):\n  " + replaced_summary(result.replaced) + "\n")
    if result.removed:  # --replace-records removed recorded visits or decisions: named, not only counted (rt11 F13)
        from radiculopathy_desktop.storage.engine_common import removed_summary

        _write("Removed from the tracker by --replace-records (kept in the audit):\n  "
               + removed_summary(result.removed) + "\n")
    return 0


# --------------------------------------------------------------------------- worklist
def parse_statuses(text: str | None) -> list[ReviewStatus]:
    if text is None:
        return list(WORKLIST_STATUSES)
    out: list[ReviewStatus] = []
    for part in text.split(","):
        name = part.strip().lower().replace("-", "_").replace(" ", "_")
        if not name:
            continue
        if name == "all":
            return list(STATUS_ORDER)
        try:
            out.append(ReviewStatus(name))
        except ValueError:
            known = ", ".join(s.value for s in STATUS_ORDER)
            raise UserError(f"--status: {part.strip()!r} is not a status; use one or more of: {known}, all "
                            "(comma-separated).") from None
    if not out:
        raise UserError("--status: give at least one status (for example due,overdue).")
    return out


def _csv_safe(value: Any) -> Any:
    """Stop spreadsheet programs from running text as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


WORKLIST_CSV_COLUMNS = ("status", "case_id", "patient_id", "patient_name", "care_start_date",
                        "days_since_care_start", "weeks_since_care_start", "improving", "has_follow_up",
                        "last_visit_date", "visit_count", "baseline_leg_nrs", "latest_leg_nrs",
                        "last_decision", "last_decision_date", "continue_until", "reason", "dose_alerts",
                        "medicine_alerts", "pregnancy", "would_not_consider_surgery")


def _shown_id(text: str | None) -> str:
    """A stored identifier as the window and the CSV show it (``visible_id``: hidden
    characters escaped, a backslash doubled: one-to-one, rt10 F8), on one line."""
    from radiculopathy_desktop.domain.characters import visible_id

    return one_line(visible_id(text))


def _shown_name(text: str | None) -> str:
    """A stored name as the window shows it (``visible``: escapes one-to-one, rt10 F8), on
    one line (a tab or line break is a space, as before)."""
    from radiculopathy_desktop.domain.characters import visible

    return one_line(visible(text))


def _typed_case_id(store, typed: str) -> str:
    """The stored case id a typed CASE_ID means: the shown form (a hidden character as
    ``\\uXXXX``, a backslash as ``\\\\``) opens the case shown so (rt10 F8)."""
    from radiculopathy_desktop.domain.characters import stored_id

    return stored_id(typed, store.has_case)


def _trim(text: str | None, width: int, shown: bool = False) -> str:
    text = _shown_name(text) if shown else one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_worklist_table(rows, counts, as_of: dt.date, settings, profile: str | None = None) -> str:
    """The worklist as a text table; with ``profile``, the first line names the guideline profile
    the medicine marks were read under (prof30: the clinic's unless --profile overrides it)."""
    from radiculopathy_desktop.domain.medicine_alerts import CHECK_DOSE_LABEL
    from radiculopathy_desktop.domain.vocab import (WOULD_NOT_CONSIDER_SURGERY_SENTENCE, MedicineStatus,
                                                    says_would_not_consider, status_line)
    from radiculopathy_desktop.domain.worklist_marks import dose_lines_by_label, medicines_label

    out = io.StringIO()
    summary = ", ".join(f"{counts[s]} {s.label.lower()}" for s in WORKLIST_STATUSES)
    out.write(f"Worklist as of {as_of.isoformat()} (review window days {settings.window_start_day}-"
              f"{settings.window_end_day} of conservative care"
              f"{'' if profile is None else f'; medicine marks under the {profile} profile'}): {summary}\n")
    if not rows:
        out.write("No cases match.\n")
        return out.getvalue()
    header = ("Status", "Case", "Patient", "Day (wk)", "Trend", "Leg NRS", "Last visit", "Medicines", "Decision",
              "Safety")
    table = [header]
    for r in rows:
        decision = ""
        if r.last_decision_kind:
            decision = r.last_decision_kind.replace("_", " ")
            if r.continue_until:
                decision += f" until {r.continue_until.isoformat()}"
        table.append((status_line(r.status, r.would_not_consider_surgery), _shown_id(r.case_id), _trim(r.patient_name, 24, shown=True),
                      f"{r.days_since_care_start} ({r.weeks_since_care_start})", r.trend,
                      f"{r.baseline_leg_nrs}->{r.latest_leg_nrs}" if r.has_follow_up else f"{r.baseline_leg_nrs}",
                      r.last_visit_date.isoformat(), medicines_label(r.medicine_alerts, r.dose_alerts).upper(),
                      _trim(decision, 40),
                      _safety_mark(r)))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        out.write("  ".join(str(v).ljust(widths[i]) for i, v in enumerate(row)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    immediate = [r for r in rows if r.status == ReviewStatus.IMMEDIATE]
    if immediate:
        out.write("\nImmediate (red flags, act now):\n")
        for r in immediate[:50]:
            out.write(f"  {_shown_id(r.case_id)}: {one_line(r.reason)}\n")
    # each dose line under its own label: a slip or an unreadable regimen is "Check the dose",
    # never "Reduce dose" (gp19 F4)
    for label, what in ((MedicineStatus.REDUCE_DOSE.label, "a current dose above this patient's maximum"),
                        (CHECK_DOSE_LABEL, "a dose that may be a slip or cannot be read: check it")):
        listed = [(r, dose_lines_by_label(r.dose_alerts).get(label)) for r in rows]
        listed = [(r, lines) for r, lines in listed if lines]
        if listed:
            out.write(f"\n{label} ({len(listed)} of the cases listed: {what}):\n")
            for r, lines in listed[:50]:
                out.write(f"  {_shown_id(r.case_id)}: {one_line('; '.join(lines))}\n")
    alerted = [r for r in rows if r.medicine_alerts]
    if alerted:
        out.write(f"\nMedicine alerts ({len(alerted)} of the cases listed: a medicine taken now is contraindicated, "
                  "to avoid, above this patient's maximum, a dose to check or a name not recognised; the case shows why):\n")
        for r in alerted[:50]:
            out.write(f"  {_shown_id(r.case_id)}: {one_line(r.medicine_alert_words)}\n")
    # path34: never beside a red flag (says_would_not_consider: red flags override everything)
    declines = [r for r in rows if says_would_not_consider(r.status, r.would_not_consider_surgery)]
    if declines:  # path33: the wish a review due must discuss, said once for the cases listed
        out.write(f"\nWould not consider surgery ({len(declines)} of the cases listed): "
                  f"{WOULD_NOT_CONSIDER_SURGERY_SENTENCE}\n")
        for r in declines[:50]:
            out.write(f"  {_shown_id(r.case_id)}: {r.status.label}\n")
    pregnant = [r for r in rows if r.pregnancy[0]]
    if pregnant:
        out.write(f"\nPregnancy recorded ({len(pregnant)} of the cases listed):\n")
        for r in pregnant[:50]:
            out.write(f"  {_shown_id(r.case_id)}: {one_line(r.pregnancy[1])}\n")
    return out.getvalue()


def _safety_mark(r) -> str:
    """The Safety column of the worklist table: the worst medicine alert and the pregnancy."""
    marks = r.medicine_alerts
    parts = [marks[0].label.upper() + (f" +{len(marks) - 1}" if len(marks) > 1 else "")] if marks else []
    if r.pregnancy[0]:
        parts.append(r.pregnancy[0])
    return "; ".join(parts)


def cmd_worklist(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_rows_json

    as_of = parse_date_arg(args.as_of, "--as-of", default=today())
    statuses = parse_statuses(args.status)
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit: give a number of rows of 1 or more.")
    with _open_store(args, create=False) as store:
        settings = store.get_settings()
        args.profile = store_profile(args, store)
        if args.reduce_dose:  # only cases with a dose above the maximum, in worklist order
            if args.status is None:  # every open status, as --medicine-alerts (gp18 F3: a "Not due" case was missed)
                statuses = [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]
            rows = [r for r in store.worklist(as_of, statuses=statuses, search=args.search, profile=args.profile,
                                              today=today()) if r.dose_alerts][:args.limit]
        elif args.medicine_alerts:  # only cases with a medicine-safety alert on the date (every open status)
            if args.status is None:
                statuses = [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]
            rows = store.worklist(as_of, statuses=statuses, search=args.search, limit=args.limit,
                                  profile=args.profile, medicine_alerts_only=True, today=today())
        else:
            rows = store.worklist(as_of, statuses=statuses, search=args.search, limit=args.limit,
                                  profile=args.profile, today=today())
        # Patient data shown from the command line is audited like the window's views, before it is shown.
        store.record_audit(login_name(), "worklist_listed", None, {
            "via": "command line", "format": args.format, "rows": len(rows), "as_of": as_of.isoformat(),
            "statuses": [s.value for s in statuses], "search": bool(args.search), "reduce_dose": args.reduce_dose,
            **({"medicine_alerts": True} if args.medicine_alerts else {})})
        if args.format == "table":
            counts = store.status_counts(as_of)
            _write(format_worklist_table(rows, counts, as_of, settings, args.profile))
        elif args.format == "json":
            payload = {"as_of": as_of.isoformat(), "statuses": [s.value for s in statuses],
                       "settings": {"window_start_day": settings.window_start_day,
                                    "window_end_day": settings.window_end_day,
                                    "upcoming_lead_days": settings.upcoming_lead_days},
                       "profile": args.profile,  # the guideline profile of dose_alerts and medicine_alerts
                       "count": len(rows)}
            # Same bytes as json.dumps(indent=1), with the C string escaper, one write (issue 17).
            _write_json(worklist_rows_json(payload, rows))
        else:
            _write(worklist_csv(WORKLIST_CSV_COLUMNS, rows, _csv_safe))
    return 0


# --------------------------------------------------------------------------- case
def format_case(case: Case, review, assessments, audit, medicine_alerts=(), ask_now=None,
                profile: str | None = None) -> str:
    from radiculopathy_desktop.domain.intake import baseline_rerecorded
    from radiculopathy_desktop.domain.visits import (INTAKE_DAY_KIND, INTAKE_DAY_KIND_SHORT, INTAKE_REPLACED_KIND,
                                                     baseline_mark, baseline_rerecorded_words, is_intake_day_visit)

    i = case.intake
    p = case.patient
    out = io.StringIO()
    w = out.write
    age = p.age_on(i.visit_date)  # the age at intake, as the line says
    w(f"Case {_shown_id(case.case_id)}  patient {_shown_id(p.id)}  {_shown_name(p.name) or '(no name)'}  {p.sex}"
      + (f", {age} y at intake" if age is not None else "") + "\n")
    w(f"Onset {i.onset_date}  intake {i.visit_date}  conservative care from {i.care_start_date}  "
      f"side {i.side}  regions {', '.join(i.regions) or '-'}\n\n")
    if medicine_alerts:  # domain/medicine_alerts.py: current medicines to stop, change or reduce
        w(f"MEDICINE SAFETY: {len(medicine_alerts)} current medicine alert{'s' if len(medicine_alerts) != 1 else ''}"
          f"{'' if profile is None else f' ({profile} profile)'}\n")
        for alert in medicine_alerts:
            w(f"  !! {alert.status_label.upper()}: {one_line(alert.text)}\n")
        w("\n")
    # A case printed may be read away from the worklist: a paused review says "Review deferred
    # until DATE by WHO" (its names as typed), never the filter word "Snoozed"; other statuses
    # keep their capitals.
    words = one_line(status_for_reader(review, case, dt.date.fromisoformat(review_as_of(review))))
    w(f"Surgical review as of {review_as_of(review)}: "
      f"{words.upper() if words == review.status.label else words}\n  {review.reason}\n")
    if ask_now is not None:  # the red-flag data's own action, as `assess` prints it (sn16)
        w(f"  {one_line(ask_now.text)}\n")
    w(f"  Day {review.days_since_care_start} (week {review.weeks_since_care_start}); window "
      f"{review.window_opens} to {review.window_closes}\n")
    rerecorded = baseline_rerecorded_words(case)  # rt21 F5: the intake's day's later record
    if rerecorded:
        w(f"  {rerecorded}\n")
    w("\nVisits\n")
    w("  Date        Kind       Leg  Back  ODI   RMDQ  Treatments / red flags\n")
    extra = ", ".join(t.code for t in i.treatments_tried)
    yes = [k for k, v in i.red_flags.items() if v == "yes"]
    if yes:
        extra += ("; " if extra else "") + "red flags: " + ", ".join(yes)
    # rt22 F11: "baseline" only when the intake's own scores are the baseline Progress is judged from
    replaced = bool(baseline_rerecorded(i, case.visits))
    if replaced:
        mark = baseline_mark(i, case.visits, None)  # gp20 F11: the scores it still gives, if any
        extra = INTAKE_REPLACED_KIND + (f" {mark}" if mark else "") + ("; " + extra if extra else "")
    w(f"  {i.visit_date}  {'intake' if replaced else 'baseline':<9}  {_num(i.leg_nrs):>3}  {_num(i.back_nrs):>4}  {_num(i.function.odi_percent):>4}  "
      f"{_num(i.function.rmdq):>4}  {extra}\n")
    for n, v in enumerate(case.visits):
        extra = ", ".join(t.code for t in v.treatments_tried)
        yes = [k for k, a in v.red_flags.items() if a == "yes"]
        if yes:
            extra += ("; " if extra else "") + "red flags: " + ", ".join(yes)
        # redflag31 (tryout31 D1): a question answered unknown here is not answered; the row said nothing
        unknown = [k for k, a in v.red_flags.items() if a == "unknown"]
        if unknown:
            extra += ("; " if extra else "") + "red flags not known: " + ", ".join(unknown)
        if v.power:
            extra += ("; " if extra else "") + "power " + ", ".join(f"{k} {g}/5" for k, g in v.power.items())
        if v.pregnancy is not None:  # preg17: the answer recorded here stands from this date on
            extra += ("; " if extra else "") + (
                f"pregnant, {v.pregnancy.weeks} weeks" if v.pregnancy.pregnant else
                "no longer pregnant" + (f" (ended {v.pregnancy.ended_on})" if v.pregnancy.ended_on else ""))
        # rt21 F9: a record of the intake's own day is not a follow-up (the status says so too)
        same_day = is_intake_day_visit(case, v)
        mark = baseline_mark(i, case.visits, n) if same_day else ""  # gp20 F11: the record that is the baseline
        if same_day:
            extra = INTAKE_DAY_KIND + (f" {mark}" if mark else "") + ("; " + extra if extra else "")
        kind = ("baseline" if mark == "(baseline)" else INTAKE_DAY_KIND_SHORT) if same_day else "follow-up"
        w(f"  {v.date}  {kind:<9}  {_num(v.leg_nrs):>3}  {_num(v.back_nrs):>4}  {_num(v.odi_percent):>4}  "
          f"{_num(v.rmdq):>4}  {extra}\n")
    w("\nDecisions\n")
    if not case.decisions:
        w("  none recorded\n")
    for d in case.decisions:
        named = acknowledged_words(d)
        w(f"  {d.date}  {decision_sentence(d.kind, d.until)}"
          + (f" by {one_line(d.by)}" if d.by else "") + (f" ({named})" if named else "")
          + (f": {one_line(d.note)}" if d.note else "") + "\n")
    from radiculopathy_desktop.domain.care_facts import care_fact_lines  # issue 16
    w("\nImaging and self-management advice\n" + "".join(f"  {one_line(line)}\n" for line in care_fact_lines(case)))
    w(f"\nAssessments stored: {len(assessments)}")
    if assessments:
        last = assessments[-1]
        w(f" (latest {last.visit_date}, guideline content {last.content_version})")
    w("\n")
    if audit:
        w("\nAudit (latest 10)\n")
        for a in audit[-10:]:
            # On the clinic server the audit also holds the authenticated database login: the
            # typed name alone cannot tell apart two people sharing a workstation account.
            login = getattr(a, "role", "")
            who = one_line(a.user) + (f" (login {one_line(login)})" if login else "")
            w(f"  {a.at}  {who}  {a.action}\n")
    return out.getvalue()


def review_as_of(review) -> str:
    return (review.window_opens - dt.timedelta(days=review.settings.window_start_day)
            + dt.timedelta(days=review.days_since_care_start)).isoformat()


def _num(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cmd_case(args: argparse.Namespace) -> int:
    as_of = parse_date_arg(args.as_of, "--as-of", default=today())
    from radiculopathy_desktop.domain.intake import case_to_dict

    with _open_store(args, create=False) as store:
        args.case_id = _typed_case_id(store, args.case_id)
        case = store.get_case(args.case_id)
        args.profile = store_profile(args, store)
        store.record_audit(login_name(), "case_viewed", args.case_id, {"via": "command line",
                                                                          "format": args.format})
        review = store.review(args.case_id, as_of)
        assessments = store.assessments(args.case_id)
        audit = store.audit(args.case_id)
        differs = _pregnancy_differs(store, case, day=as_of)
    if args.format == "json":
        # the key only when another case of the patient contradicts this one's pregnancy (gp17 F5)
        extra = {"pregnancy_differs_between_cases": [{**c.to_audit(), "text": c.text()} for c in differs]} \
            if differs else {}
        _write_json(json.dumps({"case": case_to_dict(case), "as_of": as_of.isoformat(), "review": review.to_dict(),
                           **extra,
                           "assessments": [{"visit_date": a.visit_date.isoformat(),
                                            "content_version": a.content_version, "created_at": a.created_at,
                                            "created_by": a.created_by} for a in assessments],
                           "audit": [{"at": a.at, "user": a.user, "action": a.action, "detail": a.detail,
                                      **({"login": a.role} if getattr(a, "role", "") else {})}
                                     for a in audit]}, ensure_ascii=False, indent=1) + "\n")
    else:
        from radiculopathy_desktop.domain.assess import assess_case

        from radiculopathy_desktop.domain.triage import ask_now_action

        assessed = assess_case(case, as_of, profile=args.profile)
        _write(format_case(case, review, assessments, audit, assessed.medicine_alerts, ask_now_action(assessed.triage),
                          args.profile))
        for item in differs:
            print(terminal_safe("warning: " + item.text() + "."), file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- visit / decide
_VISIT_OPTION = {"date": "--date", "leg_nrs": "--leg-nrs", "back_nrs": "--back-nrs", "odi_percent": "--odi",
                 "rmdq": "--rmdq", "treatments_tried": "--treatment", "red_flags": "--red-flag", "power": "--power",
                 "clinician": "--clinician", "notes": "--notes",
                 "pregnancy": "--pregnant-weeks/--not-pregnant"}
_VISIT_OPTION.update(care_facts_args.OPTIONS)  # issue 16
_DECISION_OPTION = {"date": "--date", "kind": "--kind", "until": "--until", "by": "--by", "note": "--note"}


_EMPTY_VISIT_OPTIONS = ("give at least one of --leg-nrs, --back-nrs, --odi, --rmdq, --red-flag, --power, --treatment, "
                        "--imaging (or --no-imaging), --advice, --pregnant-weeks (or --not-pregnant), --notes.")


def _field_errors_message(exc: ValidationError, case_id: str, options: dict[str, str], prefix: str) -> str:
    lines = []
    for e in exc.errors[:MAX_ERRORS_SHOWN]:
        # a rule checked against the stored case names the visit by its place there (visits[N].)
        name = re.sub(r"^visits\[\d+\]\.", "", e.field.removeprefix(prefix)).split(".")[0].split("[")[0]
        option = options.get(name)
        message = e.message.removeprefix(f"{e.field}: ") if option else e.message
        lines.append(f"{option}: {message}" if option else message)
    return f"case {case_id}: nothing was saved:\n  " + "\n  ".join(lines)


WRITE_KEY_HELP = (
    "a key of your own (8 to 64 letters, digits or dashes, e.g. a UUID) that makes this save happen at most once: "
    "run again with the same key and the same content (a retry after a lost answer or a dropped server connection), "
    "it says 'Already saved' and exits 0 without a second record; the same key with different content is refused "
    "(exit 2, nothing written), and so is a retry whose record was since removed from the case (import "
    "--replace-records): exit 2, use a new key to add it again. Keys are compared without case (a UUID in upper or "
    "lower case is the same key). A key that starts with a dash is written --write-key=-KEY. With decide, give "
    "--date too: without it the decision is dated the day the command runs, so a retry after midnight is a "
    "different record. With decide the content compared is what is typed (date, kind, until, by, note): a retry "
    "after a red flag was raised since is 'Already saved', and the red flags the saved decision does not acknowledge "
    "are named (they need a new decision, with a new key). Make one new key per record and keep it for that record's "
    "retries. Without a key "
    "every run adds a record: no key is made up from the content, since two visits or decisions with the same "
    "content are allowed (a re-measured score, a decision recorded again) and must not vanish as 'already saved'")


def write_key_arg(text: str) -> str:
    """An argparse type: a write key as the store accepts it, refused in words otherwise."""
    from radiculopathy_desktop.storage.engine_common import checked_write_key

    try:
        return checked_write_key(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:70]!r} is not a write key: use 8 to 64 letters (A-Z, a-z), "
                                         "digits or dashes, for example a UUID") from None


@contextlib.contextmanager
def _keyed_save(case_id: str, key: str | None, what: str, date_note: str = "") -> Iterator[None]:
    """Around a keyed save: a key already used on the case for a different record, or whose
    record is no longer on the case, is refused in words (exit 2); the store has written nothing.
    ``date_note``: said when the dates differ (a default date that moved since the first run)."""
    from radiculopathy_desktop.storage.engine_common import KeyedRecordGone, KeyedRecordMismatch

    try:
        yield
    except KeyedRecordGone:
        raise UserError(f"case {case_id}: nothing was saved: the {what} saved with write key {key} was later "
                        f"removed from the case (its records were replaced, e.g. by import --replace-records), so "
                        f"it is not on the case now and this retry does not put it back. To add this {what} "
                        f"again, run it with a new write key; to see the case: radiculopathy-desktop case "
                        f"{case_id}", exit_code=2) from None
    except KeyedRecordMismatch as exc:
        if not exc.same_kind:
            which = f" (a {'decision' if what == 'visit' else 'visit'})"
        elif exc.fields:
            which = f" (what differs: {', '.join(field.replace('_', ' ') for field in exc.fields)})"
        else:
            which = " (a detail the audit does not show differs, such as the note)"
        note = date_note if "date" in exc.fields else ""
        raise UserError(f"case {case_id}: nothing was saved: write key {key} was already used on this case for a "
                        f"different record{which}, so this {what} is not the one saved with it.{note} A new {what} "
                        f"needs a new key; to see what was saved: radiculopathy-desktop case {case_id}",
                        exit_code=2) from None


def _key_values(items: Sequence[str] | None, option: str, known: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UserError(f"{option}: {item!r} must be KEY=VALUE (for example {option} {next(iter(known))}=yes).")
        if key not in known:
            raise UserError(f"{option}: {key!r} is not known; known: {', '.join(known)}.")
        out[key] = value
    return out


def visit_from_args(args: argparse.Namespace) -> dict:
    if args.json:
        data = _load_json_file(args.json, "visit --json")
        if not isinstance(data, dict):
            raise UserError("visit --json: the file must hold one visit object.")
        return data
    if args.date is None:
        raise UserError("--date is required (the visit date, YYYY-MM-DD), or give the whole visit with --json FILE.")
    day = parse_date_arg(args.date, "--date")
    data: dict[str, Any] = {"date": day.isoformat()}
    for key, value in (("leg_nrs", args.leg_nrs), ("back_nrs", args.back_nrs), ("odi_percent", args.odi),
                       ("rmdq", args.rmdq), ("clinician", args.clinician), ("notes", args.notes)):
        if value is not None:
            data[key] = value
    care_facts_args.apply(args, data)  # issue 16: imaging requested, self-management advice
    # A visit recording nothing is refused by the domain's one rule (domain.visits, rt13 F7),
    # for options and --json alike: see cmd_visit.
    if args.treatment:
        for code in args.treatment:
            if code not in TREATMENTS:
                raise UserError(f"--treatment: {code!r} is not a known treatment code; known: {', '.join(TREATMENTS)}.")
        data["treatments_tried"] = [{"code": c} for c in args.treatment]
    flags = _key_values(args.red_flag, "--red-flag", RED_FLAG_QUESTIONS)
    if flags:
        data["red_flags"] = flags
    power = _key_values(args.power, "--power", MUSCLE_GROUPS)
    if power:
        grades = {}
        for k, v in power.items():
            if not v.isdigit():
                raise UserError(f"--power: {k}={v}: the grade must be a whole number 0-5 (MRC).")
            grades[k] = int(v)
        data["power"] = grades
    pregnancy = _pregnancy_from_args(args)
    if pregnancy is not None:
        data["pregnancy"] = pregnancy
    return data


def _pregnancy_from_args(args: argparse.Namespace) -> dict | None:
    """The visit's ``pregnancy`` from --pregnant-weeks N (pregnant, N weeks on the visit date) or
    --not-pregnant with an optional --pregnancy-ended DATE (preg17); None when neither is given."""
    weeks, ended = args.pregnant_weeks, args.pregnancy_ended
    if weeks is not None and (args.not_pregnant or ended is not None):
        raise UserError("--pregnant-weeks records a pregnancy; --not-pregnant (and --pregnancy-ended) record that "
                        "she is no longer pregnant: give one or the other.")
    if weeks is not None:
        return {"pregnant": True, "weeks": weeks}
    if ended is not None and not args.not_pregnant:
        raise UserError("--pregnancy-ended DATE goes with --not-pregnant (the pregnancy ended on DATE, on or before "
                        "the visit).")
    if args.not_pregnant:
        out: dict[str, Any] = {"pregnant": False}
        if ended is not None:
            out["ended_on"] = parse_date_arg(ended, "--pregnancy-ended").isoformat()
        return out
    return None


def _visits_said(n: int) -> str:
    """"1 follow-up visit", "4 follow-up visits" (it printed "1 follow-up visits")."""
    return f"{n} follow-up visit{'' if n == 1 else 's'}"


def cmd_visit(args: argparse.Namespace) -> int:
    data = visit_from_args(args)
    as_of = today()
    with _open_store(args, create=False) as store:
        args.case_id = _typed_case_id(store, args.case_id)
        case = store.get_case(args.case_id)
        try:
            visit = parse_visit(data, case, today=as_of)
        except ValidationError as exc:
            message = _field_errors_message(exc, args.case_id, _VISIT_OPTION, "visit.")
            if any(e.field == "visit" for e in exc.errors) and not args.json:
                message += "\n  " + _EMPTY_VISIT_OPTIONS
            raise UserError(message) from None
        corrected = _red_flag_correction(args, case, visit)  # tryout36 F1: import's rule, domain.followup
        if corrected:
            visit = with_red_flag_correction(case, visit, corrected)
        weaker = weaker_muscles_message(weaker_muscles(case, visit))  # said, not raised (rt13 F2)
        same_day = _same_day_warning(case, visit)  # warned, not refused: two visits a day can be real
        key = args.write_key
        # The store decides under the case's lock whether the keyed visit is new, the same
        # (nothing written: already_saved) or different; the message says what it did (rt6 F6).
        with _keyed_save(args.case_id, key, "visit"):
            try:
                change = store.add_visit(args.case_id, visit, user=login_name(), write_key=key)
            except ValidationError as exc:  # a rule against the case's other records (rt18 F9: was exit 70)
                raise UserError(_field_errors_message(exc, args.case_id, _VISIT_OPTION, "visit.")) from None
        review = store.review(args.case_id, max(as_of, visit.date))
        elsewhere = _open_elsewhere(store, case, as_of)
        differs = _pregnancy_differs(store, change.case, before=case, visit_day=visit.date) \
            if visit.pregnancy is not None else []
    if change.already_saved:
        _print(f"Already saved: the visit of {visit.date} with write key {key} is on case {args.case_id}; "
               f"nothing was written again ({_visits_said(len(change.case.visits))}).")
    else:
        _print(f"Visit of {visit.date} added to case {args.case_id} ({_visits_said(len(change.case.visits))}).")
    if corrected:
        _print(red_flag_correction_note(same_day_red_flag_noes(case, visit), visit.date, corrected)
               + " The red flag is cleared.")
    if weaker:
        _print(weaker)
    _print(f"Surgical review: {one_line(status_for_reader(review, change.case, max(as_of, visit.date)))}. {review.reason}")
    if elsewhere:
        print(terminal_safe(elsewhere), file=sys.stderr)
    if same_day and not change.already_saved:
        print(terminal_safe(same_day), file=sys.stderr)
    for item in differs:
        print(terminal_safe("warning: " + item.text() + "."), file=sys.stderr)
    return 0


def _red_flag_correction(args: argparse.Namespace, case: Case, visit) -> str | None:
    """Who corrects a red flag answered yes on the visit's own date (the clinician named, else the
    login), when ``--correct-red-flag`` says so; refused (nothing saved) when the visit answers such
    a flag "no" without it, or gives it with nothing to correct (``domain.followup``, tryout36 F1:
    the rule ``import`` applies)."""
    refusal = same_day_red_flag_refusal(case, visit, "--correct-red-flag")
    if not getattr(args, "correct_red_flag", False):
        if refusal:
            raise UserError(f"visit: {refusal}")
        return None
    if refusal is None:
        raise UserError("visit: nothing was saved: --correct-red-flag is for a --red-flag KEY=no correcting a yes "
                        f"recorded on the same date ({visit.date.isoformat()}), and this visit corrects none.")
    return visit.clinician or login_name()


def _same_day_warning(case: Case, visit) -> str | None:
    """The ``warning:`` line when ``case`` already holds a record dated the visit's date (gp18 F4;
    ``domain.visits.records_on``), with a pregnancy answer that differs from that day's named
    (``domain.visits.same_day_pregnancy_change``). None when the date is new to the case."""
    from radiculopathy_desktop.domain.characters import visible_id
    from radiculopathy_desktop.domain.visits import records_on, same_day_pregnancy_change, visit_has_score

    held = records_on(case, visit.date)
    if not held:
        return None
    u = visit.pregnancy
    change = None if u is None else same_day_pregnancy_change(case, visit.date, u.pregnant, u.weeks)
    from radiculopathy_desktop.domain.episodes import a_ordinal

    return (f"warning: case {visible_id(case.case_id)} already has {'; '.join(held)}: this visit is "
            f"{a_ordinal(len(held) + 1)} record of that day (saved). If it corrects that record rather than adding one, fix it with "
            "`import --replace-records`."
            + (f" The pregnancy differs within the day: {change}; ask her which is right." if change else "")
            # rt21 F5: what it does, in the words of the same-day rule
            + (" On the intake's day it is not a follow-up: its scores are the baseline Progress is judged from "
               "(the later record of a day stands for that day)."
               if visit.date == case.intake.visit_date and visit_has_score(visit) else ""))


def _pregnancy_differs(store, case: Case, before: Case | None = None, day: dt.date | None = None,
                       visit_day: dt.date | None = None) -> list:
    """The pregnancy answers of ``case`` another case of its patient contradicts
    (``domain.episodes.pregnancy_contradictions``, gp17 F5); with ``before`` (the case before a
    visit was added), only those that visit made. With ``day`` (``case``): what differs on that
    day (``domain.episodes.pregnancy_differs``: also a stale "not pregnant" or a question never
    asked beside a case recording her pregnant then; rt20 F1/F2)."""
    from radiculopathy_desktop.domain.episodes import (new_pregnancy_contradictions, pregnancy_contradictions,
                                                       pregnancy_differs, pregnancy_differs_made)

    others = store.patient_cases(case.patient.id, exclude=case.case_id)
    if day is not None:
        found = pregnancy_differs(case, others, day, None, today())  # a past day: "on DATE" (rt21 F6)
        return list(found.found) if found is not None else []
    if visit_day is not None:  # a visit saved: what it makes differ, the window's question's rule (sav21)
        return pregnancy_differs_made(case, others, visit_day, before=before, today=today())
    found = pregnancy_contradictions(case, others)
    if before is not None and found:
        found = new_pregnancy_contradictions(pregnancy_contradictions(before, others), found)
    return found


def _open_elsewhere(store, case: Case, as_of: dt.date) -> str | None:
    """The warning when ``case`` is closed on ``as_of`` and its patient has another open case
    (rt16 F2): a visit recorded on the closed case is kept, but the open case is where the
    review clock runs."""
    from radiculopathy_desktop.domain.episodes import closed_case_visit_warning, open_case

    if open_case(case, as_of, store.get_settings()) is not None:
        return None
    return closed_case_visit_warning(case.case_id, case.patient.id,
                                     store.open_cases(case.patient.id, as_of, exclude=case.case_id))


def cmd_decide(args: argparse.Namespace) -> int:
    kind = DECISION_ALIASES.get(args.kind, args.kind)
    if kind not in DECISIONS:
        raise UserError(f"--kind: {args.kind!r} is not a decision; use one of: {', '.join(DECISIONS)} "
                        f"(or {', '.join(DECISION_ALIASES)}).")
    day = parse_date_arg(args.date, "--date", default=today())
    until = parse_date_arg(args.until, "--until")
    if kind == "continue_conservative_care" and until is None:
        raise UserError("--until is required with --kind continue_conservative_care (the date to review again).")
    if until is not None and kind != "continue_conservative_care":
        raise UserError("--until only applies to --kind continue_conservative_care.")
    data: dict[str, Any] = {"date": day.isoformat(), "kind": kind}
    if until:
        data["until"] = until.isoformat()
    if args.by:
        data["by"] = args.by
    if args.note:
        data["note"] = args.note
    with _open_store(args, create=False) as store:
        args.case_id = _typed_case_id(store, args.case_id)
        case = store.get_case(args.case_id)
        try:
            decision = parse_decision(data, case, today=today())
        except ValidationError as exc:
            raise UserError(_field_errors_message(exc, args.case_id, _DECISION_OPTION, "decision.")) from None
        standing = red_flags_to_acknowledge(case, decision.kind, decision.date)
        key = args.write_key
        # A retry whose first run was saved (its answer lost) is answered from the key first:
        # a red flag raised since does not make the saved decision "not recorded" (rt7 R4).
        if standing is not None and not args.acknowledge_red_flags \
                and not (key and store.keyed_record_state(args.case_id, key) != "none"):
            raise UserError(f"Case {args.case_id}: not recorded. {DECISIONS[kind]} would close or pause a case whose "
                            f"red flags stand: {standing.describe()}. Act on the red flag (or re-screen it at a "
                            "visit), or record this decision knowingly with --acknowledge-red-flags.")
        # Discharge or "patient declined" over an unfinished cauda equina screen: the questions
        # are named and the closing needs confirming, audited (rt13 F3; unknown is not no).
        unanswered = unanswered_to_confirm(case, decision.kind, decision.date)
        if unanswered and not args.close_with_unanswered_red_flags \
                and not (key and store.keyed_record_state(args.case_id, key) != "none"):
            raise UserError(f"Case {args.case_id}: not recorded. {DECISIONS[kind]} would close a case whose cauda "
                            "equina questions are unanswered on " + decision.date.isoformat() + ": "
                            + "; ".join(question_labels(unanswered)) + ". Unknown is not no: ask them and record "
                            "the answers at a visit (if any is yes, this is an emergency), or close the case "
                            "knowingly with --close-with-unanswered-red-flags (kept in the audit).")
        # The decision names the red flags standing now (acknowledged above, or acted on by a
        # referral): it stands for those only, never for a flag raised by a visit entered later.
        decision = acknowledgement(decision, standing_red_flags(case, decision.date))
        date_note = "" if args.date else (
            f" Without --date a decision is dated the day it is run ({day.isoformat()}): to retry a decision "
            "made on an earlier day, give its --date.")
        with _keyed_save(args.case_id, key, "decision", date_note):
            change = store.record_decision(args.case_id, decision, user=login_name(),
                                           acknowledged_red_flags=standing.to_audit() if standing else None,
                                           write_key=key, unanswered_confirmed=unanswered,
                                           open_case_as_of=today(),  # one open case per patient (rt16 F2)
                                           new_episode=args.new_episode)
        review = store.review(args.case_id, max(today(), day))
        since = None
        if change.already_saved and change.saved_record is not None:
            since = not_acknowledged_by(change.saved_record, change.case, max(today(), day))
    label = "Continue conservative care" if until else DECISIONS[kind]
    what = f"{label}" + (f" until {until.isoformat()}" if until else "") + f" ({day.isoformat()})"
    if change.already_saved:
        _print(f"Already saved: {what} with write key {key} is on case {args.case_id}; nothing was written again.")
        if since is not None:  # the saved decision cannot stand for a flag raised after it (rt7 R4, R5)
            nor = (" (this run wrote nothing, so its --acknowledge-red-flags acknowledged nothing either)"
                   if args.acknowledge_red_flags else "")
            _print(f"Red flags raised since need a new decision: {'; '.join(since.labels)} ({since.tier.upper()}, "
                   f"standing since {since.since.isoformat()}). The decision saved with this "
                   f"key does not acknowledge them{nor}: act on them, or record a new decision with a new write "
                   "key.")
    else:
        _print(f"Recorded on case {_shown_id(args.case_id)}: {what}.")
        for item in change.new_episode_while_open:  # said, and kept in the audit (rt16 F2)
            opens = ", ".join(f"{_shown_id(o['case_id'])} (intake {o['intake_date']}, "
                              f"{ReviewStatus(o['status']).label})" for o in item["open_cases"])
            _print(f"Closed case re-opened as a new episode while the patient had an open case (kept in the "
                   f"audit): open: {opens}.")
        if unanswered:
            _print("Closed with these cauda equina questions unanswered (kept in the audit): "
                   + "; ".join(question_labels(unanswered)) + ".")
    _print(f"Surgical review: {one_line(status_for_reader(review, change.case, max(today(), day)))}. {review.reason}")
    return 0


# --------------------------------------------------------------------------- demo
def cmd_demo(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.demo import generate_case_dicts

    if args.cases < 1 or args.cases > 1_000_000:
        raise UserError("--cases: give a number from 1 to 1,000,000.")
    as_of = parse_date_arg(args.as_of, "--as-of", default=today())
    dicts = generate_case_dicts(args.cases, seed=args.seed, as_of=as_of, medicines=not args.no_medicines)
    if args.json:
        path = Path(args.json)
        try:
            if path.is_dir():
                raise UserError(f"--json: {path} is a folder; give a file name.")
            if path.exists() and not args.force:
                raise UserError(f"--json: {path} already exists; choose another file name (or add --force).")
            from radiculopathy_desktop.outputs import checked_output

            # the checked writer: owner-only, every write checked, renamed into place when whole
            with checked_output(path, text=True, encoding="utf-8", overwrite=bool(args.force)) as fh:
                fh.write('{"cases": [\n')
                for n, d in enumerate(dicts):
                    if n:
                        fh.write(",\n")
                    fh.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")))
                fh.write("\n]}\n")
        except OSError as exc:
            raise UserError(f"--json: {path} cannot be written ({exc.strerror or exc}).") from None
        _print(f"Wrote {args.cases} synthetic cases (seed {args.seed}, as of {as_of.isoformat()}) to {path}.")
        return 0
    cases = (parse_case(d) for d in dicts)  # streamed: memory stays flat for large cohorts
    with _open_store(args, create=True) as store:
        real = store.real_case_count()
        if real:
            raise UserError(f"This database holds {real} real (non-demo) cases; demo patients are not mixed with "
                            "them. Use a separate folder: radiculopathy-desktop --data-dir DEMO_FOLDER demo ...")
        result = store.import_cases(cases, user="demo")
    _print(f"Demo cohort (invented patients, seed {args.seed}, as of {as_of.isoformat()}): "
           f"{len(result.added)} added, {len(result.updated)} updated, {len(result.unchanged)} unchanged.")
    return 0


# --------------------------------------------------------------------------- settings
def _settings_error(key: str, problem: str) -> UserError:
    """Every refusal of ``settings set`` in one form: ``settings: KEY: problem. Nothing was changed.``"""
    return UserError(f"settings: {key}: {problem.rstrip('.')}. Nothing was changed.")


def setting_number(key: str, text: str) -> int:
    """The whole number typed for a numeric setting: the ASCII digits 0-9 with an optional
    sign, at most 9 digits; one rule and one message for every numeric key (other scripts'
    digits such as ١٠ or ４２ are refused, as a decimal or an exponent is)."""
    body = text.strip()
    digits = body[1:] if body[:1] in ("+", "-") else body
    if not digits or not (digits.isascii() and digits.isdigit()):
        raise _settings_error(key, f"{text[:40]!r} is not a whole number; write it with the digits 0-9 (for "
                                   f"example {_default_of(key)}, the default)")
    if len(digits) > 9:
        raise _settings_error(key, f"{body[:12]}… is out of range ({len(digits)} digits)")
    return int(body)


def _default_of(key: str) -> int:
    if key == "backup_keep":
        from radiculopathy_desktop.storage.backup import default_keep
        return default_keep()
    return getattr(default_review_settings(), key)


def _review_setting_problem(key: str, value: int, current, exc: SettingsError) -> str:
    """The refusal worded for the key being set (a start after the window's end is about the
    start, not about window_end_day)."""
    if key == "window_start_day" and 7 <= value <= 365 and value > current.window_end_day:
        return (f"{value} is after window_end_day ({current.window_end_day}); the window must start on or before "
                "it ends: to move the window later, set window_end_day first")
    if key == "window_end_day" and value < current.window_start_day:
        return (f"{value} is before window_start_day ({current.window_start_day}); the window must end on or "
                "after it starts (and at most 730 days)")
    own = [p.removeprefix(f"{key} ") for p in str(exc).split("; ") if p.startswith(f"{key} ")]
    return f"{value} " + "; ".join(own) if own else f"{value} is refused: {exc}"


def _echo_setting(key: str, value: object, note: str = "") -> None:
    """``key = value``; a value of several lines (the clinic address) continues on lines
    indented under the first, as it will be printed, never in Python's quoted form."""
    lines = str(value).split("\n")
    _print(f"{key} = {lines[0]}" + (note if len(lines) == 1 else ""))
    for n, line in enumerate(lines[1:], start=2):
        _print(" " * (len(key) + 3) + line + (note if n == len(lines) else ""))


def cmd_settings(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.domain import clinic as clinic_mod
    from radiculopathy_desktop.storage import backup_settings as bs
    from radiculopathy_desktop.storage.backup import default_keep
    from radiculopathy_desktop.storage.engine_common import review_settings_problems
    from radiculopathy_desktop.storage.store import REVIEW_SETTING_NAMES

    clinic_keys = {key: name for name, key in clinic_mod.SETTING_KEYS.items()}  # clinic_name -> name ...
    keys = REVIEW_SETTING_NAMES + tuple(clinic_keys) + (bs.KEEP_KEY,)
    if args.action == "get":
        if args.key and args.key not in keys:
            raise UserError(f"settings: {args.key!r} is not a setting; known: {', '.join(keys)}.")
        with _open_store(args, create=True) as store:
            s = store.get_settings()
            clinic = store.clinic_settings()
            keep = bs.get_backup_keep(store)
            problems = review_settings_problems(store)
        _say_settings_problems(problems)  # a stored value out of range, a damaged row: said, never hidden
        defaults = default_review_settings()
        shown = {key: getattr(clinic, name) for key, name in clinic_keys.items()}
        shown["clinic_country"] = clinic.country or "(not set)"
        values = {k: getattr(s, k) for k in REVIEW_SETTING_NAMES} | shown | {bs.KEEP_KEY: keep}
        if args.key:
            _print(str(values[args.key]))
            return 0
        for k in keys:
            if k == "clinic_country":
                note = "  (uk: 999 and NHS 111; us: 911; eu: 112; other: \"your local emergency number\")"
            elif k == "guideline_profile":
                note = "  (the default of assess, handout, export, outcomes, worklist and case; --profile overrides)"
            elif k in clinic_keys:
                note = ""
            elif k == bs.KEEP_KEY:
                note = "" if keep == default_keep() else f"  (default {default_keep()})"
            else:
                note = "" if values[k] == getattr(defaults, k) else f"  (default {getattr(defaults, k)})"
            _echo_setting(k, values[k], note)
        return 0
    if not args.key or args.value is None:
        raise UserError("settings: give a KEY and a VALUE, for example: settings set window_end_day 90")
    if args.key not in keys:
        raise UserError(f"settings: {args.key!r} is not a setting; known: {', '.join(keys)}. Nothing was changed.")
    stored: object = args.value
    number = None if args.key in clinic_keys else setting_number(args.key, args.value)  # checked before opening
    with _open_store(args, create=True) as store:
        if args.key in clinic_keys:
            try:
                store.set_clinic_settings(store.clinic_settings().updated(**{clinic_keys[args.key]: args.value}),
                                          user=login_name())
            except clinic_mod.ClinicSettingsError as exc:
                raise _settings_error(args.key, "the value " + str(exc).removeprefix(f"{args.key} ")) from None
            # Echo what was stored ("UK" is kept as "uk"), never the text as typed.
            stored = getattr(store.clinic_settings(), clinic_keys[args.key])
            if args.key == "clinic_country" and not stored:
                stored = "(not set)"  # as `settings get` shows it, never Python's None
        elif args.key == bs.KEEP_KEY:
            try:
                stored = bs.check_keep(number)
            except UserError as exc:
                raise _settings_error(args.key, exc.message.removeprefix(f"{args.key}: ")) from None
            bs.set_backup_keep(store, stored, user=login_name())
        else:
            damaged = review_settings_problems(store)  # replaced by this save: said after it
            try:
                store.set_settings({args.key: number}, user=login_name())
            except SettingsError as exc:
                raise _settings_error(args.key, _review_setting_problem(args.key, number, store.get_settings(),
                                                                        exc)) from None
            stored = number
    _echo_setting(args.key, stored)
    if args.key in REVIEW_SETTING_NAMES:
        for problem in damaged:  # this save rewrote the row: say what it replaced
            if problem.unknown:
                text = f"repaired: {problem.problem}; the row is stored without " + (
                    "it" if len(problem.keys) == 1 else "them") + " now"
            elif problem.whole_row:
                text = (f"the damaged review settings row was replaced: {args.key} is stored and every other "
                        "review setting is at its default")
            else:
                text = f"repaired: {problem.problem}; " + (
                    "the value above is stored now" if args.key in problem.keys else
                    "the default window is stored now" if len(problem.keys) > 1 else "its default is stored now")
            print(terminal_safe(f"note: settings: {text} (`settings get` lists the values in use)."),
                  file=sys.stderr)
    return 0


def _say_settings_problems(problems) -> None:
    """Each note once on stderr: through the command's listener when it has one (it may have
    said them already, when the store read the settings), else directly."""
    from radiculopathy_desktop.commands.settings_notes import SettingsNotes
    from radiculopathy_desktop.storage import settings_notes

    (settings_notes.listener or SettingsNotes())(problems)


# --------------------------------------------------------------------------- registration
def whole_number(text: str) -> int:
    """An argparse type: a whole number of at most 9 digits (a 400-digit number is refused
    in words, exit 2, never carried into date or SQL arithmetic)."""
    digits = text.strip().lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if len(digits) > 9:
        raise argparse.ArgumentTypeError(f"{text[:12]}… has {len(digits)} digits; no value here takes more than 9")
    return int(text)


def register(subparsers) -> None:
    p = subparsers.add_parser("import", help="import cases from a JSON file (all or nothing)",
                              description="Import cases in the documented case format: one case object, a list of "
                                          "cases, or {\"cases\": [...]}. All or nothing: an invalid case stops the "
                                          "import with exit 2, naming the case and field.")
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--replace-records", action="store_true",
                   help="let an updated case drop visits or decisions recorded in the tracker, or change an intake "
                        "red flag it holds as yes, the onset, intake visit or care start date (they set the review "
                        "clock), or the patient's name, birth date or sex (refused otherwise: "
                        "they may have been recorded since the file was made; what the intake had is listed and "
                        "audited). A case is never moved to another patient ID")
    p.add_argument("--acknowledge-red-flags", action="store_true",
                   help="import decisions that close or pause a case (resolved, continue, declined) while naming "
                        "red flags in acknowledged_red_flags, as decide --acknowledge-red-flags records them; "
                        "without it such a decision not already in the tracker is refused (exit 2, nothing "
                        "imported, each one named). A new decision that leaves acknowledged_red_flags out is "
                        "checked the same way against the red flags standing on its date (it records those, "
                        "as decide does; [] when none stand). They are listed after the import and kept in its "
                        "audit entry")
    p.add_argument("--close-with-unanswered-red-flags", action="store_true",
                   help="import decisions new to the tracker that discharge a case or record that the patient "
                        "declined although cauda equina questions are unanswered (unknown) on their date, as decide "
                        "--close-with-unanswered-red-flags records them; without it such a file is refused (exit 2, "
                        "nothing imported, each one named). They are listed after the import and kept in its audit "
                        "entry")
    p.add_argument("--new-episode", action="store_true",
                   help="add a new case for a patient who already has an open case (not discharged, declined or "
                        "referred) as a deliberate new episode, for example a recurrence; without it such a file is "
                        "refused (exit 2, nothing imported, each open case named with its intake date and status). "
                        "The new episodes and the cases open beside them are kept in the import's audit entry")
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("worklist", help="cases due for a surgical-review decision",
                              description="The surgical-review worklist: immediate, ask red-flag questions, overdue, "
                                          "due, needs follow-up, improving (keep under review), upcoming; within a "
                                          "status not improving first, then longest waiting.")
    p.add_argument("--as-of", metavar="DATE", help="the date to evaluate (YYYY-MM-DD; default today)")
    p.add_argument("--status", metavar="LIST",
                   help="comma-separated statuses (immediate, ask_red_flags, overdue, due, needs_follow_up, "
                        "improving, upcoming, not_due, snoozed, closed) or all; default: the seven worklist statuses")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--search", metavar="TEXT", help="only cases whose patient name, patient id or case id contains TEXT")
    p.add_argument("--limit", type=whole_number, metavar="N", help="show at most N rows")
    p.add_argument("--profile", choices=available_profiles(), default=None,
                   help="guideline profile whose dose maxima mark a case 'REDUCE DOSE' (default: the clinic's "
                        "profile in settings)")
    dose = p.add_mutually_exclusive_group()
    dose.add_argument("--reduce-dose", action="store_true",
                      help="only cases with a current dose above the patient's maximum (any status but closed unless --status is given)")
    dose.add_argument("--medicine-alerts", action="store_true",
                      help="only cases whose current medicines carry an alert on the date (contraindicated, avoid, "
                           "reduce dose, check the dose: the case page's alerts), whatever their surgical-review "
                           "status except closed (default; --status narrows it)")
    p.set_defaults(func=cmd_worklist)

    p = subparsers.add_parser("case", help="show one case: visits, status and decisions")
    p.add_argument("case_id", metavar="ID")
    p.add_argument("--as-of", metavar="DATE", help="evaluate the status on DATE (default today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--profile", choices=("us", "uk"), default=None,
                   help="guideline profile for the medicine alerts (as in assess); default: the clinic's profile "
                        "in settings")
    p.set_defaults(func=cmd_case)

    p = subparsers.add_parser("visit", help="add a follow-up visit to a case")
    p.add_argument("case_id", metavar="ID")
    p.add_argument("--date", metavar="DATE", help="visit date (YYYY-MM-DD)")
    p.add_argument("--leg-nrs", type=whole_number, metavar="N", help="leg pain 0-10")
    p.add_argument("--back-nrs", type=whole_number, metavar="N", help="back pain 0-10")
    p.add_argument("--odi", type=float, metavar="PERCENT", help="Oswestry Disability Index 0-100 %%")
    p.add_argument("--rmdq", type=whole_number, metavar="N", help="Roland-Morris 0-24")
    p.add_argument("--treatment", action="extend", nargs="+", metavar="CODE", help="treatment codes tried since the last visit")
    p.add_argument("--red-flag", action="extend", nargs="+", metavar="KEY=ANSWER",
                   help="red-flag answers asked again (yes, no or unknown)")
    p.add_argument("--power", action="extend", nargs="+", metavar="MUSCLE=GRADE", help="MRC power grades 0-5")
    p.add_argument("--correct-red-flag", action="store_true",
                   help="a --red-flag KEY=no corrects a yes recorded on the SAME date (the yes was a mistake or has "
                        "been assessed): without it such a visit is refused, as the order of the two is not known "
                        "and the yes stands; the visit's notes keep the correction and who made it")
    p.add_argument("--clinician", metavar="NAME", help=f"the clinician's name and role, at most {MAX_CLINICIAN_NAME} "
                                                        "characters")
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument("--pregnant-weeks", type=whole_number, metavar="N",
                   help="pregnant: N completed weeks (0-44) on the visit date; from this visit on it replaces the "
                        "intake's pregnancy answer (the weeks move on from the visit date)")
    p.add_argument("--not-pregnant", action="store_true",
                   help="no longer pregnant (birth or loss) or found not to be, from this visit on")
    p.add_argument("--pregnancy-ended", metavar="DATE",
                   help="with --not-pregnant: the day the pregnancy ended (YYYY-MM-DD, on or before the visit)")
    p.add_argument("--json", metavar="FILE", help="the whole visit as a JSON object instead of the options")
    p.add_argument("--write-key", type=write_key_arg, metavar="KEY", help=WRITE_KEY_HELP)
    care_facts_args.add_arguments(p)
    p.set_defaults(func=cmd_visit)

    p = subparsers.add_parser("decide", help="record a clinician decision about surgical review")
    p.add_argument("case_id", metavar="ID")
    p.add_argument("--kind", required=True, metavar="KIND",
                   help="one of: " + ", ".join(DECISIONS) + " (short: " + ", ".join(DECISION_ALIASES) + ")")
    p.add_argument("--until", metavar="DATE", help="with continue_conservative_care: review again on DATE")
    p.add_argument("--date", metavar="DATE", help="decision date (default today)")
    p.add_argument("--by", metavar="NAME", help=f"the clinician deciding: name and role, at most {MAX_CLINICIAN_NAME} "
                                                "characters")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--acknowledge-red-flags", action="store_true",
                   help="record resolved/continue/declined although emergency or urgent red flags stand "
                        "(they are named in the decision and the audit; a red flag raised later, even the "
                        "same day, needs a new decision)")
    p.add_argument("--close-with-unanswered-red-flags", action="store_true",
                   help="record resolved/discharged or patient declined although cauda equina questions are "
                        "unanswered (unknown): without it such a decision is refused (exit 2) naming the questions; "
                        "with it they are kept in the audit")
    p.add_argument("--new-episode", action="store_true",
                   help="record a decision that re-opens a closed (discharged, declined or referred) case although "
                        "the same patient has another open case, deliberately as a new episode; without it such a "
                        "decision is refused (exit 2, nothing saved, the open case named). Kept in the audit "
                        "(new_episode_while_open)")
    p.add_argument("--write-key", type=write_key_arg, metavar="KEY", help=WRITE_KEY_HELP)
    p.set_defaults(func=cmd_decide)

    p = subparsers.add_parser("demo", help="write a synthetic cohort (invented patients) for demos and benchmarks")
    p.add_argument("--cases", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--as-of", metavar="DATE", help="the cohort's reference date (default today)")
    p.add_argument("--json", metavar="FILE", help="write the cohort as an import file instead of into the database "
                                                  "(import it with --acknowledge-red-flags: a few of its decisions "
                                                  "pause a case while a red flag stands; each decision names the red "
                                                  "flags standing on its date, as decide records them)")
    p.add_argument("--force", action="store_true", help="with --json: overwrite FILE")
    p.add_argument("--no-medicines", action="store_true",
                   help="no current medicines, conditions or pregnancies: the cohort of rounds before 18, "
                        "which the benchmarks' figures were measured on")
    p.set_defaults(func=cmd_demo)

    p = subparsers.add_parser("settings", help="show or change the review window, thresholds, clinic name and "
                                               "the number of backups to keep (backup_keep)",
                              description="A stored setting the app cannot use (out of its range, or a settings row "
                                          "damaged by a hand edit) is replaced by its default: every command says "
                                          "so once on stderr (note: settings: ...), and `settings set KEY VALUE` "
                                          "replaces the damaged row and says what it replaced.")
    p.add_argument("action", choices=("get", "set"))
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("value", nargs="?", metavar="VALUE")
    p.set_defaults(func=cmd_settings)
