"""Maintenance commands: backup, restore, check.

Exit codes: 0 done; 2 refused or bad input (nothing changed); 3 a damaged or
unusable database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import backup as bk


def cmd_backup(args: argparse.Namespace) -> int:
    keep = args.keep if args.keep is not None else None
    if keep is not None and keep < 1:
        raise UserError("--keep must be 1 or more.", exit_code=2)
    result = bk.backup_database(args.data_dir, to=args.to, keep=keep)
    print(f"backup: {result.path}")
    print(f"integrity: {'; '.join(result.integrity)}")
    for p in result.pruned:
        print(f"removed old backup: {p.name}")
    return 0


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise UserError("restore replaces the whole database, so it needs confirmation: pass --yes to restore "
                        "without a prompt. Nothing was changed.", exit_code=2)
    answer = input(f"Replace the database with {args.file}? A safety backup is made first. Type yes: ")
    return answer.strip().lower() in ("y", "yes")


def cmd_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    bk.validate_backup(source)  # refuse a bad file before asking
    if not _confirmed(args):
        print("Not restored; nothing was changed.", file=sys.stderr)
        return 2
    result = bk.restore(source, args.data_dir)
    print(f"restored: {result.database} from {result.restored_from}")
    print(f"safety backup: {result.safety_backup}")
    print(f"to undo: radiculopathy-desktop restore {result.safety_backup} --yes")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    result = bk.check_database(args.data_dir, full=args.full)
    if result == ("ok",):
        print("ok")
        return 0
    print("The database is damaged:", file=sys.stderr)
    for line in result[:20]:
        print(f"  {line}", file=sys.stderr)
    print("Nothing was changed. Restore the newest good backup with `radiculopathy-desktop restore FILE` "
          f"(backups are in {bk.backup_folder(args.data_dir)}).", file=sys.stderr)
    return 3


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="make a checked backup of the database")
    p.add_argument("--to", type=Path, default=None, help="folder for the backup (default: the backups folder "
                                                         "beside the database, where old ones are pruned)")
    p.add_argument("--keep", type=int, default=None,
                   help=f"backups to keep in the default folder (default {bk.DEFAULT_KEEP}, or {bk.KEEP_ENV})")
    p.set_defaults(func=cmd_backup)
    p = subparsers.add_parser("restore", help="replace the database by a backup (a safety backup is made first)")
    p.add_argument("file", type=Path, help="the backup file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)
    p = subparsers.add_parser("check", help="check the database for damage (read-only)")
    p.add_argument("--full", action="store_true", help="full integrity check instead of the quick one")
    p.set_defaults(func=cmd_check)
