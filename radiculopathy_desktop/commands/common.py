"""Helpers shared by the headless commands: reading case files, dates, output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from radiculopathy_desktop.domain.intake import Case, ValidationError, parse_case
from radiculopathy_desktop.errors import UserError



# Dates a command accepts: wide enough for any clinical record, narrow enough that date
# arithmetic (ages, review windows, "until" dates) can never run off the calendar.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


def parse_date_arg(text: str | None, option: str, default: dt.date | None = None) -> dt.date | None:
    """A YYYY-MM-DD option value (``default`` when not given), or a UserError naming the option."""
    if text is None:
        return default
    text = text.strip()
    parts = text.split("-")
    if len(parts) != 3 or len(parts[0]) != 4 or not all(p.isascii() and p.isdigit() for p in parts):
        raise UserError(f"{option}: {text!r} is not a date; write it as YYYY-MM-DD (for example 2026-03-01).")
    try:
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise UserError(f"{option}: {text} is not a real date (no such day in the calendar).") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise UserError(f"{option}: {text} is outside the dates this app works with ({MIN_DATE.year} to "
                        f"{MAX_DATE.year}); check the year.")
    return day


def read_json_file(path: Path, what: str = "") -> Any:
    """Decode a small JSON file (one visit, one case), turning every way it can fail into a
    plain message, with the limits and rules of :mod:`~radiculopathy_desktop.commands.case_files`
    (duplicate keys, size, nesting, numbers, a pipe or device refused).

    ``what`` (e.g. "visit --json") prefixes the message so the user knows which step failed.
    """
    from radiculopathy_desktop.commands.case_files import read_json_value

    try:
        return read_json_value(Path(path))
    except UserError as exc:
        if what:
            raise UserError(f"{what}: {exc.message}", exc.exit_code) from None
        raise


def load_cases(path: Path) -> list[Case]:
    """Every case in the file (read as a stream, within the documented limits), or a
    UserError listing each invalid case and field."""
    from radiculopathy_desktop.commands.case_files import iter_case_items

    cases: list[Case] = []
    problems: list[str] = []
    more = 0
    invalid = 0
    seen: dict[str, int] = {}
    n = -1
    for n, item in enumerate(iter_case_items(Path(path))):
        label = _case_label(item, n, 2)
        try:
            case = parse_case(item, today=dt.date.today())  # an intake dated after today is a typo
        except ValidationError as exc:
            invalid += 1
            for e in exc.errors:
                if len(problems) < 50:
                    problems.append(f"{label}: {e.message}")
                else:
                    more += 1
            if invalid >= 1000:  # a hostile file: stop reading it
                break
            continue
        if not problems:
            if case.case_id in seen:
                raise UserError(f"{path}: case {case.case_id} appears twice (items {seen[case.case_id] + 1} and "
                                f"{n + 1})")
            seen[case.case_id] = n
            cases.append(case)
    if n < 0:
        raise UserError(f"{path}: holds no cases")
    if problems:
        tail = f"\n... and {more} more problems" if more else ""
        raise UserError(f"{path}: invalid input, nothing was done:\n  " + "\n  ".join(problems) + tail)
    return cases


def _case_label(item: Any, index: int, total: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("case_id"), str) and item["case_id"].strip():
        return f"case {item['case_id'].strip()[:64]}"
    return f"case {index + 1}" if total > 1 else "case"


def print_json(data: Any) -> None:
    from radiculopathy_desktop.terminal import json_safe

    print(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))


def clinic_profile(args: Any) -> str:
    """``--profile`` when given, else the clinic's guideline profile stored with the data (the
    one the window uses: on the clinic server when one is set up), else the default when
    there is no database yet.

    A database that exists but cannot be read now (damaged, from a newer version, not ours,
    locked) must never block an assessment: the tracker being broken is exactly when a
    clinician falls back to ``assess FILE``, and triage does not depend on the profile. The
    packaged default is used and a one-line warning on stderr names the problem and
    ``--profile`` (the profile only changes which dose maxima and sources are shown)."""
    import sys

    from radiculopathy_desktop.domain.clinic import DEFAULT_PROFILE
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.terminal import terminal_safe

    if getattr(args, "profile", None):
        return args.profile
    from radiculopathy_desktop.errors import UserError
    from radiculopathy_desktop.storage.pg.choose import server_url

    data_dir = getattr(args, "data_dir", None)
    url = None
    try:
        # On a workstation set up for the clinic server (--server, RADICULOPATHY_SERVER,
        # server.conf) the clinic's profile is the one stored on the server, as for every
        # other command and the window; a local file there is not the clinic's.
        url = server_url(data_dir, getattr(args, "server", None))
        if url is not None:
            from radiculopathy_desktop.storage.pg.store import PgStore
            with PgStore.open(url) as server:
                return server.clinic_settings().profile
        with CaseStore.open(data_dir, create=False) as store:
            return store.clinic_settings().profile
    except (StorageError, UserError) as exc:
        if getattr(exc, "kind", None) != "missing":
            problem = " ".join(str(getattr(exc, "message", exc)).split())
            where = "the clinic server" if url is not None else "its database"
            print(terminal_safe(f"warning: the clinic's guideline profile could not be read from {where} "
                                f"({problem}); using the default profile {DEFAULT_PROFILE}. Pass --profile us "
                                f"or --profile uk to choose."), file=sys.stderr)
        return DEFAULT_PROFILE


def store_profile(args: Any, store) -> str:
    """The guideline profile of a command reading the data folder (handout, export, worklist,
    case): ``--profile`` when given, else the clinic's stored with the data. An override that
    differs from the clinic's is said once on stderr (prof30: a uk clinic's sheet printed under
    us maxima is never silent; the output names its profile too). The stored worklist marks are
    kept per profile, so the override reads its own profile's marks, never the clinic's."""
    import sys

    clinic = store.clinic_settings().profile
    chosen = getattr(args, "profile", None) or clinic
    if chosen != clinic:
        print(f"note: --profile {chosen} overrides the clinic's guideline profile {clinic} (settings): "
              f"the medicine maxima and ratings here are the {chosen} profile's.", file=sys.stderr)
    return chosen
