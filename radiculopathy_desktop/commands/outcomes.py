"""`radiculopathy-desktop outcomes`: the clinic's outcomes and audit against NICE QS155.

    radiculopathy-desktop outcomes [--from DATE] [--to DATE] [--as-of DATE] [--profile uk|us]
                                   [--format text|json|csv|pdf] [--out FILE] [--cases]

The cohort is the cases whose intake visit falls inside the period (default: the 365 days
up to --to, which defaults to --as-of, which defaults to today). The numbers are the ones
the window's Outcomes view shows (both call domain.outcomes.compute_outcomes). Logs carry
the command and counts only, never a patient.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import logging
import sys
from pathlib import Path

from radiculopathy_desktop.errors import UserError
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from radiculopathy_desktop.storage.contract import Store

log = logging.getLogger(__name__)

CSV_COLUMNS = ("section", "measure", "title", "group", "numerator", "denominator", "percent", "not_recorded",
               "n", "median", "q1", "q3", "suppressed", "display")
ROUNDED_CSV_COLUMNS = ("median", "q1", "q3")  # one decimal, as in the display column


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date, dt.date]:
    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.commands.common import parse_date_arg

    today = tracker.today()
    as_of = parse_date_arg(args.as_of, "--as-of") if args.as_of else today
    latest = latest_as_of(today)
    if as_of > latest:
        raise UserError(f"--as-of {as_of.isoformat()} is more than a year after today ({today.isoformat()}): the "
                        "outcomes count what is recorded up to that date, so a date that far ahead is most likely "
                        f"a mistyped year. Give a date up to {latest.isoformat()} (or leave --as-of out for today).")
    to = parse_date_arg(args.to, "--to") if args.to else as_of
    start = parse_date_arg(args.from_, "--from") if args.from_ else to - dt.timedelta(days=364)
    for option, day, typed in (("--from", start, args.from_), ("--to", to, args.to)):
        if typed and day > latest:  # the same rule as --as-of (red-team rt6 F9)
            raise UserError(f"{option} {day.isoformat()} is more than a year after today ({today.isoformat()}): "
                            "intake visits that far ahead cannot be recorded yet, so it is most likely a mistyped "
                            f"year. Give a date up to {latest.isoformat()}.")
    if to < start:
        if args.to:
            said = f"--to {to.isoformat()}"
        else:  # the period's end was not typed: say where it came from (red-team rt5 F6)
            said = (f"the period's end ({to.isoformat()}, from --as-of)" if args.as_of
                    else f"the period's end (today, {to.isoformat()}, as no --to was given)")
        raise UserError(f"{said} is before --from {start.isoformat()}: give the period's first "
                        "day with --from and its last day with --to.")
    return start, to, as_of


def latest_as_of(today: dt.date) -> dt.date:
    """The latest ``--as-of`` accepted: the same day a year after ``today`` (28 February for
    29 February). A year ahead allows planning (the outcomes as they will stand at the end
    of a quarter or a reporting year); anything further is a slip of the year."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def compute_from_store(store: Store, start: dt.date, to: dt.date, as_of: dt.date, profile: str, progress=None,
                       with_cases: bool = True):
    """The outcomes of the cases whose intake is in the period, from their stored per-case
    facts; a case whose stored facts do not hold for ``as_of`` (or the settings) is read
    whole (the exact path), so the numbers are the same either way.

    ``with_cases`` False: the numbers only, counted in SQL (``Store.outcome_counts``; the
    report's ``has_cases`` is False); True: also the lists of cases behind every number
    (``Store.outcome_facts``, one narrow row per case). ``progress(done, total, phase)``,
    when given, is called while cases are read (phase "reading") and as each group of
    measures is made ("measures")."""
    from radiculopathy_desktop.domain.outcomes import compute_outcome_counts, compute_outcomes_from_facts

    last = min(to, as_of)
    settings = store.get_settings()
    if not with_cases:
        from radiculopathy_desktop.domain.outcomes import OutcomeCounts

        counts, stale = store.outcome_counts(start, last, as_of, settings) if last >= start else (OutcomeCounts(), [])
        return compute_outcome_counts(counts, stale, store.get_case, start, to, as_of, profile=profile,
                                      settings=settings, progress=progress)
    rows = store.outcome_facts(start, last) if last >= start else []
    return compute_outcomes_from_facts(rows, store.get_case, start, to, as_of, profile=profile,
                                       settings=settings, progress=progress)


