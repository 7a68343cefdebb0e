"""med26 item 1 (H-MED-440) in the CLI text report: a PPI is recognised (no "NOT RECOGNISED",
no "not fully checked"), and beside the NSAID rows' "add gastroprotection" the report says the
PPI is already taken, with the warning itself unchanged (source: ppi-nsaid-gastroprotection)."""

from __future__ import annotations

from helpers.cli_run import assess_text as _text
from tests.cli._med26_cases import case_file


def test_omeprazole_is_recognised_in_the_text(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["omeprazole 20mg"]))
    assert "NOT RECOGNISED" not in out and "NOT FULLY CHECKED" not in out


def test_the_text_output_says_the_ppi_is_already_taken(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["aspirin 75mg", "lansoprazole 15mg"]))
    meds = " ".join(out[out.index("MEDICINES"):out.index("SCORES")].split())
    # the warning stands as written, and the PPI is named beside it on both NSAID rows
    assert meds.count("Taking aspirin 75mg (antiplatelet): higher GI bleeding risk; if an NSAID is needed, add "
                      "gastroprotection and keep the course short.") == 2
    assert meds.count("Already taking lansoprazole 15mg (proton pump inhibitor): where gastroprotection is advised "
                      "with an NSAID, a PPI is it, so none needs adding") == 2
    line = next(line for line in out.splitlines() if line.strip().startswith("Ibuprofen"))
    assert "CAUTION" in line


def test_without_a_ppi_no_such_line(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["aspirin 75mg"]))
    assert "proton pump inhibitor" not in out
