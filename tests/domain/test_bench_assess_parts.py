"""``bench_assess.py --parts``: where an assessment's Python work goes, counted by the part
of the assessment that runs it (issue 17). Every instruction is counted once: the parts of
the assessment add up to what ``--bytecodes`` counts, and the medicine table's parts add up
to the medicine table's share."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_parts_add_up_to_the_whole_count_and_name_what_assess_case_calls():
    bench = _bench()
    parts = bench.count_parts(24)
    opcodes, _calls = bench.count_bytecodes(24)
    whole, table = parts["assessment"], parts["medicine table"]
    assert abs(sum(whole.values()) - opcodes) < 1e-6 * opcodes
    assert abs(sum(table.values()) - whole["assess_medications"]) < 1e-6 * opcodes
    # the rule-bearing parts are each there, the medicine table the largest
    for name in ("assess_medications", "evaluate_pathway", "triage_case", "surgical_review", "suggest_roots",
                 "score_intake", "monitoring_plan", "(own)"):
        assert whole[name] > 0, name
    assert max(whole, key=whole.get) == "assess_medications"
    assert {"_facts", "patient_reasons", "(own)"} <= table.keys()
