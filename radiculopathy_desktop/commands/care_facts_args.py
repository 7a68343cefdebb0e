"""`visit` options for imaging requested and self-management advice (issue 16).

Left out, nothing is recorded (the audit reads "not recorded"); ``--no-imaging`` and
``--advice no`` record a "no".
"""

from __future__ import annotations

import argparse
from typing import Any

from radiculopathy_desktop.domain.care_facts import IMAGING_MODALITIES, IMAGING_REASONS
from radiculopathy_desktop.errors import UserError

OPTIONS = {"imaging": "--imaging", "imaging.modality": "--imaging", "imaging.by_specialist": "--imaging-by",
           "imaging.reason": "--imaging-reason", "imaging.date": "--imaging-date",
           "self_management": "--advice", "self_management.printed_handout": "--printed-handout"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("imaging and self-management advice (left out: not recorded)")
    g.add_argument("--imaging", choices=tuple(IMAGING_MODALITIES), metavar="MODALITY",
                   help=f"imaging requested at this visit: {', '.join(IMAGING_MODALITIES)}")
    g.add_argument("--no-imaging", action="store_true", help="record that no imaging was requested")
    g.add_argument("--imaging-by", choices=("specialist", "non-specialist"),
                   help="who requested the imaging (NICE QS155 statement 2)")
    g.add_argument("--imaging-reason", choices=tuple(IMAGING_REASONS), metavar="REASON",
                   help=f"why: {', '.join(IMAGING_REASONS)}")
    g.add_argument("--imaging-date", metavar="DATE", help="date requested (default the visit date)")
    g.add_argument("--advice", choices=("given", "no"),
                   help="self-management advice and information given at this visit (QS155 statement 3)")
    g.add_argument("--printed-handout", choices=("yes", "no"), help="with --advice given: a printed handout was given")


def apply(args: argparse.Namespace, data: dict[str, Any]) -> None:
    """Add the options given to the visit JSON ``data``; refuse contradictions in words."""
    details = [o for o, v in (("--imaging-by", args.imaging_by), ("--imaging-reason", args.imaging_reason),
                              ("--imaging-date", args.imaging_date)) if v]
    if args.imaging and args.no_imaging:
        raise UserError("--imaging and --no-imaging contradict each other: give one.")
    if details and not args.imaging:
        raise UserError(f"{details[0]} needs --imaging MODALITY (the imaging that was requested).")
    if args.no_imaging:
        data["imaging"] = {"requested": False}
    elif args.imaging:
        rec: dict[str, Any] = {"requested": True, "modality": args.imaging}
        if args.imaging_by:
            rec["by_specialist"] = args.imaging_by == "specialist"
        if args.imaging_reason:
            rec["reason"] = args.imaging_reason
        if args.imaging_date:
            rec["date"] = args.imaging_date
        data["imaging"] = rec
    if args.printed_handout and args.advice != "given":
        raise UserError("--printed-handout needs --advice given.")
    if args.advice == "no":
        data["self_management"] = {"given": False}
    elif args.advice == "given":
        data["self_management"] = {"given": True}
        if args.printed_handout:
            data["self_management"]["printed_handout"] = args.printed_handout == "yes"
