"""The worklist follows a change of the clinic's profile without a restart (wl18, "Not done").

wl18: "The model's profile is read once at start-up (self.model.profile = context.profile()). A clinic
changing its profile sees the old profile's marks until restart." Under uk (NICE NG59, 2020 update:
"Do not offer gabapentinoids, other antiepileptics, oral corticosteroids or benzodiazepines for managing
sciatica") the worklist's Why leads "AVOID: gabapentin." (wl17); under us it does not. Now every reload reads the profile as stored: a save in Settings reloads the list under it.

Driven by keys: Settings (the View menu's entry), the Profile box (Down to uk), Tab to Save
settings, Space; Ctrl+1 back to the worklist.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import seed_cases
from .keyboard import tab_until
from .test_worklist_reduce_dose import _with_gabapentin


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + [_with_gabapentin("P-HIGH", "Hal High", 701)]],
                   user="test")
    yield s
    s.close()


def _why(view) -> str:
    model = view.model
    column = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == "Why")
    return next(model.data(model.index(r, column)) for r in range(model.rowCount())
                if model.rows[r].case_id == "P-HIGH-case")


def _choose_profile(qtbot, window, code):
    settings = window.show_view("settings")
    settings.profile.setFocus()
    for _ in range(settings.profile.count()):
        if settings.profile.currentData() == code:
            break
        key = Qt.Key_Down if settings.profile.findData(code) > settings.profile.currentIndex() else Qt.Key_Up
        qtbot.keyClick(settings.profile, key)
    assert settings.profile.currentData() == code
    tab_until(qtbot, lambda w: w is settings.save_button)
    qtbot.keyClick(settings.save_button, Qt.Key_Space)
    assert settings.saved_label.text().startswith("Saved")


def _worklist(qtbot, window):
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    return view


def test_changing_the_profile_in_settings_changes_the_worklists_marks_at_once(window, qtbot, context):
    view = _worklist(qtbot, window)
    assert context.profile() == "us" and view.model.profile == "us"
    assert _why(view).startswith("REDUCE DOSE: gabapentin 701 mg/day > max 700 mg/day.")
    _choose_profile(qtbot, window, "uk")
    view = _worklist(qtbot, window)
    assert view.model.profile == "uk"  # what the counts and the CSV export use too
    assert _why(view).startswith("AVOID: gabapentin. REDUCE DOSE: gabapentin 701 mg/day")
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=5000)
    # and back: the uk marks go
    _choose_profile(qtbot, window, "us")
    view = _worklist(qtbot, window)
    assert view.model.profile == "us" and not _why(view).startswith("AVOID")


def test_a_change_made_elsewhere_is_used_at_the_next_reload(window, qtbot, context):
    """The command line or another workstation: the next reload (any change announced, or the
    list's own refresh) reads the profile as stored."""
    view = _worklist(qtbot, window)
    context.store.set_clinic_settings(context.clinic().updated(profile="uk"), user="it")
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    assert view.model.profile == "uk" and _why(view).startswith("AVOID: gabapentin.")
