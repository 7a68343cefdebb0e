"""Start-up: process start to the worklist painted, with a 100,000-case database.

Prints, for the median of several runs, the time from process start to the first
paint of the worklist table, the same for a bare PySide6 window measured in the
same run, their ratio (target <= 2.0), and the peak memory (target < 300 MB).

The 100,000-case database is generated once with the demo generator into a
temporary folder (kept between runs with --keep DIR).

    .venv/bin/python benchmarks/bench_startup.py [--cases 100000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys, time, resource
from PySide6.QtWidgets import QApplication, QTableView, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
class T(QTableView):
    def paintEvent(self, e):
        super().paintEvent(e)
        print("PAINTED", time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        QTimer.singleShot(0, app.quit)
w = QMainWindow(); w.setCentralWidget(T()); w.resize(1200, 780); w.show()
app.exec()
"""

APP = r"""
import sys, time, resource
from pathlib import Path
from radiculopathy_desktop.ui.app import ensure_application, open_store, create_window
from radiculopathy_desktop.ui.context import AppContext
from radiculopathy_desktop.ui.events import EventHub
from PySide6.QtCore import QTimer
app = ensure_application()
store = open_store(Path(sys.argv[1]))
context = AppContext(store=store, hub=EventHub(), data_dir=Path(sys.argv[1]))
window = create_window(context)
done = []
def painted():
    if not done and window.views["worklist"].model.rowCount():
        done.append(1)
        print("PAINTED", time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              window.views["worklist"].model.rowCount(), flush=True)
        QTimer.singleShot(0, app.quit)
window.worklist_painted.connect(painted)
window.show()
app.exec()
"""


def run(code: str, *args: str) -> tuple[float, float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)
    line = next((l for l in out.stdout.splitlines() if l.startswith("PAINTED")), None)
    if line is None:
        raise SystemExit(f"the child did not paint:\n{out.stdout}\n{out.stderr}")
    parts = line.split()
    return float(parts[1]) - start, int(parts[2]) / 1024  # seconds, MB (ru_maxrss is KiB on Linux)


def make_database(folder: Path, cases: int) -> None:
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo
    t = time.perf_counter()
    store = CaseStore.open(folder)
    try:
        if store.case_count() >= cases:
            return
        populate_demo(store, cases, batch=5000)
    finally:
        store.close()
    print(f"generated {cases} cases in {time.perf_counter() - t:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="folder for the generated database (reused)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-startup-"))
    make_database(folder, args.cases)
    bare, app, mem = [], [], []
    for _ in range(args.runs):
        b, _m = run(BARE)
        a, m = run(APP, str(folder))
        bare.append(b)
        app.append(a)
        mem.append(m)
    ratio = statistics.median(app) / statistics.median(bare)
    print(f"cases: {args.cases}, runs: {args.runs}")
    print(f"bare PySide6 window painted:   median {statistics.median(bare) * 1000:.0f} ms")
    print(f"worklist painted:              median {statistics.median(app) * 1000:.0f} ms")
    print(f"ratio (target <= 2.0):         {ratio:.2f}")
    print(f"peak memory (target < 300 MB): {max(mem):.0f} MB")
    return 0 if ratio <= 2.0 and max(mem) < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
