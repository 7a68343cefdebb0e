"""The passphrase lock in the window: the lock screen, the idle auto-lock, "Switch user".

A shared clinic PC: the window is left open all day and several staff use it in turn.

* **Locking** (Ctrl+L, "Switch user" when a lock is set, the idle timer, or start-up
  with a lock configured) covers the whole window with :class:`LockScreen`, hides the
  central widget (the views are kept, not destroyed, so nothing typed is lost), hides
  every other window of the app (a half-filled visit dialog comes back after unlock
  with its text), disables the menus and shortcuts, drops anything but the app name
  from the title and saves the intake wizard's draft.
* **Unlocking** asks who is using the app (name or initials) and the passphrase.
  Wrong passphrases slow further attempts down (1 s, 2 s, 4 s ... at most 30 s) without
  ever locking anyone out, and without freezing the window.
* **Idle**: an application event filter notes key presses and mouse use; after the
  idle time less 30 s a non-modal warning counts down; any input cancels it; at zero
  the window locks.

The passphrase is checked and stored by :mod:`radiculopathy_desktop.storage.access`
(salted scrypt; never stored, logged or audited in clear). The lock hides what is on
the screen; it does not encrypt the database file.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCursor, QPalette
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QFormLayout, QFrame, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from radiculopathy_desktop import APP_NAME
from radiculopathy_desktop.storage import access
from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui.lazy_qt import RICH_TEXT, Qt

log = logging.getLogger("radiculopathy_desktop.ui")

NOT_ENCRYPTED = ("The lock stops people at this screen from reading records. It does not encrypt the database "
                 "file: that relies on this computer's user accounts and disk encryption.")
FORGOTTEN = ("Forgotten passphrase? The clinic's IT can remove the lock with the command "
             "'radiculopathy-desktop clear-lock' (README, \"Your data\"); nothing recorded is lost.")
WARNING_SECONDS = 30
MAX_DELAY_SECONDS = 30
FREE_ATTEMPTS = 2  # wrong passphrases allowed before attempts are slowed down
#: The user a failed unlock is audited under when the name typed is not one the record knows
#: (the text typed may be a passphrase typed in the wrong field: gp17 F9).
UNKNOWN_USER = "unknown user"
#: How far back (audit rows) the names the record knows are looked for at a failed unlock.
KNOWN_USERS_LOOKBACK = 5000


def _shiboken_valid(obj) -> bool:
    try:
        import shiboken6
        return shiboken6.isValid(obj)
    except Exception:
        return False


def _message(exc: BaseException) -> str:
    from radiculopathy_desktop.ui.errors import describe
    return describe(exc)[1]


def retry_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 1, 2, 4 ... 30."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_SECONDS)


# --------------------------------------------------------------------------- the lock screen
class LockScreen(QWidget):
    """Covers the whole window while locked: who is using the app, and the passphrase."""

    unlock_requested = Signal(str, str)  # name or initials, passphrase
    quit_requested = Signal()
    painted = Signal()  # the window under it never paints while it covers it

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName("Radiculopathy Desktop is locked")
        self.setAutoFillBackground(True)  # opaque: nothing behind it shows through
        self.setBackgroundRole(QPalette.Window)
        self.second_ms = 1000  # tests shorten the retry countdown
        self._wait_left = 0
        self._refusal = ""
        self._wait_timer = QTimer(self, interval=self.second_ms)
        self._wait_timer.timeout.connect(self._wait_tick)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        panel = QFrame()
        panel.setFrameShape(QFrame.StyledPanel)
        panel.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 44)
        row.addWidget(panel, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        layout = QVBoxLayout(panel)
        self.heading = QLabel(f"<h2>{APP_NAME} is locked</h2>")
        self.heading.setProperty("textFormat", RICH_TEXT)  # Qt.RichText; no Qt enum before the first paint
        layout.addWidget(self.heading)
        self.intro = QLabel("Patient information is hidden. Say who you are and type the passphrase to continue; "
                            "the record will show your name or initials against what you view and change.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.WrapAllRows)
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("Who is using Radiculopathy Desktop? Name or initials")
        self.user_edit.setPlaceholderText(f"Your name or initials (at most {access.MAX_USER_NAME} characters)")
        self.user_edit.setMaxLength(access.MAX_USER_NAME + 20)
        user_label = QLabel("&Who is using Radiculopathy Desktop?")
        user_label.setBuddy(self.user_edit)
        form.addRow(user_label, self.user_edit)
        self.pass_edit = QLineEdit()
        self.pass_edit.setEchoMode(QLineEdit.Password)
        self.pass_edit.setAccessibleName("Passphrase")
        self.pass_edit.setMaxLength(access.MAX_PASSPHRASE)
        pass_label = QLabel("&Passphrase:")
        pass_label.setBuddy(self.pass_edit)
        form.addRow(pass_label, self.pass_edit)
        layout.addLayout(form)
        self.error = style.ErrorLabel()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.quit_button = QPushButton("&Quit")
        self.quit_button.setAccessibleName("Quit Radiculopathy Desktop")
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        self.help = QLabel(FORGOTTEN + " " + NOT_ENCRYPTED)
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self.setTabOrder(self.user_edit, self.pass_edit)
        self.setTabOrder(self.pass_edit, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.quit_button)

        # Alt+W, Alt+P, Alt+U, Alt+Q when Qt's shortcuts did not take them (below); made at the
        # first key, not here: the screen is built before the window's first paint, which must not
        # build PySide6's Qt namespace (issue 17, tests/ui/test_startup_qt_enums.py)
        self._alt_keys_made: dict | None = None
        for field in (self.user_edit, self.pass_edit):
            field.installEventFilter(self)

        self.unlock_button.clicked.connect(self.attempt)
        self.user_edit.returnPressed.connect(self._user_entered)
        self.pass_edit.returnPressed.connect(self.attempt)
        self.quit_button.clicked.connect(self.quit_requested)
        self.hide()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        """An Alt+letter that reaches a field was not taken by a shortcut: Qt's mnemonics (the
        labels' &W and &P, the buttons' &U and &Q) work only in the active window, and a window
        shown without being activated (under X11 with no window manager, keys go to the window
        under the pointer: gp17 F9) gets the key as typing, so "Alt+P" typed a "p" and the
        passphrase went into the name field in clear. Here the screen's own Alt keys do what
        their mnemonic does, and any other Alt+letter is typed nowhere."""
        if event.type() == QEvent.KeyPress and obj in (self.user_edit, self.pass_edit) and self._alt_key(event):
            return True
        return super().eventFilter(obj, event)

    def unmatched_alt_key(self, event) -> None:
        """The window's keyboard rules (ui/keyboard.py) drop an Alt+letter no mnemonic took
        before the fields see it: they hand it here first."""
        self._alt_key(event)

    def paintEvent(self, event):  # noqa: N802 (Qt API)
        super().paintEvent(event)
        self.painted.emit()

    def keyPressEvent(self, event):  # noqa: N802 (Qt API)
        """The same Alt keys with the focus on a button (a key no button takes comes up here)."""
        if not self._alt_key(event):
            super().keyPressEvent(event)

    def _alt_key(self, event) -> bool:
        """Act on Alt+letter (no Ctrl or Meta): True when the key was one (and is used up)."""
        mods = event.modifiers() & ~Qt.KeypadModifier
        if not mods & Qt.AltModifier or mods & (Qt.ControlModifier | Qt.MetaModifier):
            return False
        if self._alt_keys_made is None:
            self._alt_keys_made = {Qt.Key_W: lambda: self.user_edit.setFocus(Qt.ShortcutFocusReason),
                                   Qt.Key_P: lambda: self.pass_edit.setFocus(Qt.ShortcutFocusReason),
                                   Qt.Key_U: self.unlock_button.animateClick,
                                   Qt.Key_Q: self.quit_button.animateClick}
        act = self._alt_keys_made.get(event.key())
        if act is None and not event.text():
            return False  # Alt alone, Alt+arrows: the field's own keys
        if act is not None and (event.key() != Qt.Key_P or self.pass_edit.isEnabled()):
            act()
        event.accept()
        return True

    def reset(self) -> None:
        """Empty form for the next person (the last user is not filled in: each one says who they are)."""
        self.user_edit.clear()
        self.pass_edit.clear()
        self.error.show_message(None)

    def focus_first(self) -> None:
        (self.user_edit if not self.user_edit.text().strip() else self.pass_edit).setFocus(Qt.OtherFocusReason)

    def _user_entered(self) -> None:
        if self.pass_edit.text():
            self.attempt()
        else:
            self.pass_edit.setFocus(Qt.TabFocusReason)

    @property
    def waiting(self) -> bool:
        return self._wait_left > 0

    def attempt(self) -> None:
        if self.waiting:
            return
        passphrase = self.pass_edit.text()
        self.pass_edit.clear()  # never left lying in the field
        self.unlock_requested.emit(self.user_edit.text(), passphrase)

    def refuse(self, message: str, field: str = "passphrase", wait_seconds: int = 0) -> None:
        """Say why unlocking failed; with ``wait_seconds``, hold the next attempt back that long."""
        self._refusal = message
        if wait_seconds > 0:
            self._wait_left = wait_seconds
            self.unlock_button.setEnabled(False)
            self.pass_edit.setEnabled(False)
            self._wait_timer.setInterval(self.second_ms)
            self._wait_timer.start()
            self._show_wait()
        else:
            self.error.show_message(message)
        target = self.user_edit if field == "user" else self.pass_edit
        if target.isEnabled():
            target.setFocus(Qt.OtherFocusReason)

    def _show_wait(self) -> None:
        unit = "second" if self._wait_left == 1 else "seconds"
        self.error.show_message(f"{self._refusal} After several wrong passphrases each try waits a little longer: "
                                f"you can try again in {self._wait_left} {unit}.")

    def _wait_tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_wait()
            return
        self._wait_timer.stop()
        self.unlock_button.setEnabled(True)
        self.pass_edit.setEnabled(True)
        self.error.show_message(f"{self._refusal} You can try again now.")
        if self.isVisible():
            self.pass_edit.setFocus(Qt.OtherFocusReason)


# --------------------------------------------------------------------------- idle watching
_ACTIVITY = frozenset({QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseButtonDblClick, QEvent.MouseMove,
                       QEvent.Wheel, QEvent.TouchBegin, QEvent.TabletPress})


class IdleWatcher(QObject):
    """Counts time since the last key press or mouse use anywhere in the app.

    ``warn(seconds)`` when the warning should appear, ``tick(seconds)`` every second
    of the countdown, ``cancelled()`` on input during it, ``expired()`` at zero.
    ``second_ms`` and ``idle_ms`` can be set by tests; ``clock`` returns milliseconds.
    """

    warn = Signal(int)
    tick = Signal(int)
    cancelled = Signal()
    expired = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.idle_ms = access.IDLE_MINUTES_DEFAULT * 60_000
        self.second_ms = 1000
        self.warning_seconds = WARNING_SECONDS
        self.clock = lambda: time.monotonic() * 1000
        self.active = False
        self.warning = False
        self._left = 0
        self._last = self.clock()
        self._last_pos = None
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)

    # -- configuration
    def configure(self, enabled: bool, minutes: int) -> None:
        self.idle_ms = int(minutes) * 60_000
        self.start() if enabled else self.stop()

    def set_timing(self, idle_ms: int, second_ms: int = 1000) -> None:
        """Shorter times (for tests): idle after ``idle_ms``, the countdown in ``second_ms`` steps."""
        self.idle_ms, self.second_ms = int(idle_ms), int(second_ms)
        if self.active:
            self.start()

    @property
    def warning_ms(self) -> int:
        return min(self.warning_seconds * self.second_ms, self.idle_ms // 2)

    # -- running
    def start(self) -> None:
        app = QApplication.instance()
        if not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True
        self.active = True
        self._end_warning()
        self._last = self.clock()
        self._timer.start(max(self.idle_ms - self.warning_ms, 0))

    def stop(self) -> None:
        self.active = False
        self._timer.stop()
        self._end_warning()
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False

    def _end_warning(self) -> None:
        self._ticker.stop()
        self.warning = False

    def activity(self) -> None:
        """Input happened: start counting again (and cancel a warning)."""
        self._last = self.clock()
        if self.warning:
            self._end_warning()
            self._timer.start(max(self.idle_ms - self.warning_ms, 0))
            self.cancelled.emit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        etype = event.type()
        if etype in _ACTIVITY and self.active:
            if etype == QEvent.MouseMove:
                pos = QCursor.pos() if not hasattr(event, "globalPosition") else event.globalPosition().toPoint()
                if pos == self._last_pos:
                    return False  # a synthetic move without the mouse moving
                self._last_pos = pos
            self.activity()
        return False

    def _check(self) -> None:
        if not self.active:
            return
        elapsed = self.clock() - self._last
        warn_at = self.idle_ms - self.warning_ms
        if elapsed < warn_at:
            self._timer.start(int(warn_at - elapsed) + 1)
            return
        self.warning = True
        self._left = max(1, -(-int(self.idle_ms - elapsed) // self.second_ms))  # ceil: seconds left
        self._ticker.start(self.second_ms)
        self.warn.emit(self._left)

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.tick.emit(self._left)
            return
        self._end_warning()
        self._timer.stop()
        self.expired.emit()


class IdleWarning(QFrame):
    """The non-modal countdown shown over the top of the window before an idle lock."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("idleWarning")
        bg, fg = style.kind_colours("warning")
        self.setStyleSheet(f"#idleWarning {{ background-color:{bg.name()}; border:2px solid {fg.name()}; "
                           f"border-radius:6px; }} #idleWarning QLabel {{ color:{fg.name()}; border:none; }}")
        self.setAccessibleName("Idle lock warning")
        layout = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Idle lock warning")
        layout.addWidget(self.label)
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        unit = "second" if seconds == 1 else "seconds"
        self.label.setText(f"<b>Locking in {seconds} {unit}</b> to protect patient data. "
                           "Press any key or move the mouse to stay.")
        self.label.setAccessibleDescription(self.label.text())
        self.place()
        if not self.isVisible():
            self.show()
        self.raise_()

    def place(self) -> None:
        parent = self.parentWidget()
        width = min(parent.width() - 40, self.fontMetrics().horizontalAdvance("M") * 46)
        width = max(width, 200)
        m = self.layout().contentsMargins()
        inner = width - m.left() - m.right() - 8  # 8: the border drawn by the style sheet
        height = self.label.heightForWidth(inner) + m.top() + m.bottom() + 8
        self.setFixedSize(width, height)
        self.move((parent.width() - self.width()) // 2, 8)


# --------------------------------------------------------------------------- dialogs
class LockSettingsDialog(QDialog):
    """Turn the lock on (passphrase twice), change it or turn it off (needs the current
    one), and choose the idle lock. Non-blocking."""

    changed = Signal()

    def __init__(self, context, parent: QWidget | None = None, offer: bool = False):
        from PySide6.QtWidgets import QDialogButtonBox  # here: not made before the first paint (issue 17)
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Lock settings")
        self.setAccessibleName("Lock settings")
        layout = QVBoxLayout(self)
        # Ctrl+L with no passphrase: said above the form while no passphrase is set; hidden once the
        # lock is on (gp18 F10: it still read "No passphrase is set" under "The lock is on.")
        self.offer_label: QLabel | None = None
        if offer:
            self.offer_label = QLabel("<b>No passphrase is set, so the window cannot be locked yet.</b> Set one "
                                      "below to lock with Ctrl+L.")
            self.offer_label.setWordWrap(True)
            layout.addWidget(self.offer_label)
        intro = QLabel("With a passphrase set, the window starts locked, locks with Ctrl+L and after the idle "
                       "time below, and whoever unlocks it types their name or initials, which the record "
                       "keeps against what they view and change. " + NOT_ENCRYPTED)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Lock state")
        layout.addWidget(self.state)

        form = QFormLayout()
        self.current = self._password("Current passphrase")
        self.current_label = QLabel("&Current passphrase:")
        self.current_label.setBuddy(self.current)
        form.addRow(self.current_label, self.current)
        self.new = self._password("New passphrase")
        self.new_label = QLabel("&New passphrase:")
        self.new_label.setBuddy(self.new)
        form.addRow(self.new_label, self.new)
        self.again = self._password("New passphrase again")
        again_label = QLabel("New passphrase &again:")
        again_label.setBuddy(self.again)
        form.addRow(again_label, self.again)
        self.idle_check = QCheckBox("Lock when &idle")
        self.idle_check.setAccessibleName("Lock when idle")
        form.addRow("", self.idle_check)
        from radiculopathy_desktop.ui.forms import spin  # typed as it is, out of range named (rt8 F1)
        self.idle_minutes = spin("Idle time before locking, minutes", access.IDLE_MINUTES_MIN,
                                 access.IDLE_MINUTES_MAX, optional=False, what="Idle time", unit="minutes")
        idle_label = QLabel("Idle &time before locking:")
        idle_label.setBuddy(self.idle_minutes)
        form.addRow(idle_label, self.idle_minutes)
        layout.addLayout(form)
        self.rules = QLabel(f"A passphrase has at least {access.MIN_PASSPHRASE} characters; a few unrelated words "
                            "are easy to remember and hard to guess. Share it only with the staff who use this "
                            "computer. " + FORGOTTEN)
        self.rules.setWordWrap(True)
        layout.addWidget(self.rules)
        self.error = style.ErrorLabel()
        layout.addWidget(self.error)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setAccessibleName("Result")
        layout.addWidget(self.done_label)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton()
        self.off_button = QPushButton("Turn lock o&ff")
        self.off_button.setAccessibleName("Turn lock off")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ApplyRole)
        self.buttons.addButton(self.off_button, QDialogButtonBox.DestructiveRole)
        close = self.buttons.addButton(QDialogButtonBox.Close)
        close.setAccessibleName("Close")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.off_button.clicked.connect(self.turn_off)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._minutes_typed: str | None = None  # what was typed, put aside while idle locking is unticked
        self.idle_check.toggled.connect(self._idle_toggled)
        self.refresh()
        (self.current if self.config.enabled else self.new).setFocus(Qt.OtherFocusReason)

    def _idle_toggled(self, on: bool) -> None:
        """One rule for the minutes (rt9 F9): unticked, the greyed field shows the stored idle time
        (visibly, at once) and is not saved; what was typed comes back when it is ticked again."""
        self.idle_minutes.setEnabled(on)
        if on:
            if self._minutes_typed is not None:
                self.idle_minutes.setText(self._minutes_typed)
                self._minutes_typed = None
            return
        stored = self.config.idle_minutes
        if self.idle_minutes.value() != stored or self.idle_minutes.problem():
            self._minutes_typed = self.idle_minutes.text()
            if self.error.text() and self.idle_minutes.problem():
                self.error.show_message(None)  # the minutes' problem no longer stops a save
        self.idle_minutes.setValue(stored)

    @staticmethod
    def _password(name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.Password)
        edit.setAccessibleName(name)
        edit.setMaxLength(access.MAX_PASSPHRASE)
        return edit

    def refresh(self) -> None:
        try:
            self.config = access.load_config(self.context.store)
        except Exception as exc:
            self.config = access.LockConfig()
            self.error.show_message(_message(exc))
        on = self.config.enabled
        if self.offer_label is not None:
            self.offer_label.setVisible(not on)
        self.state.setText("<b>The lock is on.</b> Type the current passphrase to change anything here."
                           if on else "<b>The lock is off:</b> anyone at this computer can see the records.")
        self.current.setVisible(on)
        self.current_label.setVisible(on)
        self.off_button.setVisible(on)
        self.new_label.setText("&New passphrase (leave empty to keep it):" if on else "&New passphrase:")
        self.save_button.setText("&Save changes" if on else "Turn lock &on")
        self.save_button.setAccessibleName("Save changes" if on else "Turn lock on")
        self.idle_check.setChecked(self.config.idle_lock)
        self.idle_minutes.setValue(self.config.idle_minutes)
        self.idle_minutes.setEnabled(self.config.idle_lock)
        self._minutes_typed = None

    def _clear(self) -> None:
        for edit in (self.current, self.new, self.again):
            edit.clear()

    def _refused(self, exc: BaseException) -> None:
        self.done_label.clear()
        self.error.show_message(_message(exc))
        field = getattr(exc, "field", None)
        target = {"current": self.current, "new": self.new, "again": self.again,
                  "idle_minutes": self.idle_minutes}.get(field)
        if field in ("current", "new", "again"):
            self.current.clear() if field == "current" else (self.new.clear(), self.again.clear())
        if target is not None and target.isVisible():
            target.setFocus(Qt.OtherFocusReason)

    def save(self) -> bool:
        """Turn the lock on, or save a new passphrase and the idle choice."""
        self.error.show_message(None)
        user = self.context.user
        current = self.current.text() if self.config.enabled else None
        new, again = self.new.text(), self.again.text()
        idle_lock = self.idle_check.isChecked()
        # unticked, the minutes are not saved: the stored time stays (the field shows it)
        idle_minutes = self.idle_minutes.value() if idle_lock else None
        problem = self.idle_minutes.problem() if idle_lock else None
        if problem:  # typed out of range or not a number: kept as typed, nothing saved
            self.error.show_message(problem)
            self.idle_minutes.setFocus(Qt.OtherFocusReason)
            return False
        try:
            if not self.config.enabled and not new:
                raise access.AccessError("Type a new passphrase twice to turn the lock on.", "new")
            self.context.ops.run(lambda store: access.update_lock(
                store, user, current=current, new=new if (new or again) else None, again=again,
                idle_lock=idle_lock, idle_minutes=idle_minutes), parent=self, initiator=self, errors="raise")
        except Exception as exc:
            self._refused(exc)
            return False
        was_on = self.config.enabled
        self._clear()
        self.refresh()
        self.done_label.setText("The lock is on. Ctrl+L locks the window now." if not was_on else
                                "Saved." + (" The new passphrase is in use." if new else ""))
        self._focus_first()
        self.changed.emit()
        return True

    def _focus_first(self) -> None:
        """After a save, the focus on the form's first field as it now stands (gp17 F14: after
        "Turn lock on" it stayed in "New passphrase again", below the new "Current passphrase")."""
        first = self.current if self.current.isVisibleTo(self) else self.new
        first.setFocus(Qt.OtherFocusReason)

    def turn_off(self) -> bool:
        self.error.show_message(None)
        current, user = self.current.text(), self.context.user
        try:
            self.context.ops.run(lambda store: access.disable_lock(store, current, user), parent=self,
                                 initiator=self, errors="raise")
        except Exception as exc:
            self._refused(exc)
            return False
        self._clear()
        self.refresh()
        self.done_label.setText("The lock is off.")
        self._focus_first()
        self.changed.emit()
        return True


