"""The layers: nothing under domain/ or storage/ imports Qt, directly or through another module.

Every module of both packages is imported in a fresh interpreter (so nothing this test
session has imported counts), then ``sys.modules`` is read. reports/ draws with Qt
(QTextDocument, QPainter) by design and is not checked.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import radiculopathy_desktop.domain as domain
import radiculopathy_desktop.storage as storage

QT_PREFIXES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "shiboken2", "sip")


def _modules(package) -> list[str]:
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        names.append(info.name)
    return names


CODE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
qt = tuple(json.loads(sys.argv[2]))
found = {}
for name in names:
    before = set(sys.modules)
    importlib.import_module(name)
    new = sorted(m for m in set(sys.modules) - before if m.split('.')[0] in qt)
    if new:
        found[name] = new
print(json.dumps({"found": found, "any": sorted(m for m in sys.modules if m.split('.')[0] in qt)}))
"""


@pytest.mark.parametrize("package", [domain, storage], ids=["domain", "storage"])
def test_no_module_imports_qt(package):
    names = _modules(package)
    assert len(names) > 3  # the walk found the package's modules
    out = subprocess.run([sys.executable, "-c", CODE, json.dumps(names), json.dumps(QT_PREFIXES)],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result == {"found": {}, "any": []}, f"Qt imported by: {result['found']}"


def test_the_check_sees_a_qt_import():
    """The same check on a module that does import Qt (ui.events) reports it."""
    out = subprocess.run([sys.executable, "-c", CODE, json.dumps(["radiculopathy_desktop.ui.events"]),
                          json.dumps(QT_PREFIXES)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert "PySide6" in result["found"]["radiculopathy_desktop.ui.events"]
