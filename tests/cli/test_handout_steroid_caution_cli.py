"""`handout` for a steroid other than prednisolone taken now and a new NSAID beside it (red-team
rt12 F7, F9): the default sheets and what the clinician is told on stderr.

- Dexamethasone tablets label (like the prednisone label): after long-term therapy, withdraw
  gradually rather than abruptly (adrenocortical insufficiency): the steroid sheet, by default.
- NICE CKS NSAIDs (prescribing issues): a corticosteroid taken with an NSAID raises the risk of
  upper GI bleeding; consider gastroprotection. The medicine check rates it CAUTION.
"""

from __future__ import annotations

import pytest

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.commands import tracker

from .test_handout_as_of_cli import TODAY
from .test_handout_avoid_cli import _import


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)


@pytest.mark.parametrize("self_care", [False, True])
def test_dexamethasone_taken_now_gets_its_sheet_and_the_new_nsaid_names_it(run, tmp_path, self_care):
    _import(run, tmp_path, "EX-DEXA", [{"name": "dexamethasone", "daily_dose_mg": 4}], tried=[{"code": "nsaid"}])
    out = tmp_path / "dexa.pdf"
    code, _, err = run("handout", "EX-DEXA", "--out", str(out), *(["--self-care"] if self_care else []))
    assert code == 0
    assert "med_oral_steroid: taken now (dexamethasone, 4 mg a day)" in err
    assert ("med_nsaid: the medicine check rates it CAUTION with dexamethasone (Taking dexamethasone (systemic "
            "corticosteroid): higher GI ulcer and bleeding risk; add gastroprotection)") in err
    text = _text(out)
    assert "keep taking your dexamethasone, 4 mg a day" in text and "Do not stop it suddenly." in text
    assert ("You take dexamethasone. Before you start ibuprofen, ask your clinician whether it is right for you: "
            "together they raise the chance of bleeding from the stomach, and you may need a medicine to protect "
            "your stomach.") in text
