"""Round 31 (H-MED-668): a regimen of several days a week is said to the patient as a whole ("twice a week",
"dos veces por semana"), never split into "twice (once a week)", which reads as a once-weekly regimen.
Meaning: the BNF's Latin abbreviations and ordinary English and Spanish frequency words (sources.toml
prescription-abbreviations, week-frequency-words)."""
from __future__ import annotations

import pytest

from radiculopathy_desktop.reports.handouts import split_regimen


@pytest.mark.parametrize("name, lang, base, said", [
    ("naproxen 500mg twice weekly", "en", "naproxen 500mg", "twice a week"),
    ("naproxen 500mg twice a week", "en", "naproxen 500mg twice a week", ""),  # already plain English: kept
    ("naproxeno 500 mg 2 veces por semana", "es", "naproxeno 500 mg", "dos veces por semana"),
    ("ibuprofen 400mg 3 times a week", "en", "ibuprofen 400mg", "three times a week"),
    ("methotrexate 15mg weekly", "en", "methotrexate 15mg", "once a week"),      # boundary: once a week unchanged
])
def test_days_a_week_are_said_whole(name, lang, base, said):
    assert split_regimen(name, lang) == (base, said)
