"""Settings the clinical rules take: the surgical-review window and thresholds.

Defaults are read from ``resources/rules/surgical_review.toml`` where each value
carries its source; a clinic changes them in Settings (stored in the database).
"""

from __future__ import annotations

import json

import tomllib
from functools import lru_cache
from typing import Any, Mapping

from radiculopathy_desktop.domain.frozen import FrozenRecord
from radiculopathy_desktop.resources import resource_path


class SettingsError(ValueError):
    pass


#: Each numeric review setting's bounds (lowest, highest, unit words), checked by
#: :meth:`ReviewSettings.validated` with one message form ("KEY must be between LO and HI").
#: The minimal-important-change keys are bounded by their scale (leg-pain NRS 0-10 points,
#: ODI 0-100 points, RMDQ 0-24 points, a percentage 1-100); a change of 0 means nothing, so
#: the lowest is 1. These are validity bounds of each scale, not clinical advice.
#: window_end_day is checked against window_start_day (at most 730 days) on its own.
SETTING_RANGES: dict[str, tuple[int, int, str]] = {
    "window_start_day": (7, 365, " days"),
    "upcoming_lead_days": (0, 60, ""),
    "mcid_leg_nrs_points": (1, 10, " points"),
    "mcid_nrs_percent": (1, 100, " percent"),
    "mcid_odi_points": (1, 100, " points"),
    "mcid_rmdq_points": (1, 24, " points"),
    "resolved_leg_nrs_max": (0, 10, ""),
    "resolved_odi_max": (0, 100, ""),
    "resolved_rmdq_max": (0, 24, ""),
    "improving_recheck_days": (7, 84, ""),
}


class ReviewSettings(FrozenRecord):
    """The clinic's review settings (the review window, the improvement and resolution
    thresholds). A hand-written frozen record (domain/frozen.py), not a
    ``@dataclass(frozen=True)``: read before the window's first paint, and a dataclass's methods
    are generated and compiled at every start (issue 17; ``tests/storage/test_frozen_records.py``
    holds it against the dataclass it was). Its field names, in order: :attr:`_fields`."""

    _fields = ("window_start_day", "window_end_day", "upcoming_lead_days", "mcid_leg_nrs_points", "mcid_nrs_percent",
               "mcid_odi_points", "mcid_rmdq_points", "resolved_leg_nrs_max", "resolved_odi_max",
               "resolved_rmdq_max", "improving_recheck_days", "content_version")

    window_start_day: int
    window_end_day: int
    upcoming_lead_days: int
    mcid_leg_nrs_points: int
    mcid_nrs_percent: int
    mcid_odi_points: int
    mcid_rmdq_points: int
    resolved_leg_nrs_max: int
    resolved_odi_max: int
    resolved_rmdq_max: int
    improving_recheck_days: int
    content_version: str

    def __init__(self, window_start_day: int = 42, window_end_day: int = 84, upcoming_lead_days: int = 14,
                 mcid_leg_nrs_points: int = 2, mcid_nrs_percent: int = 30, mcid_odi_points: int = 10,
                 mcid_rmdq_points: int = 5, resolved_leg_nrs_max: int = 2, resolved_odi_max: int = 20,
                 resolved_rmdq_max: int = 4, improving_recheck_days: int = 28, content_version: str = ""):
        self._set_fields(window_start_day, window_end_day, upcoming_lead_days, mcid_leg_nrs_points, mcid_nrs_percent,
                         mcid_odi_points, mcid_rmdq_points, resolved_leg_nrs_max, resolved_odi_max, resolved_rmdq_max,
                         improving_recheck_days, content_version)

    def validated(self) -> "ReviewSettings":
        problems = [f"{key} must be between {lo} and {hi}{unit}"
                    for key, (lo, hi, unit) in SETTING_RANGES.items() if not lo <= getattr(self, key) <= hi]
        if not self.window_start_day <= self.window_end_day <= 730:
            problems.insert(1, "window_end_day must be on or after window_start_day and at most 730 days")
        if problems:
            raise SettingsError("; ".join(problems))
        return self

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}  # what dataclasses.asdict gave

    def updated(self, values: Mapping[str, Any]) -> "ReviewSettings":
        known = set(self._fields)
        unknown = set(values) - known
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        clean = {}
        for key, value in values.items():
            if key == "content_version":
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"{key} must be a whole number")
            clean[key] = value
        return self.replace(**clean).validated()


