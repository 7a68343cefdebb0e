"""Settings the clinical rules take: the surgical-review window and thresholds.

Defaults are read from ``resources/rules/surgical_review.toml`` where each value
carries its source; a clinic changes them in Settings (stored in the database).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, asdict, replace
from functools import lru_cache
from typing import Any, Mapping

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


@dataclass(frozen=True)
class ReviewSettings:
    window_start_day: int = 42
    window_end_day: int = 84
    upcoming_lead_days: int = 14
    mcid_leg_nrs_points: int = 2
    mcid_nrs_percent: int = 30
    mcid_odi_points: int = 10
    mcid_rmdq_points: int = 5
    resolved_leg_nrs_max: int = 2
    resolved_odi_max: int = 20
    resolved_rmdq_max: int = 4
    improving_recheck_days: int = 28
    content_version: str = ""

    def validated(self) -> "ReviewSettings":
        problems = [f"{key} must be between {lo} and {hi}{unit}"
                    for key, (lo, hi, unit) in SETTING_RANGES.items() if not lo <= getattr(self, key) <= hi]
        if not self.window_start_day <= self.window_end_day <= 730:
            problems.insert(1, "window_end_day must be on or after window_start_day and at most 730 days")
        if problems:
            raise SettingsError("; ".join(problems))
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, values: Mapping[str, Any]) -> "ReviewSettings":
        known = set(asdict(self))
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
        return replace(self, **clean).validated()


def settings_from_stored(stored: Mapping[str, Any] | None,
                         base: "ReviewSettings | None" = None) -> tuple["ReviewSettings", tuple[str, ...]]:
    """The settings a clinic's stored values give, and what of them could not be used.

    A stored value that is not a whole number or is out of its range (written by an older
    version, or by hand) is replaced by the default, alone: the other stored values are
    kept, so the app opens with everything that is valid and can say which setting was set
    back and why (``settings get``, the window's Settings page). A window whose stored end
    is before its stored start falls back to the default window (both days)."""
    base = base or default_review_settings()
    known = set(asdict(base)) - {"content_version"}
    clean: dict[str, int] = {}
    problems: list[str] = []
    for key, value in (stored or {}).items():
        if key not in known:
            continue  # a setting this version no longer has: nothing to use
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{key}: the stored value {str(value)[:20]!r} is not a whole number")
            continue
        lo, hi, unit = SETTING_RANGES.get(key, (7, 730, " days"))
        if not lo <= value <= hi:
            problems.append(f"{key}: the stored value {value} is not between {lo} and {hi}{unit}")
            continue
        clean[key] = value
    try:
        return base.updated(clean), tuple(problems)
    except SettingsError as exc:  # the window's end before its start: the default window
        window = {k: clean.pop(k) for k in ("window_start_day", "window_end_day") if k in clean}
        problems.append(f"the stored review window {window} is not valid ({exc})")
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
