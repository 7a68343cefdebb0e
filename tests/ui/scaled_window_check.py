"""Run by tests/ui/test_scaling.py in a subprocess with QT_SCALE_FACTOR=2 on a 1920x1080
offscreen screen (960x540 logical pixels): opens every view and dialog and prints, as
JSON, each primary control that is not inside the visible window (or a scroll area that
can bring it into view). Not a test module itself (no test_ prefix)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QScrollArea, QWidget

HERE = Path(__file__).resolve().parent


def reachable(widget: QWidget, top: QWidget) -> str | None:
    """None when ``widget`` can be seen in ``top`` (directly, or by scrolling a scroll area
    that is itself in view), else what is wrong."""
    if not widget.isVisible():
        return None  # hidden on purpose at this step (e.g. Save before the last page)
    screen = top.screen().availableGeometry()
    if not screen.contains(top.frameGeometry().topLeft()) or top.frameGeometry().right() > screen.right() + 1 \
            or top.frameGeometry().bottom() > screen.bottom() + 1:
        return f"{type(top).__name__} {top.frameGeometry().getRect()} is larger than the screen {screen.getRect()}"
    target = widget
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            target = parent  # reachable by scrolling: the scroll area itself must be in view
        parent = parent.parentWidget()
    rect = target.rect()
    top_left = target.mapTo(top, rect.topLeft())
    bottom_right = target.mapTo(top, rect.bottomRight())
    inside = top.rect()
    if not (inside.contains(top_left) and inside.contains(bottom_right)):
        return f"at {top_left.x()},{top_left.y()}-{bottom_right.x()},{bottom_right.y()} outside {inside.getRect()}"
    # not clipped by an ancestor either
    parent = target.parentWidget()
    while parent is not None and parent is not top:
        a = target.mapTo(parent, rect.topLeft())
        b = target.mapTo(parent, rect.bottomRight())
        if not (parent.rect().contains(a) and parent.rect().contains(b)):
            return f"clipped by {type(parent).__name__} {parent.rect().getRect()}"
        parent = parent.parentWidget()
    return None


def controls(widget: QWidget) -> list[QWidget]:
    return [w for w in widget.findChildren(QWidget) if isinstance(w, (QAbstractButton, QLineEdit))
            and not isinstance(w.parentWidget(), QScrollArea) and w.isVisible()
            and type(w).__name__ not in ("QToolButton",) or w.__class__.__name__ == "QToolButton"
            and w.isVisible() and w.text()]


def main() -> int:
    app = QApplication(sys.argv)
    sys.path.insert(0, str(HERE))
    from conftest import TODAY, seed_cases
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui import dialogs, exports
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp()) / "data"
    store = CaseStore.open(folder)
    store.import_cases([parse_case(c) for c in seed_cases()], user="test")
    context = AppContext(store=store, hub=EventHub(), data_dir=folder, today=lambda: TODAY)
    window = MainWindow(context)
    window.show()
    app.processEvents()
    problems: list[str] = []
    checked = 0

    def check(where: str, top: QWidget, widgets) -> None:
        nonlocal checked
        app.processEvents()
        for w in widgets:
            if w is None:
                continue
            checked += 1
            trouble = reachable(w, top)
            if trouble:
                name = w.accessibleName() or getattr(w, "text", lambda: "")() or type(w).__name__
                problems.append(f"{where}: {name!r} {trouble}")

    for key in ("worklist", "patients", "guideline", "settings", "outcomes"):
        view = window.show_view(key)
        check(key, window, [w for w in view.findChildren(QAbstractButton) if w.isVisible()])
    wizard = window.show_view("intake")
    for n in range(len(wizard.pages)):
        wizard._go(n)
        check(f"intake step {n + 1}", window, [wizard.back_button, wizard.next_button, wizard.save_button,
                                                wizard.discard_button])
    window.open_case("P-DUE-case")
    pv = window.patient_view
    check("patient", window, [pv.back_button, pv.visit_button, pv.decision_button, pv.handout_button,
                              pv.export_button])
    for name, opener in (("visit dialog", pv.add_visit), ("decision dialog", pv.record_decision),
                         ("handout dialog", pv.print_handout)):
        dialog = opener()
        dialog.show()
        app.processEvents()
        check(name, dialog, [b for b in dialog.findChildren(QAbstractButton)
                             if b.isVisible() and b.parentWidget() is not None
                             and type(b.parentWidget()).__name__ == "QDialogButtonBox"])
        dialog.close()
    screen = app.primaryScreen()
    print(json.dumps({"screen": [screen.geometry().width(), screen.geometry().height()],
                      "dpr": screen.devicePixelRatio(), "screens": [s.name() for s in app.screens()], "window": list(window.frameGeometry().getRect()),
                      "checked": checked, "problems": problems}))
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
