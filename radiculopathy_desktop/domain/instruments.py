"""Scores and what they mean: NRS, STarT Back, ODI, RMDQ; improvement against the MCID.

Improvement thresholds come from :class:`ReviewSettings` (defaults in
``resources/rules/surgical_review.toml``, source Ostelo 2008).
"""

from __future__ import annotations

from dataclasses import dataclass

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.intake import ScorePoint
from radiculopathy_desktop.domain.settings import ReviewSettings

MCID_SOURCE = ("Ostelo RW et al. Spine 2008;33:90-94 (minimal important change: NRS 2 points, ODI 10, RMDQ 5, "
               "or 30% from baseline on each); leg pain as the primary outcome of sciatica: Peul WC et al. "
               "NEJM 2007;356:2245-56; NICE NG59 section 1.3 (spinal decompression when non-surgical care has not improved pain or function)")


@fast_init
@dataclass(frozen=True)
class Improvement:
    """Change from baseline to the latest follow-up, judged against the MCID.

    ``improving`` is the review rule's answer: improved from baseline (leg pain better by
    its MCID, or function better by its MCID with leg pain not worse; back pain alone
    never counts) and not stalled since the previous follow-up. ``improved_from_baseline``
    is the first half alone; ``stalled`` says the second half failed.
    """

    improving: bool | None  # None: no follow-up scores to compare yet
    resolved: bool  # latest scores meet the resolution thresholds (local convention)
    reasons: tuple[str, ...]
    leg_nrs_change: int | None = None
    back_nrs_change: int | None = None
    odi_change: float | None = None
    rmdq_change: int | None = None
    improved_from_baseline: bool | None = None
    stalled: bool = False

    def to_dict(self) -> dict:
        return {
            "improving": self.improving,
            "improved_from_baseline": self.improved_from_baseline,
            "stalled": self.stalled,
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


def _last_two(points: list[ScorePoint], attr: str):
    """(previous, latest) recorded values of ``attr`` among the follow-ups (None when fewer).

    The previous value is the latest one recorded on an *earlier day* than the latest: two
    visits of one day are zero days apart, so they are no trend (gp19 F5,
    ``visits.SAME_DAY_TREND``); the later of them stands for that day."""
    dated = [(p.date, getattr(p, attr)) for p in points if getattr(p, attr) is not None]
    if not dated:
        return None, None
    day, latest = dated[-1]
    previous = next((v for d, v in reversed(dated) if d < day), None)
    return previous, latest


def _better(before: float, now: float, points: float, percent: float) -> bool:
    """Improved by at least the MCID: ``points`` or ``percent`` % of a non-zero baseline."""
    drop = before - now
    return drop >= points or (before > 0 and drop > 0 and 100.0 * drop / before >= percent)


def _judge_function(attr: str, label: str, unit: str, before, now, mcid: float, pct: float,
                    better: list[str], worse: list[str], reasons: list[str]):
    """One function score (ODI or RMDQ) against its baseline: appends to ``better``/``worse``/``reasons``.

    Returns the change (None when either score is missing). ODI and RMDQ are judged by the same
    rule (Ostelo 2008: their own MCID in points, or ``pct`` % of a non-zero baseline), so one
    function does both and the two cannot drift apart.
    """
    if before is None or now is None:
        return None
    change = now - before
    text = f"{label} {before:g}{unit} -> {now:g}{unit}"
    if _better(before, now, mcid, pct):
        better.append(attr)
        reasons.append(f"{text}: better by at least the MCID ({mcid} points or {pct}%).")
    elif change >= mcid:
        worse.append(label)
        reasons.append(f"{text}: worse by at least {mcid} points.")
    else:
        reasons.append(f"{text}: change below the MCID ({mcid} points or {pct}%).")
    return round(change, 1) if isinstance(change, float) else change


def improvement(baseline: ScorePoint, follow_ups: list[ScorePoint], s: ReviewSettings) -> Improvement:
    """Judge the latest follow-up against the baseline (Ostelo 2008 MCIDs).

    * Leg pain is the primary outcome in sciatica: leg NRS better by at least
      ``mcid_leg_nrs_points`` points or ``mcid_nrs_percent`` % counts as improved.
    * Function (ODI by ``mcid_odi_points`` or RMDQ by ``mcid_rmdq_points``, or either by
      ``mcid_nrs_percent`` %) counts only with leg pain recorded and not worse than baseline.
    * Back pain alone never counts as improvement.
    * Any score clearly worse (by its MCID), back pain included, makes it not improving, so
      a worsening patient is never sorted below the improving ones.
    * Stalled: with follow-ups on two or more days, none of the scores that showed the
      improvement got any better since the previous day's follow-up (a same-day pair is no
      trend). A stalled improvement is not improving
      (the review falls due again).

    Resolved if the latest leg NRS is at most ``resolved_leg_nrs_max`` and the latest
    function score (ODI, else RMDQ, where recorded) is within its threshold.
    """
    if not follow_ups:
        return Improvement(None, False, ("No follow-up scores yet: improvement cannot be judged.",))
    reasons: list[str] = []
    pct = s.mcid_nrs_percent
    leg_now = _latest(follow_ups, "leg_nrs")
    back_now = _latest(follow_ups, "back_nrs")
    odi_now = _latest(follow_ups, "odi_percent")
    rmdq_now = _latest(follow_ups, "rmdq")
    leg_change = back_change = odi_change = rmdq_change = None
    worse = []
    compared = False

    leg_better = False
    leg_not_worse = False
    if baseline.leg_nrs is not None and leg_now is not None:
        compared = True
        before = baseline.leg_nrs
        leg_change = leg_now - before
        leg_better = _better(before, leg_now, s.mcid_leg_nrs_points, pct)
        leg_not_worse = leg_now <= before
        if leg_better:
            reasons.append(f"Leg pain NRS {before} -> {leg_now}: better by at least the MCID "
                           f"({s.mcid_leg_nrs_points} points or {pct}%).")
        elif leg_now - before >= s.mcid_leg_nrs_points:
            worse.append("leg pain")
            reasons.append(f"Leg pain NRS {before} -> {leg_now}: worse by {leg_now - before} points (at least the MCID).")
        else:
            reasons.append(f"Leg pain NRS {before} -> {leg_now}: change below the MCID "
                           f"({s.mcid_leg_nrs_points} points or {pct}%).")
    elif leg_now is None:
        reasons.append("Leg pain not recorded at follow-up: function alone cannot show improvement without it.")

    if baseline.back_nrs is not None and back_now is not None:
        back_change = back_now - baseline.back_nrs
        if back_now - baseline.back_nrs >= s.mcid_leg_nrs_points:
            worse.append("back pain")
            reasons.append(f"Back pain NRS {baseline.back_nrs} -> {back_now}: worse by at least the MCID.")
        else:
            reasons.append(f"Back pain NRS {baseline.back_nrs} -> {back_now}: shown for information; back pain "
                           "alone never counts as improvement in sciatica.")

    function_better = []
    odi_change = _judge_function("odi_percent", "ODI", "%", baseline.odi_percent, odi_now, s.mcid_odi_points, pct,
                                 function_better, worse, reasons)
    rmdq_change = _judge_function("rmdq", "RMDQ", "", baseline.rmdq, rmdq_now, s.mcid_rmdq_points, pct,
                                  function_better, worse, reasons)
    compared = compared or odi_change is not None or rmdq_change is not None

    improved: bool | None = None
    stalled = False
    if compared:
        by_function = bool(function_better) and leg_not_worse
        if function_better and not leg_not_worse and leg_now is not None:
            reasons.append("Function is better but leg pain is worse than at baseline: not counted as improvement.")
        improved = (leg_better or by_function) and not worse
        if (leg_better or by_function) and worse:
            reasons.append(f"Mixed: some scores improved but {', '.join(worse)} is clearly worse, "
                           "so this counts as not improving.")
        if improved:
            showing = (["leg_nrs"] if leg_better else []) + (function_better if by_function else [])
            pairs = {a: _last_two(follow_ups, a) for a in showing}
            comparable = {a: (prev, now) for a, (prev, now) in pairs.items() if prev is not None}
            # A score already at the clinic's resolution level (leg NRS 2, ODI 20 %...) has no
            # room left to improve: holding there is recovery, not a stalled improvement.
            floor = {"leg_nrs": s.resolved_leg_nrs_max, "odi_percent": s.resolved_odi_max,
                     "rmdq": s.resolved_rmdq_max}
            room = [a for a, (_prev, now) in comparable.items() if now > floor[a]]
            if room and not any(now < prev for prev, now in comparable.values()):
                stalled = True
                words = {"leg_nrs": "leg pain", "odi_percent": "ODI", "rmdq": "RMDQ"}
                detail = ", ".join(f"{words[a]} {prev:g} -> {now:g}" for a, (prev, now) in comparable.items())
                reasons.append(f"Improvement has stalled: no further improvement since the previous follow-up "
                               f"({detail}). The review falls due again.")
    else:
        reasons.append("Follow-up visits carry no leg pain or function scores comparable with the baseline.")
    improving = None if improved is None else (improved and not stalled)

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
    return Improvement(improving, resolved, tuple(reasons), leg_change, back_change, odi_change, rmdq_change,
                       improved, stalled)


# =========================================================================== scoring
# STarT Back, ODI, RMDQ and NRS. Questionnaire metadata (source, copyright, terms,
# and wording where its terms allow) lives in ``resources/instruments/``.

import math
import tomllib
from functools import lru_cache
from typing import Any, Sequence

from radiculopathy_desktop.domain.intake import START_BACK_ITEM9, FunctionScore, StartBack
from radiculopathy_desktop.resources import resource_path

START_BACK_SOURCE = "Hill JC et al. Arthritis Rheum 2008;59:632-641 (Keele STarT Back Screening Tool)"
ODI_SOURCE = "Fairbank JCT, Pynsent PB. Spine 2000;25:2940-2953 (ODI v2.1a scoring and bands)"
RMDQ_SOURCE = "Roland M, Morris R. Spine 1983;8:141-144 (RMDQ-24)"
NRS_SOURCE = "Local convention: common cut-points 1-3 mild, 4-6 moderate, 7-10 severe (cut-points vary between studies)"
START_BACK_ITEM9_POSITIVE = frozenset({"very_much", "extremely"})
START_BACK_RISKS = ("low", "medium", "high")
ODI_MIN_ANSWERED = 8
# (inclusive upper limit, code, label). Applied to the unrounded percent: 20.0 is minimal,
# 20.5 is moderate (see resources/instruments/odi.toml banding_rule).
ODI_BANDS = (
    (20.0, "minimal", "Minimal disability"),
    (40.0, "moderate", "Moderate disability"),
    (60.0, "severe", "Severe disability"),
    (80.0, "crippled", "Crippled"),
    (100.0, "bed_bound", "Bed-bound or exaggerating symptoms"),
)


class InstrumentError(ValueError):
    """A score or a set of answers that cannot be scored (says which and why)."""


@lru_cache(maxsize=8)
def instrument_metadata(name: str) -> dict[str, Any]:
    """Metadata of one questionnaire (start_back, odi, rmdq, nrs) from resources/instruments/."""
    with open(resource_path("instruments", f"{name}.toml"), "rb") as fh:
        return tomllib.load(fh)


# --------------------------------------------------------------------------- STarT Back
@fast_init
@dataclass(frozen=True)
class StartBackResult:
    total: int
    distress: int
    risk: str  # low / medium / high
    from_answers: bool
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.risk.capitalize()} risk"

    def to_dict(self) -> dict:
        return {"total": self.total, "distress": self.distress, "risk": self.risk, "label": self.label,
                "from_answers": self.from_answers, "notes": list(self.notes), "source": START_BACK_SOURCE}


