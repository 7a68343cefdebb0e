"""Headless report commands: patient handouts, per-case summaries (PDF, FHIR) and the
cases CSV.

    radiculopathy-desktop handout CASE_ID [--lang en|es] [--large-print] [--sheets ...]
                                          [--paper a4|letter] [--as-of DATE] --out FILE.pdf
    radiculopathy-desktop export summary CASE_ID --format pdf|fhir --out FILE
    radiculopathy-desktop export cases [--status ...] [--as-of DATE] --format csv --out FILE

``handout --as-of`` is only the date printed on the sheet (the intake date to today): the
sheet's content, the red-flag sheet that leads it above all, comes from the case as it
stands today. Each refuses an unknown case, an unwritable path or an existing file (unless
``--force``) with a plain message and exit 2. Files are written by the checked writer
(:mod:`radiculopathy_desktop.outputs`): owner-only (0600), every write checked,
fsynced and read back (a PDF must end with ``%%EOF`` and have its pages), then
renamed into place; a full disk or a failing write is exit 3 with nothing left
behind. The audit row is written once the file is complete and before it is put in
place, so an export that cannot be recorded is not saved either. Logs name the
command and counts only, never a patient.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from radiculopathy_desktop.commands.common import store_profile
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.terminal import terminal_safe
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from radiculopathy_desktop.storage.contract import Store

log = logging.getLogger(__name__)


def _today() -> dt.date:
    from radiculopathy_desktop.commands import tracker

    return tracker.today()


def _date(text: str | None, option: str) -> dt.date:
    if text is None:
        return _today()
    from radiculopathy_desktop.commands.common import parse_date_arg

    return parse_date_arg(text, option)


def _open_store(args):
    from radiculopathy_desktop.storage.pg.choose import open_store

    return open_store(getattr(args, "data_dir", None), getattr(args, "server", None), create=False,
                      command=getattr(args, "command", None))


def _recorder(args, action: str, case_id: str | None, detail: dict, key: str):
    """``on_complete`` for a writer: append the export to the audit table (who, what,
    which case, when), with the writer's count under ``key``."""
    from radiculopathy_desktop.storage.access import login_name

    def record(count: int) -> None:
        with _open_store(args) as store:
            store.record_audit(login_name(), action, case_id, {**detail, key: count})

    return record


def _check_typed_options(args) -> None:
    """``--clinician``, ``--clinic-name`` and ``--clinic-contact`` are printed on the
    patient's sheet: they refuse what a name refuses (controls, direction overrides,
    invisible characters), exit 2 naming the option and the character (rt10 F8)."""
    from radiculopathy_desktop.domain.characters import typed_text_problem

    for option, attr, lines in (("--clinician", "clinician", False), ("--clinic-name", "clinic_name", False),
                                ("--clinic-contact", "clinic_contact", True)):
        value = getattr(args, attr, None)
        wrong = typed_text_problem(option, value, lines=lines) if isinstance(value, str) else None
        if wrong:
            raise UserError(wrong + ".", exit_code=2)


def _clinic(store: Store, args) -> tuple[str, str]:
    """The clinic's name and contact block: the options, else the clinic's details stored with
    the data (the same the window prints)."""
    clinic = store.clinic_settings()
    name = getattr(args, "clinic_name", None) or clinic.name
    contact = getattr(args, "clinic_contact", None) or clinic.address
    return name or "", contact or ""


def _get_case(store: Store, case_id: str):
    from radiculopathy_desktop.domain.characters import stored_id

    case_id = stored_id(case_id, store.has_case)  # the shown form opens the case shown so (rt10 F8)
    if not store.has_case(case_id):
        raise UserError(f"No case {case_id!r} in this database. Check the case number "
                        "(radiculopathy-desktop worklist --status all lists every case).", exit_code=2)
    return store.get_case(case_id)


