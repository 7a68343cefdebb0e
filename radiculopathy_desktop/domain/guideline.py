"""The stepped guideline: reviewed data in ``resources/guidelines/``, its strict loader,
and its evaluation for one patient.

The content (steps, recommendations, sources, disagreements between the seed summaries
and the guidelines, imaging rules) lives in TOML files reviewed by clinicians; this module
only reads, checks and applies it. Loading is strict: a recommendation without a source,
a reference to an undefined source, an unknown treatment code or a duplicate id is an
error (:class:`GuidelineError`), never a silent default.

Pure Python: no Qt, no file I/O and no clock inside :func:`evaluate_pathway`.
"""

from __future__ import annotations

import dataclasses

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.vocab import Direction, ImagingDecision, Tier, most_urgent
from radiculopathy_desktop.domain.vocabulary import (PAIN_CLASSIFICATIONS, SPECIAL_CONSIDERATIONS, TAKING_NOW_LABELS,
                                                     TREATMENTS)

# --- Controlled values --------------------------------------------------------------

#: The six steps of the ladder, in order. Every profile has exactly these. Imaging comes
#: before injections and surgery: where a profile makes imaging a prerequisite of a step
#: (``[step.needs_first]``: ACP/APS 2007 keeps MRI for candidates for surgery or an epidural
#: steroid injection), the order on screen is the order of care (rd13 D13).
STEP_IDS: tuple[str, ...] = (
    "self_care",
    "non_drug",
    "medicines",
    "imaging",
    "injections",
    "surgical_opinion",
)
PHASES = ("acute", "subacute", "chronic")
TIERS = tuple(Tier)
RED_FLAG_CATEGORIES = (
    "cauda_equina",
    "infection",
    "malignancy",
    "mscc",
    "fracture",
    "severe_motor_deficit",
    "progressive_deficit",
    "upper_motor_neurone",
)
_RED_FLAG_CATEGORY_SET = frozenset(RED_FLAG_CATEGORIES)
START_BACK_RISKS = ("low", "medium", "high")
INTERVENTION_ANSWERS = ("yes", "no", "unknown")
#: How the patient is doing at the latest follow-up, in the clinic's words.
IMPROVEMENT_STATES = ("improving", "not_improving", "no_follow_up")
#: recommend / consider / do_not_offer come from the guideline's own wording;
#: not_recommended = the guideline does not recommend it (no explicit "do not offer");
#: disputed = the seed summaries and the guidelines disagree: read the disagreement.
DIRECTIONS = tuple(Direction)
#: statuses a not-offered recommendation may give its medicine rows (domain/medications.py)
MEDICINE_STATUSES = ("caution", "avoid")
#: review = tried, but a medicine of the step taken now is rated avoid, contraindicated or
#: reduce dose in the medicine table: not "done" (nothing to do) but to review (rd13 D13).
STEP_STATES = ("done", "review", "current", "next", "later", "not_applicable")
IMAGING_DECISIONS = tuple(ImagingDecision)
URGENCIES = TIERS  # an imaging rule's urgency is a triage tier
SOURCE_KINDS = ("guideline", "trial", "review", "safety_communication", "local_pathway", "seed", "regulation")
#: The clinician-facing checks (common pitfalls) each profile words and cites; the
#: conditions that raise them are in domain/pitfalls.py.
CHECK_IDS = (
    "passive_only_by_week_6",
    "opioid_before_nsaid",
    "high_risk_without_psychological",
    "prolonged_rest",
    "single_modality",
)
#: The monitoring items each profile words and cites (domain/monitoring.py applies them).
MONITORING_IDS = ("reassess", "adjust_plan", "side_effects", "reimaging", "follow_up_interval", "after_referral")
#: interval36 (H-FU-917): the keys the ``follow_up_interval`` monitoring item must have (and no other item may):
#: its numbers of days and, for each, the basis (a guideline, or "this app's default, not a guideline figure").
FOLLOW_UP_INTERVAL_KEYS = ("standard_interval_days", "standard_interval_basis", "older_max_interval_days",
                           "older_max_interval_basis")


class GuidelineError(ValueError):
    """The guideline content is invalid; the message names the file, the item and the problem."""


# --- Content objects ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A guideline, trial or seed summary as listed once in ``sources.toml``."""

    id: str
    short: str
    title: str
    organisation: str
    year: int | None
    citation: str
    kind: str
    verified: bool = True
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """One citation: a source document and the section relied on."""

    source_id: str
    guideline: str
    organisation: str
    year: int | None
    section: str
    citation: str
    kind: str
    verified: bool

    @property
    def label(self) -> str:
        return f"{self.guideline}, {self.section}"

    @property
    def is_seed(self) -> bool:
        return self.kind == "seed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "guideline": self.guideline,
            "organisation": self.organisation,
            "year": self.year,
            "section": self.section,
            "citation": self.citation,
            "kind": self.kind,
            "verified": self.verified,
        }


def _improvement(improving: bool | None) -> str:
    if improving is None:
        return "no_follow_up"
    return "improving" if improving else "not_improving"


#: :func:`_improvement` of each value ``PathwayContext.improving`` can hold (its
#: ``__post_init__`` refuses any other): the criteria's tests and words look it up rather
#: than call the function (issue 17: about 11 calls per assessment)
_IMPROVEMENT_OF = {None: _improvement(None), True: _improvement(True), False: _improvement(False)}


_IMPROVEMENT_WORDS = {
    "improving": "improving",
    "not_improving": "not improving",
    "no_follow_up": "no follow-up yet",
}
_INTERVENTION_WORDS = {
    "yes": "The patient would consider an injection or surgery",
    "no": "The patient would not consider an injection or surgery",
    "unknown": "Not yet asked whether the patient would consider an injection or surgery",
}


@dataclass(frozen=True, slots=True)
class Criteria:
    """Conditions on the patient's situation; all given conditions must hold.

    Each condition is coded once, in :data:`_CONDITIONS`: :meth:`matches` asks whether
    every given one holds, :meth:`conditions` and :meth:`explain` also word it, so the
    two can never disagree."""

    label: str = ""
    phases: frozenset[str] | None = None
    min_days_since_care_start: int | None = None
    max_days_since_care_start: int | None = None
    min_days_since_onset: int | None = None
    improvement: frozenset[str] | None = None
    start_back_risk: frozenset[str] | None = None
    would_consider_intervention: frozenset[str] | None = None
    treatments_tried_any: frozenset[str] | None = None
    red_flags_any: frozenset[str] | None = None
    red_flags_all: frozenset[str] | None = None
    tiers: frozenset[str] | None = None
    prior_lumbar_surgery: bool | None = None
    min_age: int | None = None
    pain_classification_any: frozenset[str] | None = None
    special_considerations_any: frozenset[str] | None = None
    pain_mainly_axial: bool | None = None
    #: (wanted value, condition) for each condition given, in the order of _CONDITIONS
    _given: tuple[tuple[Any, _Condition], ...] = field(init=False, repr=False, compare=False, hash=False,
                                                         default=())
    #: ``matches(ctx)``: whether every given condition holds (stops at the first that does
    #: not). One function testing only the given conditions, their ``test`` expressions
    #: joined by ``and`` in order (:func:`_matcher`), made with the criteria (once per loaded
    #: guideline) and called directly (issue 17)
    matches: Callable[[PathwayContext], bool] = field(init=False, repr=False, compare=False, hash=False,
                                                       default=None)
    #: ``explain(ctx)``: whether the criteria hold (the same verdict as ``matches``), with
    #: one sentence per condition (each condition's ``words``; none for a satisfied
    #: red_flags_all). :meth:`conditions` without keeping each result, made with ``matches``
    #: from the same test texts (the pathway explains every step for every patient)
    explain: Callable[[PathwayContext], tuple[bool, list[str]]] = field(
        init=False, repr=False, compare=False, hash=False, default=None)

    def __post_init__(self) -> None:
        given = tuple((getattr(self, c.name), c) for c in _CONDITIONS if getattr(self, c.name) is not None)
        object.__setattr__(self, "_given", given)
        matches, explain = _matcher(tuple(c.name for _, c in given))(*(w for w, _ in given))
        object.__setattr__(self, "matches", matches)
        object.__setattr__(self, "explain", explain)

    def conditions(self, ctx: PathwayContext) -> tuple[ConditionResult, ...]:
        """Each given condition for ``ctx``: whether it holds, and its sentence."""
        out = []
        for wanted, condition in self._given:
            holds = condition.holds(wanted, ctx)
            out.append(ConditionResult(condition.name, holds, condition.words(wanted, ctx, holds)))
        return tuple(out)



class ConditionResult(NamedTuple):
    """One condition of a :class:`Criteria` for one patient: its field, whether it holds,
    and its sentence (None when there is nothing to say: every required red flag present)."""

    name: str
    holds: bool
    text: str | None


class _Condition(NamedTuple):
    name: str  # the Criteria field holding what is wanted
    #: whether it holds, as an expression of ``ctx`` and ``{w}`` (what is wanted): the one
    #: definition; :attr:`holds` and every compiled `Criteria.matches` and `explain` are made from it
    test: str
    holds: Callable[[Any, PathwayContext], bool]
    words: Callable[[Any, PathwayContext, bool], str | None]


def _phase_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    return f"Phase is {ctx.phase}" + ("" if holds else f"; this applies to {_or_list(p for p in PHASES if p in wanted)} only")


def _opens_words(n: int, ctx: PathwayContext, holds: bool) -> str:
    d = ctx.days_since_care_start
    return (f"Conservative care started {_ago(d)} (at least {_weeks(n)} needed)" if holds
            else f"Conservative care started {_ago(d)}; this opens at {_weeks(n)} (day {n})")


def _closes_words(n: int, ctx: PathwayContext, holds: bool) -> str:
    d = ctx.days_since_care_start
    return f"Conservative care started {_ago(d)} (up to day {n})" if holds else f"Conservative care started {_ago(d)}, past day {n}"


def _improvement_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    words = _IMPROVEMENT_WORDS[_IMPROVEMENT_OF[ctx.improving]]
    return f"At follow-up: {words}" if holds else f"At follow-up: {words} (needed: {_wanted_improvement(wanted)})"


def _risk(ctx: PathwayContext) -> str:
    return ctx.start_back_risk or "not_recorded"


def _risk_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    risk = _risk(ctx)
    shown = "not recorded" if risk == "not_recorded" else f"{risk} risk"
    return f"STarT Back: {shown}" if holds else f"STarT Back: {shown} (needed: {_wanted_risk(wanted)})"


def _tried_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    if holds:
        return "Already tried: " + ", ".join(TREATMENTS[t] for t in sorted(wanted & ctx.treatments_tried))
    return "Not yet tried: any of " + ", ".join(TREATMENTS[t] for t in sorted(wanted))


def _flags(codes) -> str:
    return ", ".join(f.replace("_", " ") for f in sorted(codes))


def _surgery_words(_wanted: bool, ctx: PathwayContext, _holds: bool) -> str:
    if ctx.prior_lumbar_surgery is None:
        return "Previous lumbar surgery not recorded"
    return "Previous lumbar surgery" if ctx.prior_lumbar_surgery else "No previous lumbar surgery"


