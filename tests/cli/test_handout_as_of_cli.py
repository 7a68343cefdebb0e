"""`handout` and the case as it stands today (red-team rt9 F2, F12, F4).

- F2: a medicine taken now at or below its maximum gets "keep taking your current dose", and
  the command names it on stderr (Neurontin label: reduce or stop gradually over at least a
  week).
- F12: ``--as-of`` is the date printed on the sheet. The red flags standing today decide the
  lead sheet (a flag recorded after ``--as-of`` still leads, and stderr says so); a date
  before the intake or after today is refused (exit 2, nothing written).
- F4: after a referral that acknowledges a cauda equina flag (NICE NG59, GIRFT pathway:
  emergency assessment), the emergency sheet still leads, and the command says a referral
  was recorded and why the sheet still leads; a later visit answering the questions "no"
  gives the routine handout.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import unicodedata

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

TODAY = dt.date(2026, 11, 28)
CES = resource_path("examples", "emergency_cauda_equina.json")  # intake 2026-11-21, CES flags
FEVER = resource_path("examples", "urgent_fever_at_follow_up_visit.json")  # intake 2026-10-01, fever 2026-11-12
ROUTINE = resource_path("examples", "routine_l5_acute.json")


def _text(path) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    data = tmp_path / "data"

    def run(*argv):
        capsys.readouterr()
        code = main(["--data-dir", str(data), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    for f in (CES, FEVER):
        assert run("import", str(f))[0] == 0
    return run


def test_the_command_names_the_medicine_kept_at_its_current_dose(run, tmp_path):
    d = json.loads(ROUTINE.read_text(encoding="utf-8"))
    d = copy.deepcopy(d)
    d["case_id"] = "EX-ON-GABAPENTIN"
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 3600}]  # the label maximum
    d["conditions"] = {**d.get("conditions", {}), "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    f = tmp_path / "gaba.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    assert run("import", str(f))[0] == 0
    out = tmp_path / "gaba.pdf"
    code, _, err = run("handout", "EX-ON-GABAPENTIN", "--out", str(out))
    assert code == 0
    assert "med_gabapentinoid: taken now (gabapentin 3600 mg a day); the sheet says to keep taking the current " \
           "dose as prescribed unless you change it, and not to stop it suddenly" in err
    text = _text(out)
    assert "keep taking gabapentin 3600 mg a day, as prescribed, unless your clinician changes it" in text
    assert "start 300 mg" not in text and "We start with a low dose" not in text
    es = tmp_path / "gaba-es.pdf"
    assert run("handout", "EX-ON-GABAPENTIN", "--lang", "es", "--out", str(es))[0] == 0
    assert "siga tomando gabapentina 3600 mg al día" in _text(es)

