"""Add a follow-up visit and record a decision: non-blocking dialogs.

Both validate through the domain (``parse_visit`` / ``parse_decision``, the same
rules as the importer and the CLI), save through the store, and announce the
change on the event hub so the worklist and timeline update at once. A store
failure keeps the dialog open with everything typed still in it.

The visit dialog offers the whole red-flag screen of the intake (the same
:class:`~radiculopathy_desktop.ui.forms.RedFlagScreen`), folded away under "Red flags
re-screened at this visit". Every question starts at "Not asked", which records
nothing and keeps the answer standing from earlier records; only the questions
answered again are saved (``visits[].red_flags``). A yes shows what to do now at
once: ``domain.triage.rescreen`` gives what stands and the engine's triage of the case
with these answers (its examination and conditions too), so the dialog decides no rule.
"""

from __future__ import annotations

import logging

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFrame, QGroupBox, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.characters import visible  # rt8 F8: hidden characters shown
from radiculopathy_desktop.domain.episodes import ReopenRefused
from radiculopathy_desktop.domain.intake import (MAX_CLINICIAN_NAME, FieldError, ValidationError, parse_decision,
                                                 parse_visit)
from radiculopathy_desktop.domain.vocabulary import DECISIONS, MUSCLE_GROUPS, RED_FLAG_QUESTIONS
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.ui import errors as ui_errors
from radiculopathy_desktop.ui import offline_drafts, style
from radiculopathy_desktop.ui.choice import set_combo
from radiculopathy_desktop.ui.forms import (ActionBanner, _plain, ErrorLabel, FieldForm, RadioGroup, RedFlagScreen, date_edit,
                                            date_value, dspin, dspin_value, number_errors, spin, spin_value, NumberField,
                                            MRC_HINT, combo, set_spin)

from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # the store contract, for annotations only
    from radiculopathy_desktop.storage.contract import Store


class SavedBeforeChanges(UserError):
    """What a dialog holds was changed after a save that could not be confirmed, and that earlier
    version is on the server now: the changes are not saved under the same write key."""

    def __init__(self, what: str):
        super().__init__(
            f"This {what} is already on the clinic server as it was typed before your last changes (the copy kept "
            f"on this computer was saved). Your changes are not saved: press Save again to add them as another "
            f"{what}, or Cancel to keep only the one saved.")


log = logging.getLogger(__name__)

class RedFlagsChangedMeanwhile(UserError):
    """The red flags standing on the case, read again at Save, are not those the dialog showed
    (another program saved a red flag meanwhile): nothing is saved (red-team rt9 F5)."""

    def __init__(self, case, reported_again: bool = False):
        self.case = case
        what = ("a red flag shown here was reported again at a visit saved since this dialog opened"
                if reported_again else "the red flags on this case changed since this dialog opened")
        super().__init__(f"Not saved: {what} (another program or workstation saved a record). Nothing typed is "
                         "lost; read the red flags shown and decide again.")


class SavedThenReplaced(UserError):
    """What a dialog holds was saved with its write key by a save that could not be confirmed,
    and the case's records were replaced since: it is not on the case now, and not reported saved."""

    def __init__(self, what: str):
        super().__init__(
            f"This {what} was saved on the clinic server before, but the case's visits and decisions were replaced "
            f"since (for example by an import with --replace-records), so it is not on the case now. Nothing was "
            f"saved: press Save again to add it as a new {what}, or Cancel.")


