"""In-process assessments per second over generated intakes (target: at least 2,000/s).

Generates varied intakes from the shipped examples (ages, weights, creatinine, red
flags, examination, medicines, dates, profiles), then times ``assess_case`` and, as a
baseline measured in the same run, ``parse_case`` alone. Prints medians of repeated
rounds.

    .venv/bin/python benchmarks/bench_assess.py [--cases 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import statistics
import time

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, RED_FLAG_QUESTIONS, SYMPTOM_REGIONS
from radiculopathy_desktop.resources import resource_path

MEDS = ["ibuprofen", "naproxen", "paracetamol", "gabapentin", "pregabalin", "sertraline", "warfarin", "apixaban",
        "clopidogrel", "prednisolone", "tramadol", "oxycodone", "ramipril", "furosemide", "lithium", "metformin"]


def generate(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    bases = [json.loads(p.read_text()) for p in sorted(resource_path("examples").glob("*.json"))]
    out = []
    for i in range(n):
        d = copy.deepcopy(rng.choice(bases))
        d["case_id"] = f"BENCH-{i}"
        d.pop("visits", None)
        d.pop("decisions", None)
        d.pop("treatments_tried", None)
        d["patient"] = {"id": f"B{i}", "age_years": rng.randint(18, 95), "sex": rng.choice(["female", "male"]),
                        "weight_kg": round(rng.uniform(45, 130), 1)}
        onset = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        d["onset_date"] = onset.isoformat()
        d["visit_date"] = d["care_start_date"] = (onset + dt.timedelta(days=rng.randint(0, 60))).isoformat()
        d["side"] = "bilateral" if rng.random() < 0.05 else rng.choice(["left", "right"])
        d["regions"] = rng.sample(list(SYMPTOM_REGIONS), rng.randint(1, 5))
        d["red_flags"] = {k: rng.choices(["no", "yes", "unknown"], [0.9, 0.03, 0.07])[0] for k in RED_FLAG_QUESTIONS}
        # symptoms in both legs answer the bilateral question (the parser refuses "no" with a bilateral side)
        d["red_flags"]["bilateral_leg_symptoms"] = "yes" if d["side"] == "bilateral" else "no"
        d["examination"] = {"power": {m: rng.choices([5, 4, 3, 2], [0.8, 0.15, 0.04, 0.01])[0]
                                      for m in rng.sample(list(MUSCLE_GROUPS), 3)}}
        d["conditions"] = {"serum_creatinine": {"value": round(rng.uniform(0.5, 3.5), 2), "unit": "mg/dL"},
                           "ckd": rng.random() < 0.2, "diabetes": rng.random() < 0.2, "heart_failure": rng.random() < 0.05}
        d["medicines"] = [{"name": m, "daily_dose_mg": rng.choice([100, 300, 600, 1200])} for m in rng.sample(MEDS, rng.randint(0, 4))]
        out.append(d)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    raw = generate(args.cases)
    cases = [parse_case(d) for d in raw]
    as_of = dt.date(2026, 11, 21)
    assess_case(cases[0], as_of)  # load guideline and rule data once, as a running app has
    parse_rates, assess_rates = [], []
    for r in range(args.rounds):
        t = time.perf_counter()
        for d in raw:
            parse_case(d)
        parse_rates.append(len(raw) / (time.perf_counter() - t))
        t = time.perf_counter()
        for i, c in enumerate(cases):
            assess_case(c, as_of, profile="uk" if i % 2 else "us")
        assess_rates.append(len(cases) / (time.perf_counter() - t))
    parse_med, assess_med = statistics.median(parse_rates), statistics.median(assess_rates)
    print(f"generated intakes:            {len(cases)} (rounds: {args.rounds})")
    print(f"baseline parse_case only:     {parse_med:,.0f} /s (median)")
    print(f"assess_case (full):           {assess_med:,.0f} /s (median; min {min(assess_rates):,.0f}, max {max(assess_rates):,.0f})")
    print(f"assess cost vs parse:         {parse_med / assess_med:.1f}x")
    print(f"target >= 2,000 /s:           {'met' if assess_med >= 2000 else 'NOT MET'}")


if __name__ == "__main__":
    main()