def measure_cases_from_store(store: Store, start: dt.date, to: dt.date, as_of: dt.date, measure_id: str,
                             group: str = "all", progress=None):
    """One row of the report with the lists of cases behind it (the view's drill-down), read
    when it is asked for: the same stored facts and exact-path fallback as
    :func:`compute_from_store` and the same measure definition
    (``domain.outcomes.measure_row``), so the same cases in the same order as the whole
    report (``--cases``) lists. ``progress(done, total, phase)`` as there."""
    from radiculopathy_desktop.domain.outcomes import measure_cases_from_facts

    last = min(to, as_of)
    rows = store.outcome_facts(start, last) if last >= start else []
    return measure_cases_from_facts(rows, store.get_case, measure_id, group, start, to, as_of,
                                    settings=store.get_settings(), progress=progress)


def format_text(report, with_cases: bool = False) -> str:
    from radiculopathy_desktop.domain.outcomes import Proportion, definitions, standard

    d = definitions()
    from radiculopathy_desktop.domain.characters import visible_id

    out = io.StringIO()
    w = out.write
    std = standard(report.profile)
    w(f"Clinic outcomes and audit: intake visits {report.period_from} to {report.period_to}, as of {report.as_of}\n")
    w(f"Cohort: {report.cohort_size} cases. {d['cohort']}\n")
    w(f"Cells based on fewer than {d['min_cases']} cases show no percentage or median.\n")
    titles = {"qs155": f"{std['name']}", "pathway": "Pathway", "outcomes": "Outcomes"}
    last = None
    for section, m in report.all_rows():
        if section != last:
            w(f"\n{titles[section]}\n")
            if section == "qs155":
                w(f"  Source: {std['citation']}\n")
            last = section
        definition = d["by_id"][m.id]
        label = m.title
        if section == "qs155":
            label = f"Statement {definition['statement']}: {m.title}"
            if definition.get("direction") == "lower":
                label += " (lower is better)"
        group = "" if m.group == "all" else f" [{m.group}]"
        w(f"  {label}{group}: {m.display()}\n")
        if with_cases and isinstance(m, Proportion):
            for heading, refs in (("in numerator", m.cases_in_numerator), ("not recorded", m.cases_not_recorded)):
                for ref in refs:
                    # ids as the worklist shows them: hidden characters escaped (rt11 F10)
                    w(f"      {heading}: {visible_id(ref.case_id)} ({visible_id(ref.patient_id)}) {ref.detail}\n")
    w("\nDefinitions\n")
    for m in d["measure"]:
        w(f"  {m['title']}: {m['numerator']} Out of: {m['denominator']}\n")
    return out.getvalue()