class SwitchUserDialog(QDialog):
    """Who is using the app now (when no passphrase lock is set)."""

    identified = Signal(str)

    def __init__(self, context, parent: QWidget | None = None):
        from PySide6.QtWidgets import QDialogButtonBox  # here: not made before the first paint (issue 17)
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Switch user")
        self.setAccessibleName("Switch user")
        layout = QVBoxLayout(self)
        label = QLabel(f"&Who is using Radiculopathy Desktop? (name or initials, at most {access.MAX_USER_NAME} "
                       "characters, on one line)")
        self.name = QLineEdit()
        self.name.setAccessibleName("Who is using Radiculopathy Desktop? Name or initials")
        self.name.setMaxLength(access.MAX_USER_NAME + 20)
        label.setBuddy(self.name)
        layout.addWidget(label)
        layout.addWidget(self.name)
        note = QLabel(f"Now: {context.user}. The record keeps this name against what is viewed, changed, "
                      "printed or exported from now on.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error = style.ErrorLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("&Switch")
        self.buttons.button(QDialogButtonBox.Ok).setAccessibleName("Switch user")
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.switch)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def switch(self) -> bool:
        try:
            name = access.validate_user_name(self.name.text())
        except access.AccessError as exc:
            self.error.show_message(str(exc))
            self.name.setFocus(Qt.OtherFocusReason)
            return False
        self.identified.emit(name)
        self.accept()
        return True


