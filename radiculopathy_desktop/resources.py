"""Where the reviewed data files live (guidelines, schemas, examples, handouts).

Looked up in this order:

1. ``RADICULOPATHY_DESKTOP_RESOURCES`` (a folder), for packagers and tests;
2. ``resources/`` inside a frozen (PyInstaller) bundle;
3. ``radiculopathy_desktop/_resources`` when installed from a wheel
   (pyproject maps the top-level folder there);
4. the top-level ``resources/`` of a source checkout or editable install.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

ENV_VAR = "RADICULOPATHY_DESKTOP_RESOURCES"


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    candidates: list[Path] = []
    env = os.environ.get(ENV_VAR)
    if env:
        candidates.append(Path(env))
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    here = Path(__file__).resolve().parent
    candidates.append(here / "_resources")
    candidates.append(here.parent / "resources")
    for candidate in candidates:
        if (candidate / "guidelines").is_dir():
            return candidate
    raise FileNotFoundError(
        "The application's data folder (guidelines, schemas, handouts) was not found; "
        "looked in: " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
