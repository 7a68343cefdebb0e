"""The derived-data version digests only the medicine data that can change a stored derived
fact (closing note 9): a change of handout wording or citations keeps it (no tracker
rewrites its derived data for it: 100k cases take minutes), a change of a rule, limit,
interaction or medicine name moves it. Which files are which is read from the medicine
folder and the engine's own file list, not written out here."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import medicine_files
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.store import CaseStore, medicine_alert_digest

FOLDER = resource_path("medicines")
ALL_FILES = sorted(p.name for p in FOLDER.glob("*.toml"))


@pytest.fixture
def copy(tmp_path) -> Path:
    out = tmp_path / "medicines"
    shutil.copytree(FOLDER, out)
    return out


def _edited(folder: Path, name: str) -> None:
    path = folder / name
    path.write_bytes(path.read_bytes() + b"\n# edited\n")


def test_the_engine_reads_the_files_the_module_lists():
    """The engine's file list is the one the digest is derived from (one list)."""
    from radiculopathy_desktop.domain import medications

    assert medications.DATA_FILES is medicine_files.DATA_FILES
    assert set(medicine_files.ALERT_DATA_FILES) <= set(medicine_files.DATA_FILES) <= set(ALL_FILES)


@pytest.mark.parametrize("name", ALL_FILES)
def test_a_file_moves_the_version_exactly_when_the_engine_takes_a_rating_from_it(copy, name):
    before = medicine_alert_digest(copy)
    _edited(copy, name)
    assert (medicine_alert_digest(copy) != before) == (name in medicine_files.ALERT_DATA_FILES)


def test_handout_wording_files_are_not_read_by_the_engine_and_keep_the_version(copy):
    wording = [n for n in ALL_FILES if n not in medicine_files.DATA_FILES]
    assert wording, "the medicine folder holds handout wording the engine does not read"
    before = medicine_alert_digest(copy)
    for name in wording:
        (copy / name).write_text("", encoding="utf-8")  # gone altogether: the engine still loads
    load_medicine_data.cache_clear()
    try:
        assert load_medicine_data(str(copy)).rules_by_drug
    finally:
        load_medicine_data.cache_clear()
    assert medicine_alert_digest(copy) == before


def _stored_alerts() -> list:
    """What the tracker stores from the medicine data (its ``medicine_alerts`` rows) for
    every shipped example, under both profiles."""
    from radiculopathy_desktop.domain.guideline import available_profiles
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.domain.medications import case_dose_reductions

    out = []
    for path in sorted(resource_path("examples").glob("*.json")):
        case = parse_case(json.loads(path.read_text(encoding="utf-8")))
        out.append((path.name, case_dose_reductions(case, available_profiles())))
    return out


def test_a_citation_text_change_keeps_the_version_and_the_stored_alerts(copy, monkeypatch):
    """sources.toml: the engine reads citation texts and the content version from it, no
    rating: a reworded citation leaves every stored alert as it was."""
    from radiculopathy_desktop.domain import medications

    path = copy / "sources.toml"
    text = path.read_text(encoding="utf-8")
    assert 'bnf = "British National Formulary' in text
    path.write_text(text.replace('bnf = "British National Formulary', 'bnf = "The British National Formulary'),
                    encoding="utf-8")
    assert medicine_alert_digest(copy) == medicine_alert_digest(FOLDER)
    shipped = _stored_alerts()
    assert any(alerts for _, alerts in shipped), "an example with a dose over its maximum"
    load_medicine_data.cache_clear()
    monkeypatch.setattr(medications, "default_data_dir", lambda: copy)
    try:
        assert load_medicine_data().sources != load_medicine_data(str(FOLDER)).sources  # the edit is read
        assert _stored_alerts() == shipped
    finally:
        monkeypatch.undo()
        load_medicine_data.cache_clear()


def test_a_rule_limit_change_moves_the_version(copy):
    """A label maximum (drugs.toml) changes a REDUCE DOSE: the version moves."""
    path = copy / "drugs.toml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"(label_max_daily_mg\s*=\s*)(\d+)", text)
    assert first, "drugs.toml sets at least one label maximum daily dose"
    path.write_text(text[:first.start(2)] + str(int(first.group(2)) + 1) + text[first.end(2):], encoding="utf-8")
    assert medicine_alert_digest(copy) != medicine_alert_digest(FOLDER)


def test_the_stored_version_carries_the_digest_of_the_shipped_files():
    assert f"medicines {medicine_alert_digest(FOLDER)};" in CaseStore.derived_version()
