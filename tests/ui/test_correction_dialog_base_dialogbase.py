"""What Edit medicines and Edit conditions share (``ui/correction_dialog.py``, dialogbase), driven by
keys and clicks in both dialogs alike: Ctrl+Enter and the Save button save as Ctrl+Return does;
Esc and Cancel close at once when nothing was changed and ask first (naming what would be lost)
when something was; a correction saved on another workstation while the dialog is open is said
as soon as the case page reads it, what was typed stays, the first Save is refused and the second
saves on purpose; a lost clinic server keeps what was typed in the dialog, and says so whether or
not it could also be kept on this computer. The lines under the medicine table show a typed name
as typed (H-UI-525). (Each dialog's remembered size: test_correction_dialogs_size_dialog31.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import Medicine
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import offline_drafts

from .test_edit_conditions_medfix2 import CASE as CON_CASE, _open_editor as _open_conditions, \
    _seed as _seed_conditions, _type_egfr
from .test_edit_medicines_medfix import CASE as MED_CASE, _gone, _open_editor as _open_medicines, _rows, \
    _seed as _seed_medicines
from .test_pregnancy_intake import key

BOTH_MEDICINES = (Medicine("ibuprofen", 1200.0), Medicine("gabapentin", 900.0))


@dataclass(frozen=True)
class Kind:
    case: str
    seed: Callable
    open: Callable
    change: Callable  # types a correction in the open dialog
    typed: Callable  # what the dialog holds, compared with ``changed``
    changed: object
    stored: Callable  # what the store holds, compared with ``changed`` / ``before`` / ``elsewhere``
    before: object
    save_elsewhere: Callable  # another workstation's correction, through its own store
    elsewhere: object
    elsewhere_words: str  # how the dialog says that correction
    store_method: str
    what: str  # the dialog's words for what would be lost


def _remove_ibuprofen(qtbot, dialog):
    dialog.meds.setCurrentCell(0, 0)
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # Remo&ve medicine


MEDICINES = Kind(
    case=MED_CASE, seed=_seed_medicines, open=_open_medicines, change=_remove_ibuprofen,
    typed=_rows, changed=[("gabapentin", "900")],
    stored=lambda store: store.get_case(MED_CASE).intake.medicines, before=BOTH_MEDICINES,
    save_elsewhere=lambda store: store.set_medicines(MED_CASE, [Medicine("ibuprofen", 1200.0)], user="dr.elsewhere",
                                                     shown=BOTH_MEDICINES),
    elsewhere=(Medicine("ibuprofen", 1200.0),), elsewhere_words="ibuprofen 1200 mg a day",
    store_method="set_medicines", what="medicine list")

CONDITIONS = Kind(
    case=CON_CASE, seed=lambda store: _seed_conditions(store, 75), open=_open_conditions,
    change=lambda qtbot, dialog: _type_egfr(qtbot, dialog, "40"),
    typed=lambda dialog: dialog.egfr.value(), changed=40,
    stored=lambda store: store.get_case(CON_CASE).intake.conditions.egfr, before=75,
    save_elsewhere=lambda store: store.set_conditions(CON_CASE, {"egfr": 25, "alcohol_use": "unknown"},
                                                      user="dr.elsewhere", shown=store.get_case(CON_CASE)),
    elsewhere=25, elsewhere_words="eGFR 25",
    store_method="set_conditions", what="change of conditions")

KINDS = pytest.mark.parametrize("kind", [MEDICINES, CONDITIONS], ids=["medicines", "conditions"])


def _changes(store, kind) -> int:
    action = "medicines_changed" if kind is MEDICINES else "conditions_changed"
    return sum(1 for e in store.audit(kind.case) if e.action == action)


def _unreachable(*_a, **_k):
    raise StorageError(StorageErrorKind.UNREACHABLE, "The clinic server cannot be reached. Nothing was saved.")


@KINDS
@pytest.mark.parametrize("how", ["ctrl+enter", "save button"])
def test_ctrl_enter_and_the_save_button_save_as_ctrl_return_does(window, qtbot, store, kind, how):
    kind.seed(store)
    dialog = kind.open(window, qtbot)
    saved = []
    dialog.saved.connect(saved.append)
    kind.change(qtbot, dialog)
    if how == "ctrl+enter":  # the keypad's Enter
        key(qtbot, Qt.Key_Enter, Qt.ControlModifier | Qt.KeypadModifier)
    else:
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert saved == [kind.case]
    assert kind.stored(store) == (kind.changed if kind is CONDITIONS else (Medicine("gabapentin", 900.0),))
    assert _changes(store, kind) == 1


@KINDS
@pytest.mark.parametrize("how", ["escape", "cancel button"])
def test_escape_and_cancel_with_nothing_changed_close_without_asking(window, qtbot, store, monkeypatch, kind, how):
    from radiculopathy_desktop.ui import dialogs
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: pytest.fail("asked with nothing changed"))
    kind.seed(store)
    dialog = kind.open(window, qtbot)
    if how == "escape":
        key(qtbot, Qt.Key_Escape)
    else:
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.LeftButton)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert kind.stored(store) == kind.before and _changes(store, kind) == 0


@KINDS
def test_cancel_and_escape_with_a_change_ask_naming_what_would_be_lost(window, qtbot, store, monkeypatch, kind):
    from radiculopathy_desktop.ui import dialogs
    asked, answers = [], [False, True]  # "keep typing", then "discard"
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or answers.pop(0))
    kind.seed(store)
    dialog = kind.open(window, qtbot)
    kind.change(qtbot, dialog)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.LeftButton)
    assert asked == [kind.what]
    assert dialog.isVisible() and kind.typed(dialog) == kind.changed  # kept typing: nothing lost
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert asked == [kind.what, kind.what]
    assert kind.stored(store) == kind.before and _changes(store, kind) == 0  # discarded: nothing saved


@KINDS
def test_a_correction_saved_elsewhere_is_said_when_the_page_reads_it_and_saved_over_only_on_purpose(
        window, qtbot, store, kind):
    kind.seed(store)
    dialog = kind.open(window, qtbot)
    kind.change(qtbot, dialog)
    assert not dialog.meanwhile.isVisible()
    kind.save_elsewhere(store)
    window.patient_view.load(kind.case)  # the case page reads the case again (the watch, an import)
    qtbot.waitUntil(lambda: dialog.meanwhile.isVisible())
    said = dialog.meanwhile.text()
    assert "since this window opened" in said and kind.elsewhere_words in said and "not saved" in said
    assert kind.typed(dialog) == kind.changed  # what was typed stays
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # refused: the correction elsewhere was not yet replaced
    assert dialog.isVisible() and "changed on another workstation" in dialog.error.text()
    assert "Save to replace" in dialog.meanwhile.text() and kind.elsewhere_words in dialog.meanwhile.text()
    assert kind.stored(store) == kind.elsewhere and kind.typed(dialog) == kind.changed
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # seen: saved on purpose
    qtbot.waitUntil(lambda: _gone(dialog))
    assert kind.stored(store) == (kind.changed if kind is CONDITIONS else (Medicine("gabapentin", 900.0),))
    assert _changes(store, kind) == 2


@KINDS
@pytest.mark.parametrize("room", [True, False], ids=["kept here", "not kept here"])
def test_a_lost_server_keeps_what_was_typed_and_says_where(window, qtbot, store, monkeypatch, kind, room):
    from radiculopathy_desktop.ui import errors as ui_errors
    told = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, error, **k: told.append((error.kind, k)))
    if not room:  # the data folder cannot be written either
        monkeypatch.setattr(offline_drafts, "keep_correction", lambda *a, **k: None)
    kind.seed(store)
    dialog = kind.open(window, qtbot)
    kind.change(qtbot, dialog)
    monkeypatch.setattr(store, kind.store_method, _unreachable)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and kind.typed(dialog) == kind.changed
    assert told == [(StorageErrorKind.UNREACHABLE, {"kept_input": True})]
    kept = [w for w in offline_drafts.kept_writes(window.context.data_dir) if w.case_id == kind.case]
    if room:
        assert f"this {kind.what} is kept on this computer" in dialog.error.text() and len(kept) == 1
    else:
        assert dialog.error.text().endswith(offline_drafts.CORRECTION_NOT_KEPT) and kept == []
        assert "keep this window open" in dialog.error.text()
    monkeypatch.undo()  # the server back: saved from the dialog, its kept copy forgotten
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert _changes(store, kind) == 1
    assert [w for w in offline_drafts.kept_writes(window.context.data_dir) if w.case_id == kind.case] == []


def _drawn_as_typed(label) -> bool:
    """``label`` draws its text as a plain-text label of the same text, font, style and size does:
    nothing typed is read as markup (hidden, made bold, struck through)."""
    from PySide6.QtWidgets import QLabel
    same = QLabel(label.parentWidget())
    try:
        same.setTextFormat(Qt.PlainText)
        same.setWordWrap(label.wordWrap())
        same.setFont(label.font())
        same.setStyleSheet(label.styleSheet())
        same.setText(label.text())
        same.resize(label.size())
        return label.grab().toImage() == same.grab().toImage()
    finally:
        same.deleteLater()


MARKUP_NAMES = pytest.mark.parametrize("name", ["ibuprofen <s>", "<b>zzfoo</b>"])


@MARKUP_NAMES
def test_a_name_typed_with_markup_is_said_as_typed_in_edit_medicines(window, qtbot, store, name):
    """H-UI-525: Edit medicines read its "Not recognised" and verdict lines as markup (Edit
    conditions' lines were plain): "ibuprofen <s>" showed as "ibuprofen" with the rest of the
    line struck through, the "<s>" saved with the name never seen."""
    from .test_edit_medicines_medfix import _type_row
    _seed_medicines(store)
    dialog = _open_medicines(window, qtbot)
    _type_row(qtbot, dialog, name, "1200")
    qtbot.waitUntil(lambda: dialog.meds_unknown.isVisible())
    assert f"“{name}”" in dialog.meds_unknown.text()
    assert _drawn_as_typed(dialog.meds_unknown)
    dialog.done(0)


@MARKUP_NAMES
def test_a_name_typed_with_markup_is_said_as_typed_on_the_intake_medicines_step(window, qtbot, name):
    """The intake's medicines step shows the same lines (the one label builder, H-UI-525)."""
    from .test_medicines_step_verdicts_intakemed import medicines_step, type_medicine
    _wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, name, "1200")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())
    assert f"“{name}”" in page.meds_unknown.text()
    assert _drawn_as_typed(page.meds_unknown)
