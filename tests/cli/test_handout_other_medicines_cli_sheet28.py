"""sheet28 from the command line: `handout` names misoprostol in pregnancy and clopidogrel with
omeprazole in English and Spanish (H-MED-464), and a sheet dated with --as-of says the pregnancy
weeks of that date, not of today (H-MED-467).

Sources: misoprostol-label / arthrotec-label (boxed warning: not to be taken by a pregnant woman;
birth defects, abortion, premature birth); clopidogrel-omeprazole-fda (Plavix label 7.1: avoid
omeprazole); fda-nsaid-pregnancy-2020 (avoid NSAIDs from 20 weeks; at around 30 weeks, heart
problems in the unborn baby): 29 weeks asks, 31 weeks says "Do not take it".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

ROUTINE = resource_path("examples", "routine_l5_acute.json")  # intake 2026-11-19, female
INTAKE = dt.date(2026, 11, 19)
TODAY = INTAKE + dt.timedelta(weeks=2)


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)


def _import(run, tmp_path, case_id, meds, weeks=None):
    d = copy.deepcopy(json.loads(ROUTINE.read_text(encoding="utf-8")))
    d["case_id"] = case_id
    d["patient"]["id"] = "P-" + case_id
    d["patient"].update(birth_date="1994-01-01", sex="female", weight_kg=70)
    if weeks is not None:
        d["patient"].update(pregnant=True, pregnancy_weeks=weeks)
    d["conditions"] = {"alcohol_use": "within_limits", "serum_creatinine": {"value": 0.8, "unit": "mg/dL"}}
    d["medicines"] = meds
    f = tmp_path / f"{case_id}.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    assert run("import", str(f))[0] == 0


def _handout(run, tmp_path, case_id, *extra, err_has=None):
    out = tmp_path / f"{case_id}{'-'.join(extra)}.pdf"
    code, _, err = run("handout", case_id, "--out", str(out), *extra)
    assert code == 0, err
    if err_has is not None:  # what the clinician is told
        assert err_has in " ".join(err.split())
    return " ".join(_text(out).split())


def test_misoprostol_in_pregnancy_is_on_the_printed_handout_en_es(run, tmp_path):
    _import(run, tmp_path, "EX-MISO", [{"name": "misoprostol 200mcg"}, {"name": "ibuprofen 400mg tds",
                                                                        "daily_dose_mg": 1200}], weeks=22)
    en = _handout(run, tmp_path, "EX-MISO", err_has="The handout names, in a box of its own (no printed sheet covers "
                  "them), what the medicine check rates: misoprostol 200mcg: CONTRAINDICATED.")
    assert "You take misoprostol 200mcg. Do not take it: it contains misoprostol, which must not be taken at any " \
           "time in pregnancy, as it can cause a miscarriage, birth defects or a baby born too early." in en
    es = _handout(run, tmp_path, "EX-MISO", "--lang", "es")
    assert "Usted toma misoprostol 200mcg. No lo tome: contiene misoprostol, que no debe tomarse en ningún " \
           "momento del embarazo" in es


def test_clopidogrel_with_omeprazole_is_on_the_printed_handout_en_es(run, tmp_path):
    _import(run, tmp_path, "EX-CLOP", [{"name": "clopidogrel 75mg"}, {"name": "omeprazole 20mg"}])
    en = _handout(run, tmp_path, "EX-CLOP", err_has="clopidogrel 75mg with omeprazole 20mg: AVOID.")
    assert "You take clopidogrel 75mg and omeprazole 20mg. The medicine check says they should not be taken " \
           "together" in en
    assert "Do not stop either of them on your own." in en
    es = _handout(run, tmp_path, "EX-CLOP", "--lang", "es")
    assert "Usted toma clopidogrel 75mg y omeprazol 20mg. La revisión de medicamentos dice que no deben " \
           "tomarse juntos" in es


def test_the_weeks_are_those_of_the_date_printed(run, tmp_path):
    """29 weeks at the intake; printed today (2 weeks later) the sheet says 31 weeks and "Do not take
    it"; dated the intake day with --as-of, it says 29 weeks and asks, as it did that day."""
    _import(run, tmp_path, "EX-WEEKS", [{"name": "ibuprofen 400mg tds", "daily_dose_mg": 1200}], weeks=29)
    today = _handout(run, tmp_path, "EX-WEEKS")
    assert "You are 31 weeks pregnant." in today and "Do not take it" in today
    dated = _handout(run, tmp_path, "EX-WEEKS", "--as-of", INTAKE.isoformat())
    assert "gave it to you on 19 November 2026" in dated
    assert "You are 29 weeks pregnant." in dated and "You are 31 weeks pregnant." not in dated
    assert "Ask before your next dose" in dated and "Do not take it" not in dated
    es = _handout(run, tmp_path, "EX-WEEKS", "--as-of", INTAKE.isoformat(), "--lang", "es")
    assert "Está embarazada de 29 semanas." in es and "31 semanas" not in es
