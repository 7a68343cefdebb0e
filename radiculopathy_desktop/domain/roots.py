"""The likely lumbosacral root(s), L3 to S1, with the reasons in words.

The dermatome / myotome / reflex table and the weights are data:
``resources/rules/roots.toml`` (sources recorded there; REFERENCE.md "Roots").

Scoring: each finding adds points to the roots it points to (region 1, weakness of
MRC 4/5 or less 2, reduced or absent reflex 2, positive femoral stretch or SLR 1).
The root(s) with the highest score are "likely"; ties are all reported. With no
region, weakness or reflex finding the result is "undetermined" (tension tests
alone are not localising).

Usable live from the window (cheap; no I/O after the first call)::

    suggest_roots(regions, power=None, reflexes=None, femoral_stretch=None, slr=None)
    suggest_roots(intake)   # or a Case
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterable, Mapping

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, REFLEXES, SYMPTOM_REGIONS
from radiculopathy_desktop.resources import resource_path

ROOTS = ("L3", "L4", "L5", "S1")


@fast_init
@dataclass(frozen=True)
class RootCandidate:
    root: str
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"root": self.root, "score": self.score, "reasons": list(self.reasons)}


@fast_init
@dataclass(frozen=True)
class RootSuggestion:
    status: str  # "likely" or "undetermined"
    likely: tuple[str, ...]  # the top root(s); several when tied; empty when undetermined
    candidates: tuple[RootCandidate, ...]  # every root with any finding, highest score first
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.status != "likely":
            return "Root level undetermined: no localising findings."
        roots = " or ".join(self.likely)
        top = [c for c in self.candidates if c.root in self.likely]
        return f"Likely {roots}: " + "; ".join(r for c in top for r in c.reasons)

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "likely": list(self.likely),
            "summary": self.summary(),
            "candidates": [c.to_dict() for c in self.candidates],
            "notes": list(self.notes),
            "sources": list(self.sources),
        }


class RootTableError(ValueError):
    pass


@dataclass(frozen=True)
class _Table:
    weights: Mapping[str, float]
    weak_mrc_max: int
    regions: Mapping[str, Mapping[str, float]]
    non_localising: Mapping[str, str]
    muscles: Mapping[str, tuple[str, ...]]
    reflexes: Mapping[str, tuple[str, ...]]
    tension: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def load_table() -> _Table:
    with open(resource_path("rules", "roots.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return compile_table(data)


def compile_table(data: Mapping[str, Any]) -> _Table:
    sources = tuple(data.get("sources") or ())
    if not sources:
        raise RootTableError("roots.toml has no sources")

    def check_roots(where: str, roots: Iterable[str]) -> None:
        for r in roots:
            if r not in ROOTS:
                raise RootTableError(f"roots.toml {where}: unknown root {r!r}")

    for region, mapping in data["regions"].items():
        if region not in SYMPTOM_REGIONS:
            raise RootTableError(f"roots.toml regions: unknown region {region!r}")
        check_roots(f"regions.{region}", mapping)
    for muscle, roots in data["muscles"].items():
        if muscle not in MUSCLE_GROUPS:
            raise RootTableError(f"roots.toml muscles: unknown muscle {muscle!r}")
        check_roots(f"muscles.{muscle}", roots)
    for reflex, roots in data["reflexes"].items():
        if reflex not in REFLEXES:
            raise RootTableError(f"roots.toml reflexes: unknown reflex {reflex!r}")
        check_roots(f"reflexes.{reflex}", roots)
    w = data["weights"]
    return _Table(
        weights={k: float(w[k]) for k in ("region", "weakness", "reflex", "tension")},
        weak_mrc_max=int(w["weak_mrc_max"]),
        regions={k: dict(v) for k, v in data["regions"].items()},
        non_localising=dict(data.get("non_localising_regions") or {}),
        muscles={k: tuple(v) for k, v in data["muscles"].items()},
        reflexes={k: tuple(v) for k, v in data["reflexes"].items()},
        tension={k: tuple(v) for k, v in data["tension"].items()},
        sources=sources,
    )


_REGION_WORDS = {k: v.lower() for k, v in SYMPTOM_REGIONS.items()}


def suggest_roots(intake_or_regions: Any, power: Mapping[str, int] | None = None,
                  reflexes: Mapping[str, str] | None = None, femoral_stretch: str | None = None,
                  slr: str | None = None) -> RootSuggestion:
    """Suggest the likely root(s) from an Intake / Case, or from the parts directly.

    ``power``: muscle -> MRC 0-5; ``reflexes``: reflex -> normal/reduced/absent/brisk/
    not_tested; ``femoral_stretch`` and ``slr``: positive/negative/not_tested.
    """
    obj = getattr(intake_or_regions, "intake", intake_or_regions)  # a Case carries its intake
    if hasattr(obj, "regions") and hasattr(obj, "examination"):
        exam = obj.examination
        return _suggest(tuple(obj.regions), dict(exam.power), dict(exam.reflexes), exam.femoral_stretch, exam.slr)
    regions = tuple(intake_or_regions or ())
    return _suggest(regions, dict(power or {}), dict(reflexes or {}), femoral_stretch or "not_tested",
                    slr or "not_tested")


def _fmt(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 2)


def _region_findings(t: _Table) -> dict[str, tuple[tuple[str, float, str], ...]]:
    """Each region's roots with their points and reason ("lateral leg (L5 dermatome)"), from
    the table alone: worded once per loaded table, not for every patient."""
    found = t.__dict__.get("_region_findings")
    if found is None:
        found = {region: tuple((root, t.weights["region"] * fraction, f"{_REGION_WORDS.get(region, region)} ({root} dermatome)")
                               for root, fraction in mapping.items())
                 for region, mapping in t.regions.items()}
        object.__setattr__(t, "_region_findings", found)
    return found


def _suggest(regions: tuple[str, ...], power: dict[str, int], reflexes: dict[str, str],
             femoral_stretch: str, slr: str) -> RootSuggestion:
    t = load_table()
    score = dict.fromkeys(ROOTS, 0.0)
    localising = dict.fromkeys(ROOTS, 0.0)
    reasons: dict[str, list[str]] = {r: [] for r in ROOTS}
    notes: list[str] = []
    # each finding adds its points to the root's score (and, unless it is a tension sign,
    # to what localises it) with its reason, in the fixed order below

    region_findings = _region_findings(t)
    for region in regions:
        found = region_findings.get(region)
        if found:
            for root, points, reason in found:
                score[root] += points
                localising[root] += points
                reasons[root].append(reason)
        elif region in t.non_localising:
            notes.append(f"{SYMPTOM_REGIONS.get(region, region)}: not localising ({t.non_localising[region]}).")
    if power:
        weakness = t.weights["weakness"]
        for muscle in MUSCLE_GROUPS:  # fixed order: reasons read the same every time
            grade = power.get(muscle)
            if grade is None or grade > t.weak_mrc_max:
                continue
            for root in t.muscles.get(muscle, ()):
                score[root] += weakness
                localising[root] += weakness
                reasons[root].append(f"{MUSCLE_GROUPS[muscle].lower()} {grade}/5 ({root} myotome)")
    if reflexes:
        for reflex in REFLEXES:
            result = reflexes.get(reflex, "not_tested")
            if result in ("reduced", "absent"):
                for root in t.reflexes.get(reflex, ()):
                    score[root] += t.weights["reflex"]
                    localising[root] += t.weights["reflex"]
                    reasons[root].append(f"{REFLEXES[reflex].lower()} {result} ({root})")
            elif result == "brisk":
                notes.append(f"{REFLEXES[reflex]} brisk: suggests an upper motor neurone cause, not a root lesion.")
    for test, result, label in (("femoral_stretch", femoral_stretch, "femoral stretch test positive"),
                                ("slr", slr, "straight-leg raise positive")):
        if result == "positive":
            for root in t.tension.get(test, ()):
                score[root] += t.weights["tension"]  # a tension sign does not localise
                reasons[root].append(f"{label} (tensions {'/'.join(t.tension[test])})")

    # highest score first; equal scores keep the ROOTS order (a stable sort of roots taken
    # in that order)
    candidates = tuple(sorted([RootCandidate(r, _fmt(score[r]), tuple(reasons[r])) for r in ROOTS if score[r] > 0],
                              key=_candidate_score, reverse=True))
    if not any(localising.values()):
        notes.insert(0, "No region, weakness or reflex finding localises to one root.")
        return RootSuggestion("undetermined", (), candidates, tuple(notes), t.sources)
    top = max(score[r] for r in ROOTS if localising[r] > 0)
    likely = tuple(r for r in ROOTS if localising[r] > 0 and score[r] == top)
    if len(likely) > 1:
        notes.append(f"Findings point equally to {' and '.join(likely)}: more than one root may be involved, "
                     "or the pattern is not specific.")
    if "L5" in likely:
        notes.append("L5 has no reliable reflex: a normal reflex examination does not argue against L5.")
    return RootSuggestion("likely", likely, candidates, tuple(notes), t.sources)


_candidate_score = attrgetter("score")


def region_meaning(region: str) -> str:
    """What a symptom region says about the root, from the dermatome table: "L5 dermatome",
    "L3 or L4 dermatome", or why it does not localise ("common to all lower lumbar roots")."""
    t = load_table()
    roots = [r for r, weight in sorted(t.regions.get(region, {}).items(), key=lambda kv: (-kv[1], kv[0])) if weight]
    if roots:
        return f"{' or '.join(roots)} dermatome"
    if region in t.non_localising:
        return f"not localising: {t.non_localising[region]}"
    return "not localising to one root"


def region_roots_short(region: str) -> str:
    """The roots of a region for a short label ("L5", "L3/L4"), or "" when it does not localise."""
    t = load_table()
    roots = [r for r, weight in sorted(t.regions.get(region, {}).items(), key=lambda kv: (-kv[1], kv[0])) if weight]
    return "/".join(roots)
