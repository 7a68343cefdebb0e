"""A regimen written in a name with no strength typed is called that, not "cannot be read" (gp20
F13).

Before: "nurofen plus 2 tabs qds" (and "co-codamol 2 tabs qds", "ibuprofen 2 tabs qds") was "check
the dose (the regimen in its name cannot be read)" on the case page, the worklist and the CSV,
although the regimen (2 tablets four times a day) was read: what is missing is the strength in
each tablet, which the long text alone said.

Boundaries: a strength typed reads the dose (no check line); a dose recorded that the name
contradicts keeps "its name says otherwise".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, dose_reductions
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
DAY = dt.date(2026, 11, 21)


def _lines(name, dose=None, profile="uk"):
    d = copy.deepcopy(BASE)
    d["medicines"] = [{"name": name, **({"daily_dose_mg": dose} if dose is not None else {})}]
    return dose_reductions(assess_medications(parse_case(d).intake, DAY, profile=profile))


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("name", ["nurofen plus 2 tabs qds", "co-codamol 2 tabs qds", "ibuprofen 2 tabs qds"])
def test_no_strength_typed_says_so(name, profile):
    assert _lines(name, profile=profile) == (
        f"{name}: check the dose (no strength typed: the mg in each tablet is not known)",)


def test_a_strength_typed_reads_the_dose():
    assert _lines("co-codamol 30/500 2 tabs qds") == ()


def test_a_recorded_dose_the_name_contradicts_keeps_its_own_reason():
    assert _lines("ibuprofen 400mg tds", 2400) == ("ibuprofen 400mg tds 2400 mg/day: check the dose (its name says "
                                                   "otherwise)",)
