"""fhirnsaid35 (H-MED-724): one medicine entered twice (its generic and its brand) is a duplicate entry or a double
dose, never "two NSAIDs" or "two gabapentinoids" (GP tryout: "dexketoprofeno" with "Enantyum").

From the sources, not the code: Enantyum is dexketoprofen (sources.toml enantyum-smpc: "Cada comprimido contiene
dexketoprofeno 25 mg"), Neurontin is gabapentin (gabapentin-label); the NSAID class labelling (nsaid-class-label)
advises against two NSAIDs together, and each medicine's label gives ONE daily maximum, which two entries of the same
medicine count toward together. So two entries of the same medicine ask which is current (or a double dose), and two
different medicines of the class keep the class words. Every rule about two medicines of one class (its sides the
same class of several medicines) is checked, from the data, both ways: not one special case."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import MedicineDataError, assess_medications, load_medicine_data
from tests.helpers.example_case import l5_case

AS_OF = dt.date(2026, 11, 25)


def _report(names, profile="us"):
    return assess_medications(l5_case([{"name": n} for n in names]).intake, AS_OF, profile=profile)


def _class_pair_rules(ingredients):
    data = load_medicine_data()
    return [r for r in data.interactions if r.ingredients == ingredients
            and len({frozenset(s) for s in r.sides}) == 1
            and len(data.class_members.get(r.sides[0][0], ())) > 1]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("names, generic, rule", [
    (("dexketoprofeno 25mg c/8h", "Enantyum 25mg c/8h"), "dexketoprofen", "ix-same-nsaid-twice"),
    (("ibuprofen 400mg tds", "nurofen 200mg"), "ibuprofen", "ix-same-nsaid-twice"),
    (("gabapentin 300mg tds", "Neurontin 300mg"), "gabapentin", "ix-same-gabapentinoid-twice"),
])
def test_a_medicine_and_its_brand_are_one_medicine_entered_twice(names, generic, rule, profile):
    report = _report(names, profile)
    assert [(ix.rule, ix.severity) for ix in report.interactions] == [(rule, "avoid")]  # as alerting as the pair was
    (alert,) = [a for a in medicine_alerts(report) if a.kind == "interaction"]
    assert f"({generic}) recorded twice: ask which entry is current" in alert.text and "double dose" in alert.text
    assert "Two NSAIDs" not in alert.text and "Two gabapentinoids" not in alert.text
    assert set(alert.medicines) == {n.lower() for n in names}  # as recorded (the intake keeps names in lower case)


def test_two_different_medicines_of_the_class_keep_the_class_words():
    """Boundary: dexketoprofen with ibuprofen, gabapentin with pregabalin are two medicines of the class."""
    assert [ix.rule for ix in _report(("Enantyum 25mg c/8h", "ibuprofen 400mg tds")).interactions] == ["ix-two-nsaids"]
    assert [ix.rule for ix in _report(("gabapentin 300mg tds", "Lyrica 75mg bd")).interactions] == [
        "ix-two-gabapentinoids"]
    # three entries of two NSAIDs (ibuprofen twice, naproxen) are two NSAIDs: "stop one", never "more than two";
    # dose36 (H-MED-736): and ibuprofen entered twice is said too (it was left out: which entry is current?)
    ix, same = _report(("ibuprofen 400mg tds", "nurofen 200mg", "naproxen 500mg bd")).interactions
    assert ix.rule == "ix-two-nsaids" and ix.text.startswith("Two NSAIDs together")
    assert same.rule == "ix-same-nsaid-twice" and set(same.medicines) == {"ibuprofen 400mg tds", "nurofen 200mg"}
    assert "(ibuprofen) recorded twice" in same.text
    # three entries of one NSAID: the same medicine more than twice
    (ix,) = _report(("ibuprofen 400mg tds", "nurofen 200mg", "brufen 400mg")).interactions
    assert ix.rule == "ix-same-nsaid-twice" and "recorded more than twice" in ix.text


@pytest.mark.parametrize("rule", [r.id for r in _class_pair_rules("several")])
def test_every_class_pair_rule_names_two_different_medicines_and_its_same_medicine_rule_one(rule):
    """From the data: for every rule about two different medicines of a class, two members of the class match it,
    and one member entered twice matches its same-medicine rule (never the class pair's words)."""
    data = load_medicine_data()
    pair = next(r for r in data.interactions if r.id == rule)
    same = next(r for r in _class_pair_rules("one") if frozenset(r.sides[0]) == frozenset(pair.sides[0]))
    members = sorted(g for g in data.class_members[pair.sides[0][0]] if data.generic_classes.get(g))
    singles = [g for g in members if data.resolve(g)[0] == (g,)]
    first, second = singles[0], singles[1]
    assert pair.id in {ix.rule for ix in _report((first, second)).interactions}
    twice = {ix.rule for ix in _report((first, f"{first} 10mg")).interactions}
    assert same.id in twice and pair.id not in twice, (first, twice)


def _raw_build():
    from tests.domain.test_rule_sources_per_profile_src18 import _build, _raw

    return copy.deepcopy(_raw()), _build


def test_a_class_pair_rule_must_say_which_it_is_about():
    raw, build = _raw_build()
    ix = next(i for i in raw["rules.toml"]["interaction"] if i["id"] == "ix-two-nsaids")
    del ix["ingredients"]
    with pytest.raises(MedicineDataError, match="say ingredients"):
        build(raw)


def test_a_rule_of_two_different_medicines_needs_its_same_medicine_rule():
    raw, build = _raw_build()
    raw["rules.toml"]["interaction"] = [i for i in raw["rules.toml"]["interaction"]
                                        if i["id"] != "ix-same-gabapentinoid-twice"]
    with pytest.raises(MedicineDataError, match="entered twice"):
        build(raw)
