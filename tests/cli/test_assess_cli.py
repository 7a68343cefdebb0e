"""`radiculopathy-desktop assess`: every example assesses; corrupted copies exit 2 naming the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.resources import resource_path

EXAMPLES = sorted(resource_path("examples").glob("*.json"))
ASSESSMENT_SCHEMA = json.loads(resource_path("schemas", "assessment.schema.json").read_text())
EXPECTED_TIER = {"emergency": "emergency", "urgent": "urgent", "routine": "routine"}


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_every_example_assesses_and_matches_the_output_schema(capsys, path, profile):
    code, out, err = run(capsys, "assess", str(path), "--as-of", "2026-11-21", "--format", "json", "--profile", profile)
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, ASSESSMENT_SCHEMA)
    assert data["triage"]["tier"] == EXPECTED_TIER[path.stem.split("_")[0]]
    assert data["guideline"]["profile"] == profile and data["guideline"]["content_version"]
    for step in data["pathway"]["steps"]:
        for rec in step["recommendations"]:
            assert rec["sources"], f"{rec['id']} has no source"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_prints_as_text(capsys, path):
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-21")
    assert code == 0
    assert "URGENCY:" in out and "SURGICAL REVIEW:" in out and "MEDICINES" in out
    assert "does not replace clinical judgement" in out


CORRUPTIONS = [
    (lambda d: d.update(onset_date="2026-02-30"), "onset_date"),
    (lambda d: d.update(visit_date="1999-01-01"), "visit_date"),
    (lambda d: d["pain"].update(leg_nrs=14), "pain.leg_nrs"),
    (lambda d: d["red_flags"].update(fever="perhaps"), "red_flags.fever"),
    (lambda d: d["patient"].pop("id"), "patient.id"),
    (lambda d: d.update(side="middle"), "side"),
]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("corrupt, field", CORRUPTIONS, ids=[c[1] for c in CORRUPTIONS])
def test_corrupted_copy_exits_2_naming_the_field(capsys, tmp_path, path, corrupt, field):
    data = json.loads(path.read_text())
    corrupt(data)
    bad = tmp_path / path.name
    bad.write_text(json.dumps(data))
    code, out, err = run(capsys, "assess", str(bad), "--as-of", "2026-11-21")
    assert code == 2
    assert out == ""
    assert field in err
    assert "Traceback" not in err


@pytest.mark.parametrize("content, expected", [
    (b"{not json", "is not valid JSON"),
    (b"\xff\xfe\x00garbage", "is not UTF-8"),
    (b"[]", "holds no cases"),
    (b"42", "case must be an object"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
])
def test_malformed_files_exit_2(capsys, tmp_path, content, expected):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, _, err = run(capsys, "assess", str(bad))
    assert code == 2
    assert expected in err


def test_missing_file_and_bad_date_and_profile(capsys, tmp_path):
    code, _, err = run(capsys, "assess", str(tmp_path / "nope.json"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "assess", str(EXAMPLES[0]), "--as-of", "2026-02-30")
    assert code == 2 and "--as-of: 2026-02-30 is not a real date" in err
    with pytest.raises(SystemExit) as info:
        main(["assess", str(EXAMPLES[0]), "--profile", "fr"])
    assert info.value.code == 2


def test_several_cases_in_one_file_give_a_json_list(capsys, tmp_path):
    cases = [json.loads(p.read_text()) for p in EXAMPLES[:3]]
    f = tmp_path / "batch.json"
    f.write_text(json.dumps({"cases": cases}))
    code, out, _ = run(capsys, "assess", str(f), "--as-of", "2026-11-21", "--format", "json")
    assert code == 0
    assert [d["case_id"] for d in json.loads(out)] == [c["case_id"] for c in cases]


def test_batch_with_one_invalid_case_names_that_case(capsys, tmp_path):
    cases = [json.loads(p.read_text()) for p in EXAMPLES[:2]]
    cases[1]["pain"]["back_nrs"] = -1
    f = tmp_path / "batch.json"
    f.write_text(json.dumps(cases))
    code, out, err = run(capsys, "assess", str(f))
    assert code == 2 and out == ""
    assert f"case {cases[1]['case_id']}: pain.back_nrs must be between 0 and 10" in err


def test_console_script_and_module_run_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"patient": {}}')
    proc = subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "assess", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "patient.id is required" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_clinics_stored_profile_is_the_default_and_profile_overrides_it(capsys, tmp_path):
    """The window and the commands agree: no database yet -> us; the clinic chose uk -> uk
    for assess as for the window; --profile still wins."""
    path = resource_path("examples") / "routine_l5_acute.json"
    data = tmp_path / "clinic"
    common = ("--data-dir", str(data), "assess", str(path), "--as-of", "2026-11-21", "--format", "json")
    code, out, err = run(capsys, *common)
    assert code == 0, err
    assert json.loads(out)["guideline"]["profile"] == "us" and not data.exists()  # assess creates no database
    assert run(capsys, "--data-dir", str(data), "settings", "set", "guideline_profile", "uk")[0] == 0
    code, out, err = run(capsys, *common)
    assert code == 0 and json.loads(out)["guideline"]["profile"] == "uk", err
    code, out, err = run(capsys, *common, "--profile", "us")
    assert code == 0 and json.loads(out)["guideline"]["profile"] == "us", err
    code, out, err = run(capsys, "--data-dir", str(data), "settings", "set", "guideline_profile", "fr")
    assert code == 2 and "settings: guideline_profile: the value must be one of us, uk" in err and "Nothing was changed" in err


@pytest.mark.parametrize("damage", ["random_bytes", "newer_version"])
def test_a_damaged_database_never_blocks_an_emergency_assessment(capsys, tmp_path, damage):
    """The tracker being broken is when a clinician falls back to `assess FILE`: a database in
    the data folder that cannot be read (damaged, or from a newer version) gives the default
    profile and a one-line warning naming the problem and --profile, and the assessment (exit 0)."""
    import random
    import sqlite3

    data = tmp_path / "clinic"
    if damage == "random_bytes":
        data.mkdir()
        (data / "radiculopathy.sqlite3").write_bytes(random.Random(8).randbytes(5000))
    else:
        assert run(capsys, "--data-dir", str(data), "settings", "set", "guideline_profile", "uk")[0] == 0
        with sqlite3.connect(data / "radiculopathy.sqlite3") as con:
            con.execute("PRAGMA user_version=999")
        con.close()
    path = resource_path("examples") / "emergency_cauda_equina.json"
    code, out, err = run(capsys, "--data-dir", str(data), "assess", str(path), "--as-of", "2026-11-21")
    assert code == 0, err
    assert "URGENCY: EMERGENCY" in out
    warning = err.strip()
    assert "\n" not in warning and warning.startswith("warning:")
    assert "could not be read" in warning and "--profile" in warning and "default profile us" in warning
    code, out, err = run(capsys, "--data-dir", str(data), "assess", str(path), "--as-of", "2026-11-21",
                         "--format", "json")
    assert code == 0 and json.loads(out)["triage"]["tier"] == "emergency"
    assert json.loads(out)["guideline"]["profile"] == "us"
    code, out, err = run(capsys, "--data-dir", str(data), "assess", str(path), "--profile", "uk", "--format", "json")
    assert code == 0 and err == "" and json.loads(out)["guideline"]["profile"] == "uk"
