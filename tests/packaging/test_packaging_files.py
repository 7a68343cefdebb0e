"""The packaging definitions parse and point at files that exist (in the repository) or
that the build produces (in dist/radiculopathy-desktop/, as packaging/build.py lays it out).

These run without building: the build itself is checked by packaging/build.py in CI.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from radiculopathy_desktop import APP_ID, __version__

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
DESKTOP_FILE = PACKAGING / "linux" / "radiculopathy-desktop.desktop"
INSTALL_SH = PACKAGING / "linux" / "install.sh"
ISS_FILE = PACKAGING / "windows" / "radiculopathy-desktop.iss"
ICONS = REPO / "resources" / "icons"
LINUX_INSTALL_DIR = PurePosixPath("/opt/radiculopathy-desktop")


def _load_build_module():
    spec = importlib.util.spec_from_file_location("packaging_build", PACKAGING / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()


# --------------------------------------------------------------------------- Linux desktop entry
def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(DESKTOP_FILE, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_parses_with_required_keys():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Radiculopathy Desktop"
    assert entry["Terminal"] == "false"
    for key in ("Categories", "Keywords"):
        assert entry[key].endswith(";"), f"{key} is a list and must end with ';'"
    assert "MedicalSoftware" in entry["Categories"].split(";")


def test_desktop_entry_exec_is_the_program_the_build_makes():
    entry = _desktop_entry()
    program = PurePosixPath(shlex.split(entry["Exec"])[0])
    assert program.is_absolute() and program.parent == LINUX_INSTALL_DIR, \
        "Exec must start the copy install.sh puts in /opt/radiculopathy-desktop"
    assert program.name == build.executable_names("linux")["gui"]
    assert entry["TryExec"] == str(program)
    # the build folder, copied to /opt by install.sh, has this program at its top level
    assert build.APP_DIR / program.name in build.expected_files(build.APP_DIR, "linux")
    assert f"dest=/opt/{build.APP}" in INSTALL_SH.read_text(encoding="utf-8")
    assert not any(code in entry["Exec"] for code in ("%f", "%F", "%u", "%U")), "the app takes no file arguments"


def test_desktop_entry_icon_is_a_theme_name_with_files_in_the_repo_and_build():
    entry = _desktop_entry()
    icon = entry["Icon"]
    assert icon == APP_ID and "/" not in icon and "." not in icon, "a theme icon name, without path or extension"
    for suffix in (".svg", ".png"):
        assert (ICONS / f"{icon}{suffix}").is_file()
        bundled = build.bundle_root(build.APP_DIR) / "resources" / "icons" / f"{icon}{suffix}"
        assert bundled in build.expected_files(build.APP_DIR, "linux")
        assert f"apps/{icon}{suffix}" in INSTALL_SH.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- icons
def test_icon_files_exist_and_load(qapp):
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    svg = QSvgRenderer(str(ICONS / f"{APP_ID}.svg"))
    assert svg.isValid()
    assert svg.defaultSize().width() == svg.defaultSize().height() > 0
    png = QImage(str(ICONS / f"{APP_ID}.png"))
    assert not png.isNull() and png.width() == png.height() >= 256
    assert png.hasAlphaChannel()
    ico = QImage(str(ICONS / f"{APP_ID}.ico"))
    assert not ico.isNull() and ico.width() >= 48


# --------------------------------------------------------------------------- Windows installer
def _iss() -> tuple[dict[str, list[str]], dict[str, str], str]:
    """(sections -> lines, preprocessor defines, raw text) of the Inno Setup script."""
    text = ISS_FILE.read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    defines: dict[str, str] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            m = re.match(r'#define\s+(\w+)\s+"([^"]*)"', line)
            if m:
                defines[m.group(1)] = m.group(2)
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            assert current not in sections, f"section [{current}] appears twice"
            sections[current] = []
            continue
        assert current is not None, f"line outside any section: {line}"
        sections[current].append(line)
    return sections, defines, text


def _expand(value: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], value)


def _setup(sections, defines) -> dict[str, str]:
    out = {}
    for line in sections["Setup"]:
        key, _, value = line.partition("=")
        out[key.strip()] = _expand(value.strip(), defines)
    return out


def _entries(sections, name, defines) -> list[dict[str, str]]:
    """Parse 'Key: "value"; Key: value' lines of a [Files]/[Icons]/[Run] section."""
    rows = []
    for line in sections.get(name, []):
        row = {}
        for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
            key, value = part
            value = value.strip()
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1].replace('""', '"')
            row[key] = _expand(value, defines)
        assert row, f"[{name}] line does not parse: {line}"
        rows.append(row)
    return rows


def _from_iss(relative_windows_path: str) -> Path:
    """A source path in the .iss (relative to its folder, backslashes) as a repo path."""
    parts = PureWindowsPath(relative_windows_path).parts
    return (ISS_FILE.parent.joinpath(*parts)).resolve()


def test_iss_parses_into_the_expected_sections():
    sections, defines, _ = _iss()
    assert {"Setup", "Files", "Icons"} <= set(sections)
    assert defines["AppVersion"] == __version__, "the installer's default version must match the app"


def test_iss_installs_per_machine_into_program_files():
    sections, defines, _ = _iss()
    setup = _setup(sections, defines)
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert "PrivilegesRequiredOverridesAllowed" not in setup, "per machine only"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"]), "a fixed AppId keeps upgrades in place"
    for key in ("LicenseFile", "SetupIconFile"):
        assert _from_iss(setup[key]).is_file(), f"{key} {setup[key]} does not exist"


def test_iss_never_deletes_user_data():
    sections, defines, text = _iss()
    assert "UninstallDelete" not in sections, "no [UninstallDelete]: user data survives uninstall"
    for row in _entries(sections, "InstallDelete", defines):
        assert row["Name"].startswith("{app}\\"), "an upgrade may only clear the program folder"
    assert "USER DATA IS NEVER DELETED" in text
    assert "%LOCALAPPDATA%\\radiculopathy-desktop" in text  # where platformdirs puts it on Windows
    for row in _entries(sections, "Files", defines):
        assert row["DestDir"].startswith("{app}"), "the installer writes only into the program folder"


def test_iss_files_come_from_the_build_or_the_repo():
    sections, defines, _ = _iss()
    rows = _entries(sections, "Files", defines)
    assert rows
    built = False
    for row in rows:
        source = row["Source"]
        if source.endswith("\\*"):
            folder = _from_iss(source[:-2])
            assert folder == build.APP_DIR.resolve(), f"{source} is not the folder packaging/build.py makes"
            assert "recursesubdirs" in row["Flags"].split()
            built = True
        else:
            assert _from_iss(source).is_file(), f"[Files] source {source} does not exist"
    assert built, "the installer must ship the whole built folder"


def test_iss_shortcuts_and_runs_point_at_built_programs():
    sections, defines, _ = _iss()
    programs = set(build.executable_names("win32").values())
    icons = _entries(sections, "Icons", defines)
    assert any(row["Name"].startswith("{autoprograms}\\") for row in icons), "a Start-menu entry"
    for row in icons + _entries(sections, "Run", defines):
        target = row["Filename"]
        assert target.startswith("{app}\\"), target
        assert target.removeprefix("{app}\\") in programs, f"{target} is not a program the build makes"
    windowed = build.executable_names("win32")["gui"]
    assert all(row["Filename"] == f"{{app}}\\{windowed}" for row in icons), "shortcuts start the windowed program"


# --------------------------------------------------------------------------- build wiring
def test_build_spec_bundles_the_resources_folder():
    spec = (PACKAGING / f"{build.APP}.spec").read_text(encoding="utf-8")
    assert '(str(REPO / "resources"), "resources")' in spec
    assert "collect_submodules(\"radiculopathy_desktop\")" in spec


def test_packaging_extra_and_ci_build_step():
    with open(REPO / "pyproject.toml", "rb") as fh:
        project = tomllib.load(fh)["project"]
    assert any(r.startswith("pyinstaller>=") for r in project["optional-dependencies"]["packaging"])
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    lines = [line.strip() for line in ci.splitlines()]
    pytest_line = next(i for i, line in enumerate(lines) if "-m pytest" in line and not line.startswith("#"))
    build_line = next(i for i, line in enumerate(lines) if "packaging/build.py" in line and not line.startswith("#"))
    assert build_line > pytest_line, "the build runs after the tests"


@pytest.mark.skipif(not build.APP_DIR.is_dir(), reason="no build in dist/ (run packaging/build.py)")
def test_an_existing_build_has_what_the_installers_need():
    assert build.check_layout(build.APP_DIR) == []
