"""Start-up: process start to the worklist painted, against a bare PySide6 window in the same run.

Prints, for the median of several runs, the time from process start (the benchmark's
clock just before it spawns the child) to the first paint of the worklist table
showing rows from the database, the same for a bare PySide6 window (a QMainWindow
holding an empty QTableView) measured in the same run (the baseline), their ratio
(target <= 1.5, issue 17), the peak memory (``ru_maxrss``) of the app child at paint
and of the bare window (target < 150 MB), and, with two or more sizes, the growth of
the figure from the smallest database to the largest. The CPU time of each child up to
its paint is printed beside (steadier than elapsed time on a loaded machine), and below it
the CPU time of each phase (medians): for the app, the interpreter, ``ui.app``'s import,
the storage and domain imports, PySide6's import, the QApplication, the folder claim and
crash guard, the store's opening, the window's context, its build (with the first page's
query; the store's query time is given apart) and its showing and first paint; for the
bare window, the interpreter, PySide6, the QApplication, the window and its paint.

The app child runs the real start-up path: ``radiculopathy_desktop.ui.app.run_app``
on the data folder, exactly what ``radiculopathy-desktop --data-dir DIR`` calls. The
benchmark only wraps ``ui.app.create_window`` to listen for the worklist's first
paint (and for every count on the filter buttons being shown, the Medicine alerts figure from its
worker last, reported separately). Bare and app
runs are interleaved; one warm-up run of each is discarded. ``--entry cli`` starts
through the command-line entry point instead (``cli.main(["--data-dir", DIR])``).
By default the children keep compiled bytecode (in a scratch folder), as an
installed app does; ``--bytecode as-is`` passes this environment through unchanged
(with PYTHONDONTWRITEBYTECODE set, every start then recompiles the package).

Each size's database is generated once with the demo generator into a temporary
folder (``--keep DIR`` keeps them as DIR/db<cases> and reuses them; bench_batch.py
uses the same layout).

``--instructions`` also runs each child once under ``valgrind --tool=callgrind``, exiting at
its paint, and prints the instructions each executed to get there and their ratio: a count
that does not move with the load of a shared machine, for before/after comparisons.

    .venv/bin/python benchmarks/bench_startup.py [--cases 10000,100000] [--runs 7] [--keep DIR]
        [--entry run_app|cli] [--bytecode cached|as-is] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import os, sys, time, resource
phases = [("interpreter and site", time.process_time())]
from PySide6.QtWidgets import QApplication, QTableView, QMainWindow
from PySide6.QtCore import QTimer
phases.append(("import PySide6", time.process_time()))
app = QApplication(sys.argv[:1])
phases.append(("QApplication", time.process_time()))
class T(QTableView):
    def paintEvent(self, e):
        super().paintEvent(e)
        phases.append(("window shown and painted", time.process_time()))
        print("PAINTED", time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time(),
              flush=True)
        print("PHASES", ";".join(f"{name}={t}" for name, t in phases), flush=True)
        if os.environ.get("BENCH_EXIT_AT_PAINT"):
            os._exit(0)  # --instructions: the count ends at the paint
        QTimer.singleShot(0, app.quit)
w = QMainWindow(); w.setCentralWidget(T()); w.resize(1200, 780)
phases.append(("window built", time.process_time()))
w.show()
app.exec()
"""

