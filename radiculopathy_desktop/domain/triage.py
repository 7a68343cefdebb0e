"""Red flags -> urgency tier (emergency, urgent, routine), with what to do now.

The mapping is data: ``resources/rules/red_flags.toml`` (every rule, action and
escalation carries its sources; the loader rejects one without). This module only
evaluates it.

Semantics, in the clinic's words:

* ``fired`` lists every red-flag question answered **yes** (in questionnaire order),
  plus ``"severe_motor_deficit"`` when any MRC grade is 3/5 or less. A flag can be in
  ``fired`` while the tier stays routine (night pain alone, age alone and unexplained
  weight loss alone do not escalate; the result carries a note saying so).
* ``unknown`` lists questions answered unknown (or not answered). Unknown is never
  treated as no, but does not by itself raise the tier; when a cauda-equina question
  is unknown the result leads with an "ask now" action.
* The tier is the highest tier of the rules that fired.

Contract (``followup.py`` relies on it)::

    triage(red_flags, power, *, age=None, examination=None, conditions=None) -> TriageResult

Fast without remembering patients: what evaluation needs of the rules (each rule's facts
and clauses, every "ask now" action) is worked out once when the rules load; nothing is
cached by a patient's answers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import eq, ne
from typing import Any, Mapping, NamedTuple

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.intake import Conditions, Examination
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, RED_FLAG_QUESTIONS
from radiculopathy_desktop.resources import resource_path

TIERS = tuple(Tier)  # most urgent first
CATEGORIES = frozenset({"cauda_equina", "infection", "malignancy", "mscc", "fracture",
                        "severe_motor_deficit", "progressive_deficit", "upper_motor_neurone"})
DERIVED_FACTS = frozenset({"severe_motor_deficit", "neurological_deficit", "any_neurological_deficit",
                           "radicular_pain", "upper_motor_neurone_signs", "age_over_50",
                           "osteoporosis", "diabetes", "dialysis"})
KNOWN_FACTS = frozenset(RED_FLAG_QUESTIONS) | DERIVED_FACTS
SEVERE_MRC_MAX = 3  # MRC grade at or below which weakness is "severe" (REFERENCE: MRC <= 3/5)
AGE_RISK_ABOVE = 50  # "age > 50" (ACP/APS 2007; Choosing Wisely)
_CONDITION_FACTS = ("osteoporosis", "diabetes", "dialysis")
# Short words for the cauda equina questions, for the headline's "ask now about ...".
ASK_NOW_SHORT = {
    "saddle_anaesthesia": "saddle numbness",
    "urinary_retention_or_incontinence": "bladder function",
    "faecal_incontinence_or_loss_of_rectal_sensation": "bowel function and rectal sensation",
    "new_sexual_dysfunction": "sexual function",
    "bilateral_leg_symptoms": "symptoms in both legs",
}

FACT_LABELS: dict[str, str] = {
    **RED_FLAG_QUESTIONS,
    "severe_motor_deficit": "MRC power 3/5 or less",
    "neurological_deficit": "neurological deficit (MRC 3/5 or less, or progressive)",
    "any_neurological_deficit": "neurological deficit (any weakness, a reduced or absent reflex, or sensory loss)",
    "radicular_pain": "radicular (leg) pain",
    "upper_motor_neurone_signs": "upper motor neurone signs",
    "age_over_50": "age over 50",
    "osteoporosis": "osteoporosis",
    "diabetes": "diabetes",
    "dialysis": "on dialysis (end-stage renal disease)",
}


class RuleError(ValueError):
    """The red-flag rule data is invalid (missing source, unknown fact, ...)."""


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Source:
    key: str
    guideline: str
    section: str
    year: int
    verify: bool = False
    note: str | None = None

    def citation(self) -> str:
        text = f"{self.guideline}, {self.section} ({self.year})"
        return text + (" [verify]" if self.verify else "")

    def to_dict(self) -> dict:
        out = {"key": self.key, "guideline": self.guideline, "section": self.section, "year": self.year,
               "verify": self.verify}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Action:
    """What to do now, and where that comes from."""

    text: str
    sources: tuple[Source, ...]

    def to_dict(self) -> dict:
        return {"text": self.text, "sources": [s.to_dict() for s in self.sources]}


@fast_init
@dataclass(frozen=True)
class RuleHit:
    """One rule that fired: its category, tier, headline and the reasons in words."""

    rule_id: str
    category: str
    tier: Tier
    headline: str
    reasons: tuple[str, ...]
    escalated_category: str | None = None  # e.g. "mscc" when a known cancer escalates

    def to_dict(self) -> dict:
        out = {"rule": self.rule_id, "category": self.category, "tier": self.tier,
               "headline": self.headline, "reasons": list(self.reasons)}
        if self.escalated_category:
            out["escalated_category"] = self.escalated_category
        return out


@fast_init
@dataclass(frozen=True)
class TriageResult:
    tier: Tier
    fired: tuple[str, ...]
    categories: frozenset[str]
    actions: tuple[Action, ...]
    unknown: tuple[str, ...]
    hits: tuple[RuleHit, ...] = ()
    ask_now: tuple[str, ...] = ()  # cauda-equina questions still unanswered
    notes: tuple[str, ...] = ()
    content_version: str = ""

    @property
    def is_routine(self) -> bool:
        return self.tier == Tier.ROUTINE

    @property
    def screen_not_done(self) -> bool:
        """No red-flag question answered at all."""
        return bool(self.unknown) and set(self.unknown) >= set(RED_FLAG_QUESTIONS)

    @property
    def screen_complete(self) -> bool:
        """False while a cauda equina question is unanswered (or no question is): the tier
        then rests on missing answers and is never called routine."""
        return not self.ask_now and not self.screen_not_done

    @property
    def must_ask(self) -> tuple[str, ...]:
        """The questions to ask now: the unanswered cauda equina questions, or every question
        when none was answered."""
        if self.screen_not_done:
            return tuple(q for q in RED_FLAG_QUESTIONS if q in self.unknown)
        return self.ask_now

    @property
    def tier_label(self) -> str:
        """The tier as every surface prints it: a routine tier with an incomplete screen is
        "INCOMPLETE", never "Routine"."""
        if self.tier != Tier.ROUTINE:  # how each tier is printed: Tier.label (domain/vocab.py)
            return Tier(self.tier).label
        if self.screen_not_done:
            return "INCOMPLETE: ask the red-flag questions now"
        if self.ask_now:
            return "INCOMPLETE: ask the cauda equina questions now"
        return Tier.ROUTINE.label

    def headline(self) -> str:
        top: dict[str, str] = {}  # one headline per category: the first (most specific) rule's
        for h in self.hits:
            if h.tier == self.tier:
                top.setdefault(h.category, h.headline)
        if top:
            text = "; ".join(dict.fromkeys(top.values()))
        elif self.screen_not_done:
            text = f"red-flag screen not done: none of the {len(RED_FLAG_QUESTIONS)} questions answered"
        elif self.ask_now:
            text = "red-flag screen incomplete: cauda equina questions unanswered"
        elif self.unknown:
            n = len(self.unknown)
            text = (f"no red flag in the answers given; {n} question{'s' if n > 1 else ''} unanswered "
                    "(unknown is not no)")
        else:
            text = "no red flags"
        if self.ask_now:
            text += "; ask now about " + ", ".join(ASK_NOW_SHORT.get(q, q) for q in self.ask_now)
        return text

    def to_dict(self) -> dict:
        return {
            "tier": self.tier,
            "headline": self.headline(),
            "fired": list(self.fired),
            "categories": sorted(self.categories),
            "actions": [a.to_dict() for a in self.actions],
            "unknown": list(self.unknown),
            "ask_now": list(self.ask_now),
            "screen_complete": self.screen_complete,
            "must_ask": list(self.must_ask),
            "tier_label": self.tier_label,
            "rules": [h.to_dict() for h in self.hits],
            "notes": list(self.notes),
            "content_version": self.content_version,
        }


# --------------------------------------------------------------------------- rule data
@dataclass(frozen=True)
class _Rule:
    id: str
    category: str
    tier: Tier
    headline: str
    fires_when: tuple[frozenset[str], ...]
    supporting: tuple[str, ...]
    actions: tuple[Action, ...]
    escalate_when: tuple[frozenset[str], ...]
    escalated_tier: Tier | None
    escalated_headline: str | None
    escalated_actions: tuple[Action, ...]
    escalated_category: str | None = None


@dataclass(frozen=True)
class _RuleSet:
    rules: tuple[_Rule, ...]
    ask_now_questions: tuple[str, ...]
    ask_now_text: str
    ask_now_sources: tuple[Source, ...]
    notes: Mapping[str, str]
    content_version: str
    sources: Mapping[str, Source]
    #: "Cauda equina syndrome has not been excluded": what the "ask now" action leads with,
    #: and the window's notice heads with (one wording, from the data).
    ask_now_lead: str = ""


def _fail(where: str, message: str) -> None:
    raise RuleError(f"red_flags.toml {where}: {message}")


def _sources(data: Mapping[str, Any], key: str, where: str, known: Mapping[str, Source]) -> tuple[Source, ...]:
    keys = data.get(key)
    if not keys or not isinstance(keys, list):
        _fail(where, "has no sources (every rule and action must name at least one)")
    out = []
    for k in keys:
        if k not in known:
            _fail(where, f"names an unknown source {k!r}")
        out.append(known[k])
    return tuple(out)


def _clauses(data: Mapping[str, Any], key: str, where: str) -> tuple[frozenset[str], ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(c, list) and c for c in raw):
        _fail(where, f"{key} must be a list of non-empty lists of facts")
    for clause in raw:
        for fact in clause:
            if fact not in KNOWN_FACTS:
                _fail(where, f"{key} names an unknown fact {fact!r}")
    return tuple(frozenset(c) for c in raw)


def _actions(data: Mapping[str, Any], key: str, where: str, known: Mapping[str, Source]) -> tuple[Action, ...]:
    out = []
    for n, a in enumerate(data.get(key, [])):
        text = a.get("text")
        if not isinstance(text, str) or not text.strip():
            _fail(f"{where}.{key}[{n}]", "has no text")
        out.append(Action(text.strip(), _sources(a, "sources", f"{where}.{key}[{n}]", known)))
    return tuple(out)


def compile_rules(data: Mapping[str, Any]) -> _RuleSet:
    """Validate decoded rule data and compile it; raise :class:`RuleError`."""
    known: dict[str, Source] = {}
    for key, s in (data.get("sources") or {}).items():
        if not all(isinstance(s.get(f), (str, int)) and s.get(f) != "" for f in ("guideline", "section", "year")):
            _fail(f"sources.{key}", "needs guideline, section and year")
        known[key] = Source(key, s["guideline"], s["section"], int(s["year"]), bool(s.get("verify", False)),
                            s.get("note"))
    rules = []
    seen = set()
    for n, r in enumerate(data.get("rules") or []):
        where = f"rules[{n}] ({r.get('id', '?')})"
        rid = r.get("id")
        if not rid or rid in seen:
            _fail(where, "needs a unique id")
        seen.add(rid)
        if r.get("category") not in CATEGORIES:
            _fail(where, f"category must be one of {sorted(CATEGORIES)}")
        if r.get("tier") not in TIERS:
            _fail(where, f"tier must be one of {tuple(map(str, Tier))}")
        if not r.get("headline"):
            _fail(where, "needs a headline")
        _sources(r, "sources", where, known)
        fires = _clauses(r, "fires_when", where)
        if not fires:
            _fail(where, "fires_when is empty")
        supporting = tuple(r.get("supporting", []))
        for fact in supporting:
            if fact not in KNOWN_FACTS:
                _fail(where, f"supporting names an unknown fact {fact!r}")
        actions = _actions(r, "actions", where, known)
        if not actions:
            _fail(where, "has no actions")
        escalate = _clauses(r, "escalate_when", where)
        esc_tier = r.get("escalated_tier")
        esc_actions = _actions(r, "escalated_actions", where, known)
        if escalate and (esc_tier not in TIERS or not r.get("escalated_headline") or not esc_actions):
            _fail(where, "escalate_when needs escalated_tier, escalated_headline and escalated_actions")
        esc_category = r.get("escalated_category")
        if esc_category is not None and (esc_category not in CATEGORIES or not escalate):
            _fail(where, f"escalated_category must be one of {sorted(CATEGORIES)} and needs escalate_when")
        rules.append(_Rule(rid, r["category"], Tier(r["tier"]), r["headline"], fires, supporting, actions,
                           escalate, Tier(esc_tier) if esc_tier else None, r.get("escalated_headline"), esc_actions, esc_category))
    if not rules:
        _fail("rules", "no rules")
    ask = data.get("ask_now") or {}
    questions = tuple(ask.get("questions", []))
    for q in questions:
        if q not in RED_FLAG_QUESTIONS:
            _fail("ask_now", f"unknown question {q!r}")
    ask_sources = _sources(ask, "sources", "ask_now", known)
    # The action every surface prints (assess, case, the window) leads with the same words the
    # window heads its notice with: the data holds them once, and the text must start with them.
    lead = str(ask.get("lead") or "").strip()
    text = str(ask.get("text") or "")
    if not lead or not text.startswith("{lead}") or "{questions}" not in text:
        _fail("ask_now", "needs a lead and a text that starts with {lead} and names {questions}")
    text = text.replace("{lead}", lead)
    notes = dict(data.get("notes") or {})
    _sources(notes, "sources", "notes", known)
    notes.pop("sources")
    return _RuleSet(tuple(rules), questions, text, ask_sources,
                    notes, str(data.get("content_version", "")), known, lead)


@lru_cache(maxsize=1)
def load_rules() -> _RuleSet:
    """The red-flag rules, read once from ``resources/rules/red_flags.toml``."""
    with open(resource_path("rules", "red_flags.toml"), "rb") as fh:
        return compile_rules(tomllib.load(fh))


def rule_sources() -> dict[str, Source]:
    return dict(load_rules().sources)


# --------------------------------------------------------------------------- evaluation
_QUESTION_ORDER = tuple(RED_FLAG_QUESTIONS)
_UNKNOWN_EACH = ("unknown",) * len(_QUESTION_ORDER)  # the answer of a question not in the answers
_YES_EACH = ("yes",) * len(_QUESTION_ORDER)
_NO_EACH = ("no",) * len(_QUESTION_ORDER)


def triage(red_flags: Mapping[str, str], power: Mapping[str, int], *, age: int | None = None,
           examination: Examination | None = None, conditions: Conditions | None = None,
           radicular_pain: bool | None = None) -> TriageResult:
    """The urgency tier for one set of red-flag answers and MRC grades.

    ``power`` is muscle -> MRC grade 0-5; grades in ``examination.power`` are used for
    muscles ``power`` does not mention. Answers other than "yes"/"no" count as unknown,
    as do questions missing from ``red_flags``.

    ``radicular_pain``: whether the patient has leg (radicular) pain. ``None`` (not
    said) counts as yes: this tool assesses sciatica, and unknown is never no. With a
    history of cancer, radicular pain is a neurological symptom of metastatic spinal
    cord compression (NICE NG234).
    """
    answers = list(map(red_flags.get, _QUESTION_ORDER, _UNKNOWN_EACH))  # in questionnaire order
    if "yes" in answers:
        yes = list(compress(_QUESTION_ORDER, map(eq, answers, _YES_EACH)))
        unknown = [q for q, answer in zip(_QUESTION_ORDER, answers) if answer != "yes" and answer != "no"]
    else:  # (most screens) every answer not "no" is unknown
        yes = []
        unknown = list(compress(_QUESTION_ORDER, map(ne, answers, _NO_EACH)))
    weak: list[tuple[str, int]] = []
    grades = dict(examination.power) if examination is not None else {}
    grades.update(power)
    for muscle, grade in grades.items():
        if isinstance(grade, int) and not isinstance(grade, bool) and grade <= SEVERE_MRC_MAX:
            weak.append((muscle, grade))
    support = []
    if conditions is not None:
        for name in _CONDITION_FACTS:
            if conditions.has(name) is True:
                support.append(name)
    deficits = _deficits(grades, examination)
    umn = _umn_signs(examination)
    return _evaluate(tuple(yes), tuple(unknown), tuple(sorted(weak)),
                     age is not None and age > AGE_RISK_ABOVE, tuple(support),
                     deficits, umn, radicular_pain is not False)


def same_age_risk(age_a: int | None, age_b: int | None) -> bool:
    """Whether :func:`triage` treats the two ages alike: it reads only whether the age is
    over :data:`AGE_RISK_ABOVE` (unknown is not over)."""
    return (age_a is not None and age_a > AGE_RISK_ABOVE) == (age_b is not None and age_b > AGE_RISK_ABOVE)


def _deficits(grades: Mapping[str, Any], examination: Examination | None) -> tuple[str, ...]:
    """Every neurological deficit on examination, in words: any weakness (MRC below 5), a
    reduced or absent reflex, reduced sensation."""
    out = []
    for muscle, grade in sorted(grades.items()):
        if isinstance(grade, int) and not isinstance(grade, bool) and grade < 5:
            out.append(f"{MUSCLE_GROUPS.get(muscle, muscle).lower()} {grade}/5")
    if examination is not None:
        for name, result in sorted(examination.reflexes.items()):
            if result in ("reduced", "absent"):
                out.append(f"{name} reflex {result}")
        if examination.sensation == "reduced":
            out.append("reduced sensation in the leg")
    return tuple(out)


def _umn_signs(examination: Examination | None) -> tuple[str, ...]:
    if examination is None:
        return ()
    out = [f"{name} reflex brisk" for name, result in sorted(examination.reflexes.items()) if result == "brisk"]
    if examination.plantar == "extensor":
        out.append("extensor plantar response (Babinski sign)")
    if examination.clonus == "present":
        out.append("ankle clonus")
    return tuple(out)


class _RulePlan(NamedTuple):
    """One rule as evaluation reads it, worked out once per loaded rule data."""

    rule: _Rule
    fire_facts: frozenset[str]  # every fact of every fires_when clause: disjoint -> cannot fire
    fires: tuple[tuple[frozenset[str], tuple[str, ...]], ...]  # (clause, its facts sorted)
    escalates: tuple[tuple[frozenset[str], tuple[str, ...]], ...]
    covers: frozenset[str]  # the facts that fire or support it (_rule_facts)


class _Plan(NamedTuple):
    """What :func:`_evaluate` needs of the rule data, made once when the rules load (not per
    patient): each rule's facts and clauses, and the "ask now" action for every set of
    unanswered cauda equina questions (the action's text names them in the file's order)."""

    rules: tuple[_RulePlan, ...]
    fire_facts: frozenset[str]  # every fact any rule can fire on
    covers: Mapping[str, frozenset[str]]  # rule id -> the facts that fire or support it
    ask_now_questions: tuple[str, ...]
    ask_now: Mapping[tuple[str, ...], Action]
    notes: tuple[tuple[str, str], ...]
    content_version: str


@lru_cache(maxsize=1)
def _plan() -> _Plan:
    rs = load_rules()
    rules = []
    for rule in rs.rules:
        covers = set(rule.supporting)
        for c in rule.fires_when:
            covers |= c
        rules.append(_RulePlan(rule, frozenset().union(*rule.fires_when),
                               tuple((c, tuple(sorted(c))) for c in rule.fires_when),
                               tuple((c, tuple(sorted(c))) for c in rule.escalate_when), frozenset(covers)))
    questions = rs.ask_now_questions
    ask_now = {}
    for mask in range(1, 1 << len(questions)):
        chosen = tuple(q for i, q in enumerate(questions) if mask >> i & 1)
        ask_now[chosen] = _ask_now_action(chosen, rs)
    return _Plan(tuple(rules), frozenset().union(*(p.fire_facts for p in rules)), {p.rule.id: p.covers for p in rules}, questions, ask_now, tuple(rs.notes.items()),
                 rs.content_version)


_TIER_RANK = {t: t.rank for t in Tier}


def _evaluate(yes: tuple[str, ...], unknown: tuple[str, ...], weak: tuple[tuple[str, int], ...],
              age_over_50: bool, conditions: tuple[str, ...], deficits: tuple[str, ...] = (),
              umn: tuple[str, ...] = (), radicular_pain: bool = True) -> TriageResult:
    plan = _plan()
    facts = set(yes)
    facts.update(conditions)
    if weak:
        facts.add("severe_motor_deficit")
    if weak or "progressive_neurological_deficit" in facts:
        facts.add("neurological_deficit")
    if weak or deficits or "progressive_neurological_deficit" in facts:
        facts.add("any_neurological_deficit")
    if umn:
        facts.add("upper_motor_neurone_signs")
    if radicular_pain:
        facts.add("radicular_pain")
    if age_over_50:
        facts.add("age_over_50")
    tier, hits, actions, covered = _rules_for(plan, facts, weak, deficits, umn)

    ask_now = tuple(q for q in plan.ask_now_questions if q in unknown) if unknown else ()
    if ask_now:
        actions = list(actions)
        # First thing to do, unless an emergency transfer already is: then it follows it.
        actions.insert(1 if tier == Tier.EMERGENCY else 0, plan.ask_now[ask_now])
        actions = tuple(actions)

    notes = [text for fact, text in plan.notes  # every weak risk factor the rule file has a note for
             if fact in facts and fact not in covered]
    if unknown and not ask_now:
        notes.append(f"{len(unknown)} red-flag question(s) unanswered; unknown is not no.")

    return TriageResult(
        tier=tier,
        fired=yes + (("severe_motor_deficit",) if weak else ()) + (("upper_motor_neurone_signs",) if umn else ()),
        categories=frozenset([h.category for h in hits] + [h.escalated_category for h in hits
                                                           if h.escalated_category]),
        actions=actions,
        unknown=unknown,
        hits=hits,
        ask_now=ask_now,
        notes=tuple(notes),
        content_version=plan.content_version,
    )


_NO_HITS = (Tier.ROUTINE, (), (), frozenset())


def _rules_for(plan: _Plan, facts: set[str], weak: tuple[tuple[str, int], ...], deficits: tuple[str, ...] = (),
               umn: tuple[str, ...] = ()):
    """(tier, hits most urgent first, actions, facts the fired rules cover) for one fact set.

    Within one category only the most urgent rule's actions apply: a known cancer with
    radicular pain is the MSCC emergency, and the "image within a week" advice of a
    lower-tier malignancy rule must not be printed beside it.
    """
    if plan.fire_facts.isdisjoint(facts):
        return _NO_HITS  # no rule names any of the facts (most patients)
    hits: list[RuleHit] = []
    chosen_actions: list[tuple[int, tuple[Action, ...], str]] = []
    covered: set[str] = set()
    for p in plan.rules:
        if p.fire_facts.isdisjoint(facts):
            continue  # no clause can hold
        for clause, clause_facts in p.fires:
            if clause <= facts:
                break
        else:
            continue
        rule = p.rule
        tier, headline, rule_actions = rule.tier, rule.headline, rule.actions
        escalated_facts = None
        for escalation, sorted_facts in p.escalates:
            if escalation <= facts:
                escalated_facts = sorted_facts
                tier, headline, rule_actions = rule.escalated_tier, rule.escalated_headline, rule.escalated_actions
                break
        reasons = [_describe(f, weak, deficits, umn) for f in clause_facts]
        if escalated_facts is not None:
            reasons += [_describe(f, weak, deficits, umn) for f in escalated_facts]
        reasons += [f"supporting: {_describe(f, weak, deficits, umn)}" for f in rule.supporting
                    if f in facts and f not in clause]
        covered |= p.covers
        hits.append(RuleHit(rule.id, rule.category, tier, headline, tuple(dict.fromkeys(reasons)),
                            rule.escalated_category if escalated_facts is not None else None))
        chosen_actions.append((_TIER_RANK[tier], rule_actions, rule.category))
    if not hits:
        return _NO_HITS
    top_in_category: dict[str, int] = {}
    for rank, _, category in chosen_actions:
        top_in_category[category] = min(rank, top_in_category.get(category, rank))
    chosen = [(rank, group) for rank, group, category in chosen_actions if rank == top_in_category[category]]
    tier = min((h.tier for h in hits), key=_TIER_RANK.__getitem__)
    # Actions: the most urgent rules first (stable: data order within a tier); each once.
    actions: list[Action] = []
    seen: set[int] = set()
    for _, group in sorted(chosen, key=lambda x: x[0]):
        for a in group:
            if id(a) not in seen:
                seen.add(id(a))
                actions.append(a)
    hits.sort(key=lambda h: _TIER_RANK[h.tier])
    return tier, tuple(hits), tuple(actions), frozenset(covered)


def ask_now_action(result: TriageResult) -> Action | None:
    """The rule data's "ask now" action of ``result`` (it leads with the data's lead, "Cauda
    equina syndrome has not been excluded"), or None when no cauda equina question is unanswered."""
    if not result.ask_now:
        return None
    lead = load_rules().ask_now_lead
    return next((a for a in result.actions if a.text.startswith(lead)), None)