def ask_discard(parent, what: str) -> bool:
    """True when the user confirms discarding what was typed in a dialog. Tests monkeypatch this."""
    box = QMessageBox(QMessageBox.Warning, f"Discard this {what}?",
                      f"This {what} is not saved. Close the window and discard what was typed?",
                      QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.button(QMessageBox.Discard).setText(f"&Discard the {what}")
    box.button(QMessageBox.Cancel).setText("&Keep typing")
    box.setDefaultButton(QMessageBox.Cancel)  # Enter or Esc again keeps it
    return box.exec() == QMessageBox.Discard


def ask_unsaved_record(parent, dialog: "_CaseDialog") -> str:
    """The window is closing while ``dialog`` holds typed values (gp14 G9): "save", "discard" or
    "cancel". Cancel is the default and Esc; the question names the patient and the case."""
    from radiculopathy_desktop.domain.characters import visible_id

    what, case = dialog.kept_kind, dialog.case
    box = QMessageBox(QMessageBox.Warning, f"Save this {what} before closing?", "", QMessageBox.NoButton, parent)
    box.setAccessibleName(f"Save this {what} before closing?")
    box.setText(f"The {what} typed for {visible(case.patient.name or case.patient.id)} (case "
                f"{visible_id(case.case_id)}) is not saved, and the window is closing.")
    box.setInformativeText(f"Save it now, discard what was typed, or cancel to go back to the {what}.")
    save = box.addButton(f"&Save the {what}", QMessageBox.AcceptRole)
    discard = box.addButton(f"&Discard the {what}", QMessageBox.DestructiveRole)
    cancel = box.addButton("&Cancel", QMessageBox.RejectRole)
    box.setDefaultButton(cancel)  # Enter or Esc: nothing is lost
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def ask_before_saving(parent, title: str, text: str, informative: str, accept: str):
    """A warning that asks before a save (not opened): ``accept`` and "Go back", which is the
    default and Esc (the safe answer); deleted when closed. Returns the box and its accept
    button. One builder for the case dialogs' questions and the kept-items list's (the same
    question asked again when a kept decision is saved)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, title, "", QMessageBox.NoButton, parent)
    box.setText(text)
    box.setInformativeText(informative)
    record = box.addButton(accept, QMessageBox.AcceptRole)
    back = box.addButton("&Go back", QMessageBox.RejectRole)
    box.setDefaultButton(back)  # the safe answer is the default
    box.setEscapeButton(back)
    box.setAttribute(Qt.WA_DeleteOnClose)
    return box, record


class _CaseDialog(QDialog):
    saved = Signal(str)
    title = ""

    def __init__(self, context, case, parent=None):
        super().__init__(parent)
        self.context = context
        self.case = case
        # Made once per dialog: every save of what is typed here carries it, so the clinic server
        # stores it once however often it is sent (a retry, the replay of the copy kept offline).
        self.write_key = offline_drafts.new_write_key()
        self._sent: dict | None = None  # what was last sent with write_key (a save not confirmed)
        self.setWindowTitle(f"{self.title} — {visible(case.patient.name or case.patient.id)}")
        self.setAccessibleName(self.title)
        layout = QVBoxLayout(self)
        # Above the form, never scrolled away (e.g. what to do now after a red flag). tryout36 F7
        # (H-UI-554): a message here that comes or grows as the form is filled in does not move
        # the fields under the pointer: the room never shrinks while the dialog is open, and the
        # form is scrolled as far as the room grows (steady.py).
        from radiculopathy_desktop.ui.steady import KeptRoom, SteadyScrollArea
        self.pinned_room = KeptRoom()
        self.pinned = QVBoxLayout(self.pinned_room)
        self.pinned.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pinned_room)
        # The form scrolls when it is taller than the screen (large fonts, the red-flag screen).
        self.body = QWidget()
        self.form = FieldForm(self.body)
        self.scroll = SteadyScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes to the fields; the area scrolls to the focused one
        self.scroll.setWidget(self.body)
        layout.addWidget(self.scroll, 1)
        self.general_error = ErrorLabel()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setAccessibleName(f"Save {self.title.lower()}")
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Ctrl+Return saves in every field, as in the intake (its key for Next/Save) and the visit
        # dialog; a shortcut, so the note's text box does not take it first (window31: the decision
        # dialog ignored it). Return alone keeps each dialog's own meaning.
        from radiculopathy_desktop.ui import shortcuts
        shortcuts.bind(self, "dialog.save", self.save)
        self._initial: str | None = None  # what the dialog held when first shown (has_input)
        self._saving = False  # a save is running (its own announcement reloads the case)
        # What is typed is kept on this computer as it is typed (visit16's "left alone": a dialog
        # typed before the window locked lived in memory only, and a crash lost it too): written
        # KEEP_MS after the last change, at once at the lock and from the crash guard, under the
        # write key, so the copy offered at the next start and this dialog's own Save store it once.
        self._keep_timer = QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(self.KEEP_MS)
        self._keep_timer.timeout.connect(self.save_draft_now)
        self._kept_on_disk = False  # a copy of what is typed is in offline-drafts/writes
        self._kept_why = offline_drafts.UNSAVED  # UNREACHABLE once a save could not reach the server
        self._finished = False  # saved or discarded: nothing more is kept
        # This dialog's write keys: the window's offer of kept items leaves out the copy of a dialog
        # still open (it is saved here); the keys go from the set when the dialog is gone.
        self._own_keys = {self.write_key}
        live = context.extra.setdefault("live_write_keys", set())
        live.add(self.write_key)
        self.destroyed.connect(lambda *_a, live=live, own=self._own_keys: live.difference_update(own))
        # The form wider than its view after the dialog is shown (an error beside a field, a row
        # shown: gp17 F14, the weeks error cut at the right edge behind a horizontal scrollbar):
        # the dialog grows to it where the screen allows, once the layout has settled.
        self._grow_queued = False
        self.body.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.body and event.type() == QEvent.LayoutRequest and not self._grow_queued:
            self._grow_queued = True
            QTimer.singleShot(0, self, self._grow_to_form)
        return super().eventFilter(obj, event)

    def _grow_to_form(self) -> None:
        self._grow_queued = False
        if self.isVisible() and self.scroll.horizontalScrollBar().maximum() > 0:
            self.fit_to_content()

    #: How long after the last change what is typed is written to this computer (the intake's pace).
    KEEP_MS = 1500

    # -- typed text is not lost without a question (red-team rt8 F9)
    def _snapshot(self) -> str | None:
        import json
        try:
            numbers = [box.text() for box in self.findChildren(NumberField)]  # "abc" typed is input too
            data = dict(self.data())
            data.pop("acknowledged_red_flags", None)  # read from the case (which can be read again), not typed
            data.pop("typed_against", None)  # so is what it was typed against
            return json.dumps([data, numbers], sort_keys=True, default=str)
        except Exception:  # noqa: BLE001 - a form that cannot be read counts as typed into
            return None

    def showEvent(self, event):  # noqa: N802
        if self._initial is None:
            self._initial = self._snapshot() or ""
            self._watch_typing()
        super().showEvent(event)

    def _watch_typing(self) -> None:
        """Every field's change (re)starts the keep timer."""
        for widget in self.body.findChildren(QWidget):
            signal = next((getattr(widget, name) for name in ("textChanged", "toggled", "currentIndexChanged",
                                                              "dateChanged") if hasattr(widget, name)), None)
            if signal is not None:
                try:
                    signal.connect(self._typed_now)
                except (RuntimeError, TypeError):
                    pass

    def _typed_now(self, *_args) -> None:
        if not self._finished:
            self._keep_timer.start()

    def save_draft_now(self) -> bool:
        """Write what is typed to this computer at once (the lock, the crash guard, the keep timer):
        True when it is kept there, or when nothing is typed (then an earlier copy goes). Never
        raises and never asks (it may run from a crash handler); nothing of the patient is logged."""
        self._keep_timer.stop()
        if self._finished:
            return True
        try:
            if not self.has_input():
                if self._kept_on_disk and self._kept_why == offline_drafts.UNSAVED:
                    offline_drafts.discard_write(self.context.data_dir, self.write_key)
                    self._kept_on_disk = False
                self._say_if_not_kept(True)  # nothing typed: nothing to lose
                return True
            case = self.case
            self._own_keys.add(self.write_key)  # (a new one after a save found replaced)
            self.context.extra.setdefault("live_write_keys", set()).add(self.write_key)
            kept = offline_drafts.keep_write(self.context.data_dir, offline_drafts.KeptWrite(
                key=self.write_key, kind=self.kept_kind, case_id=case.case_id, data=self.kept_data(),
                user=self.context.user, typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                based_on=offline_drafts.case_digest(case), patient=case.patient.name or case.patient.id,
                acknowledged=self._acknowledged(), why=self._kept_why))
        except Exception as exc:  # noqa: BLE001 - the dialog keeps what is typed either way
            log.warning("a typed %s could not be kept on this computer (%s)", self.kept_kind, type(exc).__name__)
            kept = False
        self._kept_on_disk = self._kept_on_disk or kept
        self._say_if_not_kept(kept)
        return kept

    def kept_data(self) -> dict:
        """:meth:`data`, with the text typed in a number field that is not a number ("200x" as the leg
        pain) in that field's place, as typed (tryout36 F3: it was dropped, so the kept copy held no
        leg pain at all and saving it later stored the visit without it, unsaid). Kept so, saving the
        copy is refused in words by the parser ("leg_nrs must be a number, not text"), as a number out
        of its range kept in it is, and the list of kept items shows it as typed."""
        data = self.data()
        for box in self.body.findChildren(NumberField):
            if not (box.field and box.text().strip() and box.value() is None):
                continue
            *parents, last = box.field.split(".")[1:]  # "visit.power.hip_flexion": power, hip_flexion
            where = data
            for part in parents:
                inner = where.get(part)
                where = where[part] = dict(inner) if isinstance(inner, dict) else {}
            where[last] = box.text()
        return data

    #: What the dialog says at once when what is typed could not be written to this computer
    #: (red team rt17 F13: it was only logged, so the lock and crash protection silently did not exist).
    NOT_KEPT = ("Not kept on this computer: what is typed here could not be written to the data folder, so it "
                "would be lost if the session ended or the app closed before it is saved. Save it as soon as you can.")

    def _say_if_not_kept(self, kept: bool) -> None:
        try:
            shown = self.general_error.text().removeprefix("⚠ ")
            if not kept and not shown:
                self.general_error.show_message(self.NOT_KEPT)
            elif kept and shown == self.NOT_KEPT:
                self.general_error.show_message(None)
        except RuntimeError:  # the dialog's widgets are gone (a crash handler): nothing to show
            pass

    def _finish(self, keep_copy: bool = False) -> None:
        """Saved or discarded: the copy kept while typing goes (unless ``keep_copy``: a copy kept
        because the server could not be reached stays, to be offered when it is back)."""
        self._finished = True
        self._keep_timer.stop()
        if not keep_copy:
            offline_drafts.discard_write(self.context.data_dir, self.write_key)
            self._kept_on_disk = False

    def has_input(self) -> bool:
        """Anything typed or chosen since the dialog opened."""
        return self._initial is not None and self._snapshot() != self._initial

    def reject(self) -> None:
        """Esc, Cancel or closing: at once when nothing was typed, else only once the user agrees."""
        if self.has_input() and not ask_discard(self, self.kept_kind or self.title.lower()):
            return
        self._finish(keep_copy=self._kept_why == offline_drafts.UNREACHABLE)
        super().reject()

    def discard(self) -> None:
        """Close without saving, the user having said so already (the window's close question)."""
        self._finish(keep_copy=self._kept_why == offline_drafts.UNREACHABLE)
        super().reject()

    def settle_before_close(self, parent) -> bool:
        """The window is closing: True when it may (nothing typed, saved, or discarded on the
        user's word); False when the user cancelled or the save did not go through (said in
        the dialog, which stays open with everything typed)."""
        if not self.has_input():
            return True
        self.show()
        self.raise_()
        choice = ask_unsaved_record(parent, self)
        if choice == "discard":
            self.discard()
            return True
        if choice == "save":
            self.save()
            if self.isVisible():  # refused, failed, or a question asked first: nothing closes
                self.raise_()
                self.activateWindow()
                return False
            return True
        self.activateWindow()
        return False

    def _available(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def fit_to_content(self) -> None:
        """Grow to show the whole form unscrolled where the screen allows (never beyond it)."""
        self.layout().activate()
        body = self.body.sizeHint()
        # not for the room added below the form to keep its fields still (steady.hold_content, F7)
        body.setHeight(body.height() - int(self.body.property("steady_room") or 0))
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        outside_w = self.width() - self.scroll.viewport().width()
        outside_h = self.height() - self.scroll.viewport().height()
        room = self._available()
        frame = self.frameGeometry()  # the window's own frame counts too, and it stays on the screen
        extra_w, extra_h = max(0, frame.width() - self.width()), max(0, frame.height() - self.height())
        self.resize(min(max(self.width(), body.width() + outside_w + bar), room.width() - extra_w),
                    min(max(self.height(), body.height() + outside_h), room.height() - extra_h))
        frame = self.frameGeometry()
        x = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
        y = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
        if (x, y) != (frame.left(), frame.top()):
            self.move(max(x, room.left()), max(y, room.top()))

    def data(self) -> dict:
        raise NotImplementedError

    def validate(self, data):
        raise NotImplementedError

    def store_it(self, store: Store, item):
        """Write ``item`` with ``store`` (runs in the operation runner's worker: no widget here); the Changes."""
        raise NotImplementedError

    kept_kind = ""  # "visit" or "decision": what a copy kept on this computer holds

    def _acknowledged(self) -> dict | None:
        return None

    def _keep_offline(self) -> None:
        """The clinic server could not be reached: keep what was typed on this computer too, so it
        is offered for saving when the server is back even if this dialog is closed."""
        self._kept_why = offline_drafts.UNREACHABLE
        kept = self.save_draft_now()
        if kept:
            self.general_error.show_message(
                f"Not saved yet: this {self.kept_kind} is kept on this computer. When the clinic server is back, "
                "save it here or from the window's offer to save what was kept; it is saved once either way.")
        kept_changed = self.context.extra.get("kept_writes_changed")
        if kept_changed is not None:
            kept_changed()

    def confirm(self, item) -> bool:
        """Whether to save ``item`` now (a dialog may first ask; it calls save again when answered)."""
        return True

    def _ask(self, title: str, text: str, informative: str, accept: str, accepted, closed):
        """A warning asking before a save, opened (not run): Go back is the default and Esc;
        the accept button calls ``accepted`` and saves again, either answer calls ``closed`` first."""
        box, record = ask_before_saving(self, title, text, informative, accept)

        def answered(button):
            closed()
            if button is record:
                accepted()
                self.save()
        box.buttonClicked.connect(answered)
        box.open()
        return box

    def recheck(self, store: Store, item) -> None:
        """In the save's worker, before writing: raise when the case read again from ``store``
        makes ``item`` something the clinician was not asked about (no widget here)."""

    def changed_meanwhile(self, error: RedFlagsChangedMeanwhile) -> None:
        """Nothing was saved because the case changed: show it as it is now."""

    def reopen_refused(self, error) -> None:
        """Nothing was saved: the store found the patient's other open case (rt16 F2)."""
        ui_errors.show_error(self, error, kept_input=True)

    def save(self) -> None:
        self.form.clear_errors()
        self.general_error.show_message(None)
        numbers = number_errors(self.body)  # typed out of range or not a number: named as typed, nothing saved
        # tryout36 F14 (H-UI-556): every field's error at once. A score typed wrong stopped Save
        # before the rest was checked, so an impossible date was named only at the next Save.
        # The form's own checks run too, and each field keeps the words said of it as typed.
        errors = list(numbers)
        raw = self.data()
        try:
            item = self.validate(raw)
        except ValidationError as exc:
            typed = {e.field for e in numbers}
            # with a number refused as typed, the form's checks see it as empty: only the other
            # fields' own errors are added ("Nothing is recorded for this visit" would mislead)
            errors += [e for e in exc.errors if e.field not in typed and (not numbers or e.field in self.form.errors)]
        except Exception:  # noqa: BLE001 - a number refused as typed may leave nothing to check; it is named
            if not numbers:
                raise
        if errors:
            left = self.form.show_errors(errors)
            if left:
                self.general_error.show_message("; ".join(_plain(e.message, e.field) for e in left))
            return
        if not self.confirm(item):
            return
        sent, case_id, key = self._sent, self.case.case_id, self.write_key

        def op(store):
            # After a save that could not be confirmed, that earlier version may be on the server
            # (the answer was lost, or the offer saved the kept copy): changed since, the key would
            # make this a silent no-op. Saved but no longer on the case (its records replaced since):
            # said, not reported saved (the command line's rule, rt6 F4).
            if sent is not None:
                state = store.keyed_record_state(case_id, key)
                if state == "replaced":
                    raise SavedThenReplaced(self.kept_kind)
                if state == "on_case" and _typed(sent) != _typed(raw):
                    raise SavedBeforeChanges(self.kept_kind)
            self.recheck(store, item)
            return self.store_it(store, item)

        self._sent = raw
        # Locked, read-only, disk full...: the runner explains, and the dialog stays open with what was typed.
        self._saving = True
        try:
            outcome = self.context.ops.run(op, parent=self, initiator=self, errors="quiet")
        finally:
            self._saving = False
        if not outcome.ok:
            if isinstance(outcome.error, RedFlagsChangedMeanwhile):
                self._sent = sent  # nothing was sent
                self.changed_meanwhile(outcome.error)
                return
            if isinstance(outcome.error, ReopenRefused):  # a case opened meanwhile (rt16 F2): asked, nothing saved
                self._sent = sent
                self.reopen_refused(outcome.error)
                return
            ui_errors.show_error(self, outcome.error, kept_input=True)
            if getattr(outcome.error, "kind", None) == "unreachable":
                self._keep_offline()
            elif isinstance(outcome.error, (SavedBeforeChanges, SavedThenReplaced)):
                offline_drafts.discard_write(self.context.data_dir, key)  # that copy is on the server
                self.write_key, self._sent = offline_drafts.new_write_key(), None  # Save again: another record
                self._kept_on_disk, self._kept_why = False, offline_drafts.UNSAVED
                self.general_error.show_message(str(outcome.error))
                self.save_draft_now()  # what is typed, kept again under the new key
            return
        self._finish()  # saved: a kept copy is not offered
        kept_changed = self.context.extra.get("kept_writes_changed")
        if kept_changed is not None:
            kept_changed()
        self.saved.emit(self.case.case_id)
        self.accept()


def _typed(data: dict) -> dict:
    """What was typed of a dialog's data: without what it was typed against (the case shown,
    read again when another workstation changes it), which is not typed."""
    return {k: v for k, v in data.items() if k != "typed_against"}


#: The visit's pregnancy question (preg17). "Not asked" keeps what stands (the intake's or an
#: earlier visit's answer); the others are saved as ``visits[].pregnancy`` (docs/case-format.md).
VISIT_PREGNANCY_ANSWERS = {"unchanged": "Not asked at this visit (no change)",
                           "pregnant": "Pregnant (type the weeks)",
                           "not_pregnant": "No longer pregnant (birth or loss), or not pregnant"}


@dataclass(frozen=True)
class VisitCarry:
    """What the intake being typed held that a follow-up visit records (gp17 F5: "Open case"
    from the intake's open-case question opened a visit saying "Not pregnant" while 33 weeks had
    just been typed): pre-filled in the visit dialog and marked, for the clinician to check
    before saving. ``values``: the visit's fields as :meth:`VisitDialog.data` gives them;
    ``said``: each carried answer in words; ``not_carried``: what the intake held that a visit
    does not record (said in the dialog); ``keeps_draft``: the intake draft stays once the visit
    is saved (it holds what the visit could not take, the medicines above all)."""

    values: dict
    said: tuple[str, ...] = ()
    not_carried: tuple[str, ...] = ()
    keeps_draft: bool = False
    #: rt18 F2: the intake's "not pregnant" beside a pregnancy the case records, not carried (an
    #: intake's "no" is not an observed end): both answers, for the clinician to ask; "" when none.
    pregnancy_note: str = ""
    #: The visit field each entry of ``said`` fills ("date", "pregnancy", "leg_nrs", "power", ...),
    #: so the dialog lists only what its form took (gp20 F8: "not pregnant" was listed as carried
    #: for a man's case, whose form asks no pregnancy question); empty: every entry was taken.
    said_for: tuple[str, ...] = ()

    def fate(self) -> str:
        """What happens to the intake draft."""
        if self.keeps_draft:
            return ("The intake you were typing stays kept as a draft, now and after this visit is saved (it holds "
                    "what this visit does not take and the case does not hold): read it with New intake (Ctrl+3), "
                    "then Start over discards it.")
        return ("The intake you were typing stays kept as a draft until this visit is saved; then the draft is "
                "discarded (everything in it that a visit records is on this visit). Cancel keeps the draft.")


#: Said, and nothing saved, when "Red flags re-screened at this visit" is ticked and no question answered.
NOTHING_RESCREENED = ("“Red flags re-screened at this visit” is ticked but no question was answered: answer the "
                      "questions asked (Yes, No or Unknown), or untick the box if they were not asked again.")


class VisitDialog(_CaseDialog):
    title = "Follow-up visit"

    def __init__(self, context, case, parent=None, carried: VisitCarry | None = None):
        super().__init__(context, case, parent)
        self.carried = carried
        self.clear_confirmed: tuple[str, ...] = ()  # red flags confirmed answered No (gp14 G16)
        self.clear_box = None
        f = self.form
        self.date = f.add("Visit &date (today or earlier):", date_edit("Visit date", context.today()), "visit.date")
        self._add_medicines(case)
        self.leg = f.add("&Leg pain now (0-10):", spin("Leg pain now, 0 to 10", 0, 10), "visit.leg_nrs")
        self.back = f.add("&Back pain now (0-10):", spin("Back pain now, 0 to 10", 0, 10), "visit.back_nrs")
        uses_rmdq = case.intake.function.odi_percent is None and case.intake.function.rmdq is not None
        self.odi = f.add("&ODI (%):", dspin("Oswestry Disability Index, percent", 0, 100, 0, what="ODI", unit="%"), "visit.odi_percent")
        self.rmdq = f.add("&RMDQ (0-24):", spin("Roland-Morris score, 0 to 24", 0, 24, what="RMDQ"), "visit.rmdq")
        (self.rmdq if uses_rmdq else self.odi).setToolTip("The function score used at intake")

        # Muscle power, the intake's key muscles (rt13 F2): "Not recorded" unless graded here.
        self.power_box = QGroupBox("Muscle power (MRC 0-5; leave at 'Not recorded' when not tested)")
        self.power_box.setAccessibleName("Muscle power, MRC 0 to 5")
        pform = FieldForm(self.power_box)
        # Alt+P reaches the first muscle ("Hi&p flexion"), Tab the others in the examination's order.
        # The grade standing before this visit beside each muscle, so a drop is seen as typed (gp14 G18),
        # as of the visit date typed (gp26: a visit dated back showed today's grades, a later visit's)
        self._power_form = pform
        self._muscles_day = None
        self.power = {key: pform.add(f"{label}:", spin(f"{label} power, MRC 0 to 5", 0, 5), f"visit.power.{key}")
                      for key, label in MUSCLE_GROUPS.items()}
        self._label_muscles()
        self.date.dateChanged.connect(self._label_muscles)
        for box in self.power.values():
            box.hint = MRC_HINT  # "4+" typed from habit: how to record it (gp16 F8)
        f.errors.update(pform.errors)
        f.inputs.update(pform.inputs)
        # A muscle weaker than before but still MRC 4: said here (domain.visits), never raised.
        self.weaker_label = QLabel()
        self.weaker_label.setWordWrap(True)
        self.weaker_label.setTextFormat(Qt.PlainText)
        self.weaker_label.setAccessibleName("Muscle graded weaker than before")
        self.weaker_label.hide()
        pform.addRow(self.weaker_label)
        f.addRow(self.power_box)
        for box in self.power.values():
            box.valueChanged.connect(self.update_weaker)
            box.valueChanged.connect(self.update_banner)  # MRC 3 or less, weaker: what to do now (gp14 G18)

        # The red-flag screen: folded away until the clinician re-screens.
        day = self.date.day() or context.today()
        self.flags_box = QGroupBox("Red flags")
        self.flags_box.setAccessibleName("Red flags")
        box = QVBoxLayout(self.flags_box)
        self.standing_label = QLabel()
        self.standing_label.setWordWrap(True)
        self.standing_label.setTextFormat(Qt.PlainText)
        self.standing_label.setAccessibleName("Red flags standing from earlier records")
        box.addWidget(self.standing_label)
        self.rescreen = QCheckBox("Red flags re-scr&eened at this visit")
        self.rescreen.setAccessibleName("Red flags re-screened at this visit: show the questions")
        box.addWidget(self.rescreen)
        self.banner = ActionBanner()  # pinned above the form: in view whichever question was answered
        self.pinned.addWidget(self.banner)
        self.flag_screen = RedFlagScreen("visit.red_flags", standing=case.red_flags_as_of(day),
                                         answered_on=case.red_flags_answered_on(day))
        self.flags = self.flag_screen.groups
        f.errors.update(self.flag_screen.errors)
        f.inputs.update(self.flag_screen.inputs)
        self.flag_screen.hide()
        box.addWidget(self.flag_screen)
        f.addRow(self.flags_box)
        self.rescreen.toggled.connect(self._rescreen_toggled)
        self.flag_screen.changed.connect(self.update_banner)
        self.date.dateChanged.connect(self.update_banner)

        self._add_pregnancy(case)

        self.clinician = f.add("Cl&inician:", QLineEdit(), "visit.clinician")
        self.clinician.setAccessibleName("Clinician")
        # the intake's bound, said before typing; a longer name is refused at Save and kept, never cut (mmx22 leftover)
        self.clinician.setPlaceholderText(f"Name and role, at most {MAX_CLINICIAN_NAME} characters")
        self.notes = f.add("&Notes:", QPlainTextEdit(), "visit.notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        # Three lines at least (never squashed to a sliver by the form), six at most.
        lines = self.notes.fontMetrics().lineSpacing()
        frame = 2 * self.notes.frameWidth() + int(self.notes.document().documentMargin() * 2)
        self.notes.setMinimumHeight(lines * 3 + frame)
        self.notes.setMaximumHeight(lines * 6 + frame)
        from radiculopathy_desktop.ui.intake_extras import MonitoringReminder  # issue 18: monitoring
        # redflag36 (H-UI-547): the next-visit line is the case's next-visit decision, followed as typed
        self.monitoring = MonitoringReminder(context.profile(), case.patient.age_on(context.today()), case=case,
                                             day=self.date.day() or context.today())
        f.addRow(self.monitoring)
        from radiculopathy_desktop.ui.care_facts_widgets import ImagingAndAdvice  # issue 16
        self.care_facts = ImagingAndAdvice("visit")
        f.errors.update(self.care_facts.form.errors)
        f.inputs.update(self.care_facts.form.inputs)
        f.addRow(self.care_facts)
        self.date.dateChanged.connect(self.update_weaker)
        self.update_banner()
        # a visit on a closed case while the same patient has another open case (rt16 F2): said
        # above the form; the visit is kept where the clinician records it
        self.elsewhere_label = QLabel()
        self.elsewhere_label.setWordWrap(True)
        self.elsewhere_label.setTextFormat(Qt.PlainText)
        self.elsewhere_label.setAccessibleName("Another case is open")
        self.elsewhere_label.setStyleSheet("font-weight: bold;")
        elsewhere = self._open_elsewhere()
        self.elsewhere_label.setText(elsewhere or "")
        self.elsewhere_label.setVisible(bool(elsewhere))
        self.pinned.addWidget(self.elsewhere_label)
        self.carried_label = style.message_label("Answers from the intake you were typing")
        self.pinned.addWidget(self.carried_label)
        if carried is not None:
            self._initial = self._snapshot() or ""  # the carried answers count as typed (Esc asks first)
            self._watch_typing()
            self._carry(carried)
        self.date.setFocus()

    def _label_muscles(self, *_args) -> None:
        """Each muscle's label and name with its grade standing before a visit on the date typed
        (``Case.power_as_of``, the grades ``domain.visits.weaker_muscles`` compares with): "Ankle
        dorsiflexion (before: 4/5):". A label marked as carried from the intake keeps its mark."""
        day = self.date.day() or self.context.today()
        if day == self._muscles_day:
            return
        self._muscles_day = day
        before = self.case.power_as_of(day)
        for key, label in MUSCLE_GROUPS.items():
            box = self.power[key]
            text = "Hi&p flexion" if key == "hip_flexion" else label
            text = f"{text} (before: {before[key]}/5):" if key in before else f"{text}:"
            shown = self._power_form.labelForField(box.parentWidget())
            if shown is not None:
                if self.CARRIED_MARK in shown.text():
                    text = text[:-1] + self.CARRIED_MARK + ":"
                shown.setText(text)
            box.setAccessibleName(f"{label} power, MRC 0 to 5" + (f"; graded {before[key]} before" if key in before else ""))

    def _add_medicines(self, case) -> None:
        """The case's current medicines, as the intake recorded them with their doses, read-only
        beside the scores (gp26 F1: the visit was recorded blind to what the patient takes); the
        heading names the date they were recorded (``domain.visits.intake_medicines``). Plain
        text, visible characters only; not in the Tab order (nothing to type)."""
        from radiculopathy_desktop.domain.visits import INTAKE_MEDICINES_NOTE

        self.medicines_box = QGroupBox()
        box = QVBoxLayout(self.medicines_box)
        self.medicines_label = QLabel()
        self.medicines_label.setWordWrap(True)
        self.medicines_label.setTextFormat(Qt.PlainText)
        self.medicines_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.medicines_label)
        note = QLabel(INTAKE_MEDICINES_NOTE)
        note.setWordWrap(True)
        note.setTextFormat(Qt.PlainText)
        note.setStyleSheet("font-size: small;")
        box.addWidget(note)
        self._medicines_shown = None
        self._show_medicines(case)
        self.form.addRow(self.medicines_box)

    #: Said first in the medicine list when the case's list changed while the dialog was open.
    MEDICINES_CHANGED = "Changed since this dialog opened (the case was updated elsewhere):"

    #: Said first when the list was corrected in this window's Edit medicines (medfix2, H-UI-503):
    #: a correction made here is not worded as one made elsewhere.
    MEDICINES_CORRECTED_HERE = "Corrected in Edit medicines in this window since this dialog opened:"

    def _show_medicines(self, case, corrected_here: bool = False) -> None:
        from radiculopathy_desktop.domain.visits import intake_medicines

        listed = intake_medicines(case, self._medicines_corrected_on(case))
        if self._medicines_shown is None:
            self._medicines_shown = listed  # the list as the dialog opened with it
        if corrected_here and listed != self._medicines_shown:
            self._medicines_shown = listed  # the baseline is now the list corrected here
            self._corrected_here = True
        changed = listed != self._medicines_shown
        here = getattr(self, "_corrected_here", False) and not changed
        self.medicines_box.setTitle(listed.heading + " (read-only)")
        self.medicines_box.setAccessibleName(listed.heading)
        text = visible(listed.text)
        heading = self.MEDICINES_CHANGED if changed else self.MEDICINES_CORRECTED_HERE if here else None
        self.medicines_label.setText(f"{heading}\n{text}" if heading else text)
        self.medicines_label.setAccessibleName(listed.heading + ": " + visible("; ".join(listed.lines) or "none")
                                               + (" (changed since this dialog opened)" if changed else
                                                  " (corrected in this window)" if here else ""))

    def _medicines_corrected_on(self, case):
        """The local day of the case's last Edit medicines save (its ``medicines_changed`` audit
        entry), None when never corrected or the history cannot be read (dialog31, H-UI-514)."""
        import datetime as dt
        try:
            for entry in self.context.store.audit(case.case_id, newest_first=True):
                if entry.action == "medicines_changed":
                    at = dt.datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
                    return (at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at).astimezone().date()
        except Exception as exc:  # noqa: BLE001 - the heading then names the intake only
            log.warning("the case's history could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
        return None

    def case_refreshed(self, case) -> None:
        """The case as just read again (the page's reload: a save here, another workstation, an
        import updating the case): the medicine list follows it and says it changed, so what is
        shown is never an older list. Only the list: what the visit is checked against is read
        again at Save (``recheck``)."""
        if case is None or case.case_id != self.case.case_id or self._saving:
            return
        from radiculopathy_desktop.ui.medicines_dialog import EditMedicinesDialog
        by = getattr(self.parent(), "reloaded_by", None)
        self._show_medicines(case, corrected_here=isinstance(by, EditMedicinesDialog))

    #: Added to the label of each field pre-filled from the intake being typed.
    CARRIED_MARK = " [from the intake you were typing]"

    def _carry(self, carried: VisitCarry) -> None:
        """Pre-fill what the intake held (:class:`VisitCarry`), each field's label marked, and say
        above the form what was carried, what was not, and what happens to the intake draft."""
        v = carried.values
        marked = []
        self._carried_day = None
        if "date" in v:
            self.date.set_day(v["date"])
            marked.append(self.date)
            self._carried_day = self.date.day()
        for key, box in (("leg_nrs", self.leg), ("back_nrs", self.back), ("odi_percent", self.odi),
                         ("rmdq", self.rmdq)):
            if v.get(key) is not None:
                set_spin(box, v[key])
                marked.append(box)
        for key, grade in (v.get("power") or {}).items():
            if key in self.power:
                set_spin(self.power[key], grade)
                marked.append(self.power[key])
        if v.get("red_flags"):
            self.rescreen.setChecked(True)
            self.flag_screen.set_answers(v["red_flags"])
            marked.append(self.rescreen)
        pregnancy = v.get("pregnancy")
        self._carried_dropped = ("pregnancy",) if pregnancy is not None and not self.pregnancy_offered else ()
        if pregnancy is not None and self.pregnancy_offered:
            set_combo(self.pregnancy, "pregnant" if pregnancy.get("pregnant") else "not_pregnant")
            if pregnancy.get("pregnant"):
                set_spin(self.pregnancy_weeks, pregnancy.get("weeks"))
                marked.append(self.pregnancy_weeks)
            marked.append(self.pregnancy)
        if v.get("clinician"):
            self.clinician.setText(v["clinician"])
            marked.append(self.clinician)
        if v.get("notes"):
            self.notes.setPlainText(v["notes"])
            marked.append(self.notes)
        for widget in marked:
            label = self._label_of(widget)
            if label is not None and self.CARRIED_MARK not in label.text():
                text = label.text()
                label.setText(text[:-1] + self.CARRIED_MARK + ":" if text.endswith(":") else text + self.CARRIED_MARK)
        self._say_carried()
        self.date.dateChanged.connect(self._say_carried)  # "visit date ... (the intake's)" follows a changed date
        self.carried_label.show()
        self._show_pregnancy()
        self.update_banner()
        self.update_weaker()

    _carried_day = None
    _carried_dropped: tuple[str, ...] = ()

    def _say_carried(self, *_args) -> None:
        """Above the form: what the intake carried into it, as the form now holds it (gp20 F8).
        An answer the form has no field for (the pregnancy answer, for a case whose patient is
        not asked it) is not listed as carried; it is named as not carried, with why. The visit
        date is the one in the form: "(the intake's)" only while it is the intake's."""
        carried = self.carried
        said_for = carried.said_for or ("",) * len(carried.said)
        said = []
        for key, words in zip(said_for, carried.said):
            if key in self._carried_dropped:
                continue
            if key == "date":
                day = self.date.day()
                if day is None:
                    continue
                if day != self._carried_day and self._carried_day is not None:
                    words = f"visit date {day.isoformat()} (changed here from the intake's {self._carried_day.isoformat()})"
            said.append(words)
        text = ["From the intake you were typing (not saved yet), carried into this visit: "
                + ("; ".join(said) if said else "nothing a visit records") + ".",
                "Check each marked answer before saving: they are saved as this visit's answers."]
        if carried.pregnancy_note:
            text.insert(0, "Pregnancy: " + carried.pregnancy_note + ".")
        not_carried = list(carried.not_carried)
        dropped = [words for key, words in zip(said_for, carried.said) if key in self._carried_dropped]
        if dropped:
            not_carried.append(f"the pregnancy answer ({'; '.join(dropped)}): this case's patient is not asked "
                               "about pregnancy, so this form has no pregnancy question")
        if not_carried:
            text.append("Not carried (this visit does not record them, and the case does not hold them): "
                        + "; ".join(not_carried) + ".")
        text.append(carried.fate())
        self.carried_label.setText("\n".join(text))

    def _label_of(self, widget):
        """The form label of ``widget`` (its row's label in whichever form holds it), if any."""
        from PySide6.QtWidgets import QFormLayout
        for form in [self.form] + [w.layout() for w in self.body.findChildren(QGroupBox)]:
            if isinstance(form, QFormLayout):
                for field in (widget, widget.parentWidget()):
                    label = form.labelForField(field)
                    if label is not None:
                        return label
        return widget if isinstance(widget, QCheckBox) else None

    def _add_pregnancy(self, case) -> None:
        """The pregnancy at this visit (preg17): not asked (the default: what stands is kept),
        pregnant with the weeks on the visit date, or no longer pregnant with the day it ended.
        Offered as the intake offers it (not for a male patient); what stands before the visit
        is said above it, and that breastfeeding is not recorded (no medicine rule reads it)."""
        from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_RANGE, pregnancy_allowed

        f = self.form
        self.pregnancy_standing = QLabel()
        self.pregnancy_standing.setWordWrap(True)
        self.pregnancy_standing.setTextFormat(Qt.PlainText)
        self.pregnancy_standing.setAccessibleName("Pregnancy recorded before this visit")
        f.addRow(self.pregnancy_standing)
        # Another case of the patient contradicting this one's pregnancy on the visit date: the
        # case page's own line (domain.episodes.pregnancy_differs), here where the answer is
        # recorded (gp19 F6: the page said "record the answer at a visit", the form was silent).
        self.pregnancy_other = style.message_label("The pregnancy differs from another case of this patient",
                                                   "font-weight: bold; color: #8a1c1c;")
        f.addRow(self.pregnancy_other)
        self.pregnancy = f.add("Pre&gnancy at this visit:",
                               combo("Pregnancy at this visit", VISIT_PREGNANCY_ANSWERS, "unchanged"),
                               "visit.pregnancy")
        f.errors["visit.pregnancy.pregnant"] = f.errors["visit.pregnancy"]  # the answer's own errors, beside it
        self.pregnancy_weeks = f.add("Wee&ks of pregnancy on the visit date:",
                                     spin("Weeks of pregnancy on the visit date", *PREGNANCY_WEEKS_RANGE,
                                          what="Weeks of pregnancy", unit="weeks"), "visit.pregnancy.weeks")
        self.pregnancy_ended = f.add("Pregnancy ended on (if kno&wn):",
                                     date_edit("Pregnancy ended on, if known (on or before the visit)"),
                                     "visit.pregnancy.ended_on")
        offered = pregnancy_allowed(case.patient.sex)
        self.pregnancy_offered = offered
        f.setRowVisible(self.pregnancy_standing, offered)
        f.setRowVisible(self.pregnancy_other, False)
        f.setRowVisible(self.pregnancy.parentWidget(), offered)
        self.pregnancy.currentIndexChanged.connect(self._show_pregnancy)
        self.date.dateChanged.connect(self._show_pregnancy)
        self._show_pregnancy()

    def pregnancy_answer(self) -> str:
        """"unchanged", "pregnant" or "not_pregnant" as chosen."""
        return self.pregnancy.currentData() or "unchanged"

    def _show_pregnancy(self, *_args) -> None:
        """The weeks for "pregnant", the end date for "no longer pregnant"; what stands before the visit."""
        answer = self.pregnancy_answer()
        self.form.setRowVisible(self.pregnancy_weeks.parentWidget(), answer == "pregnant")
        self.form.setRowVisible(self.pregnancy_ended.parentWidget(), answer == "not_pregnant")
        if not self.pregnancy_offered:
            return
        day = self.date.day() or self.context.today()
        status = self.case.pregnancy_status(day)
        standing = (status.on_date.words if status.on_date is not None
                    else status.words if status.answer == "no" else "Pregnancy not recorded")
        self.pregnancy_standing.setText(
            f"Pregnancy as recorded on the visit date: {standing}. Record a change here: it replaces the earlier "
            "answer from this visit's date on (the medicine checks follow it). Breastfeeding is not recorded: no "
            "medicine check uses it; write it in the notes.")
        other = self._pregnancy_elsewhere(day)
        self.pregnancy_other.setText(other)
        self.form.setRowVisible(self.pregnancy_other, bool(other))

    def _pregnancy_elsewhere(self, day) -> str:
        """The contradictions another case of the patient makes with this case's pregnancy on
        ``day``, in the case page's words (``PregnancyDiffers.found``, each ``text()``), "" when
        none or they cannot be read (the form is still usable; nothing of the patient logged)."""
        from radiculopathy_desktop.domain.episodes import pregnancy_differs
        try:
            others = self.context.store.patient_cases(self.case.patient.id, exclude=self.case.case_id)
            found = pregnancy_differs(self.case, others, day, None)
        except Exception as exc:  # noqa: BLE001
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return ""
        if found is None:
            return ""
        return "\n".join(f"⚠ {c.text()}." for c in found.found)

    def pregnancy_data(self) -> dict | None:
        """The visit's ``pregnancy`` as typed (the weeks or end date as typed: the parser names a wrong one)."""
        answer = self.pregnancy_answer()
        if answer == "pregnant":
            return {"pregnant": True, "weeks": spin_value(self.pregnancy_weeks)}
        if answer == "not_pregnant":
            ended = date_value(self.pregnancy_ended)
            return {"pregnant": False, **({"ended_on": ended} if ended else {})}
        return None

    def _open_elsewhere(self) -> str | None:
        """The warning when this case is closed today and its patient has another open case."""
        from radiculopathy_desktop.domain.episodes import closed_case_visit_warning, open_case

        today = self.context.today()
        try:
            store = self.context.store
            if open_case(self.case, today, store.get_settings()) is not None:
                return None
            found = store.open_cases(self.case.patient.id, today, exclude=self.case.case_id)
        except Exception as exc:  # not read: nothing said (the visit itself is not affected)
            log.warning("open cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return None
        text = closed_case_visit_warning(self.case.case_id, self.case.patient.id, found)
        if not text:
            return None
        text = text[len("warning: "):]
        return text[:1].upper() + text[1:]

    def keyPressEvent(self, event):  # noqa: N802
        """Return in a field goes on to the next field, as Tab does; it never saves a half-typed
        visit (gp14 G11: leg pain typed, Return, and the visit was stored with nothing else).
        Ctrl+Return saves (the dialogs' shortcut "dialog.save", the intake's key for Save); Return
        on a focused button presses it."""
        key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key in (Qt.Key_Return, Qt.Key_Enter):
            if mods == Qt.ControlModifier:  # (a shortcut takes it first; kept should one not be made)
                event.accept()
                self.save()
                return
            if mods == Qt.NoModifier:
                event.accept()
                self.focusNextChild()
                return
        super().keyPressEvent(event)

    def grades(self) -> dict[str, int]:
        """The muscle grades typed at this visit (those left at "Not recorded" are not graded)."""
        return {k: spin_value(b) for k, b in self.power.items() if spin_value(b) is not None}

    def update_weaker(self, *_args) -> None:
        """Say which muscles are graded weaker than the grade standing before (still MRC 4)."""
        from radiculopathy_desktop.domain.intake import FollowUpVisit
        from radiculopathy_desktop.domain.visits import weaker_muscles, weaker_muscles_message

        day = self.date.day() or self.context.today()
        text = weaker_muscles_message(weaker_muscles(self.case, FollowUpVisit(day, power=self.grades())))
        shown = self.weaker_label.isVisibleTo(self)
        self.weaker_label.setText(text)
        self.weaker_label.setVisible(bool(text))
        if text and not shown and self.isVisible():
            self.fit_to_content()

    def _rescreen_toggled(self, on: bool) -> None:
        self.flag_screen.setVisible(on)
        self.update_banner()
        self.fit_to_content()

    def rescreened(self) -> dict[str, str]:
        """The red-flag answers recorded at this visit (none unless re-screened)."""
        return self.flag_screen.answers() if self.rescreen.isChecked() else {}

    def update_banner(self, *_args) -> None:
        """Say what stands, and what to do now when a yes at this visit makes the case emergency or urgent.

        Both come from ``triage.rescreen``: the engine's triage of the case with this
        visit's answers, its examination and conditions (what the assessment says once saved).
        """
        from radiculopathy_desktop.domain.triage import rescreen
        day = self.date.day() or self.context.today()
        screen = rescreen(self.case, day, self.rescreened(), self.grades() if hasattr(self, "power") else None)
        if hasattr(self, "monitoring"):  # redflag36: the next visit follows the tier as typed (H-UI-547)
            self.monitoring.follow(day, screen.result)
        self.flag_screen.set_standing(screen.standing, self.case.red_flags_answered_on(day))
        yes_before = [RED_FLAG_QUESTIONS[k] for k in screen.standing_yes]
        self.standing_label.setText(
            ("Answered yes on earlier records: " + "; ".join(yes_before) + "." if yes_before else
             "No red flag answered yes on earlier records.")
            + " Ask the cauda equina questions again at every visit; tick the box below to record the answers "
            "(questions left at “Not asked” keep their earlier answer).")
        shown = self.banner.isVisibleTo(self)
        if not screen.answered_yes and not screen.reports_deficit:
            # redflag31 (tryout31 D1): a cauda equina question answered Unknown here is asked now,
            # as at intake (the wizard's banner): named before saving, never silently routine
            unknown = tuple(q for q in screen.result.ask_now if screen.asked.get(q) == "unknown")
            if unknown:
                self.banner.show_not_excluded(screen.result, unknown)
                if not shown:
                    self.fit_to_content()
                return
            self.banner.hide()
            self.banner.tier = "routine"
            return
        if screen.reports_deficit and not screen.answered_yes:
            from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS as muscles
            graded = "; ".join(f"{muscles[m].lower()} {self.grades()[m]}/5" for m in screen.graded_weaker)
            footer = (f"Graded weaker at this visit, to MRC 3 or less ({graded}): once saved, the worklist shows "
                      "this case as Immediate until a decision is recorded after this visit.")
        elif screen.new_escalation:
            footer = ("Save this visit: the worklist will show this case as Immediate until a decision is "
                      "recorded.")
        elif self._immediate_once_saved(day):
            # answered yes again: a decision recorded before this visit (even today's) does not
            # cover it (rt12 F2); the rule is the domain's
            footer = ("These red flags already stood from earlier records and are reported again at this visit: "
                      "once saved, the worklist shows this case as Immediate until a decision is recorded after "
                      "this visit (a decision recorded before it, even today, does not cover it).")
        else:
            footer = ("These red flags already stood from earlier records; record a decision when acted on, "
                      "and answer No at a later visit once one has resolved.")
        self.banner.show_triage(screen.result, footer)
        if self.banner.isVisibleTo(self) and not shown:
            self.fit_to_content()

    def _immediate_once_saved(self, day) -> bool:
        from radiculopathy_desktop.domain.followup import immediate_once_saved
        from radiculopathy_desktop.domain.intake import FollowUpVisit
        return immediate_once_saved(self.case, FollowUpVisit(date=day, red_flags=self.rescreened(),
                                                             power=self.grades()))

    def confirm(self, item) -> bool:
        """A visit whose "no" clears an emergency or urgent red flag standing from earlier
        records, not acknowledged by a decision, asks first, naming it (gp14 G16: one N pressed on the wrong question took a
        cauda equina case off the worklist without a word); Go back is the default."""
        from radiculopathy_desktop.domain.followup import red_flags_unacknowledged
        from radiculopathy_desktop.domain.triage import rescreen

        if self.rescreen.isChecked() and not item.red_flags:
            # tryout31 D11: ticked and nothing answered saved silently as "red flags not re-asked";
            # nothing is saved, everything typed is kept
            self.general_error.show_message(NOTHING_RESCREENED)
            self.flag_screen.first_button().setFocus()
            return False
        if not self._same_day_settled(item):
            return False
        screen = rescreen(self.case, item.date, item.red_flags, item.power)
        if not self._correction_settled(item, screen):
            return False
        # only while no decision has acknowledged them (the case is Immediate on them): a flag a
        # decision acted on (a discharge that acknowledged it) is not taken off the worklist by this "no"
        cleared = screen.cleared if red_flags_unacknowledged(self.case, item.date) else ()
        cleared = tuple(q for q in cleared if q not in self.correct_confirmed)  # asked once, as a correction
        if not cleared or cleared == self.clear_confirmed:
            return self._pregnancy_settled(item)

        def confirmed():
            self.clear_confirmed = cleared

        def closed():
            self.clear_box = None

        self.clear_box = self._ask(
            "Red flag answered No",
            "This visit answers No to red flags answered yes on earlier records:\n\n"
            + "\n".join(f"• {RED_FLAG_QUESTIONS[q]}" for q in cleared)
            + f"\n\nOnce saved, the case is no longer {screen.before.tier.value.upper()} on them and may leave "
            "the worklist's Immediate group.",
            "Save only if the patient was asked again and the answer is No (resolved). To record that it was acted "
            "on, Go back and record a decision instead.",
            "&Save: answered No", confirmed, closed)
        return False

    #: the red flags answered yes on the visit's own date the clinician chose to correct to No
    #: (``domain.followup.same_day_red_flag_noes``, tryout36 F1): kept in the visit's notes
    correct_confirmed: tuple[str, ...] = ()
    correct_box = None

    def _correction_settled(self, item, screen) -> bool:
        """A "No" to a red flag a record of the visit's own date answers yes: the order of the two
        is not known, so the yes stands (``import``'s rule, ``domain.followup``) unless the clinician
        corrects it. Asked, naming each flag and its tier and saying the emergency or urgent tier is
        cleared; Go back is the default and Esc; "Correct" saves the visit with the correction in its
        notes (``store_it``)."""
        from radiculopathy_desktop.domain.followup import red_flags_with_tiers, same_day_red_flag_noes
        from radiculopathy_desktop.domain.vocab import Tier

        flags = same_day_red_flag_noes(self.case, item)
        if not flags or flags == self.correct_confirmed:
            return True
        tier = Tier(screen.before.tier)
        cleared = (f"the {tier.value.upper()} it raises is cleared" if tier != Tier.ROUTINE
                   else "the red flag is cleared")

        def confirmed():
            self.correct_confirmed = flags

        def closed():
            self.correct_box = None

        self.correct_box = self._ask(
            "Correct a red flag answered Yes the same day",
            f"This visit answers No to red flags that a record of the same day ({item.date.isoformat()}) "
            "answers Yes:\n\n" + "\n".join(f"• {red_flags_with_tiers((q,))}" for q in flags)
            + "\n\nThe order of two records of one day is not known, so the Yes stands unless you correct it. "
            f"If you correct it, {cleared} and the case may leave the worklist's Immediate group.",
            "Correct only if the Yes was a mistake or has been assessed. The visit's notes keep the correction "
            "and your name. Go back to keep the Yes.",
            "&Correct: clear the red flag", confirmed, closed)
        return False

    pregnancy_confirmed: tuple | None = None  # the contradictions the clinician chose to save beside
    pregnancy_box = None
    #: (day, the records of that day) the clinician chose to add a second visit beside: at Save, or
    #: at the Open case route's own question before the form opened (``MainWindow._add_visit_to``)
    same_day_confirmed: tuple | None = None
    same_day_box = None

    def _same_day_settled(self, item) -> bool:
        """A visit dated a day the case already has a record of (``domain.visits.records_on``; rt20
        F4: the case page's own "Add follow-up visit" saved a second visit of that day without a
        word, and its 31 weeks replaced the 29 recorded that morning): asked first, naming that
        day's records and a pregnancy differing within the day (``same_day_pregnancy_change``), as
        the Open case route asks (gp18 F4). Go back (the default and Esc) returns to the form with
        everything typed; "Add a second visit that day" saves. Asked again if the date is changed
        to another such day."""
        from radiculopathy_desktop.domain.characters import visible_id
        from radiculopathy_desktop.domain.visits import SAME_DAY_TREND, records_on, same_day_pregnancy_change

        held = records_on(self.case, item.date)
        if not held or (item.date, held) == self.same_day_confirmed:
            return True
        u = item.pregnancy
        change = None if u is None else same_day_pregnancy_change(self.case, item.date, u.pregnant, u.weeks)

        def confirmed():
            self.same_day_confirmed = (item.date, held)

        def closed():
            self.same_day_box = None

        self.same_day_box = self._ask(
            "This case already has a visit that day",
            f"Case {visible_id(self.case.case_id)} already has " + "; ".join(held) + ".",
            "A second visit of the same day is a separate record beside it. " + SAME_DAY_TREND + ". "
            "Go back to check the date, or if this repeats that visit (what you typed is kept)."
            + (f"\n\nPregnancy: {change}: ask her which is right." if change else ""),
            "Add a &second visit that day", confirmed, closed)
        return False

    def _pregnancy_settled(self, item) -> bool:
        """A pregnancy answer at this visit that another case of the patient contradicts (gp17
        F5, ``domain.episodes.pregnancy_differs_made``: the worklist's rule on the visit's day; only those this visit makes): asked
        first, Go back the default and Esc."""
        import json
        from dataclasses import replace

        from radiculopathy_desktop.domain.episodes import pregnancy_differs_made

        if item.pregnancy is None:
            return True
        try:
            others = self.context.store.patient_cases(self.case.patient.id, exclude=self.case.case_id)
        except Exception as exc:  # not read: nothing asked (the case page names it once read)
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return True
        found = pregnancy_differs_made(replace(self.case, visits=self.case.visits + (item,)), others, item.date,
                                       before=self.case, today=self.context.today())
        if not found:
            return True
        key = tuple(json.dumps(c.to_audit(), sort_keys=True) for c in found)
        if key == self.pregnancy_confirmed:
            return True

        def confirmed():
            self.pregnancy_confirmed = key

        def closed():
            self.pregnancy_box = None

        self.pregnancy_box = self._ask(
            "The pregnancy differs from another case of this patient",
            "\n\n".join(c.text() + "." for c in found),
            "Go back to check the answer. Save anyway only if this visit's answer is right: the other case keeps its "
            "own answer until a visit on it records the change; both case pages name the difference.",
            "&Save anyway", confirmed, closed)
        return False

    def data(self) -> dict:
        data = {"date": date_value(self.date), "leg_nrs": spin_value(self.leg), "back_nrs": spin_value(self.back),
                "odi_percent": dspin_value(self.odi), "rmdq": spin_value(self.rmdq),
                "red_flags": self.rescreened(), "power": self.grades(),
                "clinician": self.clinician.text().strip() or None,
                "notes": self.notes.toPlainText().strip() or None, "pregnancy": self.pregnancy_data()}
        self.care_facts.fill(data)
        return {k: v for k, v in data.items() if v not in (None, {})}

    def validate(self, data):
        return parse_visit(data, self.case, today=self.context.today())

    kept_kind = "visit"

    def store_it(self, store: Store, item):
        from radiculopathy_desktop.domain.followup import same_day_red_flag_noes, with_red_flag_correction

        if self.correct_confirmed and same_day_red_flag_noes(self.case, item) == self.correct_confirmed:
            item = with_red_flag_correction(self.case, item, self.context.user)  # the record keeps it (tryout36 F1)
        return store.add_visit(self.case.case_id, item, user=self.context.user, write_key=self.write_key)


class DecisionDialog(_CaseDialog):
    """Record a decision. Nothing is chosen when it opens: focus starts on the choice, and
    Enter before a choice records nothing (it asks for one)."""

    title = "Decision"

    def __init__(self, context, case, parent=None):
        super().__init__(context, case, parent)
        f = self.form
        self.kind = RadioGroup("Decision", tuple(DECISIONS.items()), vertical=True)
        f.add("&Decision:", self.kind, "decision.kind")
        self.date = f.add("Decision dat&e (today or earlier):", date_edit("Decision date", context.today()),
                          "decision.date")
        self.until = f.add("Continue care &until (a date ahead):",
                           date_edit("Continue conservative care until: a date ahead, when to review again",
                                     context.today() + dt.timedelta(days=28)), "decision.until")
        self.by = f.add("Decided &by:", QLineEdit(), "decision.by")
        self.by.setAccessibleName("Decided by")
        self.by.setPlaceholderText(f"Name and role, at most {MAX_CLINICIAN_NAME} characters")
        self.note = f.add("&Note:", QPlainTextEdit(), "decision.note")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 5)
        # Standing emergency/urgent red flags: shown while a closing choice is made, and
        # acknowledged by an explicit answer before it is recorded (domain.followup decides).
        self.red_flag_warning = style.message_label("Red flags standing")
        self.pinned.addWidget(self.red_flag_warning)
        self.acknowledged = None  # the StandingRedFlags the clinician acknowledged
        self.acknowledge_box = None
        self.unanswered_confirmed: tuple[str, ...] = ()  # cauda equina questions confirmed unanswered (rt13 F3)
        self.unanswered_box = None
        # re-opening this closed case beside the patient's other open case (rt16 F2): the open
        # cases' ids the clinician chose to re-open it beside, and the question on screen
        self.reopen_beside: frozenset[str] | None = None
        self.reopen_box = None
        self.news = ""  # what changed on the case since the dialog opened (said above the form)
        self.kind.group.buttonToggled.connect(self._kind_changed)
        self.date.dateChanged.connect(self._kind_changed)
        self._kind_changed()
        self.kind.setFocus()
        # room for the longest choice and, beside it, the reason when Save is pressed without one
        self.setMinimumWidth(min(self.body.sizeHint().width() + self.fontMetrics().averageCharWidth() * 52,
                                 self._available().width()))  # never wider than the screen

    def choice(self) -> str | None:
        return self.kind.value()

    def _kind_changed(self, *_args) -> None:
        if self.choice() is not None:
            self.form.errors["decision.kind"].show_message(None)  # "choose the decision" is answered
        on = self.choice() == "continue_conservative_care"
        self.until.setEnabled(on)
        self.form.labelForField(self.until.parentWidget()).setEnabled(on)  # no live Alt+U to a greyed field
        standing = self._standing()
        shown = self.red_flag_warning.isVisibleTo(self)
        self.red_flag_warning.setVisible(standing is not None or bool(self.news))
        if standing is not None:
            self.red_flag_warning.setText(
                self.news + f"Red flags stand on this case: {standing.describe()}. {DECISIONS[self.choice()]} "
                "closes or pauses the case; you will be asked to acknowledge them.")
        elif self.news:
            self.red_flag_warning.setText(self.news.strip())
        if self.isVisible() and self.red_flag_warning.isVisibleTo(self) and not shown:
            self.fit_to_content()  # the warning pinned above: the form keeps its room where the screen allows

    # -- the case read again (the watch saw another program's write; Save found it changed)
    def _flags_on(self, case):
        from radiculopathy_desktop.domain.followup import standing_red_flags
        day = self.date.day()
        return None if day is None else standing_red_flags(case, day)

    def case_refreshed(self, case) -> None:
        """Take the case as just read from the store; when its standing red flags changed, say so
        above the form and show the warning for the choice made (nothing typed changes; rt9 F5)."""
        if case is None or case.case_id != self.case.case_id or self._saving:
            return
        from radiculopathy_desktop.domain.followup import red_flag_labels, reports_entered_since
        from radiculopathy_desktop.domain.intake import last_entry

        before = self._flags_on(self.case)
        day = self.date.day()
        # the same flags reported again at a visit saved since (the same day: they read the same):
        # taking this case, the decision is typed against that visit, so it is said (rt14 F8)
        again = reports_entered_since(case, last_entry(self.case), day) if day is not None else ()
        self.case = case
        after = self._flags_on(case)
        if after != before:
            if after is None:
                self.news = "The red flags that stood when this dialog opened no longer stand (a later record). "
            else:
                what = "A red flag was recorded" if before is None else "The red flags changed"
                self.news = (f"{what} for this patient since this dialog opened: {after.describe()}. "
                             "Act on it, or decide again knowing it. ")
        elif again:
            where = "; ".join(f"at the visit of {v.date.isoformat()}: " + ", ".join(red_flag_labels(flags))
                              for v, flags in again)
            self.news = (f"A red flag was reported again for this patient since this dialog opened ({where}). "
                         "Act on it, or decide again knowing it. ")
        self._kind_changed()

    def recheck(self, store: Store, item) -> None:
        from radiculopathy_desktop.domain.followup import standing_red_flags
        from radiculopathy_desktop.domain.followup import reports_entered_since
        from radiculopathy_desktop.domain.intake import last_entry
        fresh = store.get_case(self.case.case_id)
        if standing_red_flags(fresh, item.date) != standing_red_flags(self.case, item.date):
            raise RedFlagsChangedMeanwhile(fresh)
        # the same flags, reported again at a visit entered since the case shown was read (the
        # same day as before, so nothing above differs): saved, this decision would not stand for
        # that report, unseen (rt14 F8); say it, save nothing
        if reports_entered_since(fresh, last_entry(self.case), item.date):
            raise RedFlagsChangedMeanwhile(fresh, reported_again=True)

    def changed_meanwhile(self, error: RedFlagsChangedMeanwhile) -> None:
        """Nothing saved: the dialog shows the red flags as they stand now and, for a choice that
        closes or pauses the case, asks about them (the answer saves; Go back saves nothing)."""
        self.case_refreshed(error.case)
        self.general_error.show_message(str(error))
        self.red_flag_warning.show()
        try:
            item = self.validate(raw := self.data())
        except ValidationError:
            return
        self.confirm(item)  # asks when the flags now standing need an acknowledgement

    def _standing(self):
        from radiculopathy_desktop.domain.followup import red_flags_to_acknowledge
        kind, day = self.choice(), self.date.day()
        if kind is None or day is None:
            return None
        return red_flags_to_acknowledge(self.case, kind, day)

    def data(self) -> dict:
        data = {"date": date_value(self.date), "kind": self.choice(),
                "by": self.by.text().strip() or None, "note": self.note.toPlainText().strip() or None}
        if self.choice() == "continue_conservative_care":
            data["until"] = date_value(self.until)
        data = {k: v for k, v in data.items() if v is not None}
        day = self.date.day()
        if day is not None:
            # what this decision acknowledges (or, a referral, acts on): the red flags standing
            # on its date in the case shown; a flag raised later needs a new decision (rt6 F1)
            from radiculopathy_desktop.domain.followup import standing_red_flags
            standing = standing_red_flags(self.case, day)
            data["acknowledged_red_flags"] = sorted(standing.flags) if standing else []
        # typed against the records of the case shown: saved later (kept while the server was
        # away), it does not stand for a red flag reported at a record entered since (rt14 F8)
        from radiculopathy_desktop.domain.intake import last_entry
        data["typed_against"] = last_entry(self.case)
        return data

    def validate(self, data):
        if data.get("kind") is None:
            raise ValidationError([FieldError("decision.kind",
                                              "Choose the decision: nothing is recorded until you do")])
        return parse_decision(data, self.case, today=self.context.today())

    def confirm(self, item) -> bool:
        """Closing or pausing a case with standing red flags asks first; the default answer is Go back."""
        from radiculopathy_desktop.domain.followup import red_flags_to_acknowledge

        standing = red_flags_to_acknowledge(self.case, item.kind, item.date)
        if standing is None or standing == self.acknowledged:
            return self._confirm_unanswered(item)

        def acknowledged():
            self.acknowledge_box = None
            self.acknowledged = standing

        self.acknowledge_box = self._ask(
            "Red flags stand",
            f"{DECISIONS[item.kind]} would close or pause a case whose red flags stand:\n\n"
            + "\n".join(f"• {label}" for label in standing.labels)
            + f"\n\n{standing.tier.upper()}: {standing.headline} (since {standing.since.isoformat()}).",
            "Act on the red flag, or re-screen it at a visit. Record this decision anyway? "
            "Your acknowledgement is kept in the audit.",
            "Record, red flags ac&knowledged", acknowledged, lambda: setattr(self, "acknowledge_box", None))
        return False

    def _confirm_unanswered(self, item) -> bool:
        """Discharge or "patient declined" over unanswered cauda equina questions asks first,
        naming them (domain.visits, rt13 F3); the default answer is Go back. The confirmed
        questions are kept in the audit."""
        from radiculopathy_desktop.domain.visits import question_labels, unanswered_to_confirm

        unanswered = unanswered_to_confirm(self.case, item.kind, item.date)
        if not unanswered or unanswered == self.unanswered_confirmed:
            return self._confirm_reopen(item)

        def confirmed():
            self.unanswered_box = None
            self.unanswered_confirmed = unanswered

        self.unanswered_box = self._ask(
            "Cauda equina questions unanswered",
            f"{DECISIONS[item.kind]} would close a case whose cauda equina questions are unanswered on "
            f"{item.date.isoformat()}:\n\n" + "\n".join(f"• {label}" for label in question_labels(unanswered)),
            "Unknown is not no: ask them and record the answers at a visit (if any is yes, this is an emergency). "
            "Close the case anyway? Your confirmation is kept in the audit.",
            "&Close with the questions unanswered", confirmed, lambda: setattr(self, "unanswered_box", None))
        return False

    def _reopens_beside(self, item) -> list:
        """The patient's other open cases when ``item`` would re-open this closed case (rt16 F2;
        ``domain.episodes``, the rule the store applies again when saving), else []."""
        from radiculopathy_desktop.domain.episodes import may_reopen, reopens

        today = self.context.today()
        try:
            after = self.case.with_decision(item)
        except ValidationError:
            return []
        if not may_reopen(after, today):
            return []
        try:
            store = self.context.store
            if not reopens(self.case, after, today, store.get_settings()):
                return []
            return store.open_cases(self.case.patient.id, today, exclude=self.case.case_id)
        except Exception as exc:  # the save checks again in the store, in its transaction
            log.warning("open cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return []

    def _confirm_reopen(self, item, found=None) -> bool:
        """A decision that re-opens this closed case while the same patient has another open
        case asks first, naming it (rt16 F2, as the intake asks before a second open episode);
        Go back is the default and Esc. The answer is kept in the audit (new_episode_while_open)."""
        found = self._reopens_beside(item) if found is None else found
        if not found:
            return True
        ids = frozenset(o.case_id for o in found)
        if self.reopen_beside == ids:
            return True

        def confirmed():
            self.reopen_beside = ids

        self.reopen_box = self._ask(*reopen_question(item.kind, self.case.case_id, self.case.patient.id, found),
                                    REOPEN_BUTTON, confirmed, lambda: setattr(self, "reopen_box", None))
        return False

    def reopen_refused(self, error) -> None:
        """Another workstation opened a case of this patient since the question (or none was
        asked): asked now, naming it; nothing saved."""
        self.reopen_beside = None
        try:
            item = self.validate(raw := self.data())
        except ValidationError:
            ui_errors.show_error(self, error, kept_input=True)
            return
        self._confirm_reopen(item, list(error.open_cases))

    kept_kind = "decision"

    def _acknowledged(self) -> dict | None:
        return self.acknowledged.to_audit() if self.acknowledged else None

    def store_it(self, store: Store, item):
        from radiculopathy_desktop.domain.visits import unanswered_to_confirm

        # what was confirmed, if it is what this decision closes over (else save asked again)
        unanswered = unanswered_to_confirm(self.case, item.kind, item.date)
        return store.record_decision(self.case.case_id, item, user=self.context.user,
                                     acknowledged_red_flags=self._acknowledged(), write_key=self.write_key,
                                     unanswered_confirmed=unanswered if unanswered == self.unanswered_confirmed
                                     else (),
                                     open_case_as_of=self.context.today(),  # one open case per patient (rt16 F2)
                                     new_episode=self.reopen_beside or False)


#: The button that re-opens a closed case deliberately as a new episode (the decision dialog,
#: and the offer to save what was kept on this computer).
REOPEN_BUTTON = "&Re-open as a new episode"


def reopen_question(kind, case_id: str, patient_id: str, found) -> tuple[str, str, str]:
    """(title, text, informative text) of the question before a decision of ``kind`` re-opens
    closed case ``case_id`` while its patient has the open cases ``found`` (rt16 F2): the same
    words in the decision dialog and when a decision kept on this computer is saved later."""
    from radiculopathy_desktop.domain.characters import visible_id
    from radiculopathy_desktop.domain.episodes import describe_open_cases

    return ("This patient has an open case",
            f"{DECISIONS[kind]} would re-open case {visible_id(case_id)}, which is closed, while "
            f"{describe_open_cases(patient_id, found)}.",
            f"Two open episodes give two worklist rows for one patient: visits and red flags go to one while the "
            f"review clock runs on the other. Record the decision on the open case {visible_id(found[0].case_id)} "
            "instead, or re-open this case deliberately as a new episode (kept in the audit).")


def open_visit_dialog(parent, context, case, carried: VisitCarry | None = None) -> VisitDialog:
    dialog = VisitDialog(context, case, parent, carried)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.fit_to_content()  # the red-flag text and every field in view, unscrolled where the screen allows
    dialog.activateWindow()  # typing goes to the dialog's first field at once
    return dialog


def open_decision_dialog(parent, context, case) -> DecisionDialog:
    dialog = DecisionDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.fit_to_content()  # every choice and the reason beside it in view, unscrolled
    dialog.activateWindow()  # typing goes to the dialog's first field at once
    return dialog