# The real start-up path; only create_window is wrapped, to hear the worklist paint.
APP = r"""
import os, sys, time, resource
# Per-phase CPU time (process_time) up to the paint: each phase's end is marked by wrapping
# the start-up's own functions (they run unchanged); the store's queries are summed apart.
phases = [("interpreter and site", time.process_time())]
store_cpu = [0.0]

def mark(name):
    phases.append((name, time.process_time()))

from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
import radiculopathy_desktop.ui.startup as startup_module
mark("import ui.app")

def wrap(owner, name, before=None, after=None):
    inner = getattr(owner, name)
    def wrapped(*args, **kwargs):
        if before:
            mark(before)
        result = inner(*args, **kwargs)
        if after:
            mark(after)
        return result
    setattr(owner, name, wrapped)

def timed_store(store):
    for name in ("worklist", "status_counts"):
        inner = getattr(store, name, None)
        if inner is None:
            continue
        def call(*args, _inner=inner, **kwargs):
            t = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                if "painted" not in seen:
                    store_cpu[0] += time.process_time() - t
        setattr(store, name, call)

_ensure = app_module.ensure_application
def ensure_application(*args, **kwargs):
    mark("storage and domain imports")
    import PySide6.QtWidgets  # noqa: F401
    mark("import PySide6")
    app = _ensure(*args, **kwargs)
    mark("QApplication")
    return app
app_module.ensure_application = ensure_application
wrap(startup_module.StartupSequence, "_open_with_recovery", before="folder claim and crash guard", after="store opened")

_create_window = app_module.create_window
seen = {}

def create_window(context):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    timed_store(context.store)
    mark("window context")
    window = _create_window(context)
    mark("window built (first page read)")
    view = window.views["worklist"]

    def finish():
        if "painted" in seen and "counted" in seen and "quit" not in seen:
            seen["quit"] = True
            QTimer.singleShot(0, QApplication.instance().quit)

    def painted():
        rows = view.model.rowCount()
        if "painted" not in seen and rows:
            seen["painted"] = True
            mark("shown and painted")
            print("PAINTED", time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time(),
                  rows, flush=True)
            print("PHASES", ";".join(f"{name}={t}" for name, t in phases) + f";store queries={store_cpu[0]}",
                  flush=True)
            if os.environ.get("BENCH_EXIT_AT_PAINT"):
                os._exit(0)  # --instructions: the count ends at the paint
            finish()

    def counted():
        # every button's figure shown: since st20 the Medicine alerts figure comes last, from its worker
        if "counted" not in seen:
            seen["counted"] = True
            print("COUNTED", time.time(), view.all_button.text() + "; " + view.medicines_button.text(), flush=True)
            finish()

    window.worklist_painted.connect(painted)
    view.counts_shown.connect(counted)
    return window

app_module.create_window = create_window
if sys.argv[2] == "cli":
    from radiculopathy_desktop import cli
    code = cli.main(["--data-dir", sys.argv[1]])
else:
    code = app_module.run_app(Path(sys.argv[1]))
print("EXIT", code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def run(code: str, *args: str, env: dict) -> dict:
    """Start a child; return the seconds from just before the spawn to each event it printed."""
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=600)
    events: dict = {}
    for line in out.stdout.splitlines():
        parts = line.split(maxsplit=2 if line.startswith("COUNTED") else 4)
        if parts and parts[0] == "PHASES":
            events["PHASES"] = phase_times(line.split(maxsplit=1)[1])
        elif parts and parts[0] in ("PAINTED", "COUNTED"):
            events[parts[0]] = (float(parts[1]) - start, *parts[2:])
        elif parts and parts[0] == "EXIT":
            events["EXIT"] = (int(parts[1]), int(parts[2]) / 1024)
    if "PAINTED" not in events:
        raise SystemExit(f"the child did not paint (exit {out.returncode}):\n{out.stdout}\n{out.stderr[-4000:]}")
    return events


def count_instructions(code: str, *args: str, env: dict) -> int:
    """Instructions one child executes from process start to its first paint (it exits there),
    counted by valgrind's callgrind: the same count on every run of the same code, whatever the
    load, so a before/after comparison needs one run each (about 20 s under valgrind)."""
    import re
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                          code, *args], capture_output=True, text=True, env=dict(env, BENCH_EXIT_AT_PAINT="1"),
                         timeout=900)
    if "PAINTED" not in out.stdout:
        raise SystemExit(f"the child did not paint under valgrind (exit {out.returncode}):\n{out.stderr[-4000:]}")
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-4000:]}")
    return int(found.group(1))


def phase_times(text: str) -> dict[str, float]:
    """A child's PHASES line: each phase's CPU seconds (the time since the previous mark; the
    first, from process start). ``store queries`` is already a duration (the store's worklist
    and status-count calls before the paint, inside the window's build)."""
    out: dict[str, float] = {}
    previous = 0.0
    for item in text.split(";"):
        name, _, value = item.rpartition("=")
        if name == "store queries":
            out[name] = float(value)
            continue
        out[name] = float(value) - previous
        previous = float(value)
    return out


def median_phases(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each phase's median over the runs, in the order the phases happen."""
    names = list(runs[0]) if runs else []
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def make_database(folder: Path, cases: int) -> None:
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo
    t = time.perf_counter()
    store = CaseStore.open(folder)
    try:
        if store.case_count() >= cases:
            return
        populate_demo(store, cases, batch=5000, medicines=False)  # the cohort its figures were measured on
    finally:
        store.close()
    print(f"generated {cases} cases in {time.perf_counter() - t:.1f} s")


def measure(args, folder: Path, env: dict):
    """Interleaved bare and app runs (the first of each is a discarded warm-up)."""
    bare, painted, counted, mem, exit_mem, bare_mem, bare_cpu, cpu = [], [], [], [], [], [], [], []
    app_phases, bare_phases = [], []
    rows = counts_text = None
    for n in range(max(args.runs, 5) + 1):
        b = run(BARE, env=env)
        a = run(APP, str(folder), args.entry, env=env)
        if a.get("EXIT", (0,))[0] != 0:
            raise SystemExit(f"the app exited with code {a['EXIT'][0]}")
        if "COUNTED" not in a:
            raise SystemExit("the worklist never showed its status counts")
        if n == 0:
            continue  # warm-up: page cache and Python bytecode, for both
        bare.append(b["PAINTED"][0])
        bare_mem.append(int(b["PAINTED"][1]) / 1024)
        bare_cpu.append(float(b["PAINTED"][2]))
        cpu.append(float(a["PAINTED"][2]))
        painted.append(a["PAINTED"][0])
        counted.append(a["COUNTED"][0])
        mem.append(int(a["PAINTED"][1]) / 1024)
        exit_mem.append(a.get("EXIT", (0, 0))[1])
        rows, counts_text = a["PAINTED"][3], a["COUNTED"][1]
        app_phases.append(a.get("PHASES", {}))
        bare_phases.append(b.get("PHASES", {}))
    return (bare, painted, counted, mem, exit_mem, bare_mem, rows, counts_text, bare_cpu, cpu,
            median_phases(app_phases), median_phases(bare_phases))


def print_phases(app: dict[str, float], bare: dict[str, float]) -> None:
    """Where the CPU time to the paint goes, phase by phase (medians), app beside bare window."""
    print("  CPU by phase, median ms (each phase ends where the next begins):")
    for name, value in app.items():
        if name == "store queries":
            continue
        note = " (of which the store's worklist and count queries: " \
               f"{app['store queries'] * 1000:.0f} ms)" if name.startswith("window built") and "store queries" in app \
            else ""
        print(f"    app  {name:<34}{value * 1000:7.1f}{note}")
    for name, value in bare.items():
        print(f"    bare {name:<34}{value * 1000:7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="100000", help="database size(s), comma-separated (e.g. 10000,100000)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (median; at least 5)")
    parser.add_argument("--keep", type=Path, default=None, help="folder for the generated databases (reused)")
    parser.add_argument("--entry", choices=("run_app", "cli"), default="run_app",
                        help="start through ui.app.run_app (default) or the command-line entry point")
    parser.add_argument("--bytecode", choices=("cached", "as-is"), default="cached",
                        help="cached (default): the children keep compiled bytecode in a scratch folder, as "
                             "an installed app does (pip and PyInstaller ship compiled bytecode; the warm-up run "
                             "fills it); as-is: they inherit this environment, so with PYTHONDONTWRITEBYTECODE "
                             "set every start recompiles the package's source")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions each child runs up to its paint, once each under "
                             "valgrind --tool=callgrind (deterministic: the same count whatever the load)")
    args = parser.parse_args()
    sizes = [int(x) for x in str(args.cases).split(",")]
    parent = args.keep or Path(tempfile.mkdtemp(prefix="bench-startup-"))
    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-env-"))
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(scratch / "logs"))
    # the children are the real app: its QSettings (window geometry, last folder) go to a scratch
    # folder, never the user's ~/.config (a run wrote an offscreen 800x800 geometry there); the bare
    # window gets the same environment, so the two stay comparable
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("RADICULOPATHY_DESKTOP_DATA_DIR", None)
    if args.bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    bytecode = ("cached, as installed" if not env.get("PYTHONDONTWRITEBYTECODE")
                else "package recompiled at every start (PYTHONDONTWRITEBYTECODE)")
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"
    results = {}
    instructions: dict[int, tuple[int, int]] = {}
    load_before = os.getloadavg()[0]
    try:
        for n in sizes:
            folder = parent / f"db{n}"
            make_database(folder, n)
            results[n] = measure(args, folder, env)
            if args.instructions:
                instructions[n] = (count_instructions(BARE, env=env),
                                   count_instructions(APP, str(folder), args.entry, env=env))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ok = True
    print(f"runs: {args.runs} of each after one warm-up, interleaved, entry: {args.entry}, bytecode: {bytecode}, "
          f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after")
    for n in sizes:
        (bare, painted, counted, mem, exit_mem, bare_mem, rows, counts_text, bare_cpu, cpu, app_phases,
         bare_phases) = results[n]
        ratio = statistics.median(painted) / statistics.median(bare)
        ok = ok and ratio <= 1.5 and max(mem) < 150
        print(f"cases: {n:,}")
        print(f"  baseline: bare PySide6 window painted: {ms(bare)}, peak memory {max(bare_mem):.0f} MB")
        print(f"  figure: worklist painted ({rows} rows):  {ms(painted)}")
        print(f"  every count shown ({counts_text}): {ms(counted)}")
        print(f"  ratio (target <= 1.5):                 {ratio:.2f}")
        cpu_ratio = statistics.median(cpu) / statistics.median(bare_cpu)
        print(f"  CPU to paint (steadier under load): median {statistics.median(cpu) * 1000:.0f} ms, bare window "
              f"{statistics.median(bare_cpu) * 1000:.0f} ms, ratio {cpu_ratio:.2f}")
        print(f"  peak memory at paint (target < 150 MB): {max(mem):.0f} MB; whole run to exit: {max(exit_mem):.0f} MB")
        if n in instructions:
            bare_ir, app_ir = instructions[n]
            print(f"  instructions to paint (callgrind, one run each): app {app_ir / 1e6:,.0f} M, bare window "
                  f"{bare_ir / 1e6:,.0f} M, ratio {app_ir / bare_ir:.2f}")
        print_phases(app_phases, bare_phases)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        first, last = statistics.median(results[small][1]), statistics.median(results[large][1])
        mem_first, mem_last = max(results[small][3]), max(results[large][3])
        cpu_first, cpu_last = statistics.median(results[small][9]), statistics.median(results[large][9])
        counted_first, counted_last = statistics.median(results[small][2]), statistics.median(results[large][2])
        line = (f"growth {small:,} -> {large:,} cases: paint {last / first:.2f}x, CPU to paint "
                f"{cpu_last / cpu_first:.2f}x, every count shown {counted_last / counted_first:.2f}x, "
                f"peak memory {mem_last / mem_first:.2f}x")
        if small in instructions and large in instructions:
            line += f", instructions {instructions[large][1] / instructions[small][1]:.2f}x"
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