def _ask_now_action(questions: tuple[str, ...], rs: _RuleSet) -> Action:
    listed = "; ".join(RED_FLAG_QUESTIONS[q].lower() for q in questions)
    return Action(rs.ask_now_text.format(questions=listed), rs.ask_now_sources)


def _rule_facts(rule_id: str) -> frozenset[str]:
    """Facts that fired or supported a rule (for deciding which notes still apply)."""
    return _plan().covers[rule_id]


def _describe(fact: str, weak: tuple[tuple[str, int], ...], deficits: tuple[str, ...] = (),
              umn: tuple[str, ...] = ()) -> str:
    if fact == "severe_motor_deficit" and weak:
        return ", ".join(f"{MUSCLE_GROUPS.get(m, m).lower()} {g}/5" for m, g in weak) + " (MRC 3/5 or less)"
    if fact == "any_neurological_deficit" and deficits:
        return "neurological deficit: " + ", ".join(deficits)
    if fact == "upper_motor_neurone_signs" and umn:
        return "upper motor neurone signs: " + ", ".join(umn)
    return FACT_LABELS.get(fact, fact)


def has_radicular_pain(intake) -> bool:
    """Leg pain recorded: a leg NRS above 0 or any symptom region marked."""
    return bool(intake.leg_nrs) or bool(intake.regions)


