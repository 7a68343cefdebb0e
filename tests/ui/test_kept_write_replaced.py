"""A visit or decision saved with its write key and later removed from the case (its records
replaced by ``import --replace-records``) is not reported "already saved" by the window: the
same rule as the command line since red-team rt6 F4. The offer to save what was kept on this
computer and a dialog's own retry both say it in words, save nothing, and add it again under a
new write key when the user presses Save again.

Driven as a user would: the kept-items dialog's and the visit dialog's Save buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.intake import parse_case, parse_visit
from radiculopathy_desktop.storage.access import login_name
from radiculopathy_desktop.ui import dialogs, offline_drafts
from radiculopathy_desktop.ui.offline_replay import KeptWritesDialog

from .conftest import TODAY, seed_cases

CASE = "P-NFU-case"  # no follow-up visit yet
DAY = TODAY - dt.timedelta(days=3)


def _replace_the_records(store) -> None:
    """Another program re-imports the case as its file has it: the visit added since goes."""
    original = next(parse_case(c) for c in seed_cases() if c["case_id"] == CASE)
    store.import_cases([original], user="import", replace_records=True)


def _visit_entries(store) -> list:
    return [e.detail.get("write_key") for e in store.audit(CASE) if e.action == "visit_added"]


def _kept_visit_the_server_saved(context, store, monkeypatch) -> offline_drafts.KeptWrite:
    """A visit kept on this computer whose save the server committed, the answer lost (no
    error may be shown from here on); returns the kept write."""
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: pytest.fail("an error was shown"))
    case = store.get_case(CASE)
    write = offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="visit", case_id=CASE,
        data={"date": DAY.isoformat(), "leg_nrs": 4}, user=login_name(), typed_at="2026-03-02T09:00:00+00:00",
        based_on=offline_drafts.case_digest(case), patient="Nico Nofollow")
    assert offline_drafts.keep_write(context.data_dir, write)
    store.add_visit(CASE, parse_visit(write.data, case, today=TODAY), user="dr.a", write_key=write.key)
    return write


def test_a_kept_visit_whose_saved_record_was_replaced_is_said_and_saved_again_under_a_new_key(
        qtbot, context, store, monkeypatch):
    write = _kept_visit_the_server_saved(context, store, monkeypatch)
    # then the case's records were replaced
    _replace_the_records(store)
    assert store.get_case(CASE).visits == () and store.written(CASE, write.key)  # the audit still has the key
    assert store.keyed_record_state(CASE, write.key) == "replaced"

    review = KeptWritesDialog(context)
    qtbot.addWidget(review)
    review.show()
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    # not "already on the server": said in words, nothing written, still kept
    assert "Already on the server" not in review.result.text()
    assert "Saved to the server: 0." in review.result.text() and "Still kept on this computer: 1" in review.result.text()
    text = review.list.item(0).text()
    assert "was saved on the server before, but the case's visits and decisions were replaced since" in text
    assert "it is still kept: save it again to add it as a new visit" in text
    assert store.get_case(CASE).visits == () and _visit_entries(store) == [write.key]
    assert [k.key for k in offline_drafts.kept_writes(context.data_dir)] == [write.key]
    # the user saves again, having been told: added, once, under a new key
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    assert [(v.date, v.leg_nrs) for v in store.get_case(CASE).visits] == [(DAY, 4)]
    keys = _visit_entries(store)
    assert len(keys) == 2 and keys[0] == write.key and keys[1] != write.key
    assert offline_drafts.kept_writes(context.data_dir) == []
    assert store.keyed_record_state(CASE, keys[1]) == "on_case"


def test_a_kept_visit_still_on_the_case_is_already_saved_and_leaves_this_computer(qtbot, context, store, monkeypatch):
    _kept_visit_the_server_saved(context, store, monkeypatch)
    review = KeptWritesDialog(context)
    qtbot.addWidget(review)
    review.show()
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not review.isVisible())
    assert "Already on the server, not saved again: 1." in review.result.text()
    assert len(store.get_case(CASE).visits) == 1 and offline_drafts.kept_writes(context.data_dir) == []


def test_a_dialogs_retry_after_its_saved_visit_was_replaced_is_said_not_reported_saved(
        qtbot, context, store, monkeypatch):
    """The visit dialog's save could not be confirmed (the answer was lost) but reached the
    server; the case's records were then replaced. Pressing Save again must not close the
    dialog as if saved, nor fail with a generic error: it says why, and the next Save adds it
    under a new key."""
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append(str(exc)))
    dialog = dialogs.VisitDialog(context, store.get_case(CASE))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.date.set_day(DAY)
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "4")
    first_key = dialog.write_key

    from radiculopathy_desktop.storage.errors import StorageError
    from radiculopathy_desktop.storage.store import CaseStore

    original = CaseStore.add_visit

    def committed_then_lost(self, *a, **kw):
        original(self, *a, **kw)
        monkeypatch.setattr(CaseStore, "add_visit", original)
        raise StorageError("unreachable", "The clinic server cannot be reached (connection lost).")

    monkeypatch.setattr(CaseStore, "add_visit", committed_then_lost)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and len(store.get_case(CASE).visits) == 1  # saved, but the dialog does not know
    _replace_the_records(store)
    shown.clear()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)  # the retry
    assert dialog.isVisible() and dialog.leg.value() == 4  # not closed as saved
    assert len(shown) == 1 and "the case's visits and decisions were replaced since" in shown[0]
    assert "press Save again to add it as a new visit" in shown[0]
    assert store.get_case(CASE).visits == () and _visit_entries(store) == [first_key]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)  # the user's choice
    assert not dialog.isVisible()
    assert [(v.date, v.leg_nrs) for v in store.get_case(CASE).visits] == [(DAY, 4)]
    keys = _visit_entries(store)
    assert len(keys) == 2 and keys[1] != first_key
