"""A combination of current medicines is said once in a step's "Review:" line (gp26 F3, H-UI-428).

gp26: the Medicines step's Why said "codeine: avoid (with pregabalin); pregabalin: avoid (with
codeine)", and for two NSAIDs "diclofenac: avoid (with naproxen); naproxen: avoid (with
diclofenac)": one alert (one combination, one line of the banner) said twice, read as two
problems. Each alert now has one set of words, the combination named as the alert names it
("codeine with pregabalin: avoid"), said once in a step that takes either medicine; every
other alert (each medicine's own, another combination of the same medicine) is still said.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from helpers.medicines import typed_case

AS_OF = dt.date(2026, 3, 2)
#: pathstep31 (H-MED-657): a pair whose rule keeps a side (rules.toml keep) says which to review and keep
KEEP = ", review {r} now and keep {k} (do not stop without its prescriber)"
#: mtxavoid (H-MED-671): a pair of two kinds whose rule keeps no side says both are reviewed with the prescriber
BOTH = " together, review both with the prescriber"


def _case(meds, age=60):
    return parse_case(typed_case(meds, AS_OF, age=age))


def _review(meds, profile="uk", age=60) -> tuple[str, list]:
    a = assess_case(_case(meds, age), AS_OF, profile=profile).to_dict()
    step = next(s for s in a["pathway"]["steps"] if s["id"] == "medicines")
    line = next(w for w in step["why"] if w.startswith("Review: "))
    return line, a["medicine_alerts"]


def _items(line: str) -> list[str]:
    return line.removeprefix("Review: ").removesuffix(" (see the medicine alerts)").split("; ")


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_an_opioid_with_a_gabapentinoid_is_said_once_beside_each_medicine_own_alert(profile):
    line, alerts = _review([("codeine", 240), ("pregabalin", 300)], profile)
    items = _items(line)
    assert items.count("codeine with pregabalin: avoid" + BOTH) == 1
    assert not any("(with" in i for i in items)
    assert sum("pregabalin" in i and "codeine" in i for i in items) == 1  # the pair, once
    # spell28 (H-UI-433): codeine's row had no reason but the pair, so the pair says it; pregabalin's row keeps
    # its own reason under uk (NICE does not offer gabapentinoids for sciatica), without the pair's words
    if profile == "uk":
        assert "pregabalin: avoid" in items
        pregabalin = next(a for a in alerts if a["medicines"] == ["pregabalin"])
        assert "opioid" not in pregabalin["text"].lower()
    assert "codeine: avoid" not in items
    assert len(items) == len(alerts)  # one item per alert, none dropped


def test_two_nsaids_are_said_once():
    line, alerts = _review([("diclofenac", 150), ("naproxen", 1000)])
    assert _items(line) == ["diclofenac with naproxen: avoid"]
    assert [a["medicines"] for a in alerts] == [["diclofenac", "naproxen"]]


def test_diclofenac_with_apixaban_is_said_once():
    line, _alerts = _review([("diclofenac", 150), ("apixaban", 10)])
    assert _items(line) == ["diclofenac with apixaban: avoid" + KEEP.format(r="diclofenac", k="apixaban")]  # pathstep31


def test_two_different_combinations_of_one_nsaid_are_both_said():
    line, alerts = _review([("naproxen", 1000), ("apixaban", 10), ("lithium", 800)])
    items = _items(line)
    assert ("naproxen with apixaban: avoid" + KEEP.format(r="naproxen", k="apixaban") in items
            and "naproxen with lithium: avoid" + BOTH in items)  # pathstep31: lithium keeps no side (mtxavoid)
    assert len(items) == len(set(items)) == len(alerts)


def test_an_nsaid_with_an_anticoagulant_once():
    """spell28 (H-UI-433): the banner held two alerts here (ibuprofen's own row, whose only reason was
    "Taking warfarin (anticoagulant): avoid NSAIDs", and the pair), the same warning twice: the pair
    alone says it now (the Why is one item per alert)."""
    line, alerts = _review([("ibuprofen", 1200), ("warfarin", 5)])
    assert _items(line) == ["ibuprofen with warfarin: avoid" + KEEP.format(r="ibuprofen", k="warfarin")]  # pathstep31
    assert [a["medicines"] for a in alerts] == [["ibuprofen", "warfarin"]]