def triage_intake(intake) -> TriageResult:
    """Triage an :class:`~radiculopathy_desktop.domain.intake.Intake` on its visit date."""
    return triage(intake.red_flags, intake.examination.power, age=intake.patient.age_on(intake.visit_date),
                  examination=intake.examination, conditions=intake.conditions,
                  radicular_pain=has_radicular_pain(intake))


def escalating_flags(result: TriageResult) -> frozenset[str]:
    """The fired facts that raised the tier (e.g. not night pain alone).

    The surgical-review rule uses this to decide whether a later visit brought a new
    red flag that needs a new decision.
    """
    if result.tier == Tier.ROUTINE:
        return frozenset()
    covered: set[str] = set()
    for hit in result.hits:
        if hit.tier != Tier.ROUTINE:
            covered |= _rule_facts(hit.rule_id)
    return frozenset(f for f in result.fired if f in covered)


# --------------------------------------------------------------------------- one case, one re-screen
def triage_case(case, day, *, red_flags: Mapping[str, str] | None = None,
                power: Mapping[str, int] | None = None) -> TriageResult:
    """The engine's triage of a :class:`~radiculopathy_desktop.domain.intake.Case` on ``day``.

    The red-flag answers and MRC grades standing on ``day`` (the intake updated by
    visits, :meth:`Case.red_flags_as_of` / :meth:`Case.power_as_of`) unless given, the age
    on ``day``, the intake's examination (reflexes, sensation, upper motor neurone signs)
    and conditions, and whether there is leg pain. The assessment, the summary, the
    surgical-review status and the visit dialog all triage through here, so they cannot
    disagree on what the examination or the conditions add.
    """
    return triage_intake_on(case.intake, day, case.red_flags_as_of(day) if red_flags is None else red_flags,
                            case.power_as_of(day) if power is None else power)


