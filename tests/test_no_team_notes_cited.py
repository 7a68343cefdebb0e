"""No text the product shows cites the team's notes (shared/clinical/REFERENCE.md).

The brief: guideline content is reviewed data citing its PRIMARY source; the team's notes are
a starting point, never an authority, and never cited in the product. Every string value in
the shipped data files (what the loaders read and the window, reports and handouts show) is
checked; comments in the files may say where an entry was first drafted from."""

from __future__ import annotations

import tomllib

from radiculopathy_desktop.resources import resource_path


def _strings(value, where):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def test_no_shipped_data_string_cites_the_team_notes():
    root = resource_path()
    files = sorted(root.rglob("*.toml"))
    assert len(files) > 10  # the medicine, guideline, rule, instrument and handout data
    cited = []
    for f in files:
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        for where, text in _strings(data, f.relative_to(root).as_posix()):
            if "REFERENCE" in text or "shared/clinical" in text:
                cited.append(f"{where}: {text[:80]}")
    assert cited == []


def test_no_medicine_entry_cites_the_notes_as_a_source():
    """The medicine data's source ids: the notes' id ("reference") is gone from the table, so
    the loader would reject an entry citing it (a dangling source id)."""
    sources = tomllib.loads(resource_path("medicines", "sources.toml").read_text(encoding="utf-8"))
    assert "reference" not in sources["sources"]
