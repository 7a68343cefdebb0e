"""In-process assessments per second over generated intakes (issue 17 target: at least 5,000/s).

Generates varied intakes from the shipped examples (ages, weights, creatinine, red
flags, examination, 16 medicines in random combinations and doses, dates, profiles),
then times ``assess_case`` and, as a baseline measured in the same run, ``parse_case``
alone (reading and validating the same intakes). Prints the medians of repeated rounds,
the ratio, and the growth from the smallest to the largest number of intakes.
tests/cli/test_assess_speed_golden.py checks the output over this generator's cohort is
unchanged byte for byte.

The verdict on the target is by this process's CPU time (the machine is shared, so the
wall-clock rate depends on the other work on it; both are printed, with the load average).
``--profile N`` adds the N functions with the most own time (cProfile) over one round of
the smallest size: where an assessment's time goes.

``--bytecodes N`` only counts the Python bytecode instructions and calls per assessment
over N intakes (deterministic: the load does not move it).

The cohort repeats its inputs (16 medicine names, a few red-flag patterns), so a cache
keyed on what a patient's intake says would make the figure say more than an assessment
does: ``assess_case`` alone keeps none (issue 17). What is made once is made from the
rule and guideline data when it loads (rule plans, indexes, compiled checks), never from
a patient. A batch (``AssessmentBatch``, ``assess_many``: the ``assess`` command over a
file) works out what a recorded medicine's text and dose mean once per batch; its figure
is printed twice: over the generated cohort (names repeat, as on a clinic's lists) and over
the same cohort with every medicine's dose made distinct (``generate_distinct``: no name
and dose met twice, so nothing is found again), so repetition never hides work.

    .venv/bin/python benchmarks/bench_assess.py [--sizes 10000,100000] [--rounds 3] [--profile 25]
    .venv/bin/python benchmarks/bench_assess.py --bytecodes 300
    .venv/bin/python benchmarks/bench_assess.py --parts 300

``--parts N`` splits the bytecode count by the part of the assessment that runs it (the
medicine table, the pathway, triage...; then the medicine table's own parts): where the
time goes, deterministic under load.

``--instructions`` counts instead of timing: the machine instructions (interpreter and C)
per intake of assessing the sizes' intakes and of the baseline, ``parse_case`` of the same
intakes, each counted in a child of its own under valgrind callgrind (only the counted loop,
inside ``functools.reduce``, after a warm-up over the first 50 intakes; ``PYTHONHASHSEED=0``),
their ratio and, with two sizes, the growth: figures that do not move with the load of a
shared machine. The paths are ``alone``, ``batch``, ``distinct alone`` and ``distinct`` as
above (``--paths`` narrows them; a hyphen may stand for each space). The 5,000/s target is
a rate, so the verdict on it stays with the timed run; the count says how much work an
assessment is, for README and before/after comparisons. Under valgrind each child runs
about 50x slower than natively (most of it generating and parsing the cohort, not
counted), so 100,000 intakes take a long while; a few hundred give the per-intake figures:

    .venv/bin/python benchmarks/bench_assess.py --instructions [--sizes 300,3000] [--paths alone,batch]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import statistics
import sys
import time

from radiculopathy_desktop.domain.assess import AssessmentBatch, assess_case
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


def generate_distinct(n: int, seed: int = 7) -> list[dict]:
    """:func:`generate`'s intakes with every recorded medicine's daily dose made distinct (a
    ten-thousandth of a mg more per medicine, counted over the cohort): no medicine text and
    dose is met twice, so a batch finds nothing it has already worked out."""
    out = generate(n, seed)
    k = 0
    for d in out:
        for m in d["medicines"]:
            k += 1
            m["daily_dose_mg"] = round(m["daily_dose_mg"] + k / 10000, 4)
    return out


def _traced(cases, as_of, tracer) -> None:
    """Assess ``cases`` (profiles us and uk alternating, as the timed runs do) under ``tracer``.

    The cyclic garbage collector is run first and paused meanwhile: a collection inside the
    traced run finalises objects left by earlier work (a generator's ``finally``, run then),
    whose Python code would be counted as the assessment's, differently from run to run (the
    parts and the whole of one test disagreed by 38 bytecodes in CI after other tests)."""
    import gc

    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    sys.settrace(tracer)
    try:
        for i, case in enumerate(cases):
            assess_case(case, as_of, profile="uk" if i % 2 else "us")
    finally:
        sys.settrace(None)
        if enabled:
            gc.enable()


def measure(n: int, rounds: int) -> dict[str, float]:
    """Medians (per second) over ``n`` intakes, timed one after the other in every round (all
    see the same machine load), by wall clock and by this process's CPU time (which a loaded
    machine disturbs less): ``parse`` (the baseline: ``parse_case`` alone), ``alone``
    (``assess_case`` of each case), ``batch`` (one :class:`AssessmentBatch` per round over the
    generated cohort), and over :func:`generate_distinct`'s cohort, where no medicine text
    repeats, ``distinct alone`` and ``distinct`` (one batch per round): a batch's own cost
    where it finds nothing again (distinct doses are worded differently from the generated
    cohort's round ones, so compare ``distinct`` with ``distinct alone``)."""
    raw = generate(n)
    cases = [parse_case(d) for d in raw]
    distinct = [parse_case(d) for d in generate_distinct(n)]
    as_of = dt.date(2026, 11, 21)
    for profile in ("us", "uk"):  # load both guidelines and the rule data once, as a running app has
        assess_case(cases[0], as_of, profile=profile)
    wall: dict[str, list[float]] = {k: [] for k in ("parse", "alone", "batch", "distinct alone", "distinct")}
    cpu: dict[str, list[float]] = {k: [] for k in wall}

    def timed(key, run, count):
        t, c = time.perf_counter(), time.process_time()
        run()
        wall[key].append(count / (time.perf_counter() - t))
        cpu[key].append(count / (time.process_time() - c))

    def alone(cohort):
        def run():
            for i, case in enumerate(cohort):
                assess_case(case, as_of, profile="uk" if i % 2 else "us")
        return run

    def batched(cohort):
        def run():
            batch = AssessmentBatch()
            for i, case in enumerate(cohort):
                batch.assess(case, as_of, profile="uk" if i % 2 else "us")
        return run

    def parse():
        for d in raw:
            parse_case(d)

    for _ in range(rounds):
        timed("parse", parse, len(raw))
        timed("alone", alone(cases), len(cases))
        timed("batch", batched(cases), len(cases))
        timed("distinct alone", alone(distinct), len(distinct))
        timed("distinct", batched(distinct), len(distinct))
    out = {k: statistics.median(v) for k, v in wall.items()}
    out.update({"cpu_" + k: statistics.median(v) for k, v in cpu.items()})
    out["alone_min"], out["alone_max"] = min(wall["alone"]), max(wall["alone"])
    return out


def profile(n: int, top: int) -> None:
    """The ``top`` functions by own time over one round of ``n`` assessments (cProfile)."""
    import cProfile
    import pstats

    cases = [parse_case(d) for d in generate(n)]
    as_of = dt.date(2026, 11, 21)
    for p in ("us", "uk"):
        assess_case(cases[0], as_of, profile=p)
    prof = cProfile.Profile()
    prof.enable()
    for i, case in enumerate(cases):
        assess_case(case, as_of, profile="uk" if i % 2 else "us")
    prof.disable()
    print(f"\nProfile of {n:,} assessments (cProfile, own time; profiling slows every call):")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def count_bytecodes(n: int) -> tuple[float, float]:
    """Python bytecode instructions and Python calls per assessment over ``n`` intakes (caches
    warm; ``sys.settrace`` opcode events): a measure of the Python work that the machine's
    load does not move, to compare two versions of the code on a shared machine."""
    cases = [parse_case(d) for d in generate(n)]
    as_of = dt.date(2026, 11, 21)
    for i, case in enumerate(cases[:50]):  # warm the caches, as a running app has them
        assess_case(case, as_of, profile="uk" if i % 2 else "us")
    count = [0, 0]

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            count[0] += 1
        elif event == "call":
            count[1] += 1
        return tracer

    _traced(cases, as_of, tracer)
    return count[0] / n, count[1] / n


def count_parts(n: int) -> dict[str, dict[str, float]]:
    """Where an assessment's Python work goes: bytecode instructions per assessment over ``n``
    intakes (deterministic, as ``--bytecodes``), each counted to the function that
    ``assess_case`` called it under ("(own)": assess_case's own), and the medicine table's
    (``assess_medications``) split the same way. Each level sums to its total."""
    from radiculopathy_desktop.domain import assess as assess_module, medications

    cases = [parse_case(d) for d in generate(n)]
    as_of = dt.date(2026, 11, 21)
    for i, case in enumerate(cases[:50]):
        assess_case(case, as_of, profile="uk" if i % 2 else "us")
    tops = {"assessment": assess_module.assess_case.__code__,
            "medicine table": medications.assess_medications.__code__}
    counts: dict[str, dict[str, int]] = {name: {} for name in tops}

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            for name, code in tops.items():
                f, child = frame, None
                while f is not None and f.f_code is not code:
                    child, f = f, f.f_back
                if f is not None:
                    part = "(own)" if child is None else child.f_code.co_name
                    counts[name][part] = counts[name].get(part, 0) + 1
        return tracer

    _traced(cases, as_of, tracer)
    return {name: {part: c / n for part, c in sorted(found.items(), key=lambda kv: -kv[1])}
            for name, found in counts.items()}


#: the paths ``--instructions`` counts, each against the same baseline (``parse_case``)
INSTRUCTION_PATHS = ("alone", "batch", "distinct alone", "distinct")
WARM = 50


def count_one(name: str, n: int) -> None:
    """The child of ``--instructions``: makes the cohort, runs the path (or, for ``baseline``,
    ``parse_case``) once over its first 50 intakes (rule and guideline data loaded, both profiles,
    as a running app has them; a batch's warm-up is a batch of its own), then once over all ``n``
    inside ``functools.reduce``, the only call valgrind counts (``--toggle-collect``), so the
    count leaves out the interpreter's start, the imports, the cohort's making and the warm-up."""
    import functools
    import gc

    raw = generate_distinct(n) if name.startswith("distinct") else generate(n)
    as_of = dt.date(2026, 11, 21)
    if name == "baseline":
        def run(cohort):
            for d in cohort:
                parse_case(d)
        cohort = raw
    else:
        cohort = [parse_case(d) for d in raw]
        if name in ("alone", "distinct alone"):
            def run(cohort):
                for i, case in enumerate(cohort):
                    assess_case(case, as_of, profile="uk" if i % 2 else "us")
        else:
            def run(cohort):
                batch = AssessmentBatch()
                for i, case in enumerate(cohort):
                    batch.assess(case, as_of, profile="uk" if i % 2 else "us")
    run(cohort[:WARM])
    gc.collect()
    functools.reduce(lambda _a, f: f(cohort), [run], None)
    print("COUNTED", name, n, flush=True)


def count_instructions(name: str, n: int) -> int:
    """Machine instructions of one run of a path (or ``baseline``) over ``n`` intakes
    (:func:`count_one` under ``valgrind --tool=callgrind``, ``PYTHONHASHSEED=0``): the same
    count whatever the machine's load, so one run of each is a figure anyone can repeat."""
    import re
    import subprocess
    from pathlib import Path

    command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
               "--callgrind-out-file=/dev/null", sys.executable, str(Path(__file__).resolve()),
               "--count-one", name, str(n)]
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"),
                         timeout=6 * 3600)
    if out.returncode != 0 or "COUNTED" not in out.stdout:
        raise SystemExit(f"{name} ({n:,} intakes) did not run under valgrind (exit {out.returncode}):\n"
                         f"{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-4000:]}")
    return int(found.group(1))


