"""CLI ``import`` and ``assess`` refuse a clinician name longer than the intake allows (gp21
F6: a 153-character clinician took five lines of every handout page's header), exit 2, naming
the field, the limit and the length; nothing is imported. At the limit it is accepted. A case
stored before the limit stays readable (only new input is checked)."""

from __future__ import annotations

import json

import pytest

from helpers.cli_run import run_main
from radiculopathy_desktop.domain.intake import MAX_CLINICIAN_NAME, parse_case
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _file(tmp_path, clinician: str):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**BASE, "clinician": clinician}), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["assess"], ["import", "--acknowledge-red-flags"]])
@pytest.mark.parametrize("length, refused", [(MAX_CLINICIAN_NAME - 1, False), (MAX_CLINICIAN_NAME, False),
                                             (MAX_CLINICIAN_NAME + 1, True), (153, True)])
def test_an_over_long_clinician_is_refused_with_exit_2_naming_the_field(tmp_path, capsys, command, length, refused):
    path = _file(tmp_path, "Dr " + "X" * (length - 3))
    code, out, err = run_main(capsys, ["--data-dir", str(tmp_path / "data"), command[0], str(path), *command[1:]])
    if refused:
        assert code == 2, (out, err)
        assert f"clinician: at most {MAX_CLINICIAN_NAME} characters (this one has {length})" in err
    else:
        assert code == 0, (out, err)
        assert "clinician: at most" not in err


def test_spaces_at_either_end_do_not_count():
    parse_case({**BASE, "clinician": "  " + "X" * MAX_CLINICIAN_NAME + "  "}, new_input=True)


def test_a_stored_case_with_a_longer_clinician_stays_readable():
    case = parse_case({**BASE, "clinician": "X" * 153})
    assert case.intake.clinician == "X" * 153