def format_csv(report) -> str:
    from radiculopathy_desktop.commands.tracker import _csv_safe
    from radiculopathy_desktop.domain.outcomes import report_rows

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report_rows(report):
        # The median and quartiles to one decimal, as the display column shows them: quartiles
        # interpolated in binary floating point would print as 11.899999999999999 (red-team rt5 F6).
        row = {**row, **{c: round(row[c], 1) for c in ROUNDED_CSV_COLUMNS if row[c] is not None}}
        writer.writerow([_csv_safe("" if row[c] is None else row[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


#: the file endings ``--out`` takes for each ``--format`` (as ``export`` checks its own)
OUT_SUFFIXES = {"text": (".txt", ".text"), "json": (".json",), "csv": (".csv",), "pdf": (".pdf",)}


def cmd_outcomes(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.commands.tracker import _open_store

    if args.cases and args.format in ("csv", "pdf"):  # said, never silently left out (red-team rt5 F6)
        raise UserError(f"--cases lists the cases behind each number with --format text or json only; a {args.format} "
                        f"report holds the numbers. Use --format text or json with --cases, or leave --cases out for "
                        f"the {args.format} report. Nothing was written.")
    start, to, as_of = _period(args)
    if args.format == "pdf" and not args.out:
        raise UserError("--format pdf needs --out FILE.pdf (the audit report).")
    out_path = None
    if args.out:
        from radiculopathy_desktop.outputs import check_writable

        wanted = OUT_SUFFIXES[args.format]
        if Path(args.out).suffix.lower() not in wanted:  # a text report in a .pdf file (red-team rt6 F10)
            raise UserError(f"--out {args.out}: a {args.format} report goes in a file ending in "
                            f"{' or '.join(wanted)} (or give the --format that matches the file). Nothing was "
                            "written.")

        out_path = check_writable(Path(args.out), overwrite=args.force)  # refused in words before any work
    with _open_store(args, create=False) as store:
        details = store.clinic_settings()
        # the case lists only when they are printed (--cases with text or json)
        report = compute_from_store(store, start, to, as_of, args.profile or details.profile,
                                    with_cases=args.cases and args.format in ("text", "json"))
        clinic = details.name
    log.info("outcomes: %d cases in the cohort, format %s", report.cohort_size, args.format)
    if args.format == "pdf":
        from radiculopathy_desktop.reports.outcomes_report import write_outcomes_pdf

        pages = write_outcomes_pdf(report, out_path, clinic=clinic, overwrite=args.force)
        sys.stdout.write(f"Audit report written to {out_path} ({pages} pages, {report.cohort_size} cases).\n")
        return 0
    if args.format == "json":
        from radiculopathy_desktop.terminal import json_safe

        text = json_safe(json.dumps(report.to_dict(with_cases=args.cases), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        text = format_csv(report)
    else:
        text = format_text(report, with_cases=args.cases)
    if out_path is not None:
        from radiculopathy_desktop import outputs

        verify = {"json": outputs.verify_json,
                  "csv": outputs.verify_csv_rows(lambda: sum(1 for _ in csv.reader(io.StringIO(text))) - 1)}.get(args.format)
        with outputs.checked_output(out_path, text=True, encoding="utf-8-sig" if args.format == "csv" else "utf-8",
                                    newline="", overwrite=args.force, verify=verify) as fh:
            fh.write(text)
        sys.stdout.write(f"Outcomes written to {out_path} ({report.cohort_size} cases).\n")
    else:
        from radiculopathy_desktop.terminal import terminal_safe

        # the text lists case ids with --cases (shown as the worklist shows them); JSON went
        # through json_safe above; the CSV holds counts only (and its lines end in CR LF)
        sys.stdout.write(terminal_safe(text) if args.format == "text" else text)
    return 0


def register(subparsers) -> None:
    from radiculopathy_desktop.domain.guideline import available_profiles

    p = subparsers.add_parser(
        "outcomes", help="clinic outcomes and audit against NICE QS155 for a period (text, JSON, CSV, PDF)",
        description="The Outcomes view's numbers: QS155 statements 1-3, pathway and outcome measures for the cases "
                    "whose intake visit is in the period; cells under 5 cases show no percentage.")
    p.add_argument("--from", dest="from_", metavar="DATE", help="first intake date of the period (default: 364 days "
                                                                "before --to)")
    p.add_argument("--to", metavar="DATE", help="last intake date of the period (default: --as-of; like --from, at "
                                                "most a year after today)")
    p.add_argument("--as-of", metavar="DATE", help="count records up to this date (default today; at most a year "
                                                   "after today)")
    p.add_argument("--profile", choices=available_profiles(), default=None,
                   help="which standard the QS155 measures are shown under (default: the clinic's profile in "
                        "settings, as the Outcomes view; uk is NICE QS155)")
    p.add_argument("--format", choices=("text", "json", "csv", "pdf"), default="text")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen (required for pdf); its ending "
                                                 "matches --format (.txt, .json, .csv or .pdf); checked, owner-only "
                                                 "(0600)")
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.add_argument("--cases", action="store_true",
                   help="with text or json: list the cases behind each number (patient names: patient data); "
                        "refused with csv or pdf (exit 2), which hold the numbers only")
    p.set_defaults(func=cmd_outcomes)