def start_back_risk(total: int, distress: int) -> str:
    """Low: total 0-3. High: distress subscale 4-5. Medium: total 4-9 with distress 0-3."""
    if total <= 3:
        return "low"
    if distress >= 4:
        return "high"
    return "medium"


def score_start_back_answers(answers: Sequence[Any]) -> StartBackResult:
    """Score the nine answers: items 1-8 True (agree) / False; item 9 a START_BACK_ITEM9 code."""
    if answers is None or len(answers) != 9:
        raise InstrumentError("STarT Back needs exactly 9 answers")
    items = list(answers)
    for n, a in enumerate(items[:8]):
        if not isinstance(a, bool):
            raise InstrumentError(f"STarT Back item {n + 1} must be agree (true) or disagree (false), not {a!r}")
    if items[8] not in START_BACK_ITEM9:
        raise InstrumentError(f"STarT Back item 9 must be one of {', '.join(START_BACK_ITEM9)}, not {items[8]!r}")
    scored = [int(a) for a in items[:8]] + [int(items[8] in START_BACK_ITEM9_POSITIVE)]
    total = sum(scored)
    distress = sum(scored[4:9])
    return StartBackResult(total, distress, start_back_risk(total, distress), True)


def score_start_back_totals(total: int, distress: int) -> StartBackResult:
    """Score entered numbers: total 0-9 and distress subscale 0-5."""
    for name, value, hi in (("total", total, 9), ("distress", distress, 5)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= hi:
            raise InstrumentError(f"STarT Back {name} must be a whole number from 0 to {hi}, not {value!r}")
    if distress > total:
        raise InstrumentError("STarT Back distress subscale cannot be more than the total")
    notes = ()
    if total - distress > 4:
        notes = (f"Total {total} with distress {distress} is not possible (items 1-4 add at most 4): "
                 "check the entered scores.",)
    return StartBackResult(total, distress, start_back_risk(total, distress), False, notes)


def score_start_back(start_back: StartBack | Sequence[Any]) -> StartBackResult:
    """Score a :class:`StartBack` record (answers when present, else the entered totals) or answers."""
    if isinstance(start_back, StartBack):
        if start_back.answers is not None:
            result = score_start_back_answers(start_back.answers)
            if start_back.total is not None and start_back.total != result.total:
                result = StartBackResult(result.total, result.distress, result.risk, True, (
                    f"Entered total {start_back.total} differs from the answers ({result.total}); the answers are used.",))
            return result
        if start_back.total is None or start_back.distress is None:
            raise InstrumentError("STarT Back needs the 9 answers or both the total and the distress score")
        return score_start_back_totals(start_back.total, start_back.distress)
    return score_start_back_answers(start_back)


# --------------------------------------------------------------------------- ODI
@fast_init
@dataclass(frozen=True)
class OdiResult:
    percent: float
    band: str
    band_label: str
    answered: int | None = None  # sections answered, when scored from answers
    from_answers: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"percent": round(self.percent, 1), "band": self.band, "band_label": self.band_label,
                "answered": self.answered, "from_answers": self.from_answers, "notes": list(self.notes),
                "source": ODI_SOURCE}


