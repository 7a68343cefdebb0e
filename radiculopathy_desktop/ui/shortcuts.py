"""Every key of the window written once: the keyboard help (Help > Keyboard shortcuts) is made
from the window's own actions (each menu entry with its key, as the menu shows it) and from
:data:`IN_VIEW`, the keys a view binds itself, from which those views make their shortcuts
(:func:`bind`). A key added to a menu or to this table is in the help; nothing is listed twice.

:data:`OTHER_KEYS` are keys that are not shortcuts (typed into a field that takes them, such as
Y/N/U on a red-flag question): said in the help, handled where the field is.
"""

from __future__ import annotations

from typing import NamedTuple

from radiculopathy_desktop.ui.lazy_qt import WINDOW_SHORTCUT


class ViewKey(NamedTuple):
    name: str  # what the view binds it as (``bind(widget, name, slot)``)
    keys: tuple[str, ...]  # QKeySequence portable text: "Alt+Right", "Return"
    where: str
    what: str


#: The keys views bind themselves (QShortcut), each made by :func:`bind` from this row.
IN_VIEW: tuple[ViewKey, ...] = (
    ViewKey("intake.next", ("Alt+Right",), "New intake", "Next step (as Alt+N)"),
    ViewKey("intake.primary", ("Ctrl+Return",), "New intake", "Next step; Save on the last step"),
    ViewKey("worklist.open", ("Return", "Enter"), "Worklist", "Open the highlighted patient"),
    ViewKey("patients.open", ("Return", "Enter"), "Patients", "Open the highlighted patient"),
    ViewKey("patient.back", ("Esc",), "Patient", "Back to the worklist"),
    # window31 (GP tryout): the decision dialog ignored Ctrl+Return, the intake's and the visit's Save key
    ViewKey("dialog.save", ("Ctrl+Return", "Ctrl+Enter"), "Visit and decision dialogs", "Save"),
)

#: Keys that are not shortcuts, said in the help only (the widget in focus takes them).
OTHER_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Alt+underlined letter", "Everywhere", "Go to the field or press the button with that letter underlined"),
    ("Tab / Shift+Tab", "Everywhere", "Next / previous field"),
    ("Y, N, U", "New intake, red flags", "Answer the question in focus yes, no or unknown, and move on"),
    ("Up / Down", "Worklist and Patients search", "Move the highlight in the results"),
    ("Esc", "Visit, decision, Edit medicines and Edit conditions dialogs",
     "Close (asks first when something was typed); in Edit medicines and Edit conditions, Ctrl+Return saves"),
    ("Ctrl+P", "Print preview", "Print"),
)


def row(name: str) -> ViewKey:
    return next(r for r in IN_VIEW if r.name == name)


def bind(widget, name: str, slot, context=None) -> list:
    """The shortcuts of row ``name`` of :data:`IN_VIEW` on ``widget`` (one per key), calling ``slot``.

    ``context`` is a ``Qt.ShortcutContext`` or its int (lazy_qt.WIDGET_SHORTCUT...); the default is
    the window. Set through the ``context`` property, so a shortcut made before the first paint
    names no Qt enum (issue 17). The key is set as its portable text through the ``key`` property
    (Qt makes ``QKeySequence(key)`` in C++, as ``setKey(QKeySequence(key))`` did): naming
    QKeySequence in Python builds that class and its 71-member StandardKey enum, ~6 M instructions
    before the first paint (st22)."""
    from PySide6.QtGui import QShortcut

    made = []
    for key in row(name).keys:
        shortcut = QShortcut(widget)
        shortcut.setProperty("key", key)
        shortcut.setProperty("context", WINDOW_SHORTCUT if context is None else context)
        shortcut.setObjectName(name)
        shortcut.activated.connect(slot)
        made.append(shortcut)
    return made


def key_text(key: str) -> str:
    """A key as the platform writes it (Ctrl+Return, Esc; on a Mac the symbols)."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(key).toString(QKeySequence.NativeText) or key


def menu_key(title: str) -> str:
    """ "Vie&w" -> "Alt+W View": how a menu is opened from the keyboard."""
    at = title.replace("&&", "").find("&")
    name = title.replace("&", "")
    return f"Alt+{title.replace('&&', '')[at + 1].upper()} {name}" if at >= 0 else name


def help_rows(window) -> list[tuple[str, str, str]]:
    """(keys, where, what) for every key of ``window``: the menu entries with a key, in menu
    order (where: the menu), then the window's own actions in no menu, then :data:`IN_VIEW`
    and :data:`OTHER_KEYS`."""
    rows: list[tuple[str, str, str]] = []
    seen = set()

    def add_action(action, where: str) -> None:
        keys = [s.toString(s.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()]
        if not keys or id(action) in seen:
            return
        seen.add(id(action))
        rows.append((" or ".join(keys), where, action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                     .rstrip("…").rstrip(".")))

    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        where = menu.title().replace("&", "") + " menu"
        for action in menu.actions():
            add_action(action, where)
    for action in window.actions():
        add_action(action, "Main window")
    merged: dict[tuple[str, str], list[str]] = {}
    for r in IN_VIEW:
        merged.setdefault((r.where, r.what), []).extend(r.keys)
    for (where, what), keys in merged.items():
        rows.append((" or ".join(dict.fromkeys(key_text(k) for k in keys)), where, what))
    rows.extend(OTHER_KEYS)
    return rows


def open_keyboard_help(window):
    """Help > Keyboard shortcuts: the table of :func:`help_rows`, read-only, Esc or Close to close."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                                   QTableWidget, QTableWidgetItem, QVBoxLayout)

    existing = window.findChild(QDialog, "keyboardHelp")
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = QDialog(window)
    dialog.setObjectName("keyboardHelp")
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.setWindowTitle("Keyboard shortcuts")
    layout = QVBoxLayout(dialog)
    menus = ", ".join(menu_key(a.text()) for a in window.menuBar().actions() if a.menu() is not None)
    intro = QLabel(f"Every key of the window. The menus ({menus}) show the same keys beside their entries.")
    intro.setWordWrap(True)
    layout.addWidget(intro)
    rows = help_rows(window)
    table = QTableWidget(len(rows), 3)
    table.setObjectName("keyboardHelpTable")
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Keys", "Where", "What it does"])
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # one line a key, more in view
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
    header.setStretchLastSection(True)
    layout.addWidget(table, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fm = dialog.fontMetrics()
    available = window.screen().availableGeometry()
    dialog.resize(min(available.width() * 9 // 10, fm.horizontalAdvance("x") * 110),
                  min(available.height() * 9 // 10, (fm.height() + 8) * (len(rows) + 6) + 60))
    dialog.show()
    table.setFocus()
    return dialog