def triage_intake_on(intake, day, red_flags: Mapping[str, str], power: Mapping[str, int]) -> TriageResult:
    """:func:`triage_case` with the answers and grades given: what it reads of the intake
    (the age on ``day``, the examination, the conditions, whether there is leg pain)."""
    return triage(red_flags, power, age=intake.patient.age_on(day), examination=intake.examination,
                  conditions=intake.conditions, radicular_pain=has_radicular_pain(intake))


@dataclass(frozen=True)
class Rescreen:
    """A red-flag re-screen at a follow-up visit, before it is saved."""

    day: Any  # datetime.date of the visit
    standing: Mapping[str, str]  # the answers standing from earlier records on ``day``
    answers: Mapping[str, str]  # what stands once this visit's answers are added
    asked: Mapping[str, str]  # the questions answered at this visit
    before: TriageResult  # the case's triage without this visit's answers
    result: TriageResult  # the case's triage with them: what the assessment will say once saved

    @property
    def standing_yes(self) -> tuple[str, ...]:
        """The questions answered yes on earlier records (questionnaire order)."""
        return tuple(q for q in _QUESTION_ORDER if self.standing.get(q) == "yes")

    @property
    def answered_yes(self) -> bool:
        """Whether any question was answered yes at this visit."""
        return "yes" in self.asked.values()

    graded_weaker: tuple[str, ...] = ()  # muscles graded MRC 3 or less at this visit, weaker than before

    @property
    def new_escalation(self) -> frozenset[str]:
        """Red flags that raise the tier now and did not before this visit's answers."""
        return escalating_flags(self.result) - escalating_flags(self.before)

    @property
    def reports_deficit(self) -> bool:
        """Whether this visit reports a severe motor deficit (a muscle graded MRC 3 or less,
        weaker than its grade before): reported anew, as a "yes" answered again is (the
        follow-up rule, rt12 F10), so the dialog says what to do now before it is saved."""
        return bool(self.graded_weaker) and "severe_motor_deficit" in escalating_flags(self.result)

    @property
    def cleared(self) -> tuple[str, ...]:
        """Questions answered yes on earlier records and "no" at this visit whose flag raised
        the tier before and no longer does: what saving this visit clears (gp14 G16)."""
        lowered = escalating_flags(self.before) - escalating_flags(self.result)
        return tuple(q for q in _QUESTION_ORDER if q in lowered and self.asked.get(q) == "no")


