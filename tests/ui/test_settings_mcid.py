"""The window's Settings page and the minimal important changes (red-team rt6 F2): the same
bounds as `settings set` (the domain's ``ReviewSettings.validated``), typed by a user; a
stored value out of range opens the page and is said, not hidden."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.settings import default_review_settings

MCID = ("mcid_leg_nrs_points", "mcid_nrs_percent", "mcid_odi_points", "mcid_rmdq_points")


def _type(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)


@pytest.mark.parametrize("key", MCID)
def test_typing_zero_is_refused_beside_the_field_and_nothing_is_saved(window, qtbot, key):
    settings = window.show_view("settings")
    before = window.context.store.get_settings()
    _type(qtbot, settings.fields[key], "0")
    assert settings.fields[key].value() == 0  # typed as the user typed it, not silently corrected
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    shown = settings.form.errors[key].text()
    assert "must be between 1 and" in shown and key not in shown, shown  # the screen's label, not the key
    assert not settings.saved_label.text()
    assert window.context.store.get_settings() == before


def test_a_valid_change_is_saved_from_the_page(window, qtbot):
    settings = window.show_view("settings")
    _type(qtbot, settings.fields["mcid_nrs_percent"], "50")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert window.context.store.get_settings().mcid_nrs_percent == 50


def test_a_stored_value_out_of_range_opens_and_is_said(qtbot, context, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    store = context.store
    with store._write():  # what an older version or a hand edit could have left
        store._put_setting("review", {"mcid_nrs_percent": 0, "window_end_day": 90}, "2026-01-01T00:00:00Z")
    store._settings_cache = None
    from radiculopathy_desktop.ui.main_window import MainWindow
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    settings = window.show_view("settings")
    assert settings.fields["mcid_nrs_percent"].value() == default_review_settings().mcid_nrs_percent
    assert settings.fields["window_end_day"].value() == 90  # the valid stored value is kept
    assert settings.stored_note.isVisible()
    note = settings.stored_note.text()
    assert note.endswith(": the stored value 0 is too small (it must be between 1 and 100 percent); its default (30) is "
                         "used until you save a value on this page.") and "mcid_nrs_percent" not in note, note
    assert json.loads(json.dumps(store.setting("review"))) == {"mcid_nrs_percent": 0, "window_end_day": 90}
    _type(qtbot, settings.fields["mcid_nrs_percent"], "35")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert not settings.stored_note.isVisible()
    assert store.get_settings().window_end_day == 90 and store.get_settings().mcid_nrs_percent == 35


def test_a_misspelled_stored_setting_is_named_on_the_page_and_a_save_drops_it(qtbot, context, caplog):
    """Red-team rt9 F3: a hand edit's typo in the stored settings row (``window_start_dya``)
    was ignored with nothing said. The Settings page names it once; the setting spelled right
    is still used; saving the page (nothing typed) writes the row without it."""
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.storage")  # the log line is expected
    store = context.store
    with store._write():
        store._put_setting("review", {"window_start_dya": 10, "window_end_day": 90}, "2026-01-01T00:00:00Z")
    store._settings_cache = None
    from radiculopathy_desktop.ui.main_window import MainWindow
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    settings = window.show_view("settings")
    assert settings.fields["window_end_day"].value() == 90
    assert settings.fields["window_start_day"].value() == default_review_settings().window_start_day
    assert settings.stored_note.isVisible()
    note = settings.stored_note.text()
    assert note.count('"window_start_dya", which is not a review setting (misspelled?)') == 1, note
    assert note.endswith("it is ignored and the settings named right are used until you save a value on this page.")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert not settings.stored_note.isVisible()
    assert json.loads(json.dumps(store.setting("review"))) == {"window_end_day": 90}
