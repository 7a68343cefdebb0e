"""A medicine rule gated on a red flag answered yes, or on a recorded condition, still fires exactly
when the intake says so (issue 17, H-ARCH-908): ``_facts`` now walks the red flags and the
condition flags only when one of them is answered yes / recorded true.

pred-infection (rules.toml): prednisone is "avoid" when fever, a recent bacterial infection, IV drug
use or immunosuppression is answered yes; not for "no" or "unknown". The NSAID heart-failure rule:
ibuprofen is "avoid" with heart failure recorded, not without.
"""

from __future__ import annotations

import pytest

from helpers.medicines import EXAMPLE_AS_OF, example_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications


def _row(d, drug, profile="us"):
    report = assess_medications(parse_case(d).intake, EXAMPLE_AS_OF, profile=profile)
    return next(r for r in report.rows if r.drug == drug)


def _rules(row):
    return {reason.rule for reason in row.reasons}


@pytest.mark.parametrize("flag", ["fever", "recent_bacterial_infection", "iv_drug_use", "immunosuppression"])
@pytest.mark.parametrize("answer, fires", [("yes", True), ("no", False), ("unknown", False)])
def test_an_infection_flag_answered_yes_and_only_yes_makes_prednisone_avoid(flag, answer, fires):
    d = example_case([("prednisolone", 40)])
    d["red_flags"] = {k: "no" for k in d["red_flags"]}
    d["red_flags"][flag] = answer
    row = _row(d, "prednisone")
    assert ("pred-infection" in _rules(row)) is fires
    if fires:
        assert row.status == "avoid" and flag.replace("_", " ") in " ".join(r.text for r in row.reasons).replace("_", " ")


def test_every_flag_no_gives_no_infection_reason():
    d = example_case([("prednisolone", 40)])
    d["red_flags"] = {k: "no" for k in d["red_flags"]}
    assert "pred-infection" not in _rules(_row(d, "prednisone"))


@pytest.mark.parametrize("recorded, avoid", [(True, True), (False, False)])
def test_heart_failure_recorded_true_and_only_true_makes_ibuprofen_avoid(recorded, avoid):
    d = example_case([("ibuprofen", 1200)])
    d.setdefault("conditions", {})["heart_failure"] = recorded
    assert (_row(d, "ibuprofen").status == "avoid") is avoid
