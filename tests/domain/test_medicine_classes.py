"""Class-level medicine status (issue 12 section 8): "can this patient take an NSAID, and
which one?", answered from the rows by one function.

Sources for the boundaries: NSAID class label (avoid in advanced renal disease; the
app's row rule avoids NSAIDs below CrCl 30 mL/min), AGS Beers 2023 (skeletal muscle
relaxants: avoid at 65 and over), methotrexate label (NSAIDs reduce its clearance),
gabapentin label renal table (CrCl 15-29: up to 700 mg/day).
"""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import _RANK, class_summaries
from radiculopathy_desktop.resources import resource_path
from tests.domain.test_medications import assess, intake


def _cls(report, name):
    return next(c for c in class_summaries(report) if c.drug_class == name)


def test_no_risk_factors_every_nsaid_is_an_option():
    c = _cls(assess(intake()), "nsaid")
    assert (c.status, c.basis) == ("ok", "best_option")
    assert set(c.medicines) == {"ibuprofen", "naproxen"} and c.avoid == ()
    assert "best option here: ibuprofen, naproxen" in c.summary


@pytest.mark.parametrize("crcl, avoided", [(29.9, True), (30, False), (30.1, False)])
def test_kidney_function_below_30_rules_out_the_whole_class(crcl, avoided):
    report = assess(intake(), crcl=crcl)
    c = _cls(report, "nsaid")
    assert (c.status == "avoid") is avoided
    if avoided:
        assert set(c.avoid) == {"ibuprofen", "naproxen"}
        assert "for every member here" in c.summary
        assert any("30 mL/min" in r for r in c.shared_reasons)  # a class reason: switching NSAID does not help
    else:
        assert c.avoid == ()


def test_taking_an_nsaid_the_class_is_about_the_one_taken():
    report = assess(intake(meds=[("ibuprofen", 1200), ("methotrexate", None)]))
    c = _cls(report, "nsaid")
    assert (c.basis, c.medicines) == ("currently_taking", ("ibuprofen",))
    assert c.status == report.row("ibuprofen").status == "avoid"
    assert "do not add a second NSAID" in c.summary


def test_a_dose_above_the_renal_maximum_makes_the_class_reduce_dose():
    report = assess(intake(meds=[("gabapentin", 701)]), crcl=20)
    c = _cls(report, "gabapentinoid")
    assert (c.status, c.basis, c.medicines) == ("reduce_dose", "currently_taking", ("gabapentin",))
    at_max = _cls(assess(intake(meds=[("gabapentin", 700)]), crcl=20), "gabapentinoid")
    assert at_max.status != "reduce_dose"


@pytest.mark.parametrize("age, status", [(64, "caution"), (65, "avoid")])
def test_muscle_relaxant_class_follows_beers_at_65(age, status):
    c = _cls(assess(intake(age=age)), "muscle_relaxant")
    assert c.status == status if status == "avoid" else _RANK[c.status] < _RANK["avoid"]


def test_one_member_to_avoid_leaves_the_others_as_the_options():
    # Sertraline: tramadol (serotonergic) is avoided while another opioid is not.
    report = assess(intake(meds=[("sertraline", 50)]))
    rows = {r.drug: r.status for r in report.rows if r.drug_class == "opioid"}
    c = _cls(report, "opioid")
    best = min(_RANK[s] for s in rows.values())
    assert _RANK[c.status] == best
    assert set(c.medicines) == {d for d, s in rows.items() if _RANK[s] == best}
    assert set(c.avoid) == {d for d, s in rows.items() if _RANK[s] >= _RANK["avoid"]}


@pytest.mark.parametrize("path", sorted(resource_path("examples").glob("*.json")), ids=lambda p: p.stem)
def test_every_example_class_agrees_with_its_rows_and_the_text(path):
    case = parse_case(json.loads(path.read_text(encoding="utf-8")))
    a = assess_case(case, case.intake.visit_date)
    report = a.medications
    out = a.to_dict()
    text = assessment_text(out)
    assert [c["class"] for c in out["medications"]["classes"]] == list(dict.fromkeys(r.drug_class for r in report.rows))
    for c in class_summaries(report):
        rows = [r for r in report.rows if r.drug_class == c.drug_class]
        taking = [r for r in rows if r.currently_taking]
        if taking:
            assert c.basis == "currently_taking" and _RANK[c.status] == max(_RANK[r.status] for r in taking)
        else:
            assert c.basis == "best_option" and _RANK[c.status] == min(_RANK[r.status] for r in rows)
        assert "".join(c.summary.split()) in "".join(text.split())  # wrapped lines joined
