"""Maintenance commands: backup, restore, check, clear-lock.

The number of backups kept is ``--keep``, else the clinic's setting (``settings set
backup_keep N``, or Settings > Data and backups in the window), else
``RADICULOPATHY_DESKTOP_BACKUP_KEEP``, else 14. A restore is recorded in the backups
folder, so the window's "Undo last restore" can undo it too.

Exit codes: 0 done; 2 refused or bad input (nothing changed); 3 a damaged or
unusable database. ``check`` also exits 1 for a database that needs the recovery SQLite
does itself after a crash (see :mod:`radiculopathy_desktop.storage.health`).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import backup_settings as bs


def cmd_backup(args: argparse.Namespace) -> int:
    keep = args.keep
    if keep is not None and not bs.MIN_KEEP <= keep <= bs.MAX_KEEP:
        raise UserError(f"--keep must be from {bs.MIN_KEEP} to {bs.MAX_KEEP}.", exit_code=2)
    if keep is None and args.to is None:
        keep = bs.read_backup_keep(args.data_dir)
    result = bk.backup_database(args.data_dir, to=args.to, keep=keep)
    bs.record_backup_reason(result.path, "made by the backup command")
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


def _comparison_lines(args: argparse.Namespace, source: Path) -> tuple[list[str], bool]:
    """What the restore takes out of the current tracker (rt11 F11): the cases the backup lacks,
    Immediate first, the visits and decisions recorded since, and whether it shares this
    tracker's history; and whether it does. No lines when there is no current database."""
    from radiculopathy_desktop.commands.tracker import today
    from radiculopathy_desktop.storage import restore_compare
    from radiculopathy_desktop.storage.paths import database_path
    from radiculopathy_desktop.storage.store import CaseStore

    path = database_path(args.data_dir)
    if not path.exists():
        return [], True
    try:
        if _awaits_schema_upgrade(path):  # never upgraded just before it is replaced: read as it is
            result = restore_compare.compare(None, source, today(), db_file=path)
        else:
            with CaseStore.open(args.data_dir, create=False, upgrade=False) as store:
                current = store if not store.upgrade_pending else None
                result = restore_compare.compare(current, source, today(), db_file=path)
    except (UserError, OSError, sqlite3.Error) as exc:  # a damaged tracker can still be restored over; say so
        return [f"The backup could not be compared with the current data ({getattr(exc, 'message', exc)}); "
                "what the restore removes is not listed. It is kept in the safety backup."], True
    return result.lines(), result.shared_history


def _awaits_schema_upgrade(path: Path) -> bool:
    """Whether the database at ``path`` is at another schema than this version's (read-only look)."""
    from radiculopathy_desktop.storage import db as dbmod
    from radiculopathy_desktop.storage.schema import SCHEMA_VERSION

    conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=5)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0]) != SCHEMA_VERSION
    finally:
        conn.close()


