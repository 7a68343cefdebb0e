"""The pathway evaluated by one function generated per guideline and phase (issue 17, asm20;
imaging and the not-applicable reasons written out too, asm21): the same result as the loops
it replaced (``_evaluate_pathway_reference`` with ``advise_imaging``), for every step state
the ladder has (not applicable, current, continuing, done, review, next, later, overridden,
blocked by or waiting for a prerequisite) and every imaging rule and note the contexts reach.

No clinical rule changed: these tests hold the generated form against the reference loops,
so no primary source is quoted; the outputs are pinned by the assess goldens.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import guideline as g
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import Tier

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402

PROFILES = ("us", "uk")
#: how a step's reasons begin when a prerequisite blocks or waits, a step continues, an entry
#: is met or not
PREFIXES = ("Needs step ", "Not done yet", "No later ste", "Not yet indi", "Indicated: ")


def _contexts(guideline, seed: int, count: int):
    """Contexts crossing what the steps read: phase, days since care start just below, at and
    above each step's thresholds, tier and red flags (overridden), tried and current treatments
    (done, review, continuing, prerequisites done or not), improvement, the wish for an
    intervention, age, pain classification, special considerations, mainly axial pain."""
    rng = random.Random(seed)
    codes = sorted({c for s in guideline.steps for c in s.done_when_tried})
    for _ in range(count):
        tried = frozenset(rng.sample(codes, rng.choice([0, 0, 1, 2, 3, 5, 8])))
        current = frozenset(c for c in tried if rng.random() < 0.4)
        review = tuple((c, f"{c}: reduce dose") for c in sorted(current) if rng.random() < 0.5)
        tier = rng.choices(list(Tier), [1, 1, 8])[0]
        yield g.PathwayContext(
            phase=rng.choice(g.PHASES),
            days_since_onset=rng.choice([0, 13, 14, 15, 41, 42, 43, 83, 84, 85, 400]),
            days_since_care_start=rng.choice([0, 13, 14, 15, 27, 28, 29, 41, 42, 43, 83, 84, 85, 365]),
            tier=tier,
            red_flag_categories=frozenset(rng.sample(sorted(g._RED_FLAG_CATEGORY_SET), rng.choice([0, 0, 0, 1, 2])))
            if tier is Tier.ROUTINE else frozenset(["cauda_equina"]),
            start_back_risk=rng.choice([None, *g.START_BACK_RISKS]),
            treatments_tried=tried | current,
            improving=rng.choice([None, True, False]),
            would_consider_intervention=rng.choice(g.INTERVENTION_ANSWERS),
            age=rng.choice([None, 18, 64, 65, 66, 90]),
            prior_lumbar_surgery=rng.choice([None, True, False]),
            treatments_current=current,
            pain_classification=frozenset(rng.sample(sorted(g.PAIN_CLASSIFICATIONS), rng.choice([0, 0, 1, 2]))),
            special_considerations=frozenset(rng.sample(sorted(g.SPECIAL_CONSIDERATIONS), rng.choice([0, 1, 2]))),
            pain_mainly_axial=rng.choice([None, True, False]),
            treatments_to_review=review,
        )


@pytest.mark.parametrize("profile", PROFILES)
def test_the_generated_pathway_equals_the_reference_loops_on_crossed_contexts(profile):
    guideline = g.load_guideline(profile)
    states = set()
    currents = set()
    rules, notes, why_not = set(), set(), set()
    also = False
    for ctx in _contexts(guideline, seed=31 if profile == "us" else 32, count=4000):
        got, want = g.evaluate_pathway(guideline, ctx), g._evaluate_pathway_reference(guideline, ctx)
        assert got == want, ctx
        assert got.to_dict() == want.to_dict()
        assert [s.why for s in got.steps] == [s.why for s in want.steps]  # (StepResult equality covers it too)
        states.update(s.state for s in got.steps)
        currents.add((got.current_step_id, got.resume_step_id, got.overridden_by_red_flags))
        # the reasons that say a prerequisite holds back or waits were met
        states.update(prefix for s in got.steps for w in s.why for prefix in PREFIXES if w.startswith(prefix))
        assert got.imaging == g.advise_imaging(guideline, ctx)
        assert got.imaging.to_dict() == want.imaging.to_dict()
        rules.add(got.imaging.rule_id)
        also |= bool(got.imaging.also_suspected)
        notes.update(n.id for n in got.imaging.notes)
        for step, result in zip(guideline.steps, got.steps):
            if step.applies_when is not None and not step.applies_when.matches(ctx):
                why_not.add(step.id)
                assert list(result.why)[-len(step.why_not_applicable(ctx)):] == step.why_not_applicable(ctx) \
                    or result.state == "not_applicable" and g.OVERRIDE_MESSAGE in result.why
    # every state of the ladder was met: continuing a step, a blocked step and, where the data
    # has one, a prerequisite that does not block; entries met and not met
    pres = [s.needs_first for s in guideline.steps if s.needs_first is not None]
    wanted = {"not_applicable", "current", "done", "review", "next", "later", "No later ste", "Not yet indi",
              "Indicated: "}
    wanted |= {"Needs step " if p.blocks else "Not done yet" for p in pres}
    assert wanted <= states, wanted - states
    assert len(currents) >= 10
    # imaging: every rule of both routes chosen at least once, a second red-flag rule named in
    # also_suspected, every note added; the steps with an applies_when found not applicable
    assert rules == {r.id for r in (*guideline.red_flag_imaging, *guideline.routine_imaging)}, rules
    assert also
    assert notes == {n.id for n in guideline.imaging_notes}
    assert why_not == {s.id for s in guideline.steps if s.applies_when is not None}


@pytest.mark.parametrize("profile", PROFILES)
def test_the_generated_pathway_equals_the_reference_on_the_contexts_assessments_build(profile, monkeypatch):
    """The contexts ``assess_case`` really builds for generated patients, with treatments tried
    added (the generator records none), at two dates."""
    guideline = g.load_guideline(profile)
    seen = []
    real = g.evaluate_pathway

    def spy(gl, ctx):
        seen.append(ctx)
        return real(gl, ctx)

    from radiculopathy_desktop.domain import assess as assess_module

    monkeypatch.setattr(assess_module, "evaluate_pathway", spy)
    rng = random.Random(5)
    for i, d in enumerate(generate(100, seed=41)):
        d["treatments_tried"] = [{"code": c} for c in rng.sample(
            ["nsaid", "exercise_therapy", "imaging_mri", "epidural_steroid_injection", "stay_active", "opioid"],
            i % 4)]
        case = parse_case(d)
        for as_of in (dt.date(2026, 11, 21), dt.date(2027, 6, 1)):
            assess_case(case, as_of, profile=profile)
    assert len(seen) == 200
    for ctx in seen:
        assert real(guideline, ctx) == g._evaluate_pathway_reference(guideline, ctx)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_generated_text_holds_no_value_of_the_data_and_is_made_once_per_guideline(profile):
    guideline = g.load_guideline(profile)
    evaluators = g._pathway_evaluators(guideline)
    assert set(evaluators) == set(g.PHASES)
    assert g._pathway_evaluators(guideline) is evaluators
    for phase, evaluate in evaluators.items():
        source = evaluate.__source__
        for step in guideline.steps:
            assert step.title not in source and step.id not in source
            if step.needs_first is not None:
                assert step.needs_first.text not in source
        for code in itertools.chain.from_iterable(s.done_when_tried for s in guideline.steps):
            assert f"'{code}'" not in source
        for step in guideline.steps:
            if step.not_applicable_reason:
                assert step.not_applicable_reason not in source
        for rule in (*guideline.red_flag_imaging, *guideline.routine_imaging):
            assert rule.reason not in source and f"'{rule.id}'" not in source
            if rule.study:
                assert rule.study not in source
        for note in guideline.imaging_notes:
            assert note.text not in source
    copy = g.Guideline(**{f.name: getattr(guideline, f.name) for f in g.dataclasses.fields(guideline)})
    assert g._pathway_evaluators(copy) is not evaluators  # another loaded guideline: its own functions
