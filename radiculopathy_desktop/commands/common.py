"""Helpers shared by the headless commands: reading case files, dates, output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from radiculopathy_desktop.domain.intake import Case, ValidationError, parse_case
from radiculopathy_desktop.errors import UserError

MAX_FILE_BYTES = 200 * 1024 * 1024


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
    """Decode a JSON file, turning every way it can fail into a plain message.

    ``what`` (e.g. "import") prefixes the message so the user knows which step failed.
    """
    try:
        return _read_json_file(Path(path))
    except UserError as exc:
        if what:
            raise UserError(f"{what}: {exc.message}", exc.exit_code) from None
        raise


def _read_json_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"{path}: the file does not exist") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a JSON file")
    if size > MAX_FILE_BYTES:
        raise UserError(f"{path}: is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into smaller files")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise UserError(f"{path}: is nested too deeply to read") from None


def case_items(data: Any) -> list[Any]:
    """One case object, a list of cases, or {"cases": [...]}, as a list."""
    if isinstance(data, dict) and "cases" in data and "patient" not in data:
        items = data["cases"]
        if not isinstance(items, list):
            raise UserError("cases must be a list of case objects")
        return items
    if isinstance(data, list):
        return data
    return [data]


def load_cases(path: Path) -> list[Case]:
    """Every case in the file, or a UserError listing each invalid case and field."""
    items = case_items(read_json_file(path))
    if not items:
        raise UserError(f"{path}: holds no cases")
    cases: list[Case] = []
    problems: list[str] = []
    for n, item in enumerate(items):
        label = _case_label(item, n, len(items))
        try:
            cases.append(parse_case(item))
        except ValidationError as exc:
            problems.extend(f"{label}: {e.message}" for e in exc.errors)
    if problems:
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more problems" if len(problems) > 50 else ""
        raise UserError(f"{path}: invalid input, nothing was done:\n  " + "\n  ".join(shown) + more)
    seen: dict[str, int] = {}
    for n, case in enumerate(cases):
        if case.case_id in seen:
            raise UserError(f"{path}: case {case.case_id} appears twice (items {seen[case.case_id] + 1} and {n + 1})")
        seen[case.case_id] = n
    return cases


def _case_label(item: Any, index: int, total: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("case_id"), str) and item["case_id"].strip():
        return f"case {item['case_id'].strip()[:64]}"
    return f"case {index + 1}" if total > 1 else "case"


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))