# --------------------------------------------------------------------------- the controller
class LockController(QObject):
    """Locks and unlocks one main window; owns its lock screen, idle watcher and warning."""

    locked_changed = Signal(bool)
    user_changed = Signal(str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.config = access.LockConfig()
        self.locked = False
        self.failures = 0
        self._hidden: list[QWidget] = []
        self._focus = None
        self._title = None
        self._actions: list = []
        self.screen = LockScreen(window)
        self.screen.unlock_requested.connect(self.try_unlock)
        self.screen.quit_requested.connect(window.close)
        self.warning = IdleWarning(window)
        self.idle = IdleWatcher(self)
        self.idle.warn.connect(self.warning.show_seconds)
        self.idle.tick.connect(self.warning.show_seconds)
        self.idle.cancelled.connect(self.warning.hide)
        self.idle.expired.connect(lambda: self.lock("idle"))
        self.reload()

    @property
    def context(self):
        return self.window.context

    @property
    def configured(self) -> bool:
        return self.config.enabled

    def reload(self) -> None:
        """Read the lock settings again (after a change, or when the store was replaced)."""
        try:
            self.config = access.load_config(self.context.store)
        except Exception as exc:  # keep what was in force; the store error shows elsewhere
            log.warning("the lock settings could not be read: %s", type(exc).__name__)
        self.context.lock_required = self.config.enabled
        if self.locked:
            self.idle.stop()
        else:
            self.idle.configure(self.config.idle_active, self.config.idle_minutes)
            if not self.config.idle_active:
                self.warning.hide()

    def fit(self) -> None:
        self.screen.setGeometry(self.window.rect())
        if self.warning.isVisible():
            self.warning.place()

    # -- locking
    def lock(self, reason: str = "manual") -> bool:
        """Hide everything patient-related until someone unlocks. False when no lock is set."""
        if self.locked:
            return True
        if not self.config.enabled:
            return False
        w = self.window
        self.idle.stop()
        self.warning.hide()
        self._save_intake_draft()
        app = QApplication.instance()
        focus = app.focusWidget() if app else None
        self._focus = focus if focus is not None and focus.window() is w else None
        self._hide_other_windows()
        self._title = w.windowTitle()
        w.setWindowTitle(f"{APP_NAME} — locked")
        self._actions = [a for a in w.actions() if a.isEnabled()]
        for action in self._actions:
            action.setEnabled(False)
        w.menuBar().setEnabled(False)
        w.statusBar().clearMessage()
        central = w.centralWidget()
        if central is not None:
            central.hide()
        self.locked = True
        self.screen.reset()
        self.fit()
        self.screen.show()
        self.screen.raise_()
        self.screen.focus_first()
        if reason == "start":
            # Ask to be the active window at once: its mnemonics (Alt+W, Alt+P) and the focus
            # mark need it, and a window started without a window manager is never made active
            # (gp17 F9). Asked again once shown; the lock screen's own Alt keys cover the rest.
            QTimer.singleShot(0, self, lambda: self._activate(10))
        if reason != "start":
            try:
                user = self.context.user
                self.context.ops.run(lambda store: access.record_access(store, user, "locked", {"reason": reason}),
                                     errors="raise")
            except Exception as exc:
                log.warning("a lock could not be audited: %s", type(exc).__name__)
        log.info("window locked (%s)", reason)
        self.locked_changed.emit(True)
        return True

    def _activate(self, tries: int) -> None:
        if not self.locked or self.window.isActiveWindow():
            return
        if self.window.isVisible():
            self.window.activateWindow()
        elif tries > 0:  # not shown yet: the start-up shows it after building it
            QTimer.singleShot(100, self, lambda: self._activate(tries - 1))

    def _save_intake_draft(self) -> None:
        """The intake's draft and each typed visit or decision written to disk now: if the operating
        system ends the session while the window is locked (logout, shutdown), nothing typed is lost."""
        from radiculopathy_desktop.ui.drafts import draft_holders, typed_records
        for holder in draft_holders(self.window) + typed_records(self.window):
            try:
                holder.save_draft_now()
            except Exception as exc:  # the form itself is kept behind the lock either way
                log.warning("a draft could not be saved at lock: %s", type(exc).__name__)

    def _hide_other_windows(self) -> None:
        self._hidden = []
        app = QApplication.instance()
        for widget in list(app.topLevelWidgets()) if app else []:
            if widget is self.window or not widget.isVisible():
                continue
            if widget.windowType() in (Qt.Popup, Qt.ToolTip, Qt.SplashScreen):
                widget.close()  # menus, tooltips: nothing to keep
                continue
            # A modal dialog without delete-on-close is one running exec() (exec() clears that
            # flag while it runs): hiding it ends exec() as cancelled, so it is not shown again.
            running_exec = isinstance(widget, QDialog) and widget.isModal() \
                and not widget.testAttribute(Qt.WA_DeleteOnClose)
            widget.hide()
            if not running_exec:
                self._hidden.append(widget)

    def hidden_windows(self) -> list:
        """The app's other windows the lock hid (shown again at unlock), still alive."""
        return [w for w in self._hidden if _shiboken_valid(w)] if self.locked else []

    def try_unlock(self, name: str, passphrase: str) -> bool:
        """The lock screen's Unlock: the person's name or initials and the passphrase."""
        try:
            user = access.validate_user_name(name)
        except access.AccessError as exc:
            self.screen.refuse(str(exc), field="user")
            return False
        store = self.context.store
        try:
            config = access.load_config(store)
            ok = (not config.enabled) or access.passphrase_matches(passphrase, config.scrypt)
            in_name = config.enabled and access.passphrase_matches(user, config.scrypt)
        except Exception as exc:
            self.screen.refuse(_message(exc))
            return False
        if in_name:  # the passphrase typed as the name: never shown, kept or recorded as a user (gp17 F9)
            self.screen.user_edit.clear()
            ok = False
        if not ok:
            self.failures += 1
            try:
                attempt, who = self.failures, self._known_user(store, user)
                self.context.ops.run(lambda s: access.record_access(s, who, "unlock_failed", {"attempt": attempt}),
                                     errors="raise")
            except Exception as exc:
                log.warning("a failed unlock could not be audited: %s", type(exc).__name__)
            log.info("wrong passphrase at the lock screen (%d in a row)", self.failures)
            if in_name:
                self.screen.refuse("The name field held the passphrase: it was cleared and not recorded. Type your "
                                   "name or initials there (Alt+W), and the passphrase in Passphrase (Alt+P).",
                                   field="user", wait_seconds=retry_delay(self.failures))
                return False
            self.screen.refuse("That passphrase is not right.", wait_seconds=retry_delay(self.failures))
            return False
        self.failures = 0
        self.config = config
        self.context.set_user(user)
        try:
            detail = {} if config.enabled else {"lock": "removed meanwhile"}
            self.context.ops.run(lambda s: access.record_access(s, user, "unlocked", detail), errors="raise")
        except Exception as exc:
            log.warning("an unlock could not be audited: %s", type(exc).__name__)
        self.unlock()
        return True

    @staticmethod
    def _known_user(store, name: str) -> str:
        """The user a failed unlock is audited under: the name typed only when the record already
        knows it (someone who unlocked, identified themselves or changed something under it), in
        the record's spelling; else :data:`UNKNOWN_USER`. Free text typed before the passphrase
        was right is never written (it can be the passphrase typed in the name field: gp17 F9)."""
        wanted = name.casefold()
        try:
            entries = store.audit(limit=KNOWN_USERS_LOOKBACK, newest_first=True)
        except Exception as exc:  # the failed attempt is still audited, without the name
            log.warning("the known users could not be read: %s", type(exc).__name__)
            return UNKNOWN_USER
        for entry in entries:
            if entry.action != "unlock_failed" and (entry.user or "").casefold() == wanted:
                return entry.user
        return UNKNOWN_USER

    def unlock(self) -> None:
        if not self.locked:
            return
        w = self.window
        self.screen.reset()
        self.screen.hide()
        central = w.centralWidget()
        if central is not None:
            central.show()
        w.menuBar().setEnabled(True)
        for action in self._actions:
            if _shiboken_valid(action):
                action.setEnabled(True)
        self._actions = []
        if self._title is not None:
            w.setWindowTitle(self._title)
        self.locked = False
        for widget in self._hidden:
            if _shiboken_valid(widget) and widget.isHidden():
                widget.show()
        self._hidden = []
        if self._focus is not None and _shiboken_valid(self._focus) and self._focus.isVisible():
            self._focus.setFocus(Qt.OtherFocusReason)
        self._focus = None
        self.reload()
        log.info("window unlocked")
        self.locked_changed.emit(False)
        self.user_changed.emit(self.context.user)

    def shutdown(self) -> None:
        """The window is closing: stop watching for input."""
        self.idle.stop()
