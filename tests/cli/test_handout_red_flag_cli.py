"""`handout` for a patient with a standing red flag (red-team rt8 F3): the command says on
stderr what it printed and why, the PDF leads with what to do now, and the emergency number
follows the guideline profile when the clinic's country is not set, as in the window
(hazard H-UI-23)."""

from __future__ import annotations

import json

from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.cli import main
from radiculopathy_desktop.resources import resource_path

CES = resource_path("examples", "emergency_cauda_equina.json")
ROUTINE = resource_path("examples", "routine_s1_follow_up_due.json")


def test_the_command_says_what_it_printed_for_an_emergency_patient(tmp_path, capsys):
    d = tmp_path / "data"
    for f in (CES, ROUTINE):
        assert main(["--data-dir", str(d), "import", str(f)]) == 0
    capsys.readouterr()
    ces_id = json.loads(CES.read_text())["case_id"]
    out = tmp_path / "ces.pdf"
    assert main(["--data-dir", str(d), "handout", ces_id, "--profile", "uk", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "EMERGENCY red flag standing (suspected cauda equina syndrome" in err
    assert "Go to the emergency department now" in err and "about_sciatica" in err
    text = _text(out)
    assert "call 999" in text and "your local emergency number" not in text  # the uk profile's number
    assert "Will it get better" not in text
    # a routine patient: no note, the routine sheets
    routine_out = tmp_path / "routine.pdf"
    assert main(["--data-dir", str(d), "handout", json.loads(ROUTINE.read_text())["case_id"],
                 "--out", str(routine_out)]) == 0
    assert "red flag" not in capsys.readouterr().err
    assert "Will it get better" in _text(routine_out)
    # the emergency sheet asked for a patient without the flag: refused, nothing written
    refused = tmp_path / "refused.pdf"
    assert main(["--data-dir", str(d), "handout", json.loads(ROUTINE.read_text())["case_id"],
                 "--sheets", "emergency_now", "--out", str(refused)]) == 2
    assert "no emergency or urgent red flag stands" in capsys.readouterr().err
    assert not refused.exists()
