"""ukcv (H-MED-469, H-MED-470) in the CLI text report: under uk, diclofenac for a patient with
cardiovascular disease is a Contraindicated alert at the top (MHRA Drug Safety Update, June 2013);
under us it is not (the FDA's class caution). Aspirin 900 mg four times a day at 31 weeks is a
Contraindicated NSAID alert; aspirin 75 mg once a day is not (FDA 2020: low-dose aspirin exempt)."""

from __future__ import annotations

import json

import pytest

from helpers.cli_run import assess_text
from tests.cli._med26_cases import case_file


def _text(capsys, path, profile="us"):
    return assess_text(capsys, path, "--profile", profile)


def _head(out):
    return " ".join(out[:out.index("ROOT LEVEL")].split())


def _with_conditions(path, **flags):
    case = json.loads(open(path).read())
    case["conditions"].update(flags)
    open(path, "w").write(json.dumps(case))
    return path


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib 200mg"])
def test_uk_cv_disease_makes_diclofenac_and_celecoxib_contraindicated_at_the_top(capsys, tmp_path, name):
    path = _with_conditions(case_file(tmp_path, [name]), cardiovascular_disease=True)
    head = _head(_text(capsys, path, "uk"))
    assert f"!! CONTRAINDICATED: Taking {name}: Cardiovascular disease (MI, stroke, angina, PAD) recorded:" in head
    assert "Stop it and choose another option" in head
    us = _head(_text(capsys, path, "us"))
    assert "CONTRAINDICATED" not in us


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_analgesic_aspirin_at_31_weeks_is_contraindicated_low_dose_is_not(capsys, tmp_path, profile):
    out = _text(capsys, case_file(tmp_path, ["aspirin 900mg qds"], pregnancy_weeks=31), profile)
    assert "!! CONTRAINDICATED: Taking aspirin 900mg qds: Pregnant, 31 weeks" in _head(out)
    low = _text(capsys, case_file(tmp_path, ["aspirin 75mg od"], pregnancy_weeks=31), profile)
    assert "aspirin 75mg od: Pregnant" not in " ".join(low.split())
