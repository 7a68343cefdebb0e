"""med26 item 3 (H-MED-442) in the CLI text report: Arthrotec (diclofenac with misoprostol) for a
pregnant patient is a Contraindicated alert (sources: misoprostol-label, arthrotec-label); before,
the assessment stopped with an unexpected TypeError (exit 70) once the alert was about a
two-ingredient product. Not pregnant, or not asked: no such alert. (The intake keeps a name in lower
case, as the report prints it.)"""

from __future__ import annotations

import pytest

from helpers.cli_run import assess_text as _text
from tests.cli._med26_cases import case_file


def test_arthrotec_in_pregnancy_is_a_contraindicated_alert(capsys, tmp_path):
    out = _text(capsys, case_file(tmp_path, ["Arthrotec 50"], pregnancy_weeks=12))
    head = " ".join(out[:out.index("MEDICINES")].split())
    assert "!! CONTRAINDICATED: Taking arthrotec 50: pregnant, 12 weeks: misoprostol is contraindicated in pregnancy" \
        in head


@pytest.mark.parametrize("answer", [{"pregnant": False}, {}])
def test_not_pregnant_or_not_asked_has_no_misoprostol_alert(capsys, tmp_path, answer):
    out = _text(capsys, case_file(tmp_path, ["Arthrotec 50"], **answer))
    assert "misoprostol is contraindicated" not in out