def _pain_class_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    if holds:
        return "Pain classified as " + " and ".join(c for c in PAIN_CLASSIFICATIONS if c in wanted & ctx.pain_classification)
    return "Pain classification: " + (" and ".join(sorted(ctx.pain_classification)) or "not recorded")


def _special_words(wanted: frozenset[str], ctx: PathwayContext, holds: bool) -> str:
    if holds:
        return "Recorded: " + ", ".join(SPECIAL_CONSIDERATIONS[c] for c in SPECIAL_CONSIDERATIONS
                                        if c in wanted & ctx.special_considerations)
    return "Not recorded: " + ", ".join(SPECIAL_CONSIDERATIONS[c] for c in sorted(wanted))


def _axial_words(_wanted: bool, ctx: PathwayContext, _holds: bool) -> str:
    if ctx.pain_mainly_axial is None:
        return "Back or leg pain score not recorded"
    return ("Back pain is rated higher than leg pain (mainly axial)" if ctx.pain_mainly_axial
            else "Leg pain is rated at least as high as back pain")


#: The names a condition's ``test`` may use besides ``ctx`` and what is wanted.
_TEST_NAMES = {"_improvement": _improvement, "_IMPROVEMENT_OF": _IMPROVEMENT_OF, "_risk": _risk}


def _condition(name: str, test: str, words: Callable[[Any, PathwayContext, bool], str | None]) -> _Condition:
    """A condition whose ``holds(w, ctx)`` is made from its ``test`` text."""
    holds = eval(f"lambda w, ctx: {test.format(w='w')}", dict(_TEST_NAMES))  # noqa: S307 (fixed text below)
    return _Condition(name, test, holds, words)


#: Every condition a Criteria can set, in the order they are explained: the one place each
#: is coded (whether it holds, and how it is worded).
_CONDITIONS: tuple[_Condition, ...] = (
    _condition("phases", "ctx.phase in {w}", _phase_words),
    _condition("min_days_since_care_start", "ctx.days_since_care_start >= {w}", _opens_words),
    _condition("max_days_since_care_start", "ctx.days_since_care_start <= {w}", _closes_words),
    _condition("min_days_since_onset", "ctx.days_since_onset >= {w}",
               lambda n, ctx, _h: f"Symptoms began {_ago(ctx.days_since_onset)} (at least {_weeks(n)} needed)"),
    _condition("improvement", "_IMPROVEMENT_OF[ctx.improving] in {w}", _improvement_words),
    _condition("start_back_risk", "_risk(ctx) in {w}", _risk_words),
    _condition("would_consider_intervention", "ctx.would_consider_intervention in {w}",
               lambda _w, ctx, _h: _INTERVENTION_WORDS[ctx.would_consider_intervention]),
    _condition("treatments_tried_any", "not {w}.isdisjoint(ctx.treatments_tried)", _tried_words),
    _condition("red_flags_any", "not {w}.isdisjoint(ctx.red_flag_categories)",
               lambda w, ctx, h: "Red flags: " + _flags(w & ctx.red_flag_categories) if h else "No matching red flag"),
    _condition("red_flags_all", "{w} <= ctx.red_flag_categories",
               lambda w, ctx, h: None if h else "Red flags not present: " + _flags(w - ctx.red_flag_categories)),
    _condition("tiers", "ctx.tier in {w}", lambda _w, ctx, _h: f"Triage tier is {ctx.tier}"),
    _condition("prior_lumbar_surgery", "ctx.prior_lumbar_surgery is {w}", _surgery_words),
    _condition("min_age", "ctx.age is not None and ctx.age >= {w}",
               lambda n, ctx, _h: f"Age {ctx.age if ctx.age is not None else 'not recorded'} (applies from {n})"),
    _condition("pain_classification_any", "not {w}.isdisjoint(ctx.pain_classification)", _pain_class_words),
    _condition("special_considerations_any", "not {w}.isdisjoint(ctx.special_considerations)", _special_words),
    _condition("pain_mainly_axial", "ctx.pain_mainly_axial is {w}", _axial_words),
)
_CONDITION_BY_NAME = {c.name: c for c in _CONDITIONS}
_MATCHERS: dict[tuple[str, ...], Callable[..., tuple[Callable, Callable]]] = {}


def _matcher(names: tuple[str, ...]) -> Callable[..., tuple[Callable, Callable]]:
    """For criteria giving the conditions ``names`` (in :data:`_CONDITIONS` order): a maker
    that takes what each wants and returns ``matches(ctx)``, the conditions' ``test`` texts
    joined by ``and`` in that order, and ``explain(ctx)``, each test's verdict with its
    condition's ``words`` in that order (issue 17: one call per criteria instead of one per
    condition). Made once per combination of conditions; the wanted values are bound as
    names (``w0``, ``w1``...), never written into the source, which is kept as
    ``__source__``."""
    make = _MATCHERS.get(names)
    if make is None:
        tests = [f"({_CONDITION_BY_NAME[name].test.format(w=f'w{i}')})" for i, name in enumerate(names)]
        explained = "".join(f"        h{i} = {test}\n"
                            f"        text = words{i}(w{i}, ctx, h{i})\n"
                            f"        if text is not None:\n"
                            f"            texts.append(text)\n" for i, test in enumerate(tests))
        source = (f"def make({', '.join(f'w{i}' for i in range(len(names)))}):\n"
                  f"    def matches(ctx):\n"
                  f"        return {' and '.join(tests) or 'True'}\n"
                  f"    def explain(ctx):\n"
                  f"        texts = []\n"
                  f"{explained}"
                  f"        return ({' and '.join(f'h{i}' for i in range(len(names))) or 'True'}), texts\n"
                  f"    return matches, explain\n")
        namespace = dict(_TEST_NAMES)
        namespace.update({f"words{i}": _CONDITION_BY_NAME[name].words for i, name in enumerate(names)})
        exec(compile(source, f"<criteria {' '.join(names) or 'none'}>", "exec"), namespace)  # noqa: S102 (text from _CONDITIONS)
        make = namespace["make"]
        make.__source__ = source
        if len(_MATCHERS) >= 4096:  # combinations come from the guideline data: a few dozen
            _MATCHERS.clear()
        _MATCHERS[names] = make
    return make


_NO_CRITERIA = Criteria()  # no condition: always holds


@lru_cache(maxsize=64)
def _wanted_improvement(wanted: frozenset[str]) -> str:
    return _or_list(_IMPROVEMENT_WORDS[s] for s in IMPROVEMENT_STATES if s in wanted)


@lru_cache(maxsize=64)
def _wanted_risk(wanted: frozenset[str]) -> str:
    return _or_list(r.replace("_", " ") for r in (*START_BACK_RISKS, "not_recorded") if r in wanted)


def _ago(days: int) -> str:
    return "today" if days == 0 else ("1 day ago" if days == 1 else f"{days} days ago")


def _weeks(days: int) -> str:
    return f"{days // 7} weeks" if days % 7 == 0 else f"{days} days"


