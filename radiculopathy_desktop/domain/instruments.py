"""Scores and what they mean: NRS, STarT Back, ODI, RMDQ; improvement against the MCID.

Improvement thresholds come from :class:`ReviewSettings` (defaults in
``resources/rules/surgical_review.toml``, source Ostelo 2008).
"""

from __future__ import annotations

from dataclasses import dataclass

from radiculopathy_desktop.domain.intake import ScorePoint
from radiculopathy_desktop.domain.settings import ReviewSettings

MCID_SOURCE = "Ostelo RW et al. Spine 2008;33:90-94"


@dataclass(frozen=True)
class Improvement:
    """Change from baseline to the latest follow-up, judged against the MCID."""

    improving: bool | None  # None: no follow-up scores to compare yet
    resolved: bool  # latest scores meet the resolution thresholds (local convention)
    reasons: tuple[str, ...]
    leg_nrs_change: int | None = None
    back_nrs_change: int | None = None
    odi_change: float | None = None
    rmdq_change: int | None = None

    def to_dict(self) -> dict:
        return {
            "improving": self.improving,
            "resolved": self.resolved,
            "reasons": list(self.reasons),
            "leg_nrs_change": self.leg_nrs_change,
            "back_nrs_change": self.back_nrs_change,
            "odi_change": self.odi_change,
            "rmdq_change": self.rmdq_change,
            "source": MCID_SOURCE,
        }


def _latest(points: list[ScorePoint], attr: str):
    for p in reversed(points):
        value = getattr(p, attr)
        if value is not None:
            return value
    return None


def improvement(baseline: ScorePoint, follow_ups: list[ScorePoint], s: ReviewSettings) -> Improvement:
    """Compare the latest follow-up value of each score with the baseline.

    Improving if any score improved by at least its MCID (leg or back NRS by
    ``mcid_leg_nrs_points`` or ``mcid_nrs_percent`` %, ODI by ``mcid_odi_points``,
    RMDQ by ``mcid_rmdq_points``). Resolved if the latest leg NRS is at most
    ``resolved_leg_nrs_max`` and the latest function score (ODI, else RMDQ, where
    recorded) is within its threshold.
    """
    if not follow_ups:
        return Improvement(None, False, ("No follow-up scores yet: improvement cannot be judged.",))
    reasons: list[str] = []
    hits = 0
    compared = 0
    leg_now = _latest(follow_ups, "leg_nrs")
    back_now = _latest(follow_ups, "back_nrs")
    odi_now = _latest(follow_ups, "odi_percent")
    rmdq_now = _latest(follow_ups, "rmdq")
    leg_change = back_change = odi_change = rmdq_change = None

    for label, before, now in (("Leg pain", baseline.leg_nrs, leg_now), ("Back pain", baseline.back_nrs, back_now)):
        if before is None or now is None:
            continue
        compared += 1
        drop = before - now
        if label == "Leg pain":
            leg_change = now - before
        else:
            back_change = now - before
        pct = (100.0 * drop / before) if before > 0 else 0.0
        if drop >= s.mcid_leg_nrs_points or (before > 0 and pct >= s.mcid_nrs_percent):
            hits += 1
            reasons.append(f"{label} NRS {before} -> {now}: improved by {drop} points ({pct:.0f}%), at least the MCID "
                           f"({s.mcid_leg_nrs_points} points or {s.mcid_nrs_percent}%).")
        else:
            reasons.append(f"{label} NRS {before} -> {now}: change below the MCID "
                           f"({s.mcid_leg_nrs_points} points or {s.mcid_nrs_percent}%).")
    if baseline.odi_percent is not None and odi_now is not None:
        compared += 1
        odi_change = round(odi_now - baseline.odi_percent, 1)
        if baseline.odi_percent - odi_now >= s.mcid_odi_points:
            hits += 1
            reasons.append(f"ODI {baseline.odi_percent:g}% -> {odi_now:g}%: improved by at least {s.mcid_odi_points} points.")
        else:
            reasons.append(f"ODI {baseline.odi_percent:g}% -> {odi_now:g}%: change below the MCID ({s.mcid_odi_points} points).")
    if baseline.rmdq is not None and rmdq_now is not None:
        compared += 1
        rmdq_change = rmdq_now - baseline.rmdq
        if baseline.rmdq - rmdq_now >= s.mcid_rmdq_points:
            hits += 1
            reasons.append(f"RMDQ {baseline.rmdq} -> {rmdq_now}: improved by at least {s.mcid_rmdq_points} points.")
        else:
            reasons.append(f"RMDQ {baseline.rmdq} -> {rmdq_now}: change below the MCID ({s.mcid_rmdq_points} points).")

    improving: bool | None = (hits > 0) if compared else None
    if compared == 0:
        reasons.append("Follow-up visits carry no scores comparable with the baseline.")

    resolved = False
    if leg_now is not None and leg_now <= s.resolved_leg_nrs_max:
        if odi_now is not None:
            resolved = odi_now <= s.resolved_odi_max
            function_text = f"ODI {odi_now:g}% (threshold {s.resolved_odi_max}%)"
        elif rmdq_now is not None:
            resolved = rmdq_now <= s.resolved_rmdq_max
            function_text = f"RMDQ {rmdq_now} (threshold {s.resolved_rmdq_max})"
        else:
            resolved = True
            function_text = "no function score recorded"
        if resolved:
            reasons.append(f"Resolved by the clinic's thresholds (local convention): leg NRS {leg_now} "
                           f"(threshold {s.resolved_leg_nrs_max}), {function_text}.")
    return Improvement(improving, resolved, tuple(reasons), leg_change, back_change, odi_change, rmdq_change)