class StoredSettingsProblem(FrozenRecord):
    """One part of the stored review settings that could not be used, in words.

    ``keys``: the settings concerned (one key; the two window keys; ``()`` when the whole
    stored row could not be read). ``problem`` says what is wrong and ``used`` what is used
    instead; each front end ends the sentence with its own way to repair it
    (:meth:`sentence`): the command line names ``settings set``, the window its Settings page.
    A hand-written frozen record (domain/frozen.py: read before the window's first paint, issue 17)."""

    _fields = ("keys", "problem", "used", "unknown")

    keys: tuple[str, ...]
    problem: str
    used: str
    #: ``keys`` are stored names that are not review settings (a misspelling, a hand edit):
    #: ignored, the rest of the row used; any save of a review setting writes the row without them.
    unknown: bool

    def __init__(self, keys: tuple[str, ...], problem: str, used: str, unknown: bool = False):
        self._set_fields(keys, problem, used, unknown)

    @property
    def whole_row(self) -> bool:
        return not self.keys

    def sentence(self, repair: str) -> str:
        """``"<problem>; <used> until <repair>."``: one sentence."""
        return f"{self.problem}; {self.used} until {repair}."

    def __str__(self) -> str:
        return f"{self.problem}; {self.used}"


#: The settings row that holds the review settings, as named in the notes.
ROW_WORDS = 'the stored review settings (the settings row "review")'


def unreadable_settings(why: str) -> StoredSettingsProblem:
    """The whole stored review-settings row could not be read (``why``: "it is not valid JSON")."""
    return StoredSettingsProblem((), f"{ROW_WORDS} could not be read: {why}",
                                 "the default of every review setting is used")


def _unknown_names(names: list) -> StoredSettingsProblem:
    """Stored names that are not review settings, in one problem (at most five named)."""
    shown = ", ".join(f'"{_plain(str(n), 40)}"' for n in names[:5]) + (
        f" and {len(names) - 5} more" if len(names) > 5 else "")
    one = len(names) == 1
    return StoredSettingsProblem(
        tuple(str(n) for n in names),
        f"{ROW_WORDS} hold {shown}, " + ("which is not a review setting" if one else
                                          "which are not review settings") + " (misspelled?)",
        f"{'it is' if one else 'they are'} ignored and the settings named right are used", unknown=True)


def _plain(text: str, limit: int = 20) -> str:
    """Stored text shown in a note: printable characters only, at most ``limit``."""
    clean = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return clean + ("..." if len(text) > limit else "")


def _number_words(value: int) -> str:
    digits = str(abs(value))
    return str(value) if len(digits) <= 12 else f"{'-' if value < 0 else ''}of {len(digits)} digits"


def _stored_value_problem(value: Any, lo: int, hi: int, unit: str) -> tuple[str, int | None]:
    """(what is wrong with a stored value, in words; or "" and the whole number it is)."""
    bounds = f"it must be between {lo} and {hi}{unit}"
    if value is None:
        return "the stored value is empty (null), not a whole number", None
    if isinstance(value, bool):
        return f"the stored value {'true' if value else 'false'} is a yes/no value, not a whole number", None
    if isinstance(value, str):
        return f'the stored value is the text "{_plain(value)}", not a whole number', None
    if isinstance(value, (list, tuple)):
        return "the stored value is a list, not a whole number", None
    if isinstance(value, Mapping):
        return "the stored value is a group of named values, not a whole number", None
    if isinstance(value, float):
        if value != value:
            return "the stored value is not a number", None
        if value in (float("inf"), float("-inf")):
            return f"the stored value is too {'large' if value > 0 else 'small'} ({bounds})", None
        if not value.is_integer():
            return f"the stored value {value:g} is not a whole number ({bounds})", None
        value = int(value)  # 3.0 or 1e9 written by hand: a whole number, checked against its range
    if not isinstance(value, int):
        return "the stored value is not a whole number", None
    if value < lo:
        return f"the stored value {_number_words(value)} is too small ({bounds})", None
    if value > hi:
        return f"the stored value {_number_words(value)} is too large ({bounds})", None
    return "", value


class NamedTwice(dict):
    """A decoded JSON object that keeps, beside the last value of each name (what
    ``json.loads`` keeps), every value of a name written more than once (``twice``):
    a hand-edited row ``{"window_start_day": 40, "window_start_day": 10}`` is ambiguous
    and must be said, not silently read as 10 (red-team rt10 F9)."""

    twice: dict

    def __init__(self, pairs=()):
        super().__init__()
        self.twice = {}
        for key, value in pairs:
            if key in self:
                self.twice.setdefault(key, [self[key]]).append(value)
            self[key] = value


