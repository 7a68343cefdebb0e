"""preg27 (H-MED-450) in the CLI text report: diclofenac at 31 weeks is a Contraindicated alert at
the top and the Medicines step asks for a review, as ibuprofen at 31 weeks is (FDA Drug Safety
Communication 15 October 2020: NSAIDs from 30 weeks; MHRA June 2023: systemic NSAIDs such as
ibuprofen, naproxen and diclofenac contraindicated after 28 weeks). Before, diclofenac at 31 weeks
had no pregnancy alert at all. Boundaries: us 29 weeks Avoid, 30 Contraindicated; uk 27 Avoid, 28
Contraindicated; not pregnant or not asked: no alert."""

from __future__ import annotations

import pytest

from helpers.cli_run import assess_text
from tests.cli._med26_cases import case_file


def _text(capsys, path, profile="us"):
    return assess_text(capsys, path, "--profile", profile)


def _head(out):
    return " ".join(out[:out.index("ROOT LEVEL")].split())


def test_diclofenac_at_31_weeks_is_contraindicated_at_the_top_and_the_step_asks_for_a_review(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["diclofenac 50mg tds"], pregnancy_weeks=31))
    assert ("!! CONTRAINDICATED: Taking diclofenac 50mg tds: Pregnant, 31 weeks: do not use NSAIDs from 30 weeks "
            "(premature closure of the ductus arteriosus). Stop it and choose another option.") in _head(out)
    assert "Review: diclofenac 50mg tds: contraindicated (see the medicine alerts)" in " ".join(out.split())


@pytest.mark.parametrize("profile, weeks, label", [("us", 29, "AVOID"), ("us", 30, "CONTRAINDICATED"),
                                                   ("uk", 27, "AVOID"), ("uk", 28, "CONTRAINDICATED")])
def test_the_band_boundaries_are_the_profiles(capsys, tmp_path, profile, weeks, label):
    out = _text(capsys, case_file(tmp_path, ["celecoxib 200mg"], pregnancy_weeks=weeks), profile)
    assert f"!! {label}: Taking celecoxib 200mg: Pregnant, {weeks} weeks" in _head(out)


@pytest.mark.parametrize("answer", [{"pregnant": False}, {}])
def test_not_pregnant_or_not_asked_has_no_nsaid_pregnancy_alert(capsys, tmp_path, answer):
    out = _text(capsys, case_file(tmp_path, ["diclofenac 50mg tds"], **answer))
    assert "MEDICINE SAFETY" not in _head(out) and "Pregnant," not in out
