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
        problems = []
        if not 7 <= self.window_start_day <= 365:
            problems.append("window_start_day must be between 7 and 365 days")
        if not self.window_start_day <= self.window_end_day <= 730:
            problems.append("window_end_day must be on or after window_start_day and at most 730 days")
        if not 0 <= self.upcoming_lead_days <= 60:
            problems.append("upcoming_lead_days must be between 0 and 60")
        if not 0 <= self.resolved_leg_nrs_max <= 10:
            problems.append("resolved_leg_nrs_max must be between 0 and 10")
        if not 0 <= self.resolved_odi_max <= 100:
            problems.append("resolved_odi_max must be between 0 and 100")
        if not 0 <= self.resolved_rmdq_max <= 24:
            problems.append("resolved_rmdq_max must be between 0 and 24")
        if not 7 <= self.improving_recheck_days <= 84:
            problems.append("improving_recheck_days must be between 7 and 84")
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
