#!/usr/bin/env python3
"""Build the one-folder application (dist/radiculopathy-desktop/) and self-test it.

    .venv/bin/pip install -e '.[packaging]'
    .venv/bin/python packaging/build.py            # build, then run the built --self-test
    .venv/bin/python packaging/build.py --no-build # only self-test an existing build

Steps: PyInstaller with packaging/radiculopathy-desktop.spec; check the folder holds
what the installers expect (the program, the data folder, the icon, the offscreen
platform and print-support Qt plugins); run the built program's ``--self-test`` with
QT_QPA_PLATFORM=offscreen and a temporary HOME/data folder. Exits non-zero if any step
fails, so CI fails with it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = "radiculopathy-desktop"
SPEC = REPO / "packaging" / f"{APP}.spec"
DIST = REPO / "dist"
WORK = REPO / "build" / "pyinstaller"
APP_DIR = DIST / APP
SELF_TEST_TIMEOUT_S = 120


def executable_names(platform: str = sys.platform) -> dict[str, str]:
    """The programs in the built folder: ``gui`` starts the window, ``cli`` runs commands."""
    if platform == "win32":
        return {"gui": f"{APP}.exe", "cli": f"{APP}-cli.exe"}
    return {"gui": APP, "cli": APP}


def bundle_root(app_dir: Path = APP_DIR) -> Path:
    """Where PyInstaller (>= 6) puts libraries and data: ``_internal/`` beside the program."""
    return app_dir / "_internal"


def expected_files(app_dir: Path = APP_DIR, platform: str = sys.platform) -> list[Path]:
    """Files the installers and the desktop entry rely on; the build fails without them."""
    root = bundle_root(app_dir)
    names = executable_names(platform)
    files = [app_dir / n for n in sorted(set(names.values()))]
    files += [
        root / "resources" / "guidelines" / "manifest.toml",
        root / "resources" / "handouts",
        root / "resources" / "examples",
        root / "resources" / "unicode" / "confusables.txt",  # the look-alike id check (UTS #39)
        root / "resources" / "icons" / f"{APP}.svg",
        root / "resources" / "icons" / f"{APP}.png",
    ]
    return files


def qt_plugin(app_dir: Path, kind: str, stem: str) -> list[Path]:
    plugins = bundle_root(app_dir) / "PySide6" / "Qt" / "plugins" / kind
    if not plugins.is_dir():
        plugins = bundle_root(app_dir) / "PySide6" / "plugins" / kind  # Windows wheel layout
    return sorted(plugins.glob(f"*{stem}*")) if plugins.is_dir() else []


def check_layout(app_dir: Path = APP_DIR) -> list[str]:
    problems = [f"missing {p.relative_to(app_dir.parent)}" for p in expected_files(app_dir) if not p.exists()]
    if not qt_plugin(app_dir, "platforms", "offscreen"):
        problems.append("missing the Qt offscreen platform plugin")
    if sys.platform.startswith("linux") and not qt_plugin(app_dir, "printsupport", "cups"):
        problems.append("missing the Qt print-support (CUPS) plugin")
    if sys.platform == "win32" and not qt_plugin(app_dir, "platforms", "qwindows"):
        problems.append("missing the Qt windows platform plugin")
    return problems


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(clean: bool) -> None:
    if APP_DIR.exists():
        shutil.rmtree(APP_DIR)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=REPO, check=True)


def self_test(app_dir: Path = APP_DIR) -> int:
    program = app_dir / executable_names()["cli"]
    with tempfile.TemporaryDirectory(prefix="radiculopathy-build-selftest-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RADICULOPATHY_DESKTOP_")}
        env.update(QT_QPA_PLATFORM="offscreen", HOME=home, XDG_CONFIG_HOME=str(Path(home) / "config"),
                   XDG_DATA_HOME=str(Path(home) / "data"), XDG_CACHE_HOME=str(Path(home) / "cache"),
                   RADICULOPATHY_DESKTOP_DATA_DIR=str(Path(home) / "must-not-be-used"))
        env.pop("PYTHONPATH", None)
        print(f"+ {program} --self-test", flush=True)
        # run from an unrelated folder so the checkout's resources/ cannot be picked up by accident
        result = subprocess.run([str(program), "--self-test"], cwd=home, env=env, timeout=SELF_TEST_TIMEOUT_S)
        if (Path(home) / "must-not-be-used").exists():
            print("self-test touched the user data folder; it must only use a temporary one", file=sys.stderr)
            return 1
        return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="self-test the existing dist/ folder only")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if not args.no_build:
        try:
            build(args.clean)
        except subprocess.CalledProcessError as exc:
            print(f"build failed: PyInstaller exited with {exc.returncode}", file=sys.stderr)
            return 1
    problems = check_layout()
    if problems:
        print("build incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    size_mb = folder_size(APP_DIR) / 1e6
    print(f"built {APP_DIR.relative_to(REPO)}/ ({size_mb:.0f} MB) in {time.monotonic() - started:.0f} s", flush=True)
    code = self_test()
    if code != 0:
        print(f"the built app's self-test failed (exit {code})", file=sys.stderr)
        return 1
    print(f"build and self-test passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
