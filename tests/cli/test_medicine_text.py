"""Issue 12 §1/§3 in the CLI text report: an unrecognised medicine and a dose above the
adjusted maximum are said plainly, the same as in the JSON."""

from __future__ import annotations

import json

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.resources import resource_path

UNRECOGNISED = resource_path("examples", "routine_med_unrecognised_anticoagulant.json")
REDUCE = resource_path("examples", "routine_med_gabapentin_above_renal_max.json")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_names_the_unrecognised_medicine_with_a_suggestion_and_no_row_says_ok(capsys):
    code, out, _ = run(capsys, "assess", str(UNRECOGNISED), "--as-of", "2026-11-21")
    assert code == 0
    meds = out[out.index("MEDICINES"):out.index("SCORES")]
    assert 'NOT RECOGNISED: "apixiban" (did you mean apixaban?)' in meds
    table = [line for line in meds.splitlines() if line.startswith("  ") and "mg" in line and "  - " not in line]
    assert table
    for line in meds.splitlines():
        # the status column never reads a bare OK while a medicine is unrecognised
        assert "  OK  " not in line, line
    assert "NOT FULLY CHECKED" in meds


def test_json_and_text_agree_on_the_unrecognised_case(capsys):
    _, out, _ = run(capsys, "assess", str(UNRECOGNISED), "--as-of", "2026-11-21", "--format", "json")
    data = json.loads(out)["medications"]
    assert data["fully_checked"] is False and data["unrecognised_medicines"] == ["apixiban"]
    assert all(r["status"] != "ok" for r in data["rows"])
    _, text, _ = run(capsys, "assess", str(UNRECOGNISED), "--as-of", "2026-11-21")
    for r in data["rows"]:
        if r["status"] == "not_fully_checked":
            assert any(r["label"] in line and "NOT FULLY CHECKED" in line for line in text.splitlines())


def test_text_shows_reduce_dose_with_the_adjusted_maximum(capsys):
    code, out, _ = run(capsys, "assess", str(REDUCE), "--as-of", "2026-11-21")
    assert code == 0
    line = next(line for line in out.splitlines() if line.strip().startswith("Gabapentin"))
    assert "REDUCE DOSE" in line and "700 mg" in line and "taking 3600 mg/day" in line
    assert "Reduce dose: current dose 3600 mg/day is above this patient's adjusted maximum of 700 mg/day" in \
        " ".join(out.split())
    _, js, _ = run(capsys, "assess", str(REDUCE), "--as-of", "2026-11-21", "--format", "json")
    row = next(r for r in json.loads(js)["medications"]["rows"] if r["drug"] == "gabapentin")
    assert row["status"] == "reduce_dose" and row["adjusted_max_daily_mg"] == 700 and row["over_max"]


def test_handout_with_doses_for_an_unrecognised_medicine_needs_the_flag(tmp_path, capsys):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore

    data = tmp_path / "data"
    store = CaseStore.open(data)
    store.import_cases([parse_case(json.loads(UNRECOGNISED.read_text(encoding="utf-8")))], user="test")
    store.close()
    out = tmp_path / "h.pdf"
    base = ["--data-dir", str(data), "handout", "EX-MED-UNRECOGNISED", "--as-of", "2026-11-21",
            "--clinic-contact", "555", "--sheets", "med_acetaminophen", "--out", str(out)]
    code, _, err = run(capsys, *base)
    assert code == 2 and "apixiban" in err and "--confirm-unrecognised" in err and not out.exists()
    code, printed, err = run(capsys, *base, "--confirm-unrecognised")
    assert code == 0, err
    assert out.exists() and "Wrote" in printed
