"""rx23 (red-team rt24 F3, F9): a count written the ways clinicians write it ("x2", "x 2", "×2",
"2x", "2 x"), before or after the name, and patches worn together joined by "&" or "and", must
leave the medicine recognised. On main, "fentanyl 100mcg lozenge x2" and "buprenorphine 8mg
sublingual x2" were not recognised at all ("x 2" was), so with diazepam the opioid +
benzodiazepine alert was lost; "2 x tylenol 4" was read as plain Tylenol (the codeine lost);
"Fentalis 50 & 25" was not recognised.

Sources: the forms are those of routes.toml [patch_forms] (read on each product's SmPC/label,
sources.toml); the count forms are how a prescription writes a number of tablets or patches."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.resources import resource_path

DATA = load_medicine_data()
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 29)
COUNT_FORMS = ("x2", "x 2", "\u00d72", "\u00d7 2", "2x", "2 x", "X2", "x3", "4 x")
PATCH_MEDICINES = frozenset({"fentanyl", "buprenorphine"})


def _report(names, profile="us"):
    d = copy.deepcopy(BASE)
    d["medicines"] = [{"name": n} for n in names]
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


def _written_forms(name: str, generics: tuple[str, ...]) -> list[str]:
    """The name with a strength as each of its forms is written: a tablet for every medicine; for
    fentanyl and buprenorphine also a patch rate, a bare patch strength, a lozenge, a sublingual and a
    buccal tablet and a nasal spray (the forms routes.toml [patch_forms] reads)."""
    forms = [f"{name} 10mg", f"{name} 10mg tablets", f"{name} 10 mg capsules"]
    if set(generics) & PATCH_MEDICINES:
        forms += [f"{name} 25mcg/h patch", f"{name} 25 micrograms/hour", f"{name} 100mcg lozenge",
                  f"{name} 8mg sublingual", f"{name} 100 micrograms buccal tablet", f"{name} 100 micrograms nasal spray"]
    return forms


def test_every_recognised_name_with_a_strength_and_a_count_is_the_same_medicine():
    """Over the whole data: each recognised name, written with a strength in each of its forms, and
    a count in each way it is written, before or after, resolves to the same generics."""
    names = swept = 0
    wrong: list[str] = []
    for name in DATA.known_names():
        generics = DATA.resolve(name)[0]
        if not generics:
            continue
        names += 1
        forms = [w for w in _written_forms(name, generics) if DATA.resolve(w)[0] == generics]
        swept += bool(forms)  # a form not read for this name ("tylenol 3 10mg") asks no count question
        for written in forms:
            for count in COUNT_FORMS:
                for text in (f"{written} {count}", f"{count} {written}"):
                    if DATA.resolve(text)[0] != generics:
                        wrong.append(f"{text!r} -> {DATA.resolve(text)[0]} (not {generics})")
    assert names > 500 and swept >= 0.95 * names  # the sweep covers the data, not a few examples
    assert not wrong, f"{len(wrong)} misread, e.g. {wrong[:8]}"


@pytest.mark.parametrize("name, generics", [
    ("fentanyl 100mcg lozenge x2", ("fentanyl",)),
    ("buprenorphine 8mg sublingual x2", ("buprenorphine",)),
    ("buprenorphine 8mg sublingual \u00d72", ("buprenorphine",)),
    ("fentanyl 100 micrograms buccal tablet 2x", ("fentanyl",)),
    ("Yemex 25mcg/h patch x2", ("fentanyl",)),
    ("fentanyl 25mcg/h patch x2 every 3 days", ("fentanyl",)),
    ("2 x tylenol 4", ("codeine", "acetaminophen")),
    ("tylenol with codeine no 4 x 2", DATA.resolve("tylenol with codeine no 4")[0]),
    ("tylenol 4 2 x", ("codeine", "acetaminophen")),
    ("Fentalis 50 & 25", ("fentanyl",)),
    ("fentanyl 50 and 25", ("fentanyl",)),
    ("fentanyl 50 & 25 mcg/h", ("fentanyl",)),
])
def test_the_red_team_names_are_recognised(name, generics):
    assert DATA.resolve(name)[0] == generics


@pytest.mark.parametrize("name", ["x2", "2 x", "x 2 vitamins", "2x zzzfentanyl 25"])
def test_a_count_alone_or_with_an_unknown_name_is_not_a_medicine(name):
    # the count is taken off; what is left must still be a known name (never a guess)
    assert DATA.resolve(name)[0] == ()


def test_a_sum_joined_by_and_still_splits_two_medicines():
    # "and" between names is two medicines; only strengths joined by it are one sum
    assert set(DATA.resolve("paracetamol and codeine")[0]) == {"acetaminophen", "codeine"}
    assert set(DATA.resolve("paracetamol 500mg + codeine 30mg")[0]) == {"acetaminophen", "codeine"}


@pytest.mark.parametrize("opioid", ["fentanyl 100mcg lozenge x2", "buprenorphine 8mg sublingual x2",
                                    "fentanyl 100mcg lozenge \u00d72", "2x fentanyl 100mcg lozenge"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_opioid_benzodiazepine_alert_is_kept_with_a_count(opioid, profile):
    report = _report([opioid, "diazepam 5mg"], profile)
    assert opioid not in report.unrecognised_medicines
    assert any(i[0] == "ix-opioid-benzodiazepine" for i in report.interactions)
