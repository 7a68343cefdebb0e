"""Unsaved intake survives a crash: the draft is written while typing (debounced), on
demand for a crash handler, and described at start-up without naming anyone."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.wizard import AUTOSAVE_MS, DRAFT_KEY, MONTHS, IntakeWizard, pending_draft_summary

from .conftest import NO_FLAGS, case_dict

CONDITIONS = 5  # the "Conditions and medicines" step
SUMMARY = re.compile(r"^an unfinished intake from (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}), step (\d) of 7$")


def new_wizard(qtbot, context) -> IntakeWizard:
    wiz = IntakeWizard(context)
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    return wiz


def started_intake() -> dict:
    data = case_dict("P-AUTO", "Ada Autosave", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    return data


def draft(context):
    return context.store.load_draft(DRAFT_KEY)


def type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_typing_leaves_a_draft_after_the_pause_and_a_new_wizard_reopens_it(qtbot, context):
    assert AUTOSAVE_MS == 1500
    wiz = new_wizard(qtbot, context)
    assert not wiz.autosave_timer.isActive()  # opening an empty wizard is not an edit
    wiz.load(started_intake())  # filling from code is not an edit either
    assert not wiz.autosave_timer.isActive()
    wiz._go(CONDITIONS)
    notes = wiz.pages[CONDITIONS].notes
    type_into(qtbot, notes, "Walks with a stick")
    typed_at = time.monotonic()
    assert draft(context) is None  # not a write per keystroke
    assert wiz.autosave_timer.isActive()
    qtbot.waitUntil(lambda: draft(context) is not None, timeout=5000)
    assert time.monotonic() - typed_at >= 1.3  # written after the pause, not before
    saved = draft(context)
    assert saved["page"] == CONDITIONS
    assert saved["data"]["notes"] == "Walks with a stick"
    assert saved["data"]["patient"]["id"] == "P-AUTO"
    assert "Draft saved" in wiz.draft_status.text()

    # as after a crash: a new wizard on the same store reopens the text on the same step
    again = new_wizard(qtbot, context)
    assert again.index == CONDITIONS
    assert again.save_draft_now() is True  # a reopened draft is kept: nothing more to write
    assert again.pages[CONDITIONS].notes.toPlainText() == "Walks with a stick"
    assert again.pages[0].pid.text() == "P-AUTO" and again.pages[0].name.text() == "Ada Autosave"
    assert not again.autosave_timer.isActive()  # reopening is not an edit


def test_each_edit_restarts_the_pause(qtbot, context):
    wiz = new_wizard(qtbot, context)
    name = wiz.pages[0].name
    type_into(qtbot, name, "Bo")
    qtbot.wait(600)
    type_into(qtbot, name, "b")
    assert wiz.autosave_timer.remainingTime() > 1000  # restarted by the last keystroke
    assert draft(context) is None
    qtbot.waitUntil(lambda: draft(context) is not None, timeout=5000)
    assert draft(context)["data"]["patient"]["name"] == "Bob"
    assert wiz.save_draft_now() is True  # already written by the autosave


def test_save_draft_now_writes_at_once_and_the_summary_names_no_one(qtbot, context):
    wiz = new_wizard(qtbot, context)
    assert pending_draft_summary(context.store) is None
    assert wiz.save_draft_now() is False  # nothing typed: nothing kept, nothing written
    assert draft(context) is None
    type_into(qtbot, wiz.pages[0].pid, "P-SECRET-42")
    type_into(qtbot, wiz.pages[0].name, "Zed Secretname")
    assert wiz.save_draft_now() is True
    assert not wiz.autosave_timer.isActive()
    assert draft(context)["data"]["patient"]["name"] == "Zed Secretname"

    summary = pending_draft_summary(context.store)
    match = SUMMARY.match(summary)
    assert match, summary
    now = dt.datetime.now()
    day, month, year = int(match[1]), match[2], int(match[3])
    assert (day, MONTHS.index(month) + 1, year) in {(d.day, d.month, d.year)
                                                    for d in (now, now - dt.timedelta(minutes=2))}
    assert match[6] == "1"
    assert "P-SECRET" not in summary and "Zed" not in summary and "Secretname" not in summary


def test_save_draft_now_reports_disk_full_without_raising_or_a_dialog(qtbot, context, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(wizard_module, "show_error", lambda *a, **k: shown.append(a))
    wiz = new_wizard(qtbot, context)

    def disk_full(*_args, **_kwargs):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved. Nothing was changed.")

    monkeypatch.setattr(context.store, "save_draft", disk_full)
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")
    type_into(qtbot, wiz.pages[0].name, "Quentin Quiet")
    assert wiz.save_draft_now() is False
    assert "disk is full" in wiz.draft_status.text().lower()
    assert "still in the form" in wiz.draft_status.text()
    # the debounced save fails quietly too: no exception, no dialog in the middle of typing
    wiz.autosave_timer.setInterval(50)
    type_into(qtbot, wiz.pages[0].name, "x")
    qtbot.waitUntil(lambda: not wiz.autosave_timer.isActive(), timeout=2000)
    qtbot.wait(20)
    assert shown == []
    assert wiz.pages[0].name.text() == "Quentin Quietx"  # what was typed stays
    assert "disk_full" in caplog.text and "Quentin" not in caplog.text  # the kind is logged, never the patient
    # once there is space again, the same call saves
    monkeypatch.undo()
    assert wiz.save_draft_now() is True
    assert draft(context)["data"]["patient"]["name"] == "Quentin Quietx"


@pytest.mark.parametrize("breakage", ["form", "store"])
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # "draft not saved"
def test_save_draft_now_never_raises_on_unexpected_errors(qtbot, context, monkeypatch, breakage):
    wiz = new_wizard(qtbot, context)
    type_into(qtbot, wiz.pages[0].name, "Una")
    if breakage == "form":
        monkeypatch.setattr(wiz, "case_dict", lambda: 1 / 0)
    else:
        monkeypatch.setattr(wiz.context, "store", object())  # no save_draft at all
    assert wiz.save_draft_now() is False


def test_saving_the_case_stops_the_pending_draft(qtbot, context):
    wiz = new_wizard(qtbot, context)
    wiz.load(started_intake())
    type_into(qtbot, wiz.pages[0].clinician, "Dr Pending")
    assert wiz.autosave_timer.isActive()
    wiz._go(len(wiz.pages) - 1)
    with qtbot.waitSignal(wiz.saved, timeout=5000):
        qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert draft(context) is None
    assert not wiz.autosave_timer.isActive() and wiz.save_draft_now() is False  # nothing left to keep
    assert draft(context) is None and pending_draft_summary(context.store) is None
    assert wiz.index == 0 and wiz.pages[0].pid.text() == ""


def test_summary_of_a_draft_from_before_autosave_uses_the_store_time(context):
    context.store.save_draft(DRAFT_KEY, {"page": 2, "data": {"patient": {"id": "P-OLD"}}})
    stamp = dict(context.store.list_drafts())[DRAFT_KEY]
    local = dt.datetime.fromisoformat(stamp).astimezone()
    expected = f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"
    assert pending_draft_summary(context.store) == f"an unfinished intake from {expected}, step 3 of 7"
    context.store.save_draft(DRAFT_KEY, {"page": "?", "data": {}, "saved_at": "2026-11-21T14:05:09"})
    assert pending_draft_summary(context.store) is None  # no such step: not offered, New intake sets it aside
    context.store.save_draft(DRAFT_KEY, {"page": 0, "data": {}, "saved_at": "2026-11-21T14:05:09"})
    assert pending_draft_summary(context.store) == "an unfinished intake from 21 Nov 2026 14:05, step 1 of 7"


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # "could not read"
def test_summary_is_none_when_the_store_cannot_be_read():
    class Broken:
        def load_draft(self, key):
            raise StorageError("locked", "The database is busy.")

    assert pending_draft_summary(Broken()) is None


def test_save_draft_now_from_another_thread_touches_no_widget(qtbot, context):
    import threading
    wiz = new_wizard(qtbot, context)
    results = []
    worker = threading.Thread(target=lambda: results.append(wiz.save_draft_now()))
    worker.start()
    worker.join()
    assert results == [False] and draft(context) is None  # nothing typed, nothing kept
    type_into(qtbot, wiz.pages[0].name, "Tess Thread")
    assert wiz.save_draft_now() is True
    type_into(qtbot, wiz.pages[0].name, "er")  # newer than the draft: only the GUI thread writes it
    worker = threading.Thread(target=lambda: results.append(wiz.save_draft_now()))
    worker.start()
    worker.join()
    assert results == [False, True]
    assert draft(context)["data"]["patient"]["name"] == "Tess Thread"
    assert wiz.autosave_timer.isActive()  # the debounced save still comes, on the GUI thread
    qtbot.waitUntil(lambda: draft(context)["data"]["patient"]["name"] == "Tess Threader", timeout=5000)


def test_a_kept_draft_is_offered_when_the_window_starts_and_opens_where_it_stopped(qtbot, context):
    # An earlier session (crashed, or the power went) left a draft at the conditions step.
    from radiculopathy_desktop.ui.main_window import MainWindow

    wiz = new_wizard(qtbot, context)
    wiz.load(started_intake())
    wiz._go(CONDITIONS)
    assert wiz.keep_draft()
    wiz.close()

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.draft_bar.isVisible)
    text = window.draft_label.text()
    assert SUMMARY.match(text.removeprefix("You have ").split(". It was kept")[0])
    assert "Ada" not in text and "P-AUTO" not in text
    qtbot.mouseClick(window.draft_open_button, Qt.LeftButton)
    assert not window.draft_bar.isVisible()
    wizard = window.views["intake"]
    assert window.stack.currentWidget() is wizard
    assert wizard.index == CONDITIONS


def test_no_draft_no_offer(qtbot, context):
    from radiculopathy_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.views["worklist"].model.rowCount() > 0)
    qtbot.wait(50)
    assert not window.draft_bar.isVisible()