def cmd_restore(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.terminal import terminal_safe

    source = Path(args.file)
    bk.validate_backup(source)  # refuse a bad file before asking
    lines, shared = _comparison_lines(args, source)
    for line in lines:  # before the prompt, and with --yes too (scripts' logs)
        print(terminal_safe(line))
    sys.stdout.flush()
    if not _confirmed(args):
        print("Not restored; nothing was changed.", file=sys.stderr)
        return 2
    folder = bk.backup_folder(args.data_dir)
    result = bk.restore(source, args.data_dir, keep=bs.read_backup_keep(args.data_dir))
    if result.safety_backup != result.restored_from:  # there was a database to keep a safety copy of
        try:
            bs.record_restore(folder, result.safety_backup, source)
            bs.record_backup_reason(result.safety_backup, f"safety copy before restoring {source.name}")
        except (OSError, UserError):
            print("note: the record of this restore could not be written; undo it with the command below.",
                  file=sys.stderr)
    print(f"restored: {result.database} from {result.restored_from}")
    print(f"safety backup: {result.safety_backup}")
    if result.audit_rows_removed is not None:
        made = "made after the backup" if shared else "of this tracker (the backup is not a copy of it)"
        print(f"audit: the restore is recorded in the restored database; {result.audit_rows_removed} audit "
              f"entries {made} are no longer in it (they are in the safety backup)")
    print(f"to undo: radiculopathy-desktop restore {result.safety_backup} --yes")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from radiculopathy_desktop.storage import health

    result = health.diagnose(args.data_dir, full=args.full or args.repair, recover=args.recover)
    if args.repair:  # derived data only: the Medicine alerts index, missing (rt22 F7) or differing (st20)
        repaired = _repair_alert_index(args, result)
        if repaired:
            if repaired.startswith("repaired:"):
                result = health.diagnose(args.data_dir, full=True)  # what stands now
            print(repaired)
    if result.recovered:
        print("recovered: the change a crash interrupted was undone by SQLite; every save reported before it "
              "is kept.")
    if result.state == "healthy":
        print("\n".join(result.lines))
        if result.settings:  # used at their defaults meanwhile: to repair, never fatal (still exit 0)
            from radiculopathy_desktop.commands.settings_notes import settings_note
            from radiculopathy_desktop.terminal import terminal_safe

            print("stored settings to repair (the database itself is sound; the defaults are used meanwhile):")
            for problem in result.settings:
                print(terminal_safe("warning: " + settings_note(problem).removeprefix("note: ")))
        if result.warnings:  # the database is sound; stored records to correct (terminal only, never logged)
            from radiculopathy_desktop.terminal import terminal_safe

            print("stored records to correct (the database itself is sound):")
            for line in result.warnings:
                print(terminal_safe(f"warning: {line}"))
        return 0
    if result.state == "needs_recovery":
        print("needs recovery (not damaged):")
        for line in result.lines:
            print(f"  {line}")
        return result.exit_code
    heading = {
        "newer": "The database is from a newer version of Radiculopathy Desktop:",
        "not_ours": "The file at the database path is not a Radiculopathy Desktop database:",
        "incomplete": "The database is damaged: part of its structure is missing:",
        "damaged": "The database is damaged:",
    }[result.state]
    if result.state == "incomplete" and result.repairable:
        heading = "Part of the database's Medicine alerts index is missing (derived data; nothing recorded is lost):"
    print(heading, file=sys.stderr)
    for line in result.lines[:20]:
        print(f"  {line}", file=sys.stderr)
    if result.state == "newer":
        print("Nothing was changed. Install the newer version to use it, or choose another folder with --data-dir.",
              file=sys.stderr)
    elif result.state == "not_ours":
        print("Nothing was changed. Move that file aside or choose another folder with --data-dir.", file=sys.stderr)
    elif result.state == "incomplete" and result.repairable:  # derived data only: no restore (rt22 F7)
        print("Nothing was changed. Nothing recorded is lost: run `radiculopathy-desktop check --full --repair` to "
              "make the Medicine alerts index again from the stored alerts (do not restore a backup for this: it "
              "would lose what was saved since).", file=sys.stderr)
    else:
        print("Nothing was changed. Restore the newest good backup with `radiculopathy-desktop restore FILE` "
              f"(backups are in {bk.backup_folder(args.data_dir)}).", file=sys.stderr)
    return result.exit_code


def _repair_alert_index(args: argparse.Namespace, result) -> str | None:
    """``check --full --repair``: make the Medicine alerts index again (the only derived data it
    repairs) when part of it is missing while the rest of the structure is whole, or when
    ``check --full`` found it differing from the stored alerts: one rebuild
    (``health.rebuild_alert_index``), audited once. The line saying so, or None when there was
    nothing to repair (a damaged database is a restore, not a repair: the check says so). A
    database awaiting a schema update is left as it is (the update makes the index)."""
    from radiculopathy_desktop.storage.access import login_name
    from radiculopathy_desktop.storage.health import rebuild_alert_index
    from radiculopathy_desktop.storage.paths import database_path

    missing = result.state == "incomplete" and result.repairable
    differs = result.state == "healthy" and any(
        line.startswith("the Medicine alerts index (medicine_alert_spans) differs") for line in result.warnings)
    if not (missing or differs):
        return None
    if _awaits_schema_upgrade(database_path(args.data_dir)):
        return None if missing else (  # a missing index: the schema update makes it (m012); the check says so
            "not repaired: the database awaits a schema update; open it once with this version (the window or "
            "any command), then run check --full --repair again. Nothing was changed.")
    repair = rebuild_alert_index(database_path(args.data_dir), user=login_name())
    return None if repair is None else repair.line()


def cmd_clear_lock(args: argparse.Namespace) -> int:
    """For IT, when the window's passphrase is forgotten: remove the lock (audited)."""
    from radiculopathy_desktop.storage.access import login_name
    from radiculopathy_desktop.storage import access
    from radiculopathy_desktop.storage.store import CaseStore

    if not args.yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise UserError("clear-lock removes the window's passphrase lock, so it needs confirmation: pass "
                            "--yes. Nothing was changed.", exit_code=2)
        answer = input("Remove the passphrase lock? Anyone at this computer can then open the window. Type yes: ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Not removed; nothing was changed.", file=sys.stderr)
            return 2
    with CaseStore.open(args.data_dir, create=False) as store:
        removed = access.clear_lock(store, user=login_name())
    if removed:
        print("The passphrase lock was removed (recorded in the audit table). Set a new one in the window: "
              "File > Lock settings.")
    else:
        print("There was no passphrase lock; nothing was changed.")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="make a checked backup of the database")
    p.add_argument("--to", type=Path, default=None, help="folder for the backup (default: the backups folder "
                                                         "beside the database, where old ones are pruned)")
    p.add_argument("--keep", type=int, default=None,
                   help=f"backups to keep in the default folder (default: the backup_keep setting, else "
                        f"{bk.KEEP_ENV}, else {bk.DEFAULT_KEEP})")
    p.set_defaults(func=cmd_backup)
    p = subparsers.add_parser("restore", help="replace the database by a backup (a safety backup is made first)")
    p.add_argument("file", type=Path, help="the backup file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)
    p = subparsers.add_parser("check", help="check the database: healthy, needs recovery, newer, not ours or "
                                            "damaged (read-only unless --recover)",
                              description="Exit 0 healthy; 1 needs recovery after an interrupted write (nothing "
                                          "lost; --recover does it); 2 no database or a path that is not one; 3 "
                                          "newer version, another program's file, missing tables or audit "
                                          "triggers, or damaged. Stored settings that cannot be used (a "
                                          "damaged settings row, a value out of range: the defaults are used "
                                          "meanwhile) are listed as warnings with the command that repairs "
                                          "them; they still exit 0.")
    p.add_argument("--full", action="store_true",
                   help="full integrity check instead of the quick one; also lists stored cases whose typed age "
                        "contradicts the birth date or whose medicine dose is 0 (warnings: still exit 0)")
    p.add_argument("--recover", action="store_true",
                   help="let SQLite undo a change a crash interrupted (what it does on the next write anyway)")
    p.add_argument("--repair", action="store_true",
                   help="with the full check: make the Medicine alerts index (medicine_alert_spans, its indexes and "
                        "triggers) again from the stored medicine alerts when it differs from them or part of it is "
                        "missing (audited); nothing else is changed")
    p.set_defaults(func=cmd_check)
    p = subparsers.add_parser("clear-lock", help="remove a forgotten passphrase lock (for IT; audited)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_clear_lock)
