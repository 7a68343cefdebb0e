"""Work an assessment no longer does (issue 17, round 14), each checked against what it
replaced: the outputs themselves are pinned byte for byte by the assess goldens."""

from __future__ import annotations

import builtins
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

from radiculopathy_desktop.domain import guideline as g
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 21)


def test_the_medicine_naming_rule_is_read_without_an_import_statement_per_call(monkeypatch):
    """``_profile_names`` ran ``from ... medications import load_medicine_data`` at every call
    (twice per assessment); the module is now kept after the first call, and the loader is
    still read from it at each call (a monkeypatched loader is used)."""
    g._profile_names("uk")
    imports = []
    real = builtins.__import__
    monkeypatch.setattr(builtins, "__import__", lambda *a, **k: imports.append(a[0]) or real(*a, **k))
    assert g._profile_names("uk").name("acetaminophen") == "paracetamol"
    assert not g._profile_names("us")
    assert imports == []
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    other = replace(data, profile_names={"us": medications.ProfileNames({"ibuprofen": "brufen"})})
    monkeypatch.setattr(medications, "load_medicine_data", lambda: other)
    assert g._profile_names("us").name("ibuprofen") == "brufen"


def test_a_pathway_step_is_renamed_only_when_one_of_its_reasons_names_a_renamed_medicine(monkeypatch):
    """The uk pathway is the pathway worded without the naming rule with every reason then
    renamed one by one (the pass before), and the naming rule's ``text`` runs only for a step
    one of whose reasons names a renamed medicine."""
    from radiculopathy_desktop.domain import medications

    names = medications.load_medicine_data().profile_names["uk"]
    text = medications.ProfileNames.text
    calls = []
    renamed_steps = steps = 0
    uk = g.load_guideline("uk")
    for d in generate(150, seed=13):
        ctx = _context_of(parse_case(d))
        with monkeypatch.context() as mp:
            mp.setattr(g, "_profile_names", lambda profile: medications.ProfileNames({}))
            plain = g.evaluate_pathway(uk, ctx)
        with monkeypatch.context() as mp:
            mp.setattr(medications.ProfileNames, "text", lambda self, t: calls.append(t) or text(self, t))
            calls.clear()
            got = g.evaluate_pathway(uk, ctx)
        reference = replace(plain, steps=tuple(replace(s, why=tuple(text(names, r) for r in s.why))
                                               for s in plain.steps))
        assert got == reference
        for step in plain.steps:
            steps += 1
            renamed_steps += any(names.mentions(r) for r in step.why)
        # text ran only on the reasons of steps naming a renamed medicine
        assert len(calls) == sum(len(s.why) for s in plain.steps if names.mentions("\n".join(s.why)))
    assert steps > 500 and renamed_steps > 20


def _context_of(case):
    """The pathway context assess_case built for ``case`` (read back from its call)."""
    seen = {}
    real = g.evaluate_pathway

    def spy(guideline, ctx):
        seen["ctx"] = ctx
        return real(guideline, ctx)

    from radiculopathy_desktop.domain import assess

    assess.evaluate_pathway, saved = spy, assess.evaluate_pathway
    try:
        assess_case(case, AS_OF, profile="uk")
    finally:
        assess.evaluate_pathway = saved
    return seen["ctx"]


def test_reasons_and_current_medicines_built_without_the_named_tuples_new_are_whole_named_tuples():
    """The renal reasons, the "not fully checked" reasons and the current medicines are built
    by ``tuple.__new__`` with every field (no Python call of the named tuple's ``__new__``):
    each is of its class, holds every field (a field added later with a default would make
    these short), and equals what the class's constructor makes from the same values."""
    from radiculopathy_desktop.domain import medications as m

    kinds = {"renal-table": 0, "renal-unknown": 0, "not-recognised": 0, "current": 0}
    for i, d in enumerate(generate(300, seed=21)):
        if i % 3 == 0:
            d["medicines"] = [*d["medicines"], {"name": "metformin", "daily_dose_mg": 1000}]
        if i % 4 == 0:
            d["conditions"].pop("serum_creatinine", None)
        report = assess_case(parse_case(d), AS_OF, profile="uk" if i % 2 else "us").medications
        for row in report.rows:
            for r in row.reasons:
                if r.rule in kinds:
                    kinds[r.rule] += 1
                    assert type(r) is m.Reason and len(r) == len(m.Reason._fields) and r == m.Reason(*r)
        for c in report.current_medicines:
            kinds["current"] += 1
            assert (type(c) is m.CurrentMedicine and len(c) == len(m.CurrentMedicine._fields)
                    and c == m.CurrentMedicine(*c))
    assert min(kinds.values()) > 20, kinds