def decode_stored_json(text: str) -> Any:
    """``json.loads`` of a stored settings row, each object a :class:`NamedTwice` (names
    written twice kept for the note). Raises ``ValueError`` as ``json.loads`` does."""
    return json.loads(text, object_pairs_hook=NamedTwice)


def _named_twice(key: str, values: list, default: Any) -> "StoredSettingsProblem":
    shown = ", then ".join(_plain(json.dumps(v), 20) for v in values[:4]) + (", ..." if len(values) > 4 else "")
    return StoredSettingsProblem(
        (key,), f"{key}: the stored row names it {len(values)} times ({shown}), so which value was meant is not known",
        f"its default ({default}) is used")


def settings_from_stored(stored: Any,
                         base: "ReviewSettings | None" = None) -> tuple["ReviewSettings", tuple[StoredSettingsProblem, ...]]:
    """The settings a clinic's stored values give, and what of them could not be used.

    A stored value that is not a whole number or is out of its range (written by an older
    version, or by hand) is replaced by the default, alone: the other stored values are
    kept, so the app opens with everything that is valid and can say which setting was set
    back and why (``settings get``, the window's Settings page). A window whose stored end
    is before its stored start falls back to the default window (both days). A stored row
    that is not a set of named values (a list, a number, ``null``) gives every default, said
    once. A stored name that is not a review setting (``window_start_dya``: a misspelling, a
    hand edit) is named once and ignored; the settings that are named right are used.

    ``stored`` is the row's value as stored (``None`` is a row holding JSON ``null``: red-team
    rt9 F3); a clinic with no stored row has the defaults, with nothing to say."""
    base = base or default_review_settings()
    if not isinstance(stored, Mapping):
        kind = ("a list" if isinstance(stored, (list, tuple)) else "null" if stored is None
                else "a single value")
        return base, (unreadable_settings(f"it holds {kind}, not named settings"),)
    known = set(base._fields) - {"content_version"}
    clean: dict[str, int] = {}
    problems: list[StoredSettingsProblem] = []
    unknown = [key for key in stored if key not in known and key != "content_version"]
    if unknown:
        problems.append(_unknown_names(unknown))
    twice = getattr(stored, "twice", None) or {}
    for key, value in stored.items():
        if key not in known:
            continue  # named above (content_version: the rules' version, not a setting)
        if key in twice:  # ambiguous: neither value is trusted (rt10 F9)
            problems.append(_named_twice(key, twice[key], getattr(base, key)))
            continue
        lo, hi, unit = SETTING_RANGES.get(key, (7, 730, " days"))
        wrong, number = _stored_value_problem(value, lo, hi, unit)
        if wrong:
            problems.append(StoredSettingsProblem((key,), f"{key}: {wrong}", f"its default ({getattr(base, key)}) is used"))
            continue
        clean[key] = number
    try:
        return base.updated(clean), tuple(problems)
    except SettingsError:  # the window's end before its start: the default window
        start = clean.pop("window_start_day", base.window_start_day)
        end = clean.pop("window_end_day", base.window_end_day)
        problems.append(StoredSettingsProblem(
            ("window_start_day", "window_end_day"),
            f"the review window {start}-{end} days is not valid: the start must be on or before the end",
            f"the default window ({base.window_start_day}-{base.window_end_day} days) is used"))
        return base.updated(clean), tuple(problems)


@lru_cache(maxsize=1)
def review_rule_sources() -> dict[str, str]:
    """Where each default comes from (shown beside the settings and in assessments)."""
    data = _load()
    return {section: data[section]["source"] for section in ("window", "upcoming", "improvement", "resolution",
                                                             "improving_status")}


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    with open(resource_path("rules", "surgical_review.toml"), "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def default_review_settings() -> ReviewSettings:
    d = _load()
    return ReviewSettings(
        window_start_day=d["window"]["start_day"],
        window_end_day=d["window"]["end_day"],
        upcoming_lead_days=d["upcoming"]["lead_days"],
        mcid_leg_nrs_points=d["improvement"]["leg_nrs_points"],
        mcid_nrs_percent=d["improvement"]["nrs_percent"],
        mcid_odi_points=d["improvement"]["odi_points"],
        mcid_rmdq_points=d["improvement"]["rmdq_points"],
        resolved_leg_nrs_max=d["resolution"]["leg_nrs_max"],
        resolved_odi_max=d["resolution"]["odi_max"],
        resolved_rmdq_max=d["resolution"]["rmdq_max"],
        improving_recheck_days=d["improving_status"]["recheck_days"],
        content_version=d["content_version"],
    ).validated()
