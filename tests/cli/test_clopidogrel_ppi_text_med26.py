"""med26 item 2 (H-MED-441) in the CLI text report: clopidogrel with omeprazole heads the report
as an Avoid alert (sources: clopidogrel-omeprazole-fda, mhra-clopidogrel-ppi-2010); with
pantoprazole it does not (MHRA 2010: the advice is not extended to the other PPIs)."""

from __future__ import annotations

from helpers.cli_run import assess_text as _text
from tests.cli._med26_cases import case_file


def test_clopidogrel_with_omeprazole_is_an_avoid_alert_at_the_top(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["clopidogrel 75mg", "omeprazole 20mg"]))
    head = " ".join(out[:out.index("MEDICINES")].split())
    assert "MEDICINE SAFETY: 1 current medicine alert" in head
    assert "!! AVOID: Taking clopidogrel 75mg with omeprazole 20mg: Clopidogrel with omeprazole or esomeprazole" in head


def test_clopidogrel_with_pantoprazole_has_no_alert(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["Plavix", "pantoprazole 40mg"]))
    assert "MEDICINE SAFETY" not in out[:out.index("MEDICINES")]
    assert "CYP2C19" not in out