def odi_percent(answers: Sequence[int | None]) -> float:
    """Percent = sum / (5 x sections answered) x 100; needs at least 8 of the 10 sections."""
    if answers is None or len(answers) != 10:
        raise InstrumentError("ODI needs the 10 section scores (0-5, or None when not answered)")
    given = []
    for n, a in enumerate(answers):
        if a is None:
            continue
        if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= 5:
            raise InstrumentError(f"ODI section {n + 1} must be a whole number from 0 to 5, not {a!r}")
        given.append(a)
    if len(given) < ODI_MIN_ANSWERED:
        raise InstrumentError(f"ODI needs at least {ODI_MIN_ANSWERED} of 10 sections answered (got {len(given)})")
    return sum(given) * 100 / (5 * len(given))  # multiply first: 9 of 45 is exactly 20.0


def odi_band(percent: float) -> tuple[str, str]:
    """(code, label) of the band. Upper limits inclusive on the unrounded value: 20 minimal, 20.5 moderate."""
    if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not math.isfinite(percent) \
            or not 0 <= percent <= 100:
        raise InstrumentError(f"ODI percent must be from 0 to 100, not {percent!r}")
    value = round(float(percent), 6)  # absorb floating-point noise only
    for limit, code, label in ODI_BANDS:
        if value <= limit:
            return code, label
    raise AssertionError("unreachable")  # pragma: no cover


