"""What Edit medicines and Edit conditions share: a correction of a saved case from the case page
(medfix, medfix2). Each dialog keeps what it corrects (its fields, its check as typed, its words);
this class holds the rest, once:

* the window: its title (the dialog's name and the patient), an introduction, the "saved meanwhile
  on another workstation" banner, the "Not saved" list (``dialog_size.ErrorList``, H-UI-511) and
  the Save / Cancel buttons; the size it opens at (from its content and the screen, or as the user
  last left it) and the size kept when it closes (``dialog_size``);
* the keys: Ctrl+Return (Ctrl+Enter) saves, Esc cancels, asking first when something was changed
  (``dialogs.ask_discard``, the visit dialog's question);
* Save: through the operation runner (quiet errors: said in the dialog). A correction saved
  meanwhile on another workstation is refused and shown above what was typed, which stays; a value
  the case refuses is listed; a clinic server that cannot be reached keeps what was typed in the
  dialog and on this computer (``offline_drafts.keep_correction``, H-DATA-904), and a later save
  from the dialog forgets that copy.

A subclass sets :attr:`TITLE`, :attr:`KIND` (its size's and its kept copy's name), :attr:`WHAT`
(the words for what is typed: "medicine list") and writes :meth:`has_changes`,
:meth:`took_meanwhile` and calls :meth:`save_with` from its ``save``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui.dialog_size import ErrorList, fit_and_centre, remember_size

BANNER_CSS = " QLabel { padding: 4px; }"


def banner_style(on: bool = True) -> str:
    """The warning banner's look (the Review step's), or none."""
    return style.banner_css("warning") + BANNER_CSS if on else ""


def plain_label(name: str) -> QLabel:
    """A word-wrapped label of plain text: nothing in it is read as markup."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.PlainText)
    label.setAccessibleName(name)
    return label


class CorrectionDialog(QDialog):
    saved = Signal(str)

    TITLE = ""
    #: its remembered size's name and its kept copy's kind ("medicines", "conditions")
    KIND = ""
    #: what is typed, in the discard question and the kept-copy message ("medicine list")
    WHAT = ""

    def __init__(self, context, case, parent=None):
        super().__init__(parent)
        self.context = context
        self.case = case
        self.setWindowTitle(f"{self.TITLE} — {visible(case.patient.name or case.patient.id)}")
        self.setAccessibleName(self.TITLE)
        self._saving = False
        self._kept_key: str | None = None  # the copy kept on this computer after an unreachable server

    # -- building the window, top to bottom
    def begin(self, intro: str) -> QVBoxLayout:
        """The dialog's layout, with its introduction."""
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        return layout

    def add_meanwhile(self, layout, name: str) -> None:
        """The banner saying what another workstation saved meanwhile (shown when it did)."""
        self.meanwhile = plain_label(name)
        self.meanwhile.setStyleSheet(banner_style())
        self.meanwhile.setVisible(False)
        layout.addWidget(self.meanwhile)

    def add_errors(self, layout, name: str) -> None:
        """The "Not saved" list: one bad row a line, scrolled when long (dialog31, H-UI-511)."""
        self.error = ErrorList(self)
        self.error.setAccessibleName(name)
        layout.addWidget(self.error.area)

    def add_buttons(self, layout, save_name: str, save_tip: str) -> None:
        """Save and Cancel, and the keys: Ctrl+Return saves, Esc cancels (``reject``)."""
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setAccessibleName(save_name)
        self.save_button.setToolTip(save_tip)
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save)

    # -- what a subclass says
    def save(self) -> bool:  # pragma: no cover - each dialog saves its own correction
        raise NotImplementedError

    def has_changes(self) -> bool:  # pragma: no cover
        raise NotImplementedError

    def took_meanwhile(self, case) -> str:  # pragma: no cover
        """The case as saved meanwhile elsewhere (a refused save's): take it as the one shown and
        return the banner's words."""
        raise NotImplementedError

    def follows(self, case) -> bool:
        """Whether the case page's new reading of ``case`` is this dialog's to follow: the same
        case, the dialog open, and not its own save's announcement."""
        return not (case is None or case.case_id != self.case.case_id or self.isHidden() or self._saving)

    def say_meanwhile(self, words: str) -> None:
        self.meanwhile.setText(words)
        self.meanwhile.setVisible(True)

    # -- save and cancel
    def save_with(self, write, meanwhile_error: type, offline_copy) -> bool:
        """Run ``write(store)``; True when saved (``saved`` said, the dialog closed). Otherwise
        nothing typed changes: a correction saved meanwhile elsewhere (``meanwhile_error``) is
        shown above it, a value refused is listed, and an unreachable server keeps
        ``offline_copy()`` on this computer."""
        from radiculopathy_desktop.domain.intake import ValidationError
        from radiculopathy_desktop.ui import errors as ui_errors
        from radiculopathy_desktop.ui import offline_drafts

        case_id = self.case.case_id
        self._saving = True  # its own announcement reloads the page: not a change made elsewhere
        try:
            outcome = self.context.ops.run(write, parent=self, initiator=self, errors="quiet")
        finally:
            self._saving = False
        if not outcome.ok:
            error = outcome.error
            if isinstance(error, meanwhile_error):
                self.say_meanwhile(self.took_meanwhile(error.case))
                self.error.show_message(str(error))
                return False
            if isinstance(error, ValidationError):
                self.error.show_lines("Not saved:", [visible(e.message) for e in error.errors])
                return False
            ui_errors.show_error(self, error, kept_input=True)
            if getattr(error, "kind", None) == "unreachable":  # kept on this computer too (medfix2, H-DATA-904)
                self._kept_key = offline_drafts.keep_correction(self.context, self.KIND, self.case, offline_copy(),
                                                                self._kept_key)
                self.error.show_message(offline_drafts.CORRECTION_KEPT.format(what=self.WHAT) if self._kept_key
                                        else offline_drafts.CORRECTION_NOT_KEPT)  # what is typed stays in the dialog
            return False
        if self._kept_key:  # saved here after all: its kept copy is not offered
            offline_drafts.forget_correction(self.context, self._kept_key)
            self._kept_key = None
        self.saved.emit(case_id)
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel (Esc): nothing is saved; when something was changed, asked first (the visit
        dialog's question, ``dialogs.ask_discard``)."""
        from radiculopathy_desktop.ui import dialogs

        if self.has_changes() and not dialogs.ask_discard(self, self.WHAT):
            return
        super().reject()

    def done(self, result: int) -> None:  # noqa: D102 - saved or cancelled: its size is kept for next time
        remember_size(self, self.KIND)
        super().done(result)



def open_correction(cls, parent, context, case):
    """A :class:`CorrectionDialog` subclass's window, shown: sized from its content and the screen,
    or as last left (H-UI-511); deleted when closed."""
    dialog = cls(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    fit_and_centre(dialog, cls.KIND)
    dialog.show()
    dialog.activateWindow()
    return dialog