def _check_out(path: str, suffixes: tuple[str, ...], force: bool = False) -> Path:
    from radiculopathy_desktop.reports.common import check_writable

    try:
        out = check_writable(Path(path), overwrite=force)
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise UserError(f"--out {path}: cannot be written ({exc.strerror or exc}).", exit_code=2) from None
    if out.suffix.lower() not in suffixes:
        raise UserError(f"--out {path}: expected a file ending in {' or '.join(suffixes)}.", exit_code=2)
    return out


# --------------------------------------------------------------------------- handout
def _pregnancy_differs(store, case, day: dt.date, profile: str | None, today: dt.date | None = None):
    """``domain.episodes.pregnancy_differs`` of ``case`` on ``day`` against the patient's other
    stored cases: what a handout or summary carries while another case of the patient gives her
    pregnant and this case's medicine checks read otherwise (gp18 F1; rt20 F1/F2: a stale "not
    pregnant" or a question never asked too). None when nothing differs. ``today``: the date
    today when ``day`` may be a past one (its words say "on DATE", rt21 F6)."""
    from radiculopathy_desktop.domain.episodes import pregnancy_differs

    return pregnancy_differs(case, store.patient_cases(case.patient.id, exclude=case.case_id), day, profile, today)


def _check_handout_date(as_of: dt.date, today: dt.date, case, next_visit: dt.date | None = None) -> None:
    """``--as-of`` is the date printed on the sheet: not after today, not before the intake
    (red-team rt9 F12). What the sheet says comes from the case as it stands today.
    ``--next-visit`` is not before the sheet's date (rt10 F11: "Your next visit is on
    1 January 2026" on a sheet given in November), as the window's handout dialog refuses
    a next follow-up before today."""
    if as_of > today:
        raise UserError(f"--as-of {as_of.isoformat()} is after today ({today.isoformat()}): a handout is dated "
                        "the day it is given or an earlier day. Nothing was written.", exit_code=2)
    intake = case.intake.visit_date
    if as_of < intake:
        raise UserError(f"--as-of {as_of.isoformat()} is before this case's intake ({intake.isoformat()}): a "
                        "handout cannot be dated before the patient was first seen. Nothing was written.",
                        exit_code=2)
    if next_visit is not None and next_visit < as_of:
        raise UserError(f"--next-visit {next_visit.isoformat()} is before the sheet's date ({as_of.isoformat()}): "
                        "the next visit printed on a handout is the day it is given or a later day. "
                        "Nothing was written.", exit_code=2)