def score_odi(percent: float | None = None, answers: Sequence[int | None] | None = None) -> OdiResult:
    """Score from the section answers when given, else from the entered percent."""
    if answers is not None and any(a is not None for a in answers):
        value = odi_percent(answers)
        notes = ()
        if percent is not None and abs(percent - value) > 0.5:
            notes = (f"Entered ODI {percent:g}% differs from the section scores ({value:.1f}%); the section scores are used.",)
        code, label = odi_band(value)
        return OdiResult(value, code, label, sum(a is not None for a in answers), True, notes)
    if percent is None:
        raise InstrumentError("ODI needs the percent or the section scores")
    code, label = odi_band(percent)
    return OdiResult(float(percent), code, label)


# --------------------------------------------------------------------------- RMDQ
@dataclass(frozen=True)
class RmdqResult:
    """The raw RMDQ score. No severity band: none is sourced (see rmdq.toml)."""

    score: int
    maximum: int = 24
    band: None = None
    note: str = ("No agreed severity bands for the RMDQ: the raw score is shown; judge change against the "
                 "MCID (5 points or 30%, Ostelo 2008).")

    def to_dict(self) -> dict:
        return {"score": self.score, "maximum": self.maximum, "band": None, "note": self.note, "source": RMDQ_SOURCE}


