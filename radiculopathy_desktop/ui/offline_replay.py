"""Saving, once the clinic server is back, the visits and decisions kept on this computer.

While the server cannot be reached, a visit or decision whose save failed is kept in the
workstation's data folder (:mod:`radiculopathy_desktop.ui.offline_drafts`). The window
then shows :class:`KeptWritesBar` above its sections: what is kept and, once the server
can be reached, the offer to save it. Nothing is saved without the user's confirmation:
:class:`KeptWritesDialog` lists every kept item in words (what, for whom, when typed and by
whom) and saves the checked ones, one operation each (:func:`replay`):

* each carries the write key made when it was typed, so it is stored once even when the
  connection drops in the middle (the server committed but the answer was lost; the next
  replay finds the key and saves nothing more) or the user saves twice (the dialog's Save
  and this offer);
* a case changed on the server since the item was typed is not added to silently: the
  item stays kept with who changed the case and when (the conflict path); the user opens
  the case to compare, then saves it as well or discards it;
* an item saved (or found saved, still on the case) leaves this computer; anything else
  stays kept. An item found saved before but no longer on the case (the case's records were
  replaced since, e.g. by ``import --replace-records``) is not reported saved: it stays kept,
  said in words, and the next Save adds it again under a new write key (the command line's
  rule since red-team rt6 F4).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox,
                               QPushButton, QVBoxLayout)

from radiculopathy_desktop.storage.store import Changes
from radiculopathy_desktop.ui import offline_drafts

log = logging.getLogger("radiculopathy_desktop.ui")


@dataclass(frozen=True)
class Replayed:
    """What :func:`replay` did with one kept item."""

    # "saved", "already" (found saved, still on the case: nothing written), "replaced" (saved before,
    # no longer on the case: nothing written), "changed", "invalid", "missing"
    outcome: str
    message: str = ""
    changes: Changes = dataclasses.field(default_factory=Changes)

    @property
    def done(self) -> bool:
        """The item is on the server (saved now or before): its local copy may go."""
        return self.outcome in ("saved", "already")


def _changed_words(store, write: offline_drafts.KeptWrite) -> str:
    what = "visit" if write.kind == "visit" else "decision"
    when = who = ""
    try:
        last = store.audit(write.case_id, limit=1, newest_first=True)
    except Exception:  # noqa: BLE001 - the words are a courtesy; the item stays kept either way
        last = []
    if last:
        entry = last[0]
        role = getattr(entry, "role", "") or ""
        who = f" by {entry.user}" + (f" (login {role})" if role and role != entry.user else "")
        try:
            at = dt.datetime.fromisoformat(entry.at).astimezone(dt.timezone.utc)
            when = f" at {at:%H:%M} UTC on {at:%Y-%m-%d}"
        except (TypeError, ValueError):
            when = ""
    return (f"Case {write.case_id} was changed on the server{who}{when}, after this {what} was typed. Nothing was "
            f"saved, and your {what} is still kept: open the case to compare, then save it as well, or discard it.")


def replaced_words(kind: str) -> str:
    """Why a kept item found saved before is not reported saved: its record was removed since."""
    what = "visit" if kind == "visit" else "decision"
    return (f"This {what} was saved on the server before, but the case's visits and decisions were replaced since "
            f"(for example by an import with --replace-records), so it is not on the case now. Nothing was saved, "
            f"and it is still kept: save it again to add it as a new {what}, or discard it.")


def rekeyed(data_dir, write: offline_drafts.KeptWrite) -> offline_drafts.KeptWrite:
    """``write`` kept under a new write key (its old key's record was replaced on the server):
    saved again, it is a new record, not "the one saved with that key"."""
    fresh = dataclasses.replace(write, key=offline_drafts.new_write_key())
    if offline_drafts.keep_write(data_dir, fresh):
        offline_drafts.discard_write(data_dir, write.key)
    return fresh


def replay(store, write: offline_drafts.KeptWrite, today: dt.date, *, changed_ok: bool = False) -> Replayed:
    """Save one kept item (runs in the operation runner's worker: no widget here).

    ``changed_ok``: the user was told the case changed and chose to save it as well."""
    from radiculopathy_desktop.domain.intake import ValidationError, parse_decision, parse_visit
    from radiculopathy_desktop.storage.store import CaseNotFound

    try:
        state = store.keyed_record_state(write.case_id, write.key)
    except CaseNotFound:
        return Replayed("missing", f"Case {write.case_id} is not on the server: nothing was saved; it stays kept.")
    if state == "on_case":
        return Replayed("already", "It was already saved on the server; it was not saved again.")
    if state == "replaced":  # the audit trail has the key, the case no longer has the record (rt6 F4)
        return Replayed("replaced", replaced_words(write.kind))
    try:
        case = store.get_case(write.case_id)
    except CaseNotFound:
        return Replayed("missing", f"Case {write.case_id} is not on the server: nothing was saved; it stays kept.")
    if not changed_ok and offline_drafts.case_digest(case) != write.based_on:
        return Replayed("changed", _changed_words(store, write))
    parse = parse_visit if write.kind == "visit" else parse_decision
    try:
        item = parse(write.data, case, today=today)
    except ValidationError as exc:
        return Replayed("invalid", "It cannot be added to the case as it is now ("
                        + "; ".join(e.message for e in exc.errors)
                        + "). Nothing was saved; open the case and type it again, then discard this copy.")
    if write.kind == "visit":
        changes = store.add_visit(write.case_id, item, user=write.user, write_key=write.key)
    else:
        changes = store.record_decision(write.case_id, item, user=write.user,
                                        acknowledged_red_flags=write.acknowledged, write_key=write.key)
    return Replayed("saved", changes=changes)


def _local_time(iso: str) -> str:
    """When an item was typed, in this computer's time ("2026-03-02 09:15")."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso)


def _count(n: int, what: str = "visit or decision") -> str:
    return f"1 {what}" if n == 1 else f"{n} {'visits or decisions' if what == 'visit or decision' else what + 's'}"


class KeptWritesBar(QFrame):
    """Above the window's sections: the visits and decisions kept on this computer, and the
    offer to save them once the clinic server can be reached (hidden when there are none)."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.reachable = True
        self.dialog: KeptWritesDialog | None = None
        self.setObjectName("keptWritesBar")
        self.setFrameShape(QFrame.StyledPanel)
        self.setAccessibleName("Visits and decisions kept on this computer")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        row.addWidget(self.label, 1)
        self.review_button = QPushButton("Review and save…")
        self.review_button.setAccessibleName("Review and save what was kept on this computer")
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(self.review)
        row.addWidget(self.review_button)
        self.hide()
        context.extra["kept_writes_changed"] = self.refresh

    def kept(self) -> list[offline_drafts.KeptWrite]:
        return offline_drafts.kept_writes(self.context.data_dir)

    def server_reachable(self, ok: bool) -> None:
        self.reachable = ok
        self.refresh()

    def refresh(self) -> None:
        kept = self.kept()
        if not kept:
            self.hide()
            return
        n = _count(len(kept))
        if self.reachable:
            self.label.setText(f"{n} typed while the clinic server could not be reached "
                               f"{'is' if len(kept) == 1 else 'are'} kept on this computer, not yet saved. "
                               "The server can be reached now: review the list and save.")
        else:
            self.label.setText(f"{n} kept on this computer, not yet saved: the clinic server cannot be reached. "
                               "You will be able to save when it is back.")
        self.review_button.setEnabled(self.reachable)
        self.label.setAccessibleDescription(self.label.text())
        self.show()

    def review(self) -> "KeptWritesDialog":
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = dialog = KeptWritesDialog(self.context, self.window())
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.destroyed.connect(self._dialog_gone)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.show()
        return dialog

    def _dialog_gone(self, *_args) -> None:
        self.dialog = None


class KeptWritesDialog(QDialog):
    """The list of what is kept on this computer, to save to the server (the user confirms)."""

    TITLE = "Save what was kept on this computer"
    replayed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.changed_seen: set[str] = set()  # keys whose case changed: the user was told, may save as well
        self.replaced_seen: set[str] = set()  # keys whose saved record was replaced: the next Save adds it anew
        self.notes: dict[str, str] = {}
        self.setWindowTitle(self.TITLE)
        self.setAccessibleName(self.TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel("These visits and decisions were typed while the clinic server could not be reached. They are "
                       "kept on this computer and are not on the server yet. Check them, then save the checked ones: "
                       "each is saved once, even if the connection drops again while saving.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Kept visits and decisions")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.PlainText)
        self.result.setAccessibleName("Result")
        layout.addWidget(self.result)
        row = QHBoxLayout()
        self.save_button = QPushButton("&Save the checked to the server")
        self.save_button.setDefault(True)
        self.open_button = QPushButton("&Open the case")
        self.open_button.setAccessibleName("Open the selected item's case")
        self.discard_button = QPushButton("&Discard the checked…")
        self.close_button = QPushButton("Not &now")
        for button in (self.save_button, self.open_button, self.discard_button, self.close_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save_checked)
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button.clicked.connect(self.discard_checked)
        self.close_button.clicked.connect(self.reject)
        self.confirm_box: QMessageBox | None = None
        self.fill()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 22)

    # -- the list
    def fill(self) -> None:
        checked = {w.key for w in self.checked()} if self.list.count() else None
        self.list.clear()
        for write in offline_drafts.kept_writes(self.context.data_dir):
            text = f"{write.describe()} — typed by {write.user} on {_local_time(write.typed_at)}"
            if write.key in self.notes:
                text += f"\n    Not saved: {self.notes[write.key]}"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, write)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if checked is None or write.key in checked else Qt.Unchecked)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        has = self.list.count() > 0
        for button in (self.save_button, self.open_button, self.discard_button):
            button.setEnabled(has)

    def writes(self) -> list[offline_drafts.KeptWrite]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]

    def checked(self) -> list[offline_drafts.KeptWrite]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.Checked]

    def _changed_elsewhere(self) -> None:
        kept_changed = self.context.extra.get("kept_writes_changed")
        if kept_changed is not None:
            kept_changed()

    # -- saving
    def save_checked(self) -> None:
        from radiculopathy_desktop.ui import errors as ui_errors

        todo = self.checked()
        if not todo:
            self.result.setText("Nothing is checked: nothing was saved.")
            return
        saved = already = 0
        stopped = None
        today = self.context.today()
        self.save_button.setEnabled(False)
        try:
            for write in todo:
                changed_ok = write.key in self.changed_seen
                if write.key in self.replaced_seen:  # the user was told; saved again under a new key
                    self.replaced_seen.discard(write.key)
                    note = self.notes.pop(write.key, None)
                    write = rekeyed(self.context.data_dir, write)
                    changed_ok = True  # the case changed: its records were replaced, as the user was told
                    if note is not None:
                        self.notes[write.key] = note
                outcome = self.context.ops.run(
                    lambda store, w=write, ok=changed_ok: replay(store, w, today, changed_ok=ok),
                    parent=self, initiator=self, errors="quiet", changes=lambda r: r.changes)
                if not outcome.ok:
                    stopped = outcome.error
                    break
                result: Replayed = outcome.value
                if result.done:
                    offline_drafts.discard_write(self.context.data_dir, write.key)
                    self.notes.pop(write.key, None)
                    saved += result.outcome == "saved"
                    already += result.outcome == "already"
                    continue
                self.notes[write.key] = result.message
                if result.outcome == "changed":
                    self.changed_seen.add(write.key)
                elif result.outcome == "replaced":
                    self.replaced_seen.add(write.key)
        finally:
            self.fill()
            self._changed_elsewhere()
        left = self.list.count()
        parts = [f"Saved to the server: {saved}."]
        if already:
            parts.append(f"Already on the server, not saved again: {already}.")
        if stopped is not None:
            if getattr(stopped, "kind", None) == "unreachable":
                parts.append("The clinic server could not be reached again: what is not saved stays kept here; "
                             "save it when the server is back.")
            else:
                ui_errors.show_error(self, stopped, kept_input=True)
                parts.append("Saving stopped at an error; what is not saved stays kept here.")
        elif left:
            parts.append(f"Still kept on this computer: {left} (the reason is under each).")
        self.result.setText(" ".join(parts))
        self.replayed.emit()
        if not left and stopped is None:
            self.accept()

    # -- comparing and discarding
    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.context.hub.open_case.emit(item.data(Qt.UserRole).case_id)

    def discard_checked(self) -> None:
        todo = self.checked()
        if not todo:
            self.result.setText("Nothing is checked: nothing was discarded.")
            return
        box = QMessageBox(QMessageBox.Warning, "Discard kept items", "", QMessageBox.NoButton, self)
        box.setText("Discard these? They are not on the server, and they will be gone from this computer too:\n\n"
                    + "\n".join(f"• {w.describe()}" for w in todo))
        discard = box.addButton("&Discard them", QMessageBox.DestructiveRole)
        back = box.addButton("&Keep them", QMessageBox.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)

        def answered(button):
            self.confirm_box = None
            if button is not discard:
                return
            for write in todo:
                offline_drafts.discard_write(self.context.data_dir, write.key)
                self.notes.pop(write.key, None)
            log.info("%d kept visits or decisions discarded by the user", len(todo))
            self.fill()
            self._changed_elsewhere()
            self.result.setText(f"Discarded: {len(todo)}.")

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WA_DeleteOnClose)
        self.confirm_box = box
        box.open()
