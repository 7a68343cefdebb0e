"""Decisions read as sentences at the command line too (issue 13): "Continue conservative care
until 10 Jan 2027", never "until a date (until 2027-01-10)"."""

from __future__ import annotations

import json

from tracker_support import ANCHOR, case_dict  # noqa: E402


def test_case_shows_a_continue_decision_as_a_sentence(tmp_path, run_cli):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(case_dict("C-1")))
    assert run_cli("import", str(path))[0] == 0
    until = ANCHOR.replace(year=ANCHOR.year + 1, month=1, day=10)
    code, out, err = run_cli("decide", "C-1", "--kind", "continue_conservative_care", "--until", until.isoformat(),
                             "--by", "Dr A")
    assert code == 0, err
    code, out, err = run_cli("case", "C-1")
    assert code == 0, err
    assert f"Continue conservative care until 10 Jan {until.year}" in out
    assert "until a date" not in out
