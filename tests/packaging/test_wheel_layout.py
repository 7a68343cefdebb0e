"""A non-editable install must carry the data: pyproject lists every package and maps resources/."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed_and_resources_are_mapped_into_the_wheel():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "radiculopathy_desktop").rglob("__init__.py")}
    listed = set(cfg["packages"])
    assert on_disk <= listed, f"packages missing from pyproject: {sorted(on_disk - listed)}"
    assert cfg["package-dir"]["radiculopathy_desktop._resources"] == "resources"
    assert cfg["package-data"]["radiculopathy_desktop._resources"] == ["**/*"]
    for folder in ("guidelines", "rules", "medicines", "handouts", "schemas", "examples"):
        assert any((ROOT / "resources" / folder).iterdir()), folder
