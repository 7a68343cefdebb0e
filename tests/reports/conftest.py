"""Shared fixtures for the report tests: example cases, a seeded store, fixed dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 21)
CLINIC = "Riverside Health Centre"
CONTACT = "0161 555 0134"


def example_paths() -> list[Path]:
    return sorted(resource_path("examples").glob("*.json"))


@pytest.fixture(scope="session")
def examples():
    return {p.stem: parse_case(json.loads(p.read_text(encoding="utf-8"))) for p in example_paths()}


@pytest.fixture(scope="session")
def qapp_offscreen():
    from radiculopathy_desktop.reports.common import ensure_gui_app

    return ensure_gui_app()


@pytest.fixture
def seeded_store(tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore

    data = tmp_path / "data"
    store = CaseStore.open(data)
    store.import_cases([parse_case(json.loads(p.read_text(encoding="utf-8"))) for p in example_paths()],
                       user="test")
    store.set_clinic_name(CLINIC, user="test")
    store.close()
    return data
