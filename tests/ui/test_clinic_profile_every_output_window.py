"""A uk clinic in the window: the handout (Ctrl+P, saved as PDF), the referral summary (Ctrl+E),
the FHIR bundle (Ctrl+Shift+E) and the worklist CSV (Ctrl+Shift+X) follow the clinic's profile
and say which one; after the profile is changed in Settings, the next export follows the new one
(prof30).

Primary sources (resources/medicines/sources.toml): BNF (ibuprofen), uk profile: at most 2.4 g
a day; the US prescription ibuprofen label: do not exceed 3200 mg a day. 3000 mg a day is above
the uk maximum and under the us one.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from helpers.pdf_text import pdf_words

from .conftest import TODAY, case_dict, seed_cases
from .test_exports import _handout_dialog, save_to  # noqa: F401 - the fixture answering the file dialog
from .test_worklist_follows_profile_change import _choose_profile, _worklist
from .test_worklist_medicine_alerts_export import _rows

IBU = "P-IBU-case"


@pytest.fixture
def store(tmp_path):
    import datetime as dt

    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    ibu = case_dict("P-IBU", "Ivy Ibu", 90, visits=[{"date": (TODAY - dt.timedelta(days=40)).isoformat(),
                                                     "leg_nrs": 7, "back_nrs": 4}])
    ibu["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 3000}]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + [ibu]], user="test")
    s.set_clinic_settings(s.clinic_settings().updated(profile="uk"), user="test")
    yield s
    s.close()


def _open(window, qtbot):
    window.open_case(IBU)
    qtbot.waitUntil(lambda: window.patient_view.isVisible())


def test_handout_saved_from_the_window_follows_and_names_the_clinic_profile(window, qtbot, save_to, tmp_path):  # noqa: F811
    _open(window, qtbot)
    out = tmp_path / "handout.pdf"
    save_to(out)
    dialog = _handout_dialog(qtbot, window)
    assert dialog.request(confirm_unrecognised=True).profile == "uk"
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    text = pdf_words(out)
    assert "UK guidance" in text and "US guidance" not in text
    assert "You take ibuprofen 3000 mg a day now. For you, the most is 2400 mg a day." in text
    assert "3200" not in text
    dialog.close()


def test_summary_and_fhir_from_the_window_name_the_clinic_profile(window, qtbot, save_to, tmp_path):  # noqa: F811
    _open(window, qtbot)
    save_to(tmp_path / "summary.pdf")
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    text = pdf_words(tmp_path / "summary.pdf")
    assert "guideline profile uk (UK guidance" in text and "· UK guidance · referral summary" in text
    assert "current dose 3000 mg/day is above the label maximum of 2400 mg/day" in text
    save_to(tmp_path / "bundle.json")
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    tags = {t["code"] for t in json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))["meta"]["tag"]}
    assert "profile-uk" in tags and "profile-us" not in tags


def test_worklist_csv_follows_a_change_of_profile_in_settings(window, qtbot, save_to, tmp_path):  # noqa: F811
    for profile, dose in (("uk", "ibuprofen 3000 mg/day > max 2400 mg/day"), ("us", "")):
        if profile == "us":
            _choose_profile(qtbot, window, "us")
        view = _worklist(qtbot, window)
        view.set_status_filter("overdue")
        out = tmp_path / f"worklist-{profile}.csv"
        save_to(out)
        qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
        rows = {r["case_id"]: r for r in _rows(out)}
        assert {r["guideline_profile"] for r in rows.values()} == {profile}
        assert rows[IBU]["dose_alerts"] == dose
