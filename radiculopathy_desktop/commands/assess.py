"""``radiculopathy-desktop assess FILE.json``: the whole assessment, headless."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from radiculopathy_desktop.commands.common import clinic_profile, load_cases, parse_date_arg, print_json
from radiculopathy_desktop.domain.assess import assess_many
from radiculopathy_desktop.domain.guideline import available_profiles
from radiculopathy_desktop.commands.assessment_text import assessment_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess",
        help="assess a case file (intake JSON) and print the assessment",
        description="Print the whole assessment of each case in FILE: triage tier and actions, red flags, "
                    "root level, phase, guideline step and recommendations with sources, imaging, medication "
                    "table, instrument scores, improvement and surgical-review status. Exit 0 on success, "
                    "2 with field-level messages on invalid input.",
    )
    p.add_argument("file", type=Path, metavar="FILE.json",
                   help="one case, a list of cases, or {\"cases\": [...]} (format: resources/schemas/case.schema.json)")
    p.add_argument("--profile", choices=available_profiles(), default=None,
                   help="guideline profile: us (ACP/APS, ACR, NASS) or uk (NICE NG59); default: the clinic's "
                        "profile in settings (us when there is no database)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="assess as on this date (default: today)")
    p.add_argument("--format", choices=("json", "text"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    as_of = parse_date_arg(args.as_of, "--as-of") if args.as_of else dt.date.today()
    cases = load_cases(args.file)
    profile = clinic_profile(args)
    results = assess_many(cases, as_of, profile=profile)  # a name typed on many cases is read once
    if args.format == "json":
        dicts = [r.to_dict() for r in results]
        print_json(dicts[0] if len(dicts) == 1 else dicts)
    else:
        from radiculopathy_desktop.terminal import terminal_safe

        print(terminal_safe("\n\n".join(assessment_text(r.to_dict()) for r in results)))
    return 0
