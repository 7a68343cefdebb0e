"""The menu actions' and the worklist's shortcuts, set as text before the first paint (st22, issue
17), are the keys they were, and each menu action's tooltip names its shortcut as before.

Before the first paint the window sets each shortcut as its portable text through Qt's property
system (``shortcut`` / ``key``), so PySide6 never builds QKeySequence and its 71-member StandardKey
enum (~6 M instructions); the tooltips, which need QKeySequence's platform words, are set just after
the paint. What the clinician can press and read must be exactly what ``setShortcuts([QKeySequence
(text)])`` and ``setToolTip(name + QKeySequence(text).toString(NativeText))`` gave.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

# a sample of what main (61dec3d) showed, read from its real window: text, tooltip, keys
BEFORE = {
    "Export worklist as CSV": ("Export worklist as CSV (Ctrl+Shift+X)", ["Ctrl+Shift+X"]),
    "Add follow-up visit": ("Add follow-up visit (Ctrl+Shift+V)", ["Ctrl+Shift+V"]),
    "Export FHIR bundle": ("Export FHIR bundle (Ctrl+Shift+E)", ["Ctrl+Shift+E"]),
    "About": ("About (F1)", ["F1"]),
}


def _painted(qtbot, window):
    if window._shortcut_tips:  # not yet set: wait for the first paint's slots
        with qtbot.waitSignal(window.first_painted, timeout=10000):
            pass
    qtbot.waitUntil(lambda: not window._shortcut_tips, timeout=10000)


def test_each_menu_action_has_its_keys_and_its_tooltip_names_them_after_the_first_paint(qtbot, window):
    _painted(qtbot, window)
    named = [a for a in window.findChildren(QAction) if a.statusTip()]
    assert len(named) >= 10
    for action in named:
        keys = action.shortcuts()
        assert len(keys) == 1, action.statusTip()
        native = keys[0].toString(QKeySequence.NativeText)
        assert action.toolTip() == f"{action.statusTip()} ({native})"
    by_name = {a.objectName(): a for a in named}
    for name, (tip, keys) in BEFORE.items():
        assert by_name[name].toolTip() == tip
        assert [k.toString() for k in by_name[name].shortcuts()] == keys
    # the views' Ctrl+1.. and Back (no tooltip of their own)
    views = {a.objectName(): [k.toString() for k in a.shortcuts()] for a in window.view_actions}
    assert list(views.values()) == [[f"Ctrl+{n}"] for n in range(1, len(views) + 1)]
    assert [k.toString() for k in window.back_action.shortcuts()] == ["Alt+Left"]


def test_the_shortcuts_set_as_text_work_from_the_keyboard(qtbot, window):
    """Ctrl+2 (a view's action) and Alt+Left (Back) typed by the user move between the views, and
    the worklist's Return shortcut is the key Return in the table only."""
    _painted(qtbot, window)
    start = window.stack.currentWidget()
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not start, timeout=5000)
    qtbot.keyClick(window, Qt.Key_Left, Qt.AltModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is start, timeout=5000)
    opened = [s for s in window.views["worklist"].findChildren(QShortcut) if s.objectName() == "worklist.open"]
    assert sorted(s.key().toString() for s in opened) == ["Enter", "Return"]
    assert all(s.context() == Qt.WidgetShortcut for s in opened)