def cmd_handout(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.reports import handouts

    _check_typed_options(args)
    out = _check_out(args.out, (".pdf",), args.force)
    as_of = _date(args.as_of, "--as-of")
    next_visit = _date(args.next_visit, "--next-visit") if args.next_visit else None
    today = _today()
    with _open_store(args) as store:
        case = _get_case(store, args.case_id)
        clinic_name, clinic_contact = _clinic(store, args)
        profile = store_profile(args, store)
        from radiculopathy_desktop.storage.clinic_settings import clinic_country
        # unset: the one the guideline profile implies (911 for us, 999 for uk), as the window
        country = clinic_country(store, profile).code
        found = _pregnancy_differs(store, case, today, profile)
        differs = found.warning if found is not None else None
    _check_handout_date(as_of, today, case, next_visit)
    sheets = None
    if args.sheets:
        sheets = [s.strip() for item in args.sheets for s in item.split(",") if s.strip()]
    req = handouts.request_for_case(case, as_of, clinic_name=clinic_name, clinic_contact=clinic_contact,
                                    lang=args.lang, sheets=sheets, large_print=args.large_print,
                                    paper=args.paper, clinician=args.clinician, next_follow_up=next_visit,
                                    country=country,
                                    profile=profile, self_care=args.self_care,
                                    confirm_unrecognised=args.confirm_unrecognised, today=today,
                                    unsettled=handouts.pregnancy_unsettled_medicines(found))
    for notice in (handouts.red_flag_notice(req), handouts.awaiting_opinion_notice(req),
                   handouts.red_flag_no_visit_notice(req), *handouts.dose_notices(req)):
        if notice:
            print(f"note: {notice}", file=sys.stderr)
    if differs:
        print(terminal_safe(f"warning: {differs}."), file=sys.stderr)
    unknown = handouts.unrecognised_note(req.unrecognised)
    if unknown:  # whichever sheets are printed (rt22 F2)
        print(terminal_safe(f"warning: {unknown}"), file=sys.stderr)
    pages = handouts.write_handout_pdf(req, out, overwrite=args.force, on_complete=_recorder(
        args, "handout_saved", case.case_id, {"sheets": list(req.sheets), "lang": args.lang}, "pages"))
    log.info("handout written: %d sheets, %d pages", len(req.sheets), pages)
    print(f"Wrote {out} ({len(req.sheets)} sheets, {pages} pages, {args.paper}, {args.lang}"
          f"{', large print' if args.large_print else ''}).")
    return 0


# --------------------------------------------------------------------------- export
def cmd_export_summary(args: argparse.Namespace) -> int:
    _check_typed_options(args)
    out = _check_out(args.out, (".pdf",) if args.format == "pdf" else (".json",), args.force)
    as_of = _date(args.as_of, "--as-of")
    with _open_store(args) as store:
        case = _get_case(store, args.case_id)
        settings = store.get_settings()
        clinic_name, clinic_contact = _clinic(store, args)
        profile = store_profile(args, store)
        found = _pregnancy_differs(store, case, as_of, profile, _today())
        differs = found.warning if found is not None else None
    if differs:
        print(terminal_safe(f"warning: {differs}."), file=sys.stderr)
    if args.format == "pdf":
        from radiculopathy_desktop.reports.summary import SummaryRequest, write_summary_pdf

        pages = write_summary_pdf(SummaryRequest(case, as_of, clinic_name, clinic_contact, settings,
                                                 paper=args.paper, profile=profile, pregnancy_warning=differs,
                                                 pregnancy_differs=found),
                                  out, overwrite=args.force,
                                  on_complete=_recorder(args, "summary_pdf_exported", case.case_id, {}, "pages"))
        log.info("summary PDF written: %d pages", pages)
        print(f"Wrote {out} ({pages} pages).")
    else:
        from radiculopathy_desktop.reports.fhir import write_bundle

        n = write_bundle(case, as_of, out, settings, overwrite=args.force,
                         on_complete=_recorder(args, "fhir_exported", case.case_id, {}, "resources"),
                         profile=profile)
        log.info("FHIR bundle written: %d entries", n)
        print(f"Wrote {out} (FHIR R4 Bundle, {n} resources).")
    return 0


def cmd_export_cases(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.commands.tracker import parse_statuses
    from radiculopathy_desktop.domain.followup import STATUS_ORDER, ReviewStatus
    from radiculopathy_desktop.storage.access import login_name
    from radiculopathy_desktop.reports.csv_export import export_audit_detail, export_cases_csv
    from radiculopathy_desktop.reports.common import guideline_content_version

    out = _check_out(args.out, (".csv",), args.force)
    as_of = _date(args.as_of, "--as-of")
    statuses = parse_statuses(args.status)
    if args.medicine_alerts and args.status is None:  # as the window's filter and worklist --medicine-alerts
        statuses = [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]
    cv = guideline_content_version()
    with _open_store(args) as store:
        profile = store_profile(args, store)

        def record(count: int) -> None:
            store.record_audit(login_name(), "cases_csv_exported", None,
                               {"rows": count, **export_audit_detail(as_of, profile, args.medicine_alerts)})

        # the window's "Export CSV..." path (gp17 F11): the same columns for the same filter
        n = export_cases_csv(store, out, as_of, statuses, profile=profile, medicine_alerts_only=args.medicine_alerts,
                             content_version=cv, overwrite=args.force, on_complete=record, today=_today())
    log.info("cases CSV written: %d rows", n)
    print(f"Wrote {out} ({n} cases as of {as_of.isoformat()}).")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("handout", help="print a personalised patient handout to PDF",
                              description="Personalised patient handout sheets as a PDF: patient, clinic, clinician, "
                                          "next visit and this patient's doses filled in.")
    p.add_argument("case_id", metavar="CASE_ID")
    p.add_argument("--lang", choices=("en", "es"), default="en")
    p.add_argument("--large-print", action="store_true", help="16 pt text for readers with low vision")
    p.add_argument("--sheets", nargs="+", metavar="SHEET",
                   help="sheet ids (space or comma separated); default: the general sheets plus one per "
                        "medicine the patient has been given")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--as-of", metavar="DATE",
                   help="the date printed on the sheet (default today; from the intake date to today). What the "
                        "sheet says comes from the case as it stands today: a red flag standing today leads it "
                        "even if recorded after this date")
    p.add_argument("--next-visit", metavar="DATE", help="next follow-up date (default: from the review clock)")
    p.add_argument("--clinician", metavar="NAME", help="who gives the sheet (default: the case's clinician)")
    p.add_argument("--clinic-name", metavar="NAME", help="default: the clinic name in settings")
    p.add_argument("--clinic-contact", metavar="PHONE", help="how to reach the clinic, printed on every page "
                                                            "(default: the clinic address in settings)")
    p.add_argument("--profile", choices=("us", "uk"), default=None,
                   help="guideline profile: which maxima apply (e.g. ibuprofen 3200 mg/day us label, 2400 mg/day BNF "
                        "uk); default: the clinic's profile in settings")
    p.add_argument("--self-care", action="store_true",
                   help="a self-care sheet: over-the-counter doses (ibuprofen at most 1200 mg a day)")
    p.add_argument("--confirm-unrecognised", action="store_true",
                   help="print medicine sheets with doses although a current medicine is not recognised (its "
                        "interactions were not checked)")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.set_defaults(func=cmd_handout)

    export = subparsers.add_parser("export", help="export a case summary (PDF, FHIR) or cases (CSV)")
    esub = export.add_subparsers(dest="export_what", metavar="WHAT", required=True,
                                 parser_class=type(export))
    s = esub.add_parser("summary", help="one case as a referral summary PDF or a FHIR R4 Bundle")
    s.add_argument("case_id", metavar="CASE_ID")
    s.add_argument("--format", choices=("pdf", "fhir"), required=True)
    s.add_argument("--paper", choices=("a4", "letter"), default="a4")
    s.add_argument("--profile", choices=("us", "uk"), default=None,
                   help="guideline profile of the medicine-safety section (as in assess); default: the clinic's "
                        "profile in settings")
    s.add_argument("--as-of", metavar="DATE", help="evaluate on DATE (default today)")
    s.add_argument("--clinic-name", metavar="NAME")
    s.add_argument("--clinic-contact", metavar="PHONE")
    s.add_argument("--out", required=True, metavar="FILE")
    s.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    s.set_defaults(func=cmd_export_summary)

    c = esub.add_parser("cases", help="cases or the worklist as CSV (columns: docs/csv-columns.md)")
    c.add_argument("--status", metavar="LIST", help="comma-separated statuses or all (default: the worklist)")
    c.add_argument("--as-of", metavar="DATE", help="evaluate on DATE (default today)")
    c.add_argument("--medicine-alerts", action="store_true",
                   help="only cases whose current medicines carry a medicine-safety alert on the date (any status "
                        "but closed unless --status is given): the window's Medicine alerts filter")
    c.add_argument("--profile", choices=("us", "uk"), default=None,
                   help="guideline profile of the dose_alerts and medicine_alerts columns; default: the clinic's "
                        "profile in settings")
    c.add_argument("--format", choices=("csv",), default="csv")
    c.add_argument("--out", required=True, metavar="FILE.csv")
    c.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    c.set_defaults(func=cmd_export_cases)