def _or_list(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _caution_label(when: Criteria) -> str:
    """A caution's condition in words (shown in the Guideline view)."""
    parts = []
    if when.min_age is not None:
        parts.append(f"age {when.min_age} or over")
    if when.pain_classification_any is not None:
        parts.append("pain classified as " + _or_list(c for c in PAIN_CLASSIFICATIONS if c in when.pain_classification_any))
    if when.special_considerations_any is not None:
        parts.append(_or_list(SPECIAL_CONSIDERATIONS[c].split(" (")[0].lower()
                              for c in SPECIAL_CONSIDERATIONS if c in when.special_considerations_any) + " recorded")
    if when.pain_mainly_axial is not None:
        parts.append("back pain rated higher than leg pain" if when.pain_mainly_axial else "leg pain rated at least as high as back pain")
    return "When " + " and ".join(parts)


@dataclass(frozen=True, slots=True)
class Position:
    """One side of a disagreement, with who holds it and why."""

    holder: str
    stance: str
    text: str
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "stance": self.stance,
            "text": self.text,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Where the seed summaries and the guidelines (or two guidelines) differ; shown, not resolved."""

    id: str
    topic: str
    summary: str
    positions: tuple[Position, ...]
    attaches_to: tuple[str, ...]
    profiles: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "summary": self.summary,
            "attaches_to": list(self.attaches_to),
            "positions": [p.to_dict() for p in self.positions],
        }


@dataclass(frozen=True, slots=True)
class Caution:
    """A note shown with a recommendation when it applies to this patient: an age, a
    recorded pain classification, a special consideration or mainly axial pain."""

    recommendation_id: str
    text: str
    sources: tuple[Source, ...]
    min_age: int | None = None
    when: Criteria = field(default_factory=lambda: Criteria())
    evidence_note: str = ""
    verified: bool = True

    def applies(self, ctx: PathwayContext) -> bool:
        return self.when.matches(ctx)

    @property
    def applies_when(self) -> str:
        """The condition in words, for a guideline browser."""
        return self.when.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommendation_id": self.recommendation_id,
            "text": self.text,
            "applies_when": self.when.label,
            "evidence_note": self.evidence_note,
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
        }



def cited_dict(item) -> dict[str, Any]:
    """A cited dataclass as JSON: its fields in declared order, ``sources`` last (as dicts)."""
    out = {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name != "sources"}
    out["sources"] = [s.to_dict() for s in item.sources]
    return out

@dataclass(frozen=True, slots=True)
class Check:
    """A clinician-facing check for a common pitfall, worded and cited per profile."""

    id: str
    title: str
    text: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


@dataclass(frozen=True, slots=True)
class MonitoringItem:
    """What to do at follow-up (reassess, adjust, side effects, re-imaging), per profile."""

    id: str
    text: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


@dataclass(frozen=True, slots=True)
class FollowUpInterval:
    """interval36 (H-FU-917): the numbers of the ``follow_up_interval`` monitoring item, as reviewed data:
    the default gap to the next visit once the review window is open, and the longest gap for an older
    patient, each with its basis (where no guideline sets the number, the basis says it is this app's
    default, not a guideline figure). ``domain.monitoring`` reads them; the loader refuses a missing,
    zero, negative or non-whole number."""

    standard_days: int
    standard_basis: str
    older_max_days: int
    older_max_basis: str
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


@dataclass(frozen=True, slots=True)
class AlreadyTaking:
    """What a medicine recommendation becomes for a patient already taking a medicine of its
    class (``[step.recommendation.already_taking]``): a review, not a new start. The app puts
    the medicine's name, daily dose and maximum in front of ``text`` ("Already taking naproxen
    500mg bd (1000 mg/day ...): review ..."; domain/pathway_medicines.py)."""

    text: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    verified: bool = True
    #: drug classes of the medicine data that count as well, for medicines the recommendation
    #: names that have no treatment code of their own (NICE's "other antiepileptics",
    #: benzodiazepines); a test checks each is a class of the medicine data
    classes: tuple[str, ...] = ()
    #: wording29 (H-MED-563): the text when the patient takes more than one medicine of the class
    #: (three NSAIDs read "review it rather than start another NSAID"); "" ``text`` always
    text_several: str = ""
    #: pathtake (H-MED-587): the text after the medicine table's rating when the table rates a medicine
    #: taken now avoid or contraindicated for this patient ("Do not add a second NSAID."), in place of
    #: ``text`` whose review reads as if it could go on; "": ``text`` (or ``text_several``) follows it
    text_rated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


@dataclass(frozen=True, slots=True)
class Recommendation:
    id: str
    text: str
    direction: Direction
    sources: tuple[Source, ...]
    treatments: tuple[str, ...] = ()
    phases: frozenset[str] | None = None
    evidence_note: str = ""
    verified: bool = True
    cautions: tuple[Caution, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    #: the status a not-offered recommendation gives its medicine rows (default avoid; "caution" when
    #: the guideline rules out only one use, e.g. NICE: paracetamol *alone* for low back pain)
    medicine_status: str | None = None
    #: what the recommendation says to a patient already taking a medicine of its class
    already_taking: AlreadyTaking | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "direction": self.direction,
            "treatments": list(self.treatments),
            "phases": sorted(self.phases) if self.phases is not None else list(PHASES),
            "evidence_note": self.evidence_note,
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """A step that must be done before this one (``[step.needs_first]``).

    ``blocks``: the step cannot be current (or be stepped to) until the prerequisite step is
    done; otherwise ``text`` is only said beside it. ``done_text`` is said once it is done."""

    step_id: str
    blocks: bool
    text: str
    done_text: str
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step_id, "blocks": self.blocks, "text": self.text, "done_text": self.done_text,
                "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    order: int
    title: str
    summary: str
    done_when_tried: frozenset[str]
    applies_when: Criteria | None
    not_applicable_reason: str
    entry: tuple[Criteria, ...]
    recommendations: tuple[Recommendation, ...]
    sources: tuple[Source, ...]
    evidence_note: str
    disagreements: tuple[Disagreement, ...]
    #: recommendations (and their age cautions) relevant to each phase, precomputed by the loader
    recommendations_by_phase: Mapping[str, tuple[Recommendation, ...]] = field(repr=False, compare=False)
    cautions_by_phase: Mapping[str, tuple[Caution, ...]] = field(repr=False, compare=False)
    needs_first: Prerequisite | None = None
    #: ``applies_when``'s reason per condition (``reason_if_not`` given as a table), when given:
    #: a step not applicable says the reasons of the conditions that do not hold
    not_applicable_reasons: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def why_not_applicable(self, ctx: "PathwayContext") -> list[str]:
        """The sentences of a step whose ``applies_when`` does not hold for ``ctx``: each
        condition's own, then the reason (that of each condition not holding, when the data
        words them one by one)."""
        _, reasons = self.applies_when.explain(ctx)
        if not self.not_applicable_reasons:
            return [*reasons, self.not_applicable_reason]
        failed = [c.name for c in self.applies_when.conditions(ctx) if not c.holds]
        return [*reasons, *(self.not_applicable_reasons[name] for name in failed)]

    def to_dict(self) -> dict[str, Any]:
        """The step as reviewed content (all phases), for a guideline browser."""
        return {
            "id": self.id,
            "order": self.order,
            "title": self.title,
            "summary": self.summary,
            "done_when_tried": sorted(self.done_when_tried),
            "opens_when": [c.label for c in self.entry],
            "not_applicable_reason": self.not_applicable_reason,
            "needs_first": self.needs_first.to_dict() if self.needs_first else None,
            "evidence_note": self.evidence_note,
            "sources": [s.to_dict() for s in self.sources],
            "recommendations": [r.to_dict() for r in self.recommendations],
            "cautions": [c.to_dict() for r in self.recommendations for c in r.cautions],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass(frozen=True, slots=True)
class ImagingRule:
    """One imaging decision, chosen when its conditions match (first match wins)."""

    id: str
    when: Criteria
    decision: ImagingDecision
    study: str | None
    contrast: bool | None
    urgency: Tier
    reason: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    review_after_days: int | None = None
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "decision": self.decision,
            "study": self.study,
            "contrast": self.contrast,
            "urgency": self.urgency,
            "reason": self.reason,
            "evidence_note": self.evidence_note,
            "review_after_days": self.review_after_days,
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class ImagingNote:
    """Extra advice added to the imaging decision when its conditions match."""

    id: str
    when: Criteria
    text: str
    sources: tuple[Source, ...]
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Guideline:
    profile: str
    title: str
    description: str
    content_version: str
    reviewed: date
    reviewer_note: str
    steps: tuple[Step, ...]
    disagreements: tuple[Disagreement, ...]
    red_flag_imaging: tuple[ImagingRule, ...]
    routine_imaging: tuple[ImagingRule, ...]
    imaging_notes: tuple[ImagingNote, ...]
    source_documents: Mapping[str, SourceDocument] = field(repr=False, compare=False)
    checks: tuple[Check, ...] = ()
    monitoring: tuple[MonitoringItem, ...] = ()
    #: interval36 (H-FU-917): the follow-up interval's numbers (the ``follow_up_interval`` item's data)
    follow_up: FollowUpInterval | None = None

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    def monitoring_item(self, item_id: str) -> MonitoringItem:
        for m in self.monitoring:
            if m.id == item_id:
                return m
        raise KeyError(item_id)

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def recommendations(self) -> Iterable[tuple[Step, Recommendation]]:
        for s in self.steps:
            for r in s.recommendations:
                yield s, r

    def to_dict(self) -> dict[str, Any]:
        """The whole profile as reviewed content (plain JSON types)."""
        return {
            "profile": self.profile,
            "title": self.title,
            "description": self.description,
            "content_version": self.content_version,
            "reviewed": self.reviewed.isoformat(),
            "reviewer_note": self.reviewer_note,
            "steps": [s.to_dict() for s in self.steps],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "imaging": {
                "red_flag_routes": [r.to_dict() for r in self.red_flag_imaging],
                "rules": [r.to_dict() for r in self.routine_imaging],
                "notes": [n.to_dict() for n in self.imaging_notes],
            },
            "checks": [c.to_dict() for c in self.checks],
            "monitoring": [m.to_dict() for m in self.monitoring],
            # interval36 (H-FU-917): the follow-up interval's numbers and their basis
            "follow_up_interval": None if self.follow_up is None else self.follow_up.to_dict(),
        }


# --- Loader --------------------------------------------------------------------------

_MANIFEST = "manifest.toml"
_SOURCES = "sources.toml"
_DISAGREEMENTS = "disagreements.toml"


def load_guideline(profile: str, resources_dir: Path | None = None) -> Guideline:
    """Load and check one profile ("us" or "uk"); cached per profile and folder.

    ``resources_dir`` is the folder holding ``manifest.toml`` (default: the app's
    ``resources/guidelines``); the top-level resources folder is accepted too.
    """
    if resources_dir is None:
        return _load_cached(profile, _default_folder())
    folder = Path(resources_dir)
    if not (folder / _MANIFEST).is_file() and (folder / "guidelines" / _MANIFEST).is_file():
        folder = folder / "guidelines"
    return _load_cached(profile, folder.resolve())


@lru_cache(maxsize=1)
def _default_folder() -> Path:
    from radiculopathy_desktop.resources import resource_path

    return resource_path("guidelines").resolve()


def available_profiles(resources_dir: Path | None = None) -> tuple[str, ...]:
    """The profile ids the manifest lists."""
    if resources_dir is None:
        from radiculopathy_desktop.resources import resource_path

        resources_dir = resource_path("guidelines")
    manifest = _read_toml(Path(resources_dir) / _MANIFEST)
    return tuple(manifest.get("profiles", {}))


def clear_guideline_cache() -> None:
    """Forget loaded guidelines (e.g. after the resources folder changed), and what the medicine
    table worked out from them (the guideline's "do not offer" positions)."""
    from radiculopathy_desktop.domain.medications import clear_not_offered_cache

    _load_cached.cache_clear()
    _default_folder.cache_clear()
    clear_not_offered_cache()


@lru_cache(maxsize=16)
def _load_cached(profile: str, folder: Path) -> Guideline:
    return _Loader(folder).load(profile)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise GuidelineError(f"{path.name}: file not found in {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise GuidelineError(f"{path.name}: not valid TOML ({exc})") from None


class _Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    # helpers -----------------------------------------------------------------------
    @staticmethod
    def fail(file: str, where: str, problem: str) -> GuidelineError:
        return GuidelineError(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")

    def check_keys(self, file: str, where: str, table: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
        if not isinstance(table, Mapping):
            raise self.fail(file, where, "expected a table")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(file, where, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
        missing = sorted(k for k in required if k not in table or table[k] in ("", [], None))
        if missing:
            raise self.fail(file, where, f"missing {', '.join(missing)}")

    def text(self, file: str, where: str, table: Mapping[str, Any], key: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail(file, where, f"{key} must be a non-empty string")
        return " ".join(value.split()) if value else value

    def choice(self, file: str, where: str, value: Any, allowed: Iterable[str], what: str) -> str:
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(file, where, f"unknown {what} {value!r} (allowed: {', '.join(allowed)})")
        return value

    def choices(self, file: str, where: str, values: Any, allowed: Iterable[str], what: str) -> frozenset[str]:
        if not isinstance(values, list) or not values:
            raise self.fail(file, where, f"{what} must be a non-empty list")
        return frozenset(self.choice(file, where, v, allowed, what) for v in values)

    def treatments(self, file: str, where: str, values: Any) -> tuple[str, ...]:
        if not isinstance(values, list):
            raise self.fail(file, where, "treatment codes must be a list")
        for v in values:
            if v not in TREATMENTS:
                raise self.fail(file, where, f"unknown treatment code {v!r} (see domain/vocabulary.py TREATMENTS)")
        return tuple(values)

    def cite(self, file: str, where: str, refs: Any) -> tuple[Source, ...]:
        if not isinstance(refs, list) or not refs:
            raise self.fail(file, where, "has no source (every item needs sources = [\"id#section\"])")
        out = []
        for ref in refs:
            if not isinstance(ref, str) or "#" not in ref:
                raise self.fail(file, where, f"source reference {ref!r} must be \"source_id#section\"")
            sid, section = ref.split("#", 1)
            doc = self.documents.get(sid.strip())
            if doc is None:
                raise self.fail(file, where, f"dangling source reference {sid!r} (not defined in {_SOURCES})")
            if not section.strip():
                raise self.fail(file, where, f"source reference {ref!r} names no section")
            out.append(
                Source(
                    source_id=doc.id,
                    guideline=doc.short,
                    organisation=doc.organisation,
                    year=doc.year,
                    section=section.strip(),
                    citation=doc.citation,
                    kind=doc.kind,
                    verified=doc.verified,
                )
            )
        return tuple(out)

    def evidence(self, file: str, where: str, table: Mapping[str, Any]) -> tuple[str, bool]:
        note = self.text(file, where, table, "evidence_note", "")
        verified = table.get("verified", True)
        if not isinstance(verified, bool):
            raise self.fail(file, where, "verified must be true or false")
        if not verified and "[unverified" not in note.lower():
            raise self.fail(file, where, "verified = false needs an evidence_note saying [unverified] and why")
        return note, verified

    _CRITERIA_KEYS = {
        "label",
        "phases",
        "min_days_since_care_start",
        "max_days_since_care_start",
        "min_days_since_onset",
        "improvement",
        "start_back_risk",
        "would_consider_intervention",
        "treatments_tried_any",
        "red_flags_any",
        "red_flags_all",
        "tiers",
        "prior_lumbar_surgery",
        "min_age",
        "pain_classification_any",
        "special_considerations_any",
        "pain_mainly_axial",
    }

    def criteria(self, file: str, where: str, table: Mapping[str, Any], extra: set[str] = frozenset()) -> Criteria:
        self.check_keys(file, where, table, self._CRITERIA_KEYS | set(extra), set())
        kw: dict[str, Any] = {"label": self.text(file, where, table, "label", "")}
        for key in ("min_days_since_care_start", "max_days_since_care_start", "min_days_since_onset", "min_age"):
            if key in table:
                v = table[key]
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise self.fail(file, where, f"{key} must be a whole number of 0 or more")
                kw[key] = v
        enum_keys = {
            "phases": PHASES,
            "improvement": IMPROVEMENT_STATES,
            "start_back_risk": (*START_BACK_RISKS, "not_recorded"),
            "would_consider_intervention": INTERVENTION_ANSWERS,
            "red_flags_any": RED_FLAG_CATEGORIES,
            "red_flags_all": RED_FLAG_CATEGORIES,
            "tiers": TIERS,
            "pain_classification_any": tuple(PAIN_CLASSIFICATIONS),
            "special_considerations_any": tuple(SPECIAL_CONSIDERATIONS),
        }
        for key, allowed in enum_keys.items():
            if key in table:
                kw[key] = self.choices(file, where, table[key], allowed, key)
        if "treatments_tried_any" in table:
            kw["treatments_tried_any"] = frozenset(self.treatments(file, where, table["treatments_tried_any"]))
        if "prior_lumbar_surgery" in table:
            if not isinstance(table["prior_lumbar_surgery"], bool):
                raise self.fail(file, where, "prior_lumbar_surgery must be true or false")
            kw["prior_lumbar_surgery"] = table["prior_lumbar_surgery"]
        if "pain_mainly_axial" in table:
            if not isinstance(table["pain_mainly_axial"], bool):
                raise self.fail(file, where, "pain_mainly_axial must be true or false")
            kw["pain_mainly_axial"] = table["pain_mainly_axial"]
        return Criteria(**kw)

    # files ---------------------------------------------------------------------------
    def load(self, profile: str) -> Guideline:
        manifest = _read_toml(self.folder / _MANIFEST)
        self.check_keys(
            _MANIFEST, "", manifest, {"content_version", "reviewed", "reviewer_note", "profiles"},
            {"content_version", "reviewed", "profiles"},
        )
        content_version = self.text(_MANIFEST, "", manifest, "content_version")
        reviewed = manifest["reviewed"]
        if not isinstance(reviewed, date):
            raise self.fail(_MANIFEST, "", "reviewed must be a date (YYYY-MM-DD, unquoted)")
        profiles = manifest["profiles"]
        if not isinstance(profiles, Mapping):
            raise self.fail(_MANIFEST, "", "profiles must be a table of profile id -> {file, title}")
        if profile not in profiles:
            raise GuidelineError(
                f"{_MANIFEST}: unknown profile {profile!r} (available: {', '.join(sorted(profiles)) or 'none'})"
            )
        for pid, entry in profiles.items():
            self.check_keys(_MANIFEST, f"profile {pid!r}", entry, {"file", "title"}, {"file", "title"})

        self.documents = self.load_sources()
        disagreements_raw = self.load_disagreements(set(profiles))

        profile_file = profiles[profile]["file"]
        data = _read_toml(self.folder / profile_file)
        self.check_keys(
            profile_file, "", data, {"profile", "step", "imaging", "check", "monitoring"},
            {"profile", "step", "imaging", "check", "monitoring"},
        )
        head = data["profile"]
        self.check_keys(profile_file, "[profile]", head, {"id", "title", "description"}, {"id", "title"})
        if head["id"] != profile:
            raise self.fail(profile_file, "[profile]", f"id {head['id']!r} does not match the manifest's {profile!r}")

        raw_steps = data["step"]
        if not isinstance(raw_steps, list):
            raise self.fail(profile_file, "", "step must be an array of tables ([[step]])")
        ids = [s.get("id") if isinstance(s, Mapping) else None for s in raw_steps]
        seen: set[str] = set()
        for sid in ids:
            if sid in seen:
                raise self.fail(profile_file, f"step {sid!r}", "duplicate step id")
            seen.add(sid)
        if tuple(ids) != STEP_IDS:
            raise self.fail(
                profile_file, "", f"steps must be exactly {', '.join(STEP_IDS)} in that order (found: {', '.join(map(str, ids))})"
            )

        # which disagreements apply to this profile, and where they attach
        # in the profile's medicine names (uk: paracetamol; the medicine data's one naming rule, uk17)
        names = _profile_names(profile)
        mine = [_named_disagreement(d, names) for d in disagreements_raw if profile in d.profiles]
        known_targets: set[str] = set()
        for s in raw_steps:
            known_targets.add(s["id"])
            for r in s.get("recommendation", []) or []:
                if isinstance(r, Mapping) and "id" in r:
                    target = f"{s['id']}.{r['id']}"
                    if target in known_targets:
                        raise self.fail(
                            profile_file, f"step {s['id']!r} recommendation {r['id']!r}", "duplicate recommendation id"
                        )
                    known_targets.add(target)
        attached: dict[str, list[Disagreement]] = {}
        for d in mine:
            for target in d.attaches_to:
                if target not in known_targets:
                    raise self.fail(
                        _DISAGREEMENTS,
                        f"disagreement {d.id!r}",
                        f"attaches to unknown step/recommendation {target!r} in profile {profile!r} ({profile_file})",
                    )
                attached.setdefault(target, []).append(d)

        steps = tuple(
            self.load_step(profile_file, i, raw, attached) for i, raw in enumerate(raw_steps)
        )
        red_flag_imaging, routine_imaging, notes = self.load_imaging(profile_file, data["imaging"])
        checks = self.load_checks(profile_file, data["check"])
        monitoring = self.load_monitoring(profile_file, data["monitoring"])
        follow_up = self.load_follow_up(profile_file, data["monitoring"])
        return Guideline(
            profile=profile,
            title=self.text(profile_file, "[profile]", head, "title"),
            description=self.text(profile_file, "[profile]", head, "description", ""),
            content_version=content_version,
            reviewed=reviewed,
            reviewer_note=self.text(_MANIFEST, "", manifest, "reviewer_note", ""),
            steps=steps,
            disagreements=tuple(mine),
            red_flag_imaging=red_flag_imaging,
            routine_imaging=routine_imaging,
            imaging_notes=notes,
            source_documents=MappingProxyType(dict(self.documents)),
            checks=checks,
            monitoring=monitoring,
            follow_up=follow_up,
        )

    def _items(self, file: str, raw: Any, what: str, ids: tuple[str, ...]) -> list[Mapping[str, Any]]:
        if not isinstance(raw, list):
            raise self.fail(file, "", f"{what} must be an array of tables ([[{what}]])")
        found = [r.get("id") if isinstance(r, Mapping) else None for r in raw]
        for i in found:
            if i not in ids:
                raise self.fail(file, f"{what} {i!r}", f"unknown {what} id (known: {', '.join(ids)})")
        if len(set(found)) != len(found):
            raise self.fail(file, what, "duplicate id")
        missing = [i for i in ids if i not in found]
        if missing:
            raise self.fail(file, what, f"missing {', '.join(missing)} (every profile words every {what})")
        return raw

    def load_checks(self, file: str, raw: Any) -> tuple[Check, ...]:
        out = []
        for c in self._items(file, raw, "check", CHECK_IDS):
            where = f"check {c['id']!r}"
            self.check_keys(file, where, c, {"id", "title", "text", "sources", "evidence_note", "verified"},
                            {"id", "title", "text", "sources"})
            note, verified = self.evidence(file, where, c)
            out.append(Check(c["id"], self.text(file, where, c, "title"), self.text(file, where, c, "text"),
                             self.cite(file, where, c.get("sources")), note, verified))
        return tuple(sorted(out, key=lambda c: CHECK_IDS.index(c.id)))

    def load_monitoring(self, file: str, raw: Any) -> tuple[MonitoringItem, ...]:
        out = []
        for m in self._items(file, raw, "monitoring", MONITORING_IDS):
            where = f"monitoring {m['id']!r}"
            numbers = set(FOLLOW_UP_INTERVAL_KEYS) if m["id"] == "follow_up_interval" else set()
            self.check_keys(file, where, m, {"id", "text", "sources", "evidence_note", "verified"} | numbers,
                            {"id", "text", "sources"} | numbers)
            note, verified = self.evidence(file, where, m)
            out.append(MonitoringItem(m["id"], self.text(file, where, m, "text"),
                                      self.cite(file, where, m.get("sources")), note, verified))
        return tuple(sorted(out, key=lambda m: MONITORING_IDS.index(m.id)))

    def load_follow_up(self, file: str, raw: Any) -> FollowUpInterval:
        """interval36 (H-FU-917): the ``follow_up_interval`` item's numbers (already key-checked by
        :meth:`load_monitoring`): each a whole number of days above zero, each with a non-empty basis."""
        m = next(r for r in raw if r.get("id") == "follow_up_interval")
        where = "monitoring 'follow_up_interval'"
        for key in ("standard_interval_days", "older_max_interval_days"):
            value = m[key]
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise self.fail(file, where, f"{key} must be a whole number of days above zero (got {value!r})")
        return FollowUpInterval(
            m["standard_interval_days"], self.text(file, where, m, "standard_interval_basis"),
            m["older_max_interval_days"], self.text(file, where, m, "older_max_interval_basis"),
            self.cite(file, where, m.get("sources")))

    def load_sources(self) -> dict[str, SourceDocument]:
        data = _read_toml(self.folder / _SOURCES)
        self.check_keys(_SOURCES, "", data, {"source"}, {"source"})
        docs: dict[str, SourceDocument] = {}
        for raw in data["source"]:
            where = f"source {raw.get('id')!r}"
            self.check_keys(
                _SOURCES, where, raw,
                {"id", "short", "title", "organisation", "year", "citation", "kind", "verified", "note"},
                {"id", "short", "title", "organisation", "citation", "kind"},
            )
            sid = raw["id"]
            if sid in docs:
                raise self.fail(_SOURCES, where, "duplicate source id")
            kind = self.choice(_SOURCES, where, raw["kind"], SOURCE_KINDS, "kind")
            year = raw.get("year")
            if year is None and kind != "local_pathway":
                raise self.fail(_SOURCES, where, "missing year")
            if year is not None and (not isinstance(year, int) or not 1950 <= year <= 2100):
                raise self.fail(_SOURCES, where, "year must be a four-digit year")
            verified = raw.get("verified", True)
            note = self.text(_SOURCES, where, raw, "note", "")
            if verified is False and "[unverified" not in note.lower():
                raise self.fail(_SOURCES, where, "verified = false needs a note saying [unverified] and why")
            docs[sid] = SourceDocument(
                id=sid,
                short=self.text(_SOURCES, where, raw, "short"),
                title=self.text(_SOURCES, where, raw, "title"),
                organisation=self.text(_SOURCES, where, raw, "organisation"),
                year=year,
                citation=self.text(_SOURCES, where, raw, "citation"),
                kind=kind,
                verified=bool(verified),
                note=note,
            )
        return docs

    def load_disagreements(self, profiles: set[str]) -> list[Disagreement]:
        data = _read_toml(self.folder / _DISAGREEMENTS)
        self.check_keys(_DISAGREEMENTS, "", data, {"disagreement"}, {"disagreement"})
        out: list[Disagreement] = []
        seen: set[str] = set()
        for raw in data["disagreement"]:
            where = f"disagreement {raw.get('id')!r}"
            self.check_keys(
                _DISAGREEMENTS, where, raw,
                {"id", "topic", "summary", "attaches_to", "profiles", "position"},
                {"id", "topic", "summary", "attaches_to", "position"},
            )
            if raw["id"] in seen:
                raise self.fail(_DISAGREEMENTS, where, "duplicate disagreement id")
            seen.add(raw["id"])
            targets = raw["attaches_to"]
            if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise self.fail(_DISAGREEMENTS, where, "attaches_to must be a list of \"step\" or \"step.recommendation\"")
            for t in targets:
                if t.split(".", 1)[0] not in STEP_IDS:
                    raise self.fail(_DISAGREEMENTS, where, f"attaches to unknown step {t!r}")
            which = self.choices(_DISAGREEMENTS, where, raw.get("profiles", sorted(profiles)), profiles, "profile")
            positions = []
            if not isinstance(raw["position"], list) or len(raw["position"]) < 2:
                raise self.fail(_DISAGREEMENTS, where, "needs at least two positions")
            for i, p in enumerate(raw["position"], 1):
                pwhere = f"{where} position {i}"
                self.check_keys(_DISAGREEMENTS, pwhere, p, {"holder", "stance", "text", "sources"}, {"holder", "stance", "text"})
                positions.append(
                    Position(
                        holder=self.text(_DISAGREEMENTS, pwhere, p, "holder"),
                        stance=self.text(_DISAGREEMENTS, pwhere, p, "stance"),
                        text=self.text(_DISAGREEMENTS, pwhere, p, "text"),
                        sources=self.cite(_DISAGREEMENTS, pwhere, p.get("sources")),
                    )
                )
            out.append(
                Disagreement(
                    id=raw["id"],
                    topic=self.text(_DISAGREEMENTS, where, raw, "topic"),
                    summary=self.text(_DISAGREEMENTS, where, raw, "summary"),
                    positions=tuple(positions),
                    attaches_to=tuple(targets),
                    profiles=which,
                )
            )
        return out

    def load_step(self, file: str, order: int, raw: Mapping[str, Any], attached: Mapping[str, list[Disagreement]]) -> Step:
        sid = raw["id"]
        where = f"step {sid!r}"
        self.check_keys(
            file, where, raw,
            {"id", "title", "summary", "done_when_tried", "applies_when", "entry", "recommendation", "sources",
             "evidence_note", "needs_first"},
            {"id", "title", "recommendation"},
        )
        needs_first = None
        if "needs_first" in raw:
            nf, nwhere = raw["needs_first"], f"{where} needs_first"
            if not isinstance(nf, Mapping):
                raise self.fail(file, nwhere, "must be a table ([step.needs_first])")
            self.check_keys(file, nwhere, nf, {"step", "blocks", "text", "done_text", "sources"},
                            {"step", "blocks", "text", "done_text", "sources"})
            if nf["step"] not in STEP_IDS[:order]:
                raise self.fail(file, nwhere, f"step must be a step before this one ({', '.join(STEP_IDS[:order])}), "
                                              f"not {nf['step']!r}")
            if not isinstance(nf["blocks"], bool):
                raise self.fail(file, nwhere, "blocks must be true or false")
            needs_first = Prerequisite(nf["step"], nf["blocks"], self.text(file, nwhere, nf, "text"),
                                       self.text(file, nwhere, nf, "done_text"), self.cite(file, nwhere, nf["sources"]))
        sources = self.cite(file, where, raw.get("sources"))
        applies_when = None
        not_applicable_reason = ""
        reasons_by_condition: Mapping[str, str] = MappingProxyType({})
        if "applies_when" in raw:
            awhere = f"{where} applies_when"
            applies_when = self.criteria(file, awhere, raw["applies_when"], {"reason_if_not"})
            reason = raw["applies_when"].get("reason_if_not")
            if isinstance(reason, Mapping):
                # one sentence per condition (each condition of applies_when has one): the step
                # says why it is not offered by the condition that does not hold (path14: the uk
                # epidural outside the acute phase is not "the patient would not consider one")
                given = [c.name for _w, c in applies_when._given]
                self.check_keys(file, f"{awhere} reason_if_not", reason, set(given), set(given))
                reasons_by_condition = MappingProxyType(
                    {name: self.text(file, f"{awhere} reason_if_not", reason, name) for name in given})
                not_applicable_reason = " ".join(reasons_by_condition.values())
            else:
                not_applicable_reason = self.text(file, awhere, raw["applies_when"], "reason_if_not")
        entry = tuple(
            self.criteria(file, f"{where} entry {i}", e) for i, e in enumerate(raw.get("entry", []), 1)
        )
        for i, e in enumerate(entry, 1):
            if not e.label:
                raise self.fail(file, f"{where} entry {i}", "missing label (say in words when the step opens)")
        recs: list[Recommendation] = []
        rec_ids: set[str] = set()
        for r in raw["recommendation"]:
            rid = r.get("id")
            rwhere = f"{where} recommendation {rid!r}"
            self.check_keys(
                file, rwhere, r,
                {"id", "text", "direction", "sources", "treatments", "phases", "evidence_note", "verified", "caution",
                 "medicine_status", "already_taking"},
                {"id", "text", "direction"},
            )
            if rid in rec_ids:
                raise self.fail(file, rwhere, "duplicate recommendation id")
            rec_ids.add(rid)
            note, verified = self.evidence(file, rwhere, r)
            cautions = []
            for j, c in enumerate(r.get("caution", []), 1):
                cwhere = f"{rwhere} caution {j}"
                conditions = {"min_age", "pain_classification_any", "special_considerations_any", "pain_mainly_axial"}
                self.check_keys(file, cwhere, c, conditions | {"label", "text", "sources", "evidence_note", "verified"},
                                {"text"})
                if not conditions & c.keys():
                    raise self.fail(file, cwhere, f"needs a condition ({', '.join(sorted(conditions))}): "
                                                  "a caution that always applies belongs in the recommendation")
                if "min_age" in c and (not isinstance(c["min_age"], int) or isinstance(c["min_age"], bool)):
                    raise self.fail(file, cwhere, "min_age must be a whole number")
                when = self.criteria(file, cwhere, {k: v for k, v in c.items() if k in conditions | {"label"}})
                if not when.label:
                    when = replace(when, label=_caution_label(when))
                cnote, cverified = self.evidence(file, cwhere, c)
                cautions.append(
                    Caution(rid, self.text(file, cwhere, c, "text"), self.cite(file, cwhere, c.get("sources")),
                            c.get("min_age"), when, cnote, cverified)
                )
            already = None
            if "already_taking" in r:
                awhere = f"{rwhere} already_taking"
                a = r["already_taking"]
                if not isinstance(a, Mapping):
                    raise self.fail(file, awhere, "must be a table (text, sources)")
                self.check_keys(file, awhere, a, {"text", "sources", "evidence_note", "verified", "classes",
                                                     "text_several", "text_rated"},
                                {"text", "sources"})
                classes = a.get("classes", [])
                if not isinstance(classes, list) or not all(isinstance(c, str) and c for c in classes):
                    raise self.fail(file, awhere, "classes must be a list of drug class names")
                if not r.get("treatments"):
                    raise self.fail(file, awhere, "only a recommendation with treatments can say what to do "
                                                  "for a patient already taking one")
                anote, averified = self.evidence(file, awhere, a)
                already = AlreadyTaking(self.text(file, awhere, a, "text"), self.cite(file, awhere, a.get("sources")),
                                        anote, averified, tuple(classes),
                                        self.text(file, awhere, a, "text_several") if "text_several" in a else "",
                                        self.text(file, awhere, a, "text_rated") if "text_rated" in a else "")
            recs.append(
                Recommendation(
                    id=rid,
                    text=self.text(file, rwhere, r, "text"),
                    direction=Direction(self.choice(file, rwhere, r["direction"], DIRECTIONS, "direction")),
                    sources=self.cite(file, rwhere, r.get("sources")),
                    treatments=self.treatments(file, rwhere, r.get("treatments", [])),
                    phases=self.choices(file, rwhere, r["phases"], PHASES, "phase") if "phases" in r else None,
                    evidence_note=note,
                    verified=verified,
                    cautions=tuple(cautions),
                    disagreements=tuple(attached.get(f"{sid}.{rid}", ())),
                    medicine_status=(self.choice(file, rwhere, r["medicine_status"], MEDICINE_STATUSES,
                                                 "medicine_status") if "medicine_status" in r else None),
                    already_taking=already,
                )
            )
        by_phase = MappingProxyType(
            {p: tuple(r for r in recs if r.phases is None or p in r.phases) for p in PHASES}
        )
        cautions_by_phase = MappingProxyType({p: tuple(c for r in by_phase[p] for c in r.cautions) for p in PHASES})
        return Step(
            id=sid,
            order=order + 1,
            title=self.text(file, where, raw, "title"),
            summary=self.text(file, where, raw, "summary", ""),
            done_when_tried=frozenset(self.treatments(file, where, raw.get("done_when_tried", []))),
            applies_when=applies_when,
            not_applicable_reason=not_applicable_reason,
            not_applicable_reasons=reasons_by_condition,
            entry=entry,
            recommendations=tuple(recs),
            sources=sources,
            evidence_note=self.text(file, where, raw, "evidence_note", ""),
            disagreements=tuple(attached.get(sid, ())),
            recommendations_by_phase=by_phase,
            cautions_by_phase=cautions_by_phase,
            needs_first=needs_first,
        )

    def load_imaging(
        self, file: str, raw: Mapping[str, Any]
    ) -> tuple[tuple[ImagingRule, ...], tuple[ImagingRule, ...], tuple[ImagingNote, ...]]:
        self.check_keys(file, "[imaging]", raw, {"red_flag_route", "rule", "note"}, {"red_flag_route", "rule"})
        seen: set[str] = set()

        def rules(key: str) -> tuple[ImagingRule, ...]:
            out = []
            for r in raw[key]:
                where = f"imaging {key} {r.get('id')!r}"
                self.check_keys(
                    file, where, r,
                    {"id", "when", "decision", "study", "contrast", "urgency", "reason", "sources",
                     "evidence_note", "review_after_days", "verified"},
                    {"id", "decision", "urgency", "reason"},
                )
                if r["id"] in seen:
                    raise self.fail(file, where, "duplicate imaging rule id")
                seen.add(r["id"])
                decision = ImagingDecision(self.choice(file, where, r["decision"], IMAGING_DECISIONS, "decision"))
                if decision != ImagingDecision.NOT_INDICATED and not r.get("study"):
                    raise self.fail(file, where, "a rule that advises imaging must name the study")
                contrast = r.get("contrast")
                if contrast is not None and not isinstance(contrast, bool):
                    raise self.fail(file, where, "contrast must be true or false (omit it when the radiologist decides)")
                note, verified = self.evidence(file, where, r)
                out.append(
                    ImagingRule(
                        id=r["id"],
                        when=self.criteria(file, f"{where} when", r.get("when", {})),
                        decision=decision,
                        study=r.get("study"),
                        contrast=contrast,
                        urgency=Tier(self.choice(file, where, r["urgency"], URGENCIES, "urgency")),
                        reason=self.text(file, where, r, "reason"),
                        sources=self.cite(file, where, r.get("sources")),
                        evidence_note=note,
                        review_after_days=r.get("review_after_days"),
                        verified=verified,
                    )
                )
            if not out or out[-1].when != _NO_CRITERIA:
                raise self.fail(file, f"imaging {key}", "the last rule must have no conditions (the default)")
            return tuple(out)

        red = rules("red_flag_route")
        routine = rules("rule")
        notes = []
        for n in raw.get("note", []):
            where = f"imaging note {n.get('id')!r}"
            self.check_keys(file, where, n, {"id", "when", "text", "sources", "evidence_note", "verified"}, {"id", "when", "text"})
            if n["id"] in seen:
                raise self.fail(file, where, "duplicate imaging id")
            seen.add(n["id"])
            note, verified = self.evidence(file, where, n)
            notes.append(
                ImagingNote(
                    id=n["id"],
                    when=self.criteria(file, f"{where} when", n["when"]),
                    text=self.text(file, where, n, "text") + (f" ({note})" if note else ""),
                    sources=self.cite(file, where, n.get("sources")),
                    verified=verified,
                )
            )
        return red, routine, tuple(notes)


# --- Evaluation ----------------------------------------------------------------------


@fast_init
@dataclass(frozen=True, slots=True)
class PathwayContext:
    """What the ladder needs to know about one patient on one visit."""

    phase: str
    days_since_onset: int
    days_since_care_start: int
    tier: Tier = Tier.ROUTINE
    red_flag_categories: frozenset[str] = frozenset()
    start_back_risk: str | None = None
    treatments_tried: frozenset[str] = frozenset()
    improving: bool | None = None
    would_consider_intervention: str = "unknown"
    age: int | None = None
    prior_lumbar_surgery: bool | None = None
    #: treatments the patient is on now (e.g. a current NSAID from the medicine list); a step
    #: they complete is shown as "taking now" rather than "already tried"
    treatments_current: frozenset[str] = frozenset()
    #: the clinician's pain classification (vocabulary.PAIN_CLASSIFICATIONS); empty = not recorded
    pain_classification: frozenset[str] = frozenset()
    #: special considerations recorded as present (vocabulary.SPECIAL_CONSIDERATIONS)
    special_considerations: frozenset[str] = frozenset()
    #: back pain rated higher than leg pain; None when either score is not recorded
    pain_mainly_axial: bool | None = None
    #: (treatment code, words) for each medicine taken now that the medicine table rates avoid,
    #: contraindicated or reduce dose (domain/pathway_medicines.py): a step it completes is
    #: "review", not "done", and the words (naming the medicine) say why
    treatments_to_review: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # every check below runs for every context; each is a subset or membership test,
        # and the offending values are worked out only when one fails (issue 17)
        if self.phase not in PHASES:
            raise ValueError(f"phase must be one of {', '.join(PHASES)}, not {self.phase!r}")
        if type(self.tier) is not Tier:
            if self.tier not in TIERS:
                raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {self.tier!r}")
            object.__setattr__(self, "tier", Tier(self.tier))
        for name, v in (("days_since_onset", self.days_since_onset), ("days_since_care_start", self.days_since_care_start)):
            if type(v) is not int and (not isinstance(v, int) or isinstance(v, bool)) or v < 0:
                raise ValueError(f"{name} must be a whole number of days, 0 or more, not {v!r}")
        if not (type(self.red_flag_categories) is type(self.treatments_tried) is type(self.treatments_current)
                is type(self.pain_classification) is type(self.special_considerations) is frozenset):
            for name in ("red_flag_categories", "treatments_tried", "treatments_current", "pain_classification",
                         "special_considerations"):
                if type(getattr(self, name)) is not frozenset:
                    object.__setattr__(self, name, frozenset(getattr(self, name)))
        if not PAIN_CLASSIFICATIONS.keys() >= self.pain_classification:
            bad = self.pain_classification - PAIN_CLASSIFICATIONS.keys()
            raise ValueError(f"unknown pain classification: {', '.join(sorted(bad))}")
        if not SPECIAL_CONSIDERATIONS.keys() >= self.special_considerations:
            bad = self.special_considerations - SPECIAL_CONSIDERATIONS.keys()
            raise ValueError(f"unknown special consideration: {', '.join(sorted(bad))}")
        if self.pain_mainly_axial is not None and not isinstance(self.pain_mainly_axial, bool):
            raise ValueError("pain_mainly_axial must be true, false or None")
        if not self.red_flag_categories <= _RED_FLAG_CATEGORY_SET:
            bad = self.red_flag_categories - _RED_FLAG_CATEGORY_SET
            raise ValueError(f"unknown red-flag categories: {', '.join(sorted(bad))}")
        if not (TREATMENTS.keys() >= self.treatments_tried and TREATMENTS.keys() >= self.treatments_current):
            bad = (self.treatments_tried | self.treatments_current) - TREATMENTS.keys()
            raise ValueError(f"unknown treatment codes: {', '.join(sorted(bad))}")
        if self.treatments_to_review:
            if type(self.treatments_to_review) is not tuple:
                object.__setattr__(self, "treatments_to_review", tuple(self.treatments_to_review))
            for item in self.treatments_to_review:
                if (not isinstance(item, tuple) or len(item) != 2 or item[0] not in TREATMENTS
                        or not isinstance(item[1], str) or not item[1]):
                    raise ValueError(f"treatments_to_review needs (treatment code, words) pairs, not {item!r}")
        if self.start_back_risk is not None and self.start_back_risk not in START_BACK_RISKS:
            raise ValueError(f"start_back_risk must be low, medium, high or None, not {self.start_back_risk!r}")
        if self.would_consider_intervention not in INTERVENTION_ANSWERS:
            raise ValueError(
                f"would_consider_intervention must be yes, no or unknown, not {self.would_consider_intervention!r}"
            )
        if self.improving is not None and not isinstance(self.improving, bool):
            raise ValueError("improving must be true, false or None (no follow-up yet)")
        if self.age is not None and (not isinstance(self.age, int) or isinstance(self.age, bool) or not 0 <= self.age <= 130):
            raise ValueError(f"age must be a whole number of years, not {self.age!r}")


@fast_init
@dataclass(frozen=True, slots=True)
class ImagingAdvice:
    decision: ImagingDecision
    study: str | None
    contrast: bool | None
    urgency: Tier
    reason: str
    sources: tuple[Source, ...]
    rule_id: str
    evidence_note: str = ""
    review_after_days: int | None = None
    also_suspected: tuple[str, ...] = ()
    notes: tuple[ImagingNote, ...] = ()
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "study": self.study,
            "contrast": self.contrast,
            "urgency": self.urgency,
            "reason": self.reason,
            "rule_id": self.rule_id,
            "evidence_note": self.evidence_note,
            "review_after_days": self.review_after_days,
            "also_suspected": list(self.also_suspected),
            "notes": [n.to_dict() for n in self.notes],
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
        }


@fast_init
@dataclass(frozen=True, slots=True)
class StepResult:
    step: Step
    state: str
    why: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    cautions: tuple[Caution, ...] = ()

    @property
    def id(self) -> str:
        return self.step.id

    def to_dict(self) -> dict[str, Any]:
        s = self.step
        return {
            "id": s.id,
            "order": s.order,
            "title": s.title,
            "summary": s.summary,
            "state": self.state,
            "why": list(self.why),
            "evidence_note": s.evidence_note,
            "sources": [x.to_dict() for x in s.sources],
            "recommendations": [r.to_dict() for r in self.recommendations],
            "cautions": [c.to_dict() for c in self.cautions],
            "disagreements": [d.to_dict() for d in s.disagreements],
        }


@fast_init
@dataclass(frozen=True, slots=True)
class PathwayResult:
    profile: str
    content_version: str
    content_reviewed: date
    steps: tuple[StepResult, ...]
    current_step_id: str | None
    #: where the ladder resumes once red flags are dealt with (same as current when not overridden)
    resume_step_id: str | None
    overridden_by_red_flags: bool
    override_message: str
    imaging: ImagingAdvice

    def step(self, step_id: str) -> StepResult:
        for s in self.steps:
            if s.step.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def current_step(self) -> StepResult | None:
        return None if self.current_step_id is None else self.step(self.current_step_id)

    def disagreements(self) -> tuple[Disagreement, ...]:
        """Every disagreement shown anywhere in this result, once each."""
        seen: dict[str, Disagreement] = {}
        for s in self.steps:
            for d in s.step.disagreements:
                seen.setdefault(d.id, d)
            for r in s.recommendations:
                for d in r.disagreements:
                    seen.setdefault(d.id, d)
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "content_version": self.content_version,
            "content_reviewed": self.content_reviewed.isoformat(),
            "current_step_id": self.current_step_id,
            "resume_step_id": self.resume_step_id,
            "overridden_by_red_flags": self.overridden_by_red_flags,
            "override_message": self.override_message,
            "steps": [s.to_dict() for s in self.steps],
            "imaging": self.imaging.to_dict(),
        }


OVERRIDE_MESSAGE = (
    "Red flags override every step and every clock: act on the red-flag route now "
    "(see imaging and the triage actions). Return to the stepped pathway only once a "
    "serious cause has been excluded."
)


def _entry_met(step: Step, ctx: PathwayContext) -> tuple[bool, list[str]]:
    """Whether the step is indicated now, with the clinical reasons (first line: the gist)."""
    if not step.entry:
        return True, ["Suitable from the first visit"]
    unmet: list[str] = []
    for alt in step.entry:
        ok, why = alt.explain(ctx)
        if ok:
            return True, [f"Indicated: {_sentence_case(alt.label)}", *why]
        unmet.append(f"Not yet indicated; needed: {_sentence_case(alt.label)} (" + "; ".join(why) + ")")
    return False, unmet


@lru_cache(maxsize=512)  # the labels of the guideline's criteria: a fixed, small set
def _sentence_case(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2].isalpha() and not text[:2].isupper() else text


def _tried_text(tried: frozenset[str], current: frozenset[str]) -> str:
    """ "Taking now: NSAID" for what the patient is on, "Already tried: ..." for the rest."""
    now = sorted(tried & current)
    before = sorted(tried - current)
    parts = []
    if now:
        parts.append("Taking now: " + ", ".join(TAKING_NOW_LABELS.get(t, TREATMENTS[t]) for t in now))
    if before:
        parts.append("Already tried: " + ", ".join(TREATMENTS[t] for t in before))
    return "; ".join(parts)


#: the medications module, imported at the first :func:`_profile_names` call and kept: an
#: import statement of a loaded module costs thousands of machine instructions, twice per
#: assessment here (issue 17); its ``load_medicine_data`` is still read at every call
_MEDICATIONS: list = []


def _profile_names(profile: str):
    """The medicine data's naming rule for ``profile`` (drugs.toml ``[profile_names]``; uk17)."""
    if not _MEDICATIONS:
        from radiculopathy_desktop.domain import medications

        _MEDICATIONS.append(medications)
    return _MEDICATIONS[0].load_medicine_data().names_for(profile)


def _named_disagreement(d: "Disagreement", names) -> "Disagreement":
    """``d`` with its topic, summary and positions in the profile's medicine names (the cited
    documents' titles are kept as published)."""
    if not names:
        return d
    return replace(d, topic=names.text(d.topic), summary=names.text(d.summary),
                   positions=tuple(replace(p, text=names.text(p.text)) for p in d.positions))


def _review_text(step: Step, ctx: PathwayContext) -> str:
    """ "Review: gabapentin: reduce dose ..." when a medicine of ``step`` taken now is rated avoid,
    contraindicated or reduce dose; "" otherwise."""
    words = [w for code, w in ctx.treatments_to_review if code in step.done_when_tried]
    if not words:
        return ""
    return "Review: " + "; ".join(dict.fromkeys(words)) + " (see the medicine alerts)"


#: per loaded guideline (by id, the guideline kept with it so the id cannot be reused):
#: phase -> its compiled caution picker (:func:`_caution_pickers`)
_CAUTION_PICKERS: dict[int, tuple[Guideline, Mapping[str, Callable[[PathwayContext], tuple]]]] = {}


def _caution_pickers(guideline: Guideline) -> Mapping[str, Callable[[PathwayContext], tuple]]:
    """For each phase, one function of the context giving every step's cautions that apply,
    in step order (a tuple of tuples): what ``tuple(c for c in step.cautions_by_phase[phase]
    if c.when.matches(ctx))`` gives for each step, made once per loaded guideline (issue 17:
    one call per assessment instead of a comprehension per step and a ``matches`` call per
    caution). Each caution's test is its criteria's conditions' ``test`` texts joined by
    ``and`` in :data:`_CONDITIONS` order, as :func:`_matcher` writes ``matches``; the
    cautions and the wanted values are bound as names, never written into the source (kept
    as ``__source__``)."""
    found = _CAUTION_PICKERS.get(id(guideline))
    if found is not None and found[0] is guideline:
        return found[1]
    pickers: dict[str, Callable[[PathwayContext], tuple]] = {}
    for phase in PHASES:
        namespace: dict[str, Any] = dict(_TEST_NAMES)
        lines = ["def pick(ctx):"]
        results = []
        for i, step in enumerate(guideline.steps):
            cautions = step.cautions_by_phase[phase]
            if not cautions:
                results.append("()")
                continue
            lines.append(f"    s{i} = []")
            for k, caution in enumerate(cautions):
                name = f"C{i}_{k}"
                namespace[name] = caution
                tests = []
                for n, (wanted, condition) in enumerate(caution.when._given):
                    namespace[f"{name}_w{n}"] = wanted
                    tests.append(f"({condition.test.format(w=f'{name}_w{n}')})")
                lines.append(f"    if {' and '.join(tests) or 'True'}:")
                lines.append(f"        s{i}.append({name})")
            results.append(f"tuple(s{i})")
        lines.append(f"    return ({', '.join(results)}{',' if len(results) == 1 else ''})")
        source = "\n".join(lines) + "\n"
        exec(compile(source, f"<cautions {guideline.profile} {phase}>", "exec"), namespace)  # noqa: S102 (text from _CONDITIONS)
        pick = namespace["pick"]
        pick.__source__ = source
        pickers[phase] = pick
    if len(_CAUTION_PICKERS) >= 64:  # a few guidelines are ever loaded; tests load copies
        _CAUTION_PICKERS.clear()
    _CAUTION_PICKERS[id(guideline)] = (guideline, pickers)
    return pickers


#: per loaded guideline (by id, the guideline kept with it so the id cannot be reused):
#: phase -> its generated pathway evaluator (:func:`_pathway_evaluators`)
_PATHWAY_EVALUATORS: dict[int, tuple[Guideline, Mapping[str, Callable]]] = {}


def _pathway_evaluators(guideline: Guideline) -> Mapping[str, Callable]:
    """For each phase, one generated function ``evaluate(ctx, names, renames)`` giving
    ``(step results, current index, overridden)``: :func:`_evaluate_pathway_reference`'s three
    loops written out step by step for this guideline (issue 17, asm20), what is fixed for a
    step decided when the text is written (whether it has an ``applies_when``, its
    prerequisite's step and words, whether it blocks). Each statement is the reference's, in
    the same order; an ``applies_when`` is tested by its criteria's conditions' ``test``
    texts joined by ``and`` (what ``Criteria.matches`` is made from, as the caution pickers
    do). Steps, criteria, sets and words are bound as names, never written into the text
    (kept as ``__source__``)."""
    found = _PATHWAY_EVALUATORS.get(id(guideline))
    if found is not None and found[0] is guideline:
        return found[1]
    steps = guideline.steps
    n = len(steps)
    pickers = _caution_pickers(guideline)
    evaluators: dict[str, Callable] = {}
    for phase in PHASES:
        ns: dict[str, Any] = dict(_TEST_NAMES)
        ns.update({"_tried_text": _tried_text, "_entry_met": _entry_met, "_review_text": _review_text,
                   "StepResult": StepResult, "ROUTINE": Tier.ROUTINE, "OVERRIDE_MESSAGE": OVERRIDE_MESSAGE,
                   "PICK": pickers[phase]})
        L = ["def evaluate(ctx, names, renames):", "    cur = ctx.treatments_current",
             "    toc = ctx.treatments_tried | cur"]
        for i, step in enumerate(steps):
            ns[f"S{i}"] = step
            ns[f"D{i}"] = step.done_when_tried
            ns[f"REC{i}"] = step.recommendations_by_phase[phase]
            body = [f"t = D{i} & toc", "if t:", f"    d{i} = True", f"    tt{i} = _tried_text(t, cur)",
                    "else:", f"    d{i} = False", f"    tt{i} = ''", *_entry_lines(step, i, ns), f"a{i} = True"]
            if step.applies_when is None:
                L.extend("    " + x for x in body)
            else:
                tests = []
                for k, (wanted, condition) in enumerate(step.applies_when._given):
                    ns[f"S{i}_w{k}"] = wanted
                    tests.append(f"({condition.test.format(w=f'S{i}_w{k}')})")
                L.append(f"    if {' and '.join(tests) or 'True'}:")
                L.extend("        " + x for x in body)
                L.append("    else:")
                L.extend("        " + x for x in (f"a{i} = False", f"d{i} = False", f"e{i} = False", f"tt{i} = ''",
                                                  *_why_not_applicable_lines(step, i, ns)))
        for i, step in enumerate(steps):
            pre = step.needs_first
            L.append(f"    b{i} = False")
            if pre is None:
                continue
            j = STEP_IDS.index(pre.step_id)  # the loader keeps the steps in STEP_IDS order
            ns[f"P{i}_done"] = f"{steps[j].title} done: {pre.done_text}"
            L.append(f"    if a{i} and not d{i}:")
            L.append(f"        if d{j}:")
            L.append(f"            w{i} = [*w{i}, P{i}_done]")
            L.append("        else:")
            if pre.blocks:
                ns[f"P{i}_first"] = f"Needs step {steps[j].order} ({steps[j].title}) first: {pre.text}"
                L.append(f"            b{i} = True")
                L.append(f"            w{i} = [P{i}_first, *w{i}]")
            else:
                ns[f"P{i}_not_yet"] = f"Not done yet: {steps[j].title.lower()}. {pre.text}"
                L.append(f"            w{i} = [*w{i}, P{i}_not_yet]")
        # the current step: the first applicable one not done whose entry holds and that is not
        # blocked; else the latest done whose entry holds (continuing); else the first applicable
        # one not blocked
        L.append("    continuing = False")
        for k, i in enumerate(range(n)):
            L.append(f"    {'if' if k == 0 else 'elif'} a{i} and not d{i} and e{i} and not b{i}:")
            L.append(f"        current = {i}")
        L.append("    else:")
        for k, i in enumerate(range(n - 1, -1, -1)):
            L.append(f"        {'if' if k == 0 else 'elif'} a{i} and d{i} and e{i}:")
            L.append(f"            current = {i}")
            L.append("            continuing = True")
        L.append("        else:")
        for k, i in enumerate(range(n)):
            L.append(f"            {'if' if k == 0 else 'elif'} a{i} and not b{i}:")
            L.append(f"                current = {i}")
        L.append("            else:")
        L.append("                current = None")
        L.append("    overridden = ctx.tier != ROUTINE or bool(ctx.red_flag_categories)")
        L.append("    seen_next = False")
        L.append("    cautions_of = PICK(ctx)  # every step's, in one call")
        L.append("    to_review = ctx.treatments_to_review")
        for i in range(n):
            L.extend("    " + x for x in (
                f"reasons = w{i}",
                f"review = _review_text(S{i}, ctx) if d{i} and to_review else ''",
                f"if not a{i}:",
                "    state = 'not_applicable'",
                f"elif current == {i}:",
                "    state = 'current'",
                "    if continuing:",
                f"        reasons = [tt{i}, 'No later step is indicated yet: continue this step and review', *reasons]",
                "        if review:",
                "            reasons.insert(0, review)",
                "    else:",
                "        reasons = ['Not tried yet in this episode', *reasons]",
                f"elif d{i}:",
                "    state = 'review' if review else 'done'",
                f"    reasons = [review, tt{i}, *reasons] if review else [tt{i}, *reasons]",
                f"elif current is not None and {i} > current and not seen_next:",
                "    state = 'next'",
                "    seen_next = True",
                "else:",
                "    state = 'later'",
                "if overridden and state != 'done' and state != 'review':",
                "    state = 'not_applicable'",
                "    reasons = [OVERRIDE_MESSAGE, *reasons]",
                "if renames and names.mentions('\\n'.join(reasons)):",
                "    reasons = [names.text(r) for r in reasons]",
                f"r{i} = StepResult(S{i}, state, tuple(reasons), REC{i}, cautions_of[{i}])"))
        L.extend(_imaging_lines(guideline, ns))
        L.append(f"    return ({', '.join(f'r{i}' for i in range(n))}{',' if n == 1 else ''}), current, overridden, advice")
        source = "\n".join(L) + "\n"
        exec(compile(source, f"<pathway {guideline.profile} {phase}>", "exec"), ns)  # noqa: S102 (fixed text, values bound)
        evaluate = ns["evaluate"]
        evaluate.__source__ = source
        evaluators[phase] = evaluate
    if len(_PATHWAY_EVALUATORS) >= 64:  # a few guidelines are ever loaded; tests load copies
        _PATHWAY_EVALUATORS.clear()
    _PATHWAY_EVALUATORS[id(guideline)] = (guideline, evaluators)
    return evaluators


def _why_not_applicable_lines(step: Step, i: int, ns: dict[str, Any]) -> list[str]:
    """:meth:`Step.why_not_applicable` for step ``i`` written out (``w<i>``): its
    ``applies_when``'s ``explain`` called directly and the step's reason bound as a name; a
    step whose data words the reason per condition keeps the method (rare, and it needs each
    condition's verdict)."""
    if step.not_applicable_reasons:
        return [f"w{i} = S{i}.why_not_applicable(ctx)"]
    ns[f"AX{i}"] = step.applies_when.explain
    ns[f"NA{i}"] = step.not_applicable_reason
    return [f"_, why = AX{i}(ctx)", f"w{i} = [*why, NA{i}]"]


def _criteria_test(criteria: Criteria, name: str, ns: dict[str, Any]) -> str:
    """``criteria.matches(ctx)`` as an expression: its conditions' ``test`` texts joined by
    ``and`` in :data:`_CONDITIONS` order (as :func:`_matcher` writes ``matches``), the wanted
    values bound as ``<name>_w<k>``."""
    tests = []
    for k, (wanted, condition) in enumerate(criteria._given):
        ns[f"{name}_w{k}"] = wanted
        tests.append(f"({condition.test.format(w=f'{name}_w{k}')})")
    return " and ".join(tests) or "True"


def _imaging_lines(guideline: Guideline, ns: dict[str, Any]) -> list[str]:
    """:func:`advise_imaging` written out for ``guideline`` (``advice``): on the red-flag
    route every rule's test in order, the first that holds chosen and each later one that
    holds (unless it has no condition) named in ``also_suspected``; else the first routine
    rule that holds; then every note that holds. What is fixed for a rule (its
    ``also_suspected`` words, whether it has conditions) is decided when the text is
    written; rules, notes and wanted values are bound as names. With no rule holding it
    fails as :func:`advise_imaging` does (IndexError on the red-flag route, StopIteration on
    the routine one): the loaded data always ends each list with a rule for everyone."""
    ns.update({"Advice": ImagingAdvice, "most_urgent": most_urgent})
    L = ["    tier = ctx.tier", "    if ctx.red_flag_categories or tier != ROUTINE:", "        rule = None",
         "        also = []"]
    for k, r in enumerate(guideline.red_flag_imaging):
        ns[f"RF{k}"] = r
        test = _criteria_test(r.when, f"RF{k}", ns)
        L.append(f"        if {test}:")
        if r.when != _NO_CRITERIA:
            ns[f"RF{k}_also"] = f"{r.id.replace('_', ' ')}: {r.study}"
            L += ["            if rule is None:", f"                rule = RF{k}", "            else:",
                  f"                also.append(RF{k}_also)"]
        else:
            L += ["            if rule is None:", f"                rule = RF{k}"]
    L += ["        if rule is None:", "            raise IndexError('list index out of range')",
          "        also = tuple(also)", "    else:", "        also = ()"]
    for k, r in enumerate(guideline.routine_imaging):
        ns[f"RR{k}"] = r
        L += [f"        {'if' if k == 0 else 'elif'} {_criteria_test(r.when, f'RR{k}', ns)}:", f"            rule = RR{k}"]
    L += ["        else:" if guideline.routine_imaging else "        if True:", "            raise StopIteration",
          "    notes = []"]
    for k, note in enumerate(guideline.imaging_notes):
        ns[f"IN{k}"] = note
        L += [f"    if {_criteria_test(note.when, f'IN{k}', ns)}:", f"        notes.append(IN{k})"]
    L += ["    advice = Advice(decision=rule.decision, study=rule.study, contrast=rule.contrast,",
          "                     urgency=most_urgent(rule.urgency, tier), reason=rule.reason,",
          "                     sources=rule.sources, rule_id=rule.id, evidence_note=rule.evidence_note,",
          "                     review_after_days=rule.review_after_days, also_suspected=also,",
          "                     notes=tuple(notes), verified=rule.verified)"]
    return L


def _entry_lines(step: Step, i: int, ns: dict[str, Any]) -> list[str]:
    """:func:`_entry_met` for step ``i`` written out (``e<i>``, ``w<i>``): each alternative's
    ``explain`` called in turn until one holds; its sentence-cased label words bound as names."""
    if not step.entry:
        return [f"e{i} = True", f"w{i} = ['Suitable from the first visit']"]
    lines: list[str] = []
    indent = ""
    for k, alt in enumerate(step.entry):
        ns[f"X{i}_{k}"] = alt.explain
        ns[f"I{i}_{k}"] = f"Indicated: {_sentence_case(alt.label)}"
        ns[f"N{i}_{k}"] = f"Not yet indicated; needed: {_sentence_case(alt.label)} ("
        lines += [f"{indent}ok, why = X{i}_{k}(ctx)", f"{indent}if ok:", f"{indent}    e{i} = True",
                  f"{indent}    w{i} = [I{i}_{k}, *why]", f"{indent}else:"]
        joined = f"N{i}_{k} + '; '.join(why) + ')'"
        lines.append(f"{indent}    u = [{joined}]" if k == 0 else f"{indent}    u.append({joined})")
        indent += "    "
    lines += [f"{indent}e{i} = False", f"{indent}w{i} = u"]
    return lines


def evaluate_pathway(guideline: Guideline, ctx: PathwayContext) -> PathwayResult:
    """Place the patient on the ladder and give the imaging advice for this visit.

    The current step is the first applicable step not yet tried whose entry holds and whose
    blocking prerequisite (``needs_first``) is done; if there is none, the latest step already
    tried whose entry holds (continue it); else the first applicable step. A tried step is
    "done", or "review" when a medicine of it taken now is rated avoid or worse, or reduce dose.
    Evaluated by the guideline's generated function for the phase (:func:`_pathway_evaluators`;
    :func:`_evaluate_pathway_reference` is the same as loops, with :func:`advise_imaging`)."""
    names = _profile_names(guideline.profile)
    results, current, overridden, imaging = _pathway_evaluators(guideline)[ctx.phase](ctx, names, bool(names))
    resume = guideline.steps[current].id if current is not None else None
    return PathwayResult(
        profile=guideline.profile,
        content_version=guideline.content_version,
        content_reviewed=guideline.reviewed,
        steps=results,
        current_step_id=None if overridden else resume,
        resume_step_id=resume,
        overridden_by_red_flags=overridden,
        override_message=OVERRIDE_MESSAGE if overridden else "",
        imaging=imaging,
    )


def _evaluate_pathway_reference(guideline: Guideline, ctx: PathwayContext) -> PathwayResult:
    """:func:`evaluate_pathway` as loops over the steps: the reference its generated form
    (:func:`_pathway_evaluators`) is tested against (tests/domain/test_pathway_generated_issue17.py).

    The current step is the first applicable step not yet tried whose entry holds and whose
    blocking prerequisite (``needs_first``) is done; if there is none, the latest step already
    tried whose entry holds (continue it); else the first applicable step. A tried step is
    "done", or "review" when a medicine of it taken now is rated avoid or worse, or reduce dose."""
    steps = guideline.steps
    names = _profile_names(guideline.profile)
    renames = bool(names)  # asked once, not once per step
    n = len(steps)
    applicable = [True] * n
    done = [False] * n
    entry_ok = [False] * n
    blocked = [False] * n
    why: list[list[str]] = [[] for _ in range(n)]
    tried_text: list[str] = [""] * n
    tried_or_current = ctx.treatments_tried | ctx.treatments_current
    for i, step in enumerate(steps):
        if step.applies_when is not None and not step.applies_when.matches(ctx):
            applicable[i] = False
            why[i] = step.why_not_applicable(ctx)
            continue
        tried = step.done_when_tried & tried_or_current
        if tried:
            done[i] = True
            tried_text[i] = _tried_text(tried, ctx.treatments_current)
        entry_ok[i], why[i] = _entry_met(step, ctx)
    for i, step in enumerate(steps):
        pre = step.needs_first
        if pre is None or not applicable[i] or done[i]:
            continue
        j = STEP_IDS.index(pre.step_id)  # the loader keeps the steps in STEP_IDS order
        if done[j]:
            why[i] = [*why[i], f"{steps[j].title} done: {pre.done_text}"]
        elif pre.blocks:
            blocked[i] = True
            why[i] = [f"Needs step {steps[j].order} ({steps[j].title}) first: {pre.text}", *why[i]]
        else:
            why[i] = [*why[i], f"Not done yet: {steps[j].title.lower()}. {pre.text}"]

    current = next((i for i in range(n) if applicable[i] and not done[i] and entry_ok[i] and not blocked[i]), None)
    continuing = False
    if current is None:
        current = next((i for i in range(n - 1, -1, -1) if applicable[i] and done[i] and entry_ok[i]), None)
        continuing = current is not None
    if current is None:
        current = next((i for i in range(n) if applicable[i] and not blocked[i]), None)

    overridden = ctx.tier != Tier.ROUTINE or bool(ctx.red_flag_categories)
    results: list[StepResult] = []
    seen_next = False
    phase = ctx.phase
    cautions_of = _caution_pickers(guideline)[phase](ctx)  # every step's, in one call
    for i, step in enumerate(steps):
        reasons = why[i]
        review = _review_text(step, ctx) if done[i] and ctx.treatments_to_review else ""
        if not applicable[i]:
            state = "not_applicable"
        elif i == current:
            state = "current"
            if continuing:
                reasons = [tried_text[i], "No later step is indicated yet: continue this step and review", *reasons]
                if review:
                    reasons.insert(0, review)
            else:
                reasons = ["Not tried yet in this episode", *reasons]
        elif done[i]:
            state = "review" if review else "done"
            reasons = [review, tried_text[i], *reasons] if review else [tried_text[i], *reasons]
        elif current is not None and i > current and not seen_next:
            state = "next"
            seen_next = True
        else:
            state = "later"
        if overridden and state not in ("done", "review"):
            state = "not_applicable"
            reasons = [OVERRIDE_MESSAGE, *reasons]
        cautions = cautions_of[i]  # those of step.cautions_by_phase[phase] that apply (Caution.applies)
        # in the profile's medicine names (uk: paracetamol; uk17); a step none of whose reasons
        # names a renamed medicine is left as it is (one search over them; issue 17)
        if renames and names.mentions("\n".join(reasons)):
            reasons = [names.text(r) for r in reasons]
        results.append(StepResult(step, state, tuple(reasons), step.recommendations_by_phase[phase], cautions))

    resume = steps[current].id if current is not None else None
    return PathwayResult(
        profile=guideline.profile,
        content_version=guideline.content_version,
        content_reviewed=guideline.reviewed,
        steps=tuple(results),
        current_step_id=None if overridden else resume,
        resume_step_id=resume,
        overridden_by_red_flags=overridden,
        override_message=OVERRIDE_MESSAGE if overridden else "",
        imaging=advise_imaging(guideline, ctx),
    )


def advise_imaging(guideline: Guideline, ctx: PathwayContext) -> ImagingAdvice:
    """Imaging now, not now, or consider after 6 weeks; red flags take the red-flag route.

    :func:`evaluate_pathway` gives the same advice from its generated function
    (:func:`_imaging_lines`); this is the reference the tests hold it against."""
    also: tuple[str, ...] = ()
    if ctx.red_flag_categories or ctx.tier != Tier.ROUTINE:
        matched = [r for r in guideline.red_flag_imaging if r.when.matches(ctx)]
        rule = matched[0]
        also = tuple(f"{r.id.replace('_', ' ')}: {r.study}" for r in matched[1:] if r.when != _NO_CRITERIA)
    else:
        rule = next(r for r in guideline.routine_imaging if r.when.matches(ctx))
    notes = tuple(n for n in guideline.imaging_notes if n.when.matches(ctx))
    # never less urgent than the triage: e.g. infection with sepsis or a deficit is an emergency
    urgency = most_urgent(rule.urgency, ctx.tier)
    return ImagingAdvice(
        decision=rule.decision,
        study=rule.study,
        contrast=rule.contrast,
        urgency=urgency,
        reason=rule.reason,
        sources=rule.sources,
        rule_id=rule.id,
        evidence_note=rule.evidence_note,
        review_after_days=rule.review_after_days,
        also_suspected=also,
        notes=notes,
        verified=rule.verified,
    )