def rescreen(case, day, answers: Mapping[str, str], power: Mapping[str, int] | None = None) -> Rescreen:
    """What a re-screen at a visit on ``day`` means for ``case``, with ``answers`` the
    questions asked again (yes / no / unknown; questions not asked are left out) and
    ``power`` the MRC grades recorded at the visit (muscles not graded are left out).

    The answers are added by the one rule of which red flags stand
    (:func:`~radiculopathy_desktop.domain.intake.answers_after_rescreen`), the grades over
    those standing, and triaged by :func:`triage_case` with the case's examination and
    conditions: what the visit dialog shows is what the assessment says once the visit is
    saved.
    """
    from radiculopathy_desktop.domain.intake import answers_after_rescreen
    standing = case.red_flags_as_of(day)
    merged = answers_after_rescreen(standing, answers)
    before_power = case.power_as_of(day)
    grades = dict(power or {})
    weaker = tuple(m for m, g in grades.items() if g <= 3 and g < before_power.get(m, 6))
    after_power = {**before_power, **grades}
    return Rescreen(day, standing, merged, dict(answers), triage_case(case, day, red_flags=standing),
                    triage_case(case, day, red_flags=merged, power=after_power), weaker)


def triage_draft(data: Mapping[str, Any]) -> TriageResult:
    """The engine's triage of an intake still being entered (a partial case-JSON dict).

    Reads what has been entered so far (:func:`~radiculopathy_desktop.domain.intake.read_intake_draft`):
    the answers, the examination, the conditions, the age and the leg pain, triaged as
    :func:`triage_intake` triages the saved intake, so the wizard's banner says what the
    assessment will say once examination findings are entered.
    """
    from radiculopathy_desktop.domain.intake import read_intake_draft
    d = read_intake_draft(data)
    return triage(d.red_flags, d.examination.power, age=d.age, examination=d.examination,
                  conditions=d.conditions, radicular_pain=d.radicular_pain)