def instruction_lines(counts: dict[int, dict[str, int]]) -> list[str]:
    """The ``--instructions`` table: per path and size the figure (instructions per intake
    assessed), the same-run baseline (per intake parsed) and their ratio, then the growth from
    the smallest size to the largest (of the whole run's figure, of the baseline's, and of the
    ratio). ``counts[n]`` holds each path's whole count and ``"baseline"``'s."""
    sizes = sorted(counts)
    lines = ["instructions per intake (valgrind callgrind, PYTHONHASHSEED=0, one counted run over all the intakes "
             f"after a warm one over the first {WARM}; profiles us and uk alternating; baseline: parse_case of the "
             "same intakes, counted in the same run of this benchmark)",
             f"{'path':<16}{'intakes':>9}{'figure':>12}{'baseline':>12}{'ratio':>8}"]
    for name in [p for p in INSTRUCTION_PATHS if p in counts[sizes[0]]]:
        for n in sizes:
            fig, base = counts[n][name], counts[n]["baseline"]
            lines.append(f"{name:<16}{n:>9,}{fig / n:>12,.0f}{base / n:>12,.0f}{fig / base:>7.2f}x")
        if len(sizes) > 1:
            (f0, b0), (f1, b1) = ((counts[n][name], counts[n]["baseline"]) for n in (sizes[0], sizes[-1]))
            lines.append(f"{'':<16}growth {sizes[0]:,} -> {sizes[-1]:,}: figure {f1 / f0:.2f}x, baseline "
                         f"{b1 / b0:.2f}x (linear {sizes[-1] / sizes[0]:.3g}x), ratio {f0 / b0:.2f}x -> {f1 / b1:.2f}x")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of intakes (default 10000,100000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also print the N functions with the most own time (cProfile, smallest size)")
    ap.add_argument("--bytecodes", type=int, default=0, metavar="N",
                    help="only count Python bytecode instructions and calls per assessment over N intakes")
    ap.add_argument("--parts", type=int, default=0, metavar="N",
                    help="only count bytecode instructions per assessment by the part of the assessment that "
                         "runs them (what assess_case calls; the medicine table's parts), over N intakes")
    ap.add_argument("--instructions", action="store_true",
                    help="instead of timing, count the machine instructions per intake of each path and of the "
                         "parse_case baseline, once each under valgrind --tool=callgrind (the same count whatever "
                         "the load); --paths narrows them")
    ap.add_argument("--paths", help=f"with --instructions, comma-separated paths to count (default: all of "
                                    f"{', '.join(INSTRUCTION_PATHS)}; a hyphen for each space)")
    ap.add_argument("--count-one", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.count_one:  # a child of --instructions, under valgrind
        count_one(args.count_one[0], int(args.count_one[1]))
        return
    if args.instructions:
        import shutil

        only = {p.strip().replace("-", " ") for p in args.paths.split(",")} if args.paths else set(INSTRUCTION_PATHS)
        if not only <= set(INSTRUCTION_PATHS):
            raise SystemExit(f"--instructions counts only {', '.join(INSTRUCTION_PATHS)}")
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        counts = {n: {name: count_instructions(name, n) for name in ("baseline", *INSTRUCTION_PATHS)
                      if name == "baseline" or name in only}
                  for n in (int(s) for s in args.sizes.split(","))}
        print("\n".join(instruction_lines(counts)))
        return
    if args.parts:
        for name, parts in count_parts(args.parts).items():
            total = sum(parts.values())
            print(f"{name}: {total:,.0f} bytecode instructions per assessment ({args.parts:,} intakes)")
            for part, count in parts.items():
                if count >= 0.0005 * total:
                    print(f"  {count:8,.0f}  {100 * count / total:5.1f} %  {part}")
        return
    if args.bytecodes:
        opcodes, calls = count_bytecodes(args.bytecodes)
        print(f"{args.bytecodes:,} intakes: {opcodes:,.0f} Python bytecode instructions and {calls:,.0f} Python "
              "calls per assessment (sys.settrace; caches warm)")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()[0]
    results = {n: measure(n, args.rounds) for n in sizes}
    load_after = os.getloadavg()[0]
    print(f"Assessments per second, in-process (medians of {args.rounds} rounds; {os.cpu_count()} CPUs; "
          f"Python {sys.version.split()[0]}; load average {load_before:.1f} before, {load_after:.1f} after); "
          "profiles us and uk alternating. Baseline: parse_case of the same intakes, same run.\n"
          "alone: assess_case of each case; batch: one AssessmentBatch over the generated cohort; "
          "distinct alone / distinct: the same cohort with no medicine text and dose met twice, assess_case "
          "alone / one batch\n")
    for label, pre in (("by CPU time", "cpu_"), ("wall-clock", "")):
        print(f"{label}:")
        print(f"{'intakes':>8}  {'baseline parse':>14}  {'alone':>9}  {'ratio':>5}  {'batch':>9}  {'ratio':>5}"
              f"  {'dist. alone':>11}  {'ratio':>5}  {'distinct':>9}  {'ratio':>5}")
        for n, r in results.items():
            base = r[pre + "parse"]
            print(f"{n:8,}  {base:12,.0f}/s  " + "  ".join(
                f"{r[pre + k]:{9 if k == 'distinct alone' else 7},.0f}/s  {base / r[pre + k]:4.1f}x"
                for k in ("alone", "batch", "distinct alone", "distinct")))
        if len(sizes) > 1:
            lo, hi = results[sizes[0]], results[sizes[-1]]
            # time per batch grows with the batch: (hi size / hi rate) / (lo size / lo rate); linear = the size ratio
            print(f"growth {sizes[0]:,} -> {sizes[-1]:,} intakes (linear: time x{sizes[-1] / sizes[0]:.1f}): " + "; ".join(
                f"{k} time x{(sizes[-1] / hi[pre + k]) / (sizes[0] / lo[pre + k]):.2f}, rate x{hi[pre + k] / lo[pre + k]:.2f}"
                for k in ("alone", "batch", "distinct alone", "distinct")))
        print()
    last = results[sizes[-1]]
    print(f"min-max alone, wall-clock, at {sizes[-1]:,}: {last['alone_min']:,.0f}-{last['alone_max']:,.0f}/s")
    for k, what in (("alone", "assess_case alone"), ("batch", "a batch, generated cohort"),
                    ("distinct alone", "assess_case alone, no text repeated"), ("distinct", "a batch, no text repeated")):
        print(f"target >= 5,000 /s by CPU time (issue 17), {what}: "
              f"{'met' if last['cpu_' + k] >= 5000 else 'NOT MET'} ({last['cpu_' + k]:,.0f}/s by CPU time, "
              f"{last[k]:,.0f}/s wall-clock, at {sizes[-1]:,} intakes)")
    if args.profile:
        profile(sizes[0], args.profile)


if __name__ == "__main__":
    main()