def score_rmdq(score: int) -> RmdqResult:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 24:
        raise InstrumentError(f"RMDQ must be a whole number from 0 to 24, not {score!r}")
    return RmdqResult(score)


# --------------------------------------------------------------------------- NRS
@fast_init
@dataclass(frozen=True)
class NrsDescription:
    score: int
    category: str  # none / mild / moderate / severe
    label: str

    def to_dict(self) -> dict:
        return {"score": self.score, "category": self.category, "label": self.label, "source": NRS_SOURCE}


def describe_nrs(score: int) -> NrsDescription:
    """Words for a 0-10 pain score: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe.

    The eleven descriptions are worded once, when the module loads, by :func:`_word_nrs`
    (the rule), for every score the scale has; a score is then looked up (issue 17: every
    intake and visit scores its pain; the table is the whole scale, made from the rule, and
    holds nothing of a patient)."""
    if type(score) is int and 0 <= score <= 10:
        return _NRS_DESCRIPTIONS[score]
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise InstrumentError(f"NRS must be a whole number from 0 to 10, not {score!r}")
    return _word_nrs(score)  # an int subclass (an IntEnum...): worded as before, keeping its type


def _word_nrs(score: int) -> NrsDescription:
    """The rule behind :func:`describe_nrs`, for one score of 0-10."""
    if score == 0:
        category = "none"
    elif score <= 3:
        category = "mild"
    elif score <= 6:
        category = "moderate"
    else:
        category = "severe"
    label = "No pain" if category == "none" else f"{category.capitalize()} pain"
    return NrsDescription(score, category, f"{label} ({score}/10)")


#: :func:`_word_nrs` of every score of the scale, 0 to 10 (frozen records, shared)
_NRS_DESCRIPTIONS = tuple(_word_nrs(score) for score in range(11))


# --------------------------------------------------------------------------- all together
@fast_init
@dataclass(frozen=True)
class InstrumentScores:
    """Everything the intake's questionnaires give: each part None when not recorded."""

    leg_nrs: NrsDescription | None = None
    back_nrs: NrsDescription | None = None
    start_back: StartBackResult | None = None
    odi: OdiResult | None = None
    rmdq: RmdqResult | None = None
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "leg_nrs": self.leg_nrs.to_dict() if self.leg_nrs else None,
            "back_nrs": self.back_nrs.to_dict() if self.back_nrs else None,
            "start_back": self.start_back.to_dict() if self.start_back else None,
            "odi": self.odi.to_dict() if self.odi else None,
            "rmdq": self.rmdq.to_dict() if self.rmdq else None,
            "problems": list(self.problems),
        }


def score_intake(intake) -> InstrumentScores:
    """Score an intake's NRS, STarT Back and function scores; never raises on bad scores."""
    problems: list[str] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except InstrumentError as exc:
            problems.append(str(exc))
            return None

    fs: FunctionScore = intake.function
    odi = None
    if fs.odi_percent is not None or (fs.odi_answers and any(a is not None for a in fs.odi_answers)):
        odi = attempt(score_odi, fs.odi_percent, fs.odi_answers)
    return InstrumentScores(
        leg_nrs=attempt(describe_nrs, intake.leg_nrs) if intake.leg_nrs is not None else None,
        back_nrs=attempt(describe_nrs, intake.back_nrs) if intake.back_nrs is not None else None,
        start_back=attempt(score_start_back, intake.start_back) if intake.start_back is not None else None,
        odi=odi,
        rmdq=attempt(score_rmdq, fs.rmdq) if fs.rmdq is not None else None,
        problems=tuple(problems),
    )