# --------------------------------------------------------------------------- grouping the questions
#: Group captions for the triage rule categories (resources/rules/red_flags.toml).
RED_FLAG_GROUP_TITLES = {
    "cauda_equina": "Cauda equina syndrome",
    "progressive_deficit": "Progressive neurological deficit",
    "severe_motor_deficit": "Progressive neurological deficit",
    "infection": "Spinal infection",
    "malignancy": "Cancer",
    "fracture": "Vertebral fracture",
}
OTHER_RED_FLAGS = "Other red flags"


def question_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every red-flag question, grouped by the condition it screens for: (caption, questions).

    A question belongs to the category of the first triage rule that it can fire
    (the rule data decides, so a new question lands in its group without code).
    Groups and the questions in them keep the questionnaire order; a question no
    rule fires on goes to "Other red flags", so none is ever left out.
    """
    category: dict[str, str] = {}
    for rule in load_rules().rules:
        for clause in rule.fires_when:
            for fact in clause:
                if fact in RED_FLAG_QUESTIONS:
                    category.setdefault(fact, rule.category)
    groups: dict[str, list[str]] = {}
    for key in _QUESTION_ORDER:
        title = RED_FLAG_GROUP_TITLES.get(category.get(key, ""), OTHER_RED_FLAGS)
        groups.setdefault(title, []).append(key)
    return tuple((title, tuple(keys)) for title, keys in groups.items())
