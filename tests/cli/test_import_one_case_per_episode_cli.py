"""`import` refuses a second case of one episode, as the window's intake does (red-team rt11
F8), on both engines.

rt11 F8: with EX-EMERGENCY-CES (patient DEMO-1002, cauda equina red flags "yes") stored,
the same case imported under a look-alike id (``ex-emergency-ces``, U+2010 hyphens, a
Cyrillic ``Е``, full-width ``ＥＸ``) with every red flag "no" was added as a new case: one
episode twice on the worklist, the copy Not due. Same patient ID and same onset date is one
episode: the window refuses it ("A case with ID ... already exists (same patient ID and
onset date)"), now the import does too, naming the stored case, and nothing is imported.
Look-alike dashes and full-width letters are refused in any new id. A new case whose id
differs from a stored one only in capitals (another episode) is added with a warning.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

FLAGS_YES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _file(tmp_path: Path, name: str, cases: list[dict]) -> str:
    return write_json(tmp_path, cases, f"{name}.json")


def _worklist_ids(run) -> list[str]:
    code, out, err = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "json")
    assert code == 0, err
    return sorted(row["case_id"] for row in json.loads(out)["rows"])


def test_a_second_case_of_the_same_patient_and_onset_is_refused_naming_the_stored_case(run, tmp_path):
    stored = case_dict("EX-CES", patient_id="DEMO-1002", name="Sam Example", red_flags=FLAGS_YES)
    code, out, err = run("import", _file(tmp_path, "stored", [stored]))
    assert code == 0, err
    for n, look_alike in enumerate(("ex-ces", "EX-CES-2")):  # lower case, another id
        copy_ = copy.deepcopy(stored)
        copy_["case_id"] = look_alike
        copy_["red_flags"].update({"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no"})
        code, out, err = run("import", _file(tmp_path, f"copy{n}", [copy_]))
        assert code == 2, (look_alike, out, err)
        assert "nothing was imported" in err and out == ""
        assert (f"case {look_alike}: patient DEMO-1002, onset date {stored['onset_date']}, is already case EX-CES "
                "in the tracker") in err
    # an all-Cyrillic look-alike: refused as an id that looks the same as the stored one (round 14)
    copy_ = copy.deepcopy(stored)
    copy_["case_id"] = "\u0415\u0425-\u0421\u0415\u0405"
    code, out, err = run("import", _file(tmp_path, "cyrillic", [copy_]))
    assert code == 2 and "nothing was imported" in err and out == ""
    assert f"case ID {copy_['case_id']} looks the same as the case ID EX-CES already in the tracker" in err
    # look-alike dashes and full-width letters: refused as ids whatever the episode
    for n, look_alike in enumerate(("EX\u2010CES", "\uff25\uff38-CES")):
        copy_ = copy.deepcopy(stored)
        copy_["case_id"] = look_alike
        code, out, err = run("import", _file(tmp_path, f"wide{n}", [copy_]))
        assert code == 2 and "these look like ordinary letters, digits or signs" in err, (look_alike, err)
    assert _worklist_ids(run) == ["EX-CES"]
    # the stored case under its own id: an update, not a second case
    same = copy.deepcopy(stored)
    same["visits"] = [{"date": "2026-05-01", "leg_nrs": 5}]
    code, out, err = run("import", _file(tmp_path, "same", [same]))
    assert code == 0 and "1 updated" in out, err


def test_two_new_cases_of_one_episode_in_one_file_are_refused(run, tmp_path):
    first = case_dict("EX-A", patient_id="P-1", name="Ann Able")
    second = copy.deepcopy(first)
    second["case_id"] = "EX-B"
    code, out, err = run("import", _file(tmp_path, "both", [first, second]))
    assert code == 2, (out, err)
    assert "case EX-B: patient P-1, onset date" in err and "is already case EX-A earlier in this file" in err
    assert _worklist_ids(run) == []
    # another onset date is another episode of the same patient: while the first is open, only
    # deliberately (--new-episode, gp14 G10: tests/cli/test_import_open_case_cli.py); both added
    second["onset_date"] = "2026-04-01"
    code, out, err = run("import", "--new-episode", _file(tmp_path, "two", [first, second]))
    assert code == 0 and "2 added" in out, err


def test_an_id_differing_only_in_capitals_from_another_episode_is_added_with_a_warning(run, tmp_path):
    code, out, err = run("import", _file(tmp_path, "one", [case_dict("EX-CAP", patient_id="P-1", name="Ann Able")]))
    assert code == 0, err
    other = case_dict("ex-cap", patient_id="P-2", name="Bo Other")
    code, out, err = run("import", _file(tmp_path, "two", [other]))
    assert code == 0 and "1 added" in out, err
    assert "warning: case ex-cap differs from case EX-CAP only in capitals: case IDs are compared exactly" in err
    assert _worklist_ids(run) == ["EX-CAP", "ex-cap"]
    # a plain new id: no warning
    code, out, err = run("import", _file(tmp_path, "three", [case_dict("EX-NEW", patient_id="P-3", name="Cy")]))
    assert code == 0 and "warning" not in err, err


@pytest.mark.parametrize("stored, new, warned", [
    ("EX-JOS\u00c9", "ex-jos\u00e9", True),  # the accented letter in capitals and small: both engines
    ("\u0416\u0423\u041a-1", "\u0436\u0443\u043a-1", True),  # Cyrillic only: no ASCII letter to match
    ("EX-\u00c9\u00e9A", "EX-\u00e9\u00c9A", True),  # mixed capitals among the non-ASCII letters
    ("\u03a3\u039f\u03a3-1", "\u03c3\u03bf\u03c2-1", True),  # Greek final sigma: casefold, not lower()
    ("EX-JOS\u00c9", "EX-JOSE", False),  # another letter, not a capital: no warning (boundary)
])
def test_the_capitals_warning_compares_non_ascii_letters_on_both_engines(run, tmp_path, stored, new, warned):
    """ids12 left the warning to the store's search (ASCII capitals only on SQLite); the ids
    are now compared with capitals aside in every script (casefold) on both engines."""
    code, out, err = run("import", _file(tmp_path, "one", [case_dict(stored, patient_id="P-1", name="Ann Able")]))
    assert code == 0, err
    code, out, err = run("import", _file(tmp_path, "two", [case_dict(new, patient_id="P-2", name="Bo Other")]))
    assert code == 0 and "1 added" in out, err
    said = f"warning: case {new} differs from case {stored} only in capitals"
    assert (said in err) is warned, err
