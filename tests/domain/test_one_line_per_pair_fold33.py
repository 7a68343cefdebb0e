"""fold33 (H-MED-699): two rules matching the same medicines are one line, at the stronger rating, with both reasons
and both sources. Tramadol with phenelzine (an MAO inhibitor) is "Tramadol with an MAO inhibitor" (Contraindicated,
tramadol-label) and "Opioid with an MAO inhibitor" (Avoid, opioid-class-label, boyer-2005); before, the pair showed
twice at two ratings."""

from __future__ import annotations

import itertools

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_report


def test_tramadol_with_phenelzine_is_one_contraindicated_line_with_both_reasons_and_sources():
    report = example_report([("tramadol 50mg", 200.0), ("phenelzine 15mg", 45.0)])
    (inter,) = report.interactions
    assert inter.severity == "contraindicated"
    assert "Tramadol with an MAO inhibitor" in inter.text and "Opioid with an MAO inhibitor" in inter.text
    sources = load_medicine_data().sources
    for sid in ("tramadol-label", "opioid-class-label", "boyer-2005"):
        assert sources[sid] in inter.source
    assert inter.source.count(sources["tramadol-label"]) == 1  # cited by both rules, listed once
    pair = [a for a in medicine_alerts(report) if set(a.medicines) == {"tramadol 50mg", "phenelzine 15mg"}]
    assert len(pair) == 1 and "Opioid with an MAO inhibitor" in pair[0].text


def test_oxycodone_with_phenelzine_matched_by_one_rule_is_unchanged():
    report = example_report([("oxycodone 5mg", 20.0), ("phenelzine 15mg", 45.0)])
    (inter,) = report.interactions
    assert inter.severity == "avoid" and inter.text.startswith("Opioid with an MAO inhibitor")


def test_no_two_lines_name_the_same_medicines_while_other_sets_stay_apart():
    meds = [("ibuprofen 400mg", 1200.0), ("lisinopril 10mg", 10.0), ("furosemide 40mg", 40.0),
            ("tramadol 50mg", 200.0), ("phenelzine 15mg", 45.0), ("sertraline 50mg", 50.0)]
    for n in (2, 3):
        for chosen in itertools.combinations(meds, n):
            report = example_report(list(chosen))
            sets = [frozenset(i.medicines) for i in report.interactions]
            assert len(sets) == len(set(sets)), chosen
    # tramadol with sertraline (serotonergic antidepressant) is its own line beside tramadol with phenelzine
    report = example_report(meds[3:])
    sets = {frozenset(i.medicines) for i in report.interactions}
    assert {frozenset({"tramadol 50mg", "phenelzine 15mg"}), frozenset({"tramadol 50mg", "sertraline 50mg"})} <= sets
