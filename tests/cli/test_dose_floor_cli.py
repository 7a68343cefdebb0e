"""A current daily dose of 0, below 0 or below the floor is not a dose (red-team rt10 F16, H-MED-131).

The floor, 0.01 mg (10 micrograms) a day, is below the smallest real daily dose of any medicine
in the app's medicine data (buprenorphine buccal film, 75 micrograms once a day; the
benzodiazepines and risperidone start at 0.125-0.25 mg), so no real dose is refused.

New input (`import`, `assess`, the intake window: ``parse_case(new_input=True)``) is refused,
exit 2, naming the case, the field and the medicine, and nothing is written. A case stored
before that check stays readable: its sheet says "keep taking your gabapentin as prescribed"
(no "0 mg"), the clinician's note says the stored dose is not a dose, and `check --full`
names it as it names other impossible stored values (terminal only).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG, ValidationError, parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402


def _case(case_id: str, *meds: tuple[str, float | None]) -> dict:
    data = case_dict(case_id, care_start=ANCHOR - dt.timedelta(days=3))
    data["onset_date"] = (ANCHOR - dt.timedelta(days=10)).isoformat()
    data["medicines"] = [{"name": n, **({} if d is None else {"daily_dose_mg": d})} for n, d in meds]
    return data


@pytest.fixture
def env(tmp_path, monkeypatch, capsys):
    data, logs = tmp_path / "data", tmp_path / "logs"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(logs))
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(["--data-dir", str(data), *args])
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run, data, logs


def _file(tmp_path: Path, *cases: dict) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": list(cases)}), encoding="utf-8")
    return path


def test_the_floor_is_below_every_real_daily_dose_of_the_medicine_data():
    # buprenorphine buccal film 75 micrograms once a day: the smallest real daily dose
    assert MIN_DAILY_DOSE_MG == 0.01 < 0.075


@pytest.mark.parametrize("dose, refused", [
    (0, True), (0.0, True), (0.0001, True), (0.0099, True),   # 0 and below the floor
    (0.01, False), (0.075, False), (0.25, False), (100, False),  # the floor itself and real doses
])
def test_new_input_refuses_a_dose_of_zero_or_below_the_floor_naming_the_medicine(dose, refused):
    data = _case("F-1", ("ibuprofen", 1200), ("gabapentin", dose))
    if refused:
        with pytest.raises(ValidationError) as exc:
            parse_case(data, new_input=True)
        text = str(exc.value)
        assert "medicines[1].daily_dose_mg" in text and f"gabapentin {dose:g} mg a day is not a dose" in text
        assert "medicines[0]" not in text  # the good medicine is not named
    else:
        assert parse_case(data, new_input=True).intake.medicines[1].daily_dose_mg == dose
    # a stored case (read without the new-input checks) stays readable whatever the dose
    assert parse_case(data).intake.medicines[1].daily_dose_mg == dose


def test_a_negative_dose_is_refused_on_every_path():
    data = _case("F-1", ("gabapentin", -300))
    with pytest.raises(ValidationError, match=r"medicines\[0\]\.daily_dose_mg must be between 0 and"):
        parse_case(data)


def test_a_dose_left_out_is_not_a_problem():
    assert parse_case(_case("F-1", ("gabapentin", None)), new_input=True).intake.medicines[0].daily_dose_mg is None


def test_import_refuses_a_zero_dose_and_writes_nothing(env, tmp_path):
    run, data, _ = env
    assert run("import", str(_file(tmp_path, _case("OK-1", ("naproxen", 1000)))))[0] == 0
    before = file_state(data / "radiculopathy.sqlite3")
    code, out, err = run("import", str(_file(tmp_path, _case("OK-2", ("naproxen", 500)),
                                             _case("R-GABA-0", ("gabapentin", 0)))))
    assert code == 2 and out == ""
    assert ("case 2 (case_id R-GABA-0): medicines[0].daily_dose_mg: gabapentin 0 mg a day is not a dose: a "
            "current daily dose must be at least 0.01 mg (10 micrograms)") in err
    assert "Leave the dose out if it is not known" in err and "nothing was imported" in err
    assert file_state(data / "radiculopathy.sqlite3") == before


def test_assess_refuses_it_too(env, tmp_path):
    run, _, _ = env
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_case("R-TINY", ("pregabalin", 0.0001))), encoding="utf-8")
    code, out, err = run("assess", str(path), "--format", "json")
    assert code == 2 and out == "" and "pregabalin 0.0001 mg a day is not a dose" in err
    path.write_text(json.dumps(_case("R-TINY", ("pregabalin", 150))), encoding="utf-8")
    assert run("assess", str(path), "--format", "json")[0] == 0


def _store_as_an_earlier_version_did(data: Path) -> None:
    with CaseStore.open(data) as store:
        store.import_cases([parse_case(_case("OLD-0", ("naproxen", 500), ("gabapentin", 0))),
                            parse_case(_case("OLD-OK", ("gabapentin", 900)))], user="earlier version")


def test_a_stored_zero_dose_stays_usable_is_never_printed_and_check_full_names_it(env, tmp_path):
    run, data, logs = env
    _store_as_an_earlier_version_did(data)
    assert run("case", "OLD-0")[0] == 0
    code, out, err = run("check")
    assert code == 0 and "warning" not in out + err  # the quick check reads no records
    code, out, err = run("check", "--full")
    assert code == 0, err
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: case OLD-0: medicines[1].daily_dose_mg: gabapentin 0 mg a day is not a dose: a "
                        "current daily dose must be at least 0.01 mg (10 micrograms). Leave the dose out if it is "
                        "not known. Stored before new cases were checked for this (its sheets say \"dose not "
                        "recorded\"): correct it in the case's record."]
    assert "OLD-0" not in "".join(p.read_text(encoding="utf-8") for p in logs.rglob("*") if p.is_file())

    out_pdf = tmp_path / "h.pdf"
    code, out, err = run("handout", "OLD-0", "--sheets", "med_gabapentinoid", "--out", str(out_pdf))
    assert code == 0, err
    assert "gabapentin, dose not recorded: the stored 0 mg a day is not a dose" in err
    with CaseStore.open(data) as store:
        stored = store.get_case("OLD-0")
    for lang, keep in (("en", "keep taking your gabapentin as prescribed"),
                       ("es", "siga tomando su gabapentina como se lo recetaron")):
        req = h.request_for_case(stored, ANCHOR, clinic_name="C", clinic_contact="1", lang=lang,
                                 sheets=["med_gabapentinoid"])
        text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
        assert keep in text and " 0 mg" not in text
