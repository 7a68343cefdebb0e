"""`visit --imaging/--advice` (issue 16): recorded through the CLI, shown by `case`, refused in words."""

from __future__ import annotations

import json

from tracker_support import case_dict, file_state  # noqa: E402


def _seed(tmp_path, run_cli):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps([case_dict("C-1")]))
    code, _, err = run_cli("import", str(path))
    assert code == 0, err


def test_visit_records_imaging_and_advice_and_case_shows_them(tmp_path, run_cli):
    _seed(tmp_path, run_cli)
    code, out, _ = run_cli("case", "C-1")
    assert "intake: imaging not recorded; self-management advice not recorded" in out
    code, out, err = run_cli("visit", "C-1", "--date", "2026-06-01", "--leg-nrs", "6", "--imaging", "mri",
                             "--imaging-by", "non-specialist", "--imaging-reason", "suspected_serious_pathology",
                             "--advice", "given", "--printed-handout", "yes")
    assert code == 0, err
    code, out, _ = run_cli("case", "C-1")
    assert ("2026-06-01 visit: imaging MRI requested 2026-06-01 by non-specialist service; suspected serious "
            "underlying pathology; self-management advice given 2026-06-01, printed handout given") in out
    code, out, _ = run_cli("case", "C-1", "--format", "json")
    visit = json.loads(out)["case"]["visits"][0]
    assert visit["imaging"] == {"requested": True, "date": "2026-06-01", "modality": "mri", "by_specialist": False,
                                "reason": "suspected_serious_pathology"}
    assert visit["self_management"] == {"given": True, "date": "2026-06-01", "printed_handout": True}


def test_no_imaging_and_advice_not_given_are_recorded_as_no(tmp_path, run_cli):
    _seed(tmp_path, run_cli)
    code, _, err = run_cli("visit", "C-1", "--date", "2026-06-01", "--leg-nrs", "6", "--no-imaging", "--advice", "no")
    assert code == 0, err
    code, out, _ = run_cli("case", "C-1")
    assert "visit: imaging none requested; self-management advice not given" in out


def test_contradictions_are_refused_and_nothing_is_saved(tmp_path, run_cli, db_path):
    _seed(tmp_path, run_cli)
    before = file_state(db_path)
    base = ("visit", "C-1", "--date", "2026-06-01", "--leg-nrs", "6")
    for extra, message in [
        (("--imaging", "mri", "--no-imaging"), "contradict"),
        (("--imaging-by", "specialist"), "--imaging-by needs --imaging"),
        (("--printed-handout", "yes"), "--printed-handout needs --advice given"),
        (("--imaging", "mri", "--imaging-date", "2026-05-01"), "before the date of the record"),
    ]:
        code, out, err = run_cli(*base, *extra)
        assert code == 2, (extra, err)
        assert message in err, (extra, err)
    assert file_state(db_path) == before
